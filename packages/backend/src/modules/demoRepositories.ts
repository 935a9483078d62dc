import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import express from 'express';
import path from 'node:path';

/**
 * Serves the demo repositories under `examples/repos` over HTTP, so that the
 * demo catalog's `backstage.io/source-location` annotations point at real
 * files read through the real UrlReader (FetchUrlReader, allowed in
 * `backend.reading.allow`), as a GitHub or GitLab integration would serve
 * them in production. Inert unless `demoRepositories.root` is configured.
 */
export const demoRepositoriesPlugin = createBackendPlugin({
  pluginId: 'demo-repos',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        config: coreServices.rootConfig,
      },
      async init({ httpRouter, config }) {
        const dir = config.getOptionalString('demoRepositories.root');
        if (!dir) return; // production: repositories live in the SCM
        const root = path.resolve(dir);
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
        httpRouter.use(
          express.static(root, { dotfiles: 'allow', fallthrough: true }),
        );
      },
    });
  },
});
