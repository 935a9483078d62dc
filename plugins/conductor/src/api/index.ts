export * from './ConductorApi';
