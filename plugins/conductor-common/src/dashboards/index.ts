export * from './api';
export * from './aggregate';
