export { conductorPlugin as default } from './plugin';
export * from './apis';
export * from './entityContent';
export * from './pages';
export * from '../routes';
