import express from 'express';
import Router from 'express-promise-router';
import { Capability } from './shared/capability';

/**
 * The plugin's router: JSON bodies, the health route, and each capability's
 * routers under their prefixes. Nothing else lives here.
 */
export function createRouter(capabilities: Capability[]): express.Router {
  const router = Router();
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
