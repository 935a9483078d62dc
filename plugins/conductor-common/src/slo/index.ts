export * from './types';
export * from './burn';
export * from './parse';
export * from './sla';
export * from './rules';
export * from './permissions';
export * from './api';
