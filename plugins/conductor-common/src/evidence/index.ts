export * from './types';
export * from './knownFacts';
export * from './validation';
export * from './age';
export * from './api';
