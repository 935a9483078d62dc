/**
 * The golden-path renderer shared by the `create-ig-*` commands and the
 * portal's scaffolder actions, so the two paths cannot drift.
 *
 * @packageDocumentation
 */
export * from './goldenPaths';
export * from './values';
export * from './render';
export * from './renderGoldenPath';
export * from './sloGates';
export * from './evidence';
export { runCreateIg } from './cli';
