import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  conductorEvidenceReadPermission,
  conductorOverrideApprovePermission,
  conductorOverrideRequestPermission,
  conductorOverrideRevokePermission,
} from '@internal/plugin-conductor-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  ENTITY_REF,
  ENVIRONMENT,
  ID_PARAM,
  REASON,
  entityRefFromParams,
  parseBody,
  sourceOf,
} from '../shared/http';
import { addListAndRevokeRoutes } from '../shared/approvals';
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
    reason: REASON,
    expiresInHours: z
      .number()
      .min(0.25)
      .max(24 * 365),
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
    res.json(await readiness.check(body, sourceOf(credentials)));
  });

  addListAndRevokeRoutes(router, {
    httpAuth,
    permissions,
    path: '/overrides',
    key: 'overrides',
    what: 'overrides',
    revokePermission: conductorOverrideRevokePermission,
    list: ref => readiness.overridesFor(ref),
    get: id => readiness.getOverride(id),
    revoke: (id, actor, admin) => readiness.revokeOverride(id, actor, admin),
  });

  // Asking: a person of a team. Active only once someone else approves.
  router.post('/overrides', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const body = parseBody(overrideBody, req.body);
    await requirePermission(
      permissions,
      credentials,
      conductorOverrideRequestPermission,
      'Not allowed to ask for a break-glass override of the promotion gate',
    );
    res
      .status(201)
      .json(
        await readiness.requestOverride(
          body,
          credentials.principal.userEntityRef,
        ),
      );
  });

  router.post('/overrides/:id/approve', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const id = parseBody(ID_PARAM, req.params.id);
    await requirePermission(
      permissions,
      credentials,
      conductorOverrideApprovePermission,
      'Not allowed to approve break-glass overrides',
    );
    res.json(
      await readiness.approveOverride(id, credentials.principal.userEntityRef),
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
