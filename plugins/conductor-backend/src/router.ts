import express from 'express';
import Router from 'express-promise-router';
import { Capability } from './shared/capability';
import { HttpStatusError } from './shared/http';

/**
 * The plugin's router: JSON bodies, the health route, and each capability's
 * routers under their prefixes. Nothing else lives here.
 */
export function createRouter(capabilities: Capability[]): express.Router {
  const router = Router();
  // A body is JSON or nothing: a form or text body would otherwise reach the
  // routes as {} and be answered with a misleading "field missing".
  router.use((req, _res, next) => {
    const hasBody =
      Number(req.headers['content-length'] ?? 0) > 0 ||
      req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !req.is('application/json')) {
      next(
        new HttpStatusError(
          415,
          `Content-Type must be application/json, got ${
            req.headers['content-type'] ?? 'none'
          }`,
        ),
      );
      return;
    }
    next();
  });
  // A capability may take larger bodies under its own prefixes; a body
  // parsed there is not parsed again by the plugin-wide 1 MB parser.
  for (const { routers, bodyLimit } of capabilities) {
    if (!bodyLimit) continue;
    for (const prefix of Object.keys(routers)) {
      router.use(prefix, express.json({ limit: bodyLimit }));
    }
  }
  router.use(express.json({ limit: '1mb' }));
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  for (const capability of capabilities) {
    for (const [prefix, capabilityRouter] of Object.entries(
      capability.routers,
    )) {
      router.use(prefix, capabilityRouter);
    }
  }
  return router;
}
