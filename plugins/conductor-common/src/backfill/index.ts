export * from './types';
export * from './api';
export * from './definition';
export * from './sql';
export * from './stateMachine';
export * from './throttle';
export * from './cost';
export * from './permissions';
