export * from './model';
export * from './walk';
export * from './sdl';
export * from './operations';
export * from './blastRadius';
export * from './markdown';
export * from './api';
export * from './permissions';
