export * from './manifest';
export * from './pins';
export * from './canary';
export * from './coverage';
export * from './api';
export * from './permissions';
export * from './sbom';
