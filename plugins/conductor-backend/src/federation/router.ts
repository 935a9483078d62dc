import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  conductorEvidenceCollectPermission,
  conductorFederationPinPermission,
} from '@internal/plugin-conductor-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { ENTITY_REF, entityRefFromParams, parseBody } from '../shared/http';
import { requirePermission } from '../shared/permissions';
import { FederationService } from './FederationService';
import { FederationPins } from './FederationPins';

const boardQuery = z.object({
  days: z.coerce.number().int().min(1).max(366).default(90),
});

const pinBody = z
  .object({
    entityRef: ENTITY_REF,
    version: z
      .string()
      .regex(/^v\d+\.\d+\.\d+$/, 'must be a released version such as v1.1.0'),
  })
  .strict();

/** Routes under `/api/conductor/federation`. */
export function createFederationRouter(deps: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  federation: FederationService;
  pins?: FederationPins;
}): express.Router {
  const { httpAuth, permissions, federation, pins } = deps;
  const router = Router();
  router.use(express.json({ limit: '16kb' }));

  router.get('/', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { days } = parseBody(boardQuery, req.query);
    res.json(await federation.board(credentials, days));
  });

  router.post('/scan', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await requirePermission(
      permissions,
      credentials,
      conductorEvidenceCollectPermission,
      'Not allowed to scan the repositories now',
    );
    const repositories = await federation.scan(undefined, {
      refreshCatalog: true,
    });
    res.json({ scanned: repositories.length });
  });

  router.post('/pin', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const body = parseBody(pinBody, req.body);
    await requirePermission(
      permissions,
      credentials,
      conductorFederationPinPermission,
      `Not allowed to change the CI library version of ${body.entityRef}`,
      body.entityRef,
    );
    if (!pins) throw new Error('pull requests are not configured');
    res.status(201).json(await pins.pin(body, credentials));
  });

  router.get('/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(
      await federation.repository(credentials, entityRefFromParams(req.params)),
    );
  });

  return router;
}
