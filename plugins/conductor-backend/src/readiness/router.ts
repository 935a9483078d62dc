import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  conductorEvidenceReadPermission,
  conductorPromotionOverridePermission,
} from '@internal/plugin-conductor-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  ENTITY_REF,
  ENVIRONMENT,
  entityRefFromParams,
  parseBody,
  sourceOf,
} from '../shared/http';
import { requirePermission } from '../shared/permissions';
import { ReadinessService } from './ReadinessService';

const promotionCheckBody = z
  .object({
    entityRef: ENTITY_REF,
    environment: ENVIRONMENT,
    version: z.string().min(1).max(255).optional(),
  })
  .strict();

const overrideBody = z
  .object({
    entityRef: ENTITY_REF,
    environment: ENVIRONMENT,
    reason: z
      .string()
      .trim()
      .min(10, 'must say why, in at least 10 characters'),
    approver: z
      .string()
      .regex(
        /^user:/,
        'must be the user entity ref of who approved, e.g. user:default/alice',
      ),
    expiresInHours: z
      .number()
      .min(0.25)
      .max(72, 'at most 72 hours: a longer exception is a threshold change'),
  })
  .strict();

/** Routes under `/promotions`: the gate CI calls, and break-glass overrides. */
export function createPromotionsRouter(deps: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  readiness: ReadinessService;
}): express.Router {
  const { httpAuth, permissions, readiness } = deps;
  const router = Router();

  // The promotion gate CI calls. Always answers with a decision; fails closed.
  router.post('/check', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    const body = parseBody(promotionCheckBody, req.body);
    res.json(await readiness.check(body, sourceOf(credentials), credentials));
  });

  router.post('/overrides', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const body = parseBody(overrideBody, req.body);
    await requirePermission(
      permissions,
      credentials,
      conductorPromotionOverridePermission,
      'Not allowed to override the promotion gate',
    );
    res
      .status(201)
      .json(
        await readiness.createOverride(
          body,
          credentials.principal.userEntityRef,
        ),
      );
  });

  return router;
}

/** Routes under `/readiness`: scores and the team ranking. */
export function createReadinessRouter(deps: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  readiness: ReadinessService;
}): express.Router {
  const { httpAuth, permissions, readiness } = deps;
  const router = Router();

  router.get('/teams', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(await readiness.teams());
  });

  router.get('/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefFromParams(req.params);
    await requirePermission(
      permissions,
      credentials,
      conductorEvidenceReadPermission,
      `Not allowed to read evidence of ${entityRef}`,
      entityRef,
    );
    res.json(await readiness.forEntity(entityRef));
  });

  return router;
}
