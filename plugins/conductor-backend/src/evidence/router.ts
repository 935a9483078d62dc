import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  FACT_NAME_PATTERN,
  conductorEvidenceCollectPermission,
  conductorEvidenceCreatePermission,
  normalizeEntityRef,
  conductorEvidenceReadPermission,
} from '@internal/plugin-conductor-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { entityRefFromParams, sourceOf } from '../shared/http';
import { requirePermission } from '../shared/permissions';
import { EvidenceService } from './EvidenceService';

const historyQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** Routes under `/evidence`. */
export function createEvidenceRouter(deps: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  evidence: EvidenceService;
}): express.Router {
  const { httpAuth, permissions, evidence } = deps;
  const router = Router();
  const authorizeRead = (credentials: any, entityRef: string) =>
    requirePermission(
      permissions,
      credentials,
      conductorEvidenceReadPermission,
      `Not allowed to read evidence of ${entityRef}`,
      entityRef,
    );

  // Evidence is pushed by CI with a service token, never typed in by a person:
  // scores built on it must not be something anyone can simply assert.
  router.post('/', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    const entityRef = normalizeEntityRef(req.body?.entityRef);
    if (typeof entityRef === 'string') {
      await requirePermission(
        permissions,
        credentials,
        conductorEvidenceCreatePermission,
        `Not allowed to record evidence about ${entityRef}`,
        entityRef,
      );
    }
    const result = await evidence.push(req.body, sourceOf(credentials));
    res.status(201).json(result);
  });

  // Runs a collection now rather than waiting for the schedule.
  router.post('/collect', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['service', 'user'],
    });
    await requirePermission(
      permissions,
      credentials,
      conductorEvidenceCollectPermission,
      'Only an admin or CI may start an evidence collection',
    );
    res.json(await evidence.collect());
  });

  router.get('/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefFromParams(req.params);
    await authorizeRead(credentials, entityRef);
    res.json({ entityRef, facts: await evidence.latest(entityRef) });
  });

  router.get('/:kind/:namespace/:name/history/:fact', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefFromParams(req.params);
    const name = req.params.fact;
    if (!FACT_NAME_PATTERN.test(name)) {
      throw new InputError(
        `fact: "${name}" is not a fact name such as test.coverage`,
      );
    }
    const query = historyQuery.safeParse(req.query);
    if (!query.success) {
      throw new InputError(`limit: ${query.error.issues[0].message}`);
    }
    await authorizeRead(credentials, entityRef);
    res.json({
      entityRef,
      name,
      history: await evidence.history(entityRef, name, query.data),
    });
  });

  return router;
}
