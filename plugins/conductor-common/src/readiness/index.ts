export * from './types';
export * from './score';
export * from './config';
export * from './api';
