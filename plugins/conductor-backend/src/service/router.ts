import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  FACT_NAME_PATTERN,
  conductorEvidenceReadPermission,
} from '@internal/plugin-conductor-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { EvidenceCollection } from '../collectors/EvidenceCollection';
import { EvidenceStore } from '../database/EvidenceStore';
import { EvidenceService } from './EvidenceService';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  store: EvidenceStore;
  evidence: EvidenceService;
  collection: EvidenceCollection;
}

const historyQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** `ci:<subject>` for a CI token, so every fact says which pipeline sent it. */
export function sourceOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as { type: string; subject?: string; userEntityRef?: string };
  if (principal.type === 'service') {
    return `ci:${(principal.subject ?? 'unknown').replace(/^external:/, '')}`;
  }
  return `user:${principal.userEntityRef ?? 'unknown'}`;
}

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { httpAuth, permissions, store, evidence, collection } = options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  const entityRefFrom = (params: Record<string, string>) =>
    stringifyEntityRef({ kind: params.kind, namespace: params.namespace, name: params.name });

  async function authorizeRead(credentials: BackstageCredentials, entityRef: string) {
    const [decision] = await permissions.authorize(
      [{ permission: conductorEvidenceReadPermission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed to read evidence of ${entityRef}`);
    }
  }

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Evidence is pushed by CI with a service token, never typed in by a person:
  // scores built on it must not be something anyone can simply assert.
  router.post('/evidence', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    const result = await evidence.push(req.body, sourceOf(credentials), credentials);
    res.status(201).json(result);
  });

  router.get('/evidence/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const entityRef = entityRefFrom(req.params);
    await authorizeRead(credentials, entityRef);
    res.json({ entityRef, facts: await store.latest(entityRef) });
  });

  router.get('/evidence/:kind/:namespace/:name/history/:fact', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const entityRef = entityRefFrom(req.params);
    const name = req.params.fact;
    if (!FACT_NAME_PATTERN.test(name)) {
      throw new InputError(`fact: "${name}" is not a fact name such as test.coverage`);
    }
    const query = historyQuery.safeParse(req.query);
    if (!query.success) {
      throw new InputError(`limit: ${query.error.issues[0].message}`);
    }
    await authorizeRead(credentials, entityRef);
    res.json({ entityRef, name, history: await store.history(entityRef, name, query.data) });
  });

  // Runs a collection now rather than waiting for the schedule.
  router.post('/evidence/collect', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service', 'user'] });
    res.json(await collection.run());
  });

  return router;
}
