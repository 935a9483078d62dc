/**
 * Scaffolder actions of Maestro Conductor's golden paths.
 *
 * @packageDocumentation
 */
export { scaffolderModuleConductor as default } from './module';
export { catalogModuleGoldenPathLocations } from './catalogModule';
export { createRenderAction } from './actions/render';
export { createPublishGitAction } from './actions/publishGit';
export { createRegisterAction } from './actions/register';
