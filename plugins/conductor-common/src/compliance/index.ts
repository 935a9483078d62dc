export * from './types';
export * from './catalog';
export * from './celEnvironment';
export * from './engine';
export * from './diff';
export * from './api';
