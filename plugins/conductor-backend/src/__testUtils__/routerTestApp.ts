import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';

/**
 * One capability router on a bare express app with Backstage's error
 * middleware, as the plugin mounts it: for router tests with a mocked service.
 */
export function routerTestApp(router: express.Router): express.Express {
  const app = express();
  app.use(express.json());
  app.use(router);
  app.use(
    MiddlewareFactory.create({
      config: mockServices.rootConfig(),
      logger: mockServices.logger.mock(),
    }).error(),
  );
  return app;
}

/** Permissions that answer `result` to everything. */
export const permissionsThatSay = (allow: boolean) =>
  mockServices.permissions({
    result: allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
  });
