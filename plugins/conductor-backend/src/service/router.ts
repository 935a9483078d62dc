import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  FACT_NAME_PATTERN,
  conductorEvidenceReadPermission,
  conductorPromotionOverridePermission,
  normalizeEntityRef,
} from '@internal/plugin-conductor-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { EvidenceCollection } from '../collectors/EvidenceCollection';
import { EvidenceStore } from '../database/EvidenceStore';
import { EvidenceService } from './EvidenceService';
import { ReadinessStore } from '../database/ReadinessStore';
import { ReadinessService } from './ReadinessService';
import { ComplianceService } from './ComplianceService';
import { ComplianceStore } from '../database/ComplianceStore';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  store: EvidenceStore;
  evidence: EvidenceService;
  collection: EvidenceCollection;
  readiness: ReadinessService;
  readinessStore: ReadinessStore;
  compliance: ComplianceService;
  complianceStore: ComplianceStore;
}

const ENVIRONMENT = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,63}$/,
    'must be an environment name such as production',
  );
const ENTITY_REF = z.string().transform((ref, ctx) => {
  const parsed = normalizeEntityRef(ref);
  if (typeof parsed !== 'string') {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: parsed.error });
    return z.NEVER;
  }
  return parsed;
});
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

const evaluateBody = z
  .object({
    entityRef: ENTITY_REF,
    proposedFacts: z.array(z.unknown()).optional(),
  })
  .strict();
const exemptionBody = z
  .object({
    entityRef: ENTITY_REF,
    controlId: z.string().min(1),
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
    expiresAt: z
      .string()
      .datetime({ offset: true, message: 'must be an ISO-8601 timestamp' }),
  })
  .strict();

/** Parses a body with a zod schema, or throws an InputError naming the field. */
function parseBody<T>(schema: z.ZodType<T, any, any>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new InputError(
      result.error.issues
        .map(i => `${i.path.join('.') || 'body'}: ${i.message}`)
        .join('; '),
    );
  }
  return result.data;
}

const historyQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const changesQuery = z.object({
  runId: z.coerce.number().int().positive().optional(),
});

/** `ci:<subject>` for a CI token, so every fact says which pipeline sent it. */
export function sourceOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    subject?: string;
    userEntityRef?: string;
  };
  if (principal.type === 'service') {
    return `ci:${(principal.subject ?? 'unknown').replace(/^external:/, '')}`;
  }
  return `user:${principal.userEntityRef ?? 'unknown'}`;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    httpAuth,
    permissions,
    store,
    evidence,
    collection,
    readiness,
    readinessStore,
    compliance,
    complianceStore,
  } = options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  const entityRefFrom = (params: Record<string, string>) =>
    stringifyEntityRef({
      kind: params.kind,
      namespace: params.namespace,
      name: params.name,
    });

  async function authorizeRead(
    credentials: BackstageCredentials,
    entityRef: string,
  ) {
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
    const result = await evidence.push(
      req.body,
      sourceOf(credentials),
      credentials,
    );
    res.status(201).json(result);
  });

  router.get('/evidence/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefFrom(req.params);
    await authorizeRead(credentials, entityRef);
    res.json({ entityRef, facts: await store.latest(entityRef) });
  });

  router.get(
    '/evidence/:kind/:namespace/:name/history/:fact',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      const entityRef = entityRefFrom(req.params);
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
        history: await store.history(entityRef, name, query.data),
      });
    },
  );

  // Runs a collection now rather than waiting for the schedule.
  router.post('/evidence/collect', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service', 'user'] });
    res.json(await collection.run());
  });

  // The promotion gate CI calls. Always answers with a decision; fails closed.
  router.post('/promotions/check', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    const body = parseBody(promotionCheckBody, req.body);
    res.json(await readiness.check(body, sourceOf(credentials), credentials));
  });

  router.post('/promotions/overrides', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const body = parseBody(overrideBody, req.body);
    const [decision] = await permissions.authorize(
      [{ permission: conductorPromotionOverridePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('Not allowed to override the promotion gate');
    }
    const createdBy = credentials.principal.userEntityRef;
    if (createdBy === body.approver) {
      throw new InputError(
        'approver: must be someone other than the person asking for the override',
      );
    }
    const now = new Date();
    const override = await readinessStore.createOverride({
      entityRef: body.entityRef,
      environment: body.environment,
      reason: body.reason,
      approver: body.approver,
      createdBy,
      createdAt: now.toISOString(),
      expiresAt: new Date(
        now.getTime() + body.expiresInHours * 3_600_000,
      ).toISOString(),
    });
    res.status(201).json(override);
  });

  router.get('/readiness/teams', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await readiness.teams(credentials));
  });

  router.get('/readiness/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefFrom(req.params);
    await authorizeRead(credentials, entityRef);
    const score = await readiness.score(entityRef);
    res.json({
      ...score,
      thresholds: { production: readiness.thresholdFor('production') },
      history: (await readinessStore.scoreHistory(entityRef, 60)).map(h => ({
        score: h.score,
        computedAt: h.computedAt,
      })),
      decisions: await readinessStore.recentDecisions(entityRef, 10),
    });
  });

  router.get('/compliance/controls', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(compliance.listControls());
  });

  // Re-reads the catalog files; on any error the loaded controls stay active.
  router.post('/compliance/controls/reload', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json({ controls: await compliance.loadControls() });
  });

  router.post('/compliance/runs', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await compliance.run('manual', credentials));
  });

  // A dry run for a pull request: stores nothing.
  router.post('/compliance/evaluate', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const body = parseBody(evaluateBody, req.body);
    await authorizeRead(credentials, body.entityRef);
    res.json(await compliance.evaluate(body, credentials));
  });

  // What changed in a run (default: the latest) against the run before.
  router.get('/compliance/changes', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const query = changesQuery.safeParse(req.query);
    if (!query.success)
      throw new InputError(`runId: ${query.error.issues[0].message}`);
    const canRead = async (entityRefs: string[]) => {
      if (entityRefs.length === 0) return new Set<string>();
      const decisions = await permissions.authorize(
        entityRefs.map(resourceRef => ({
          permission: conductorEvidenceReadPermission,
          resourceRef,
        })),
        { credentials },
      );
      return new Set(
        entityRefs.filter(
          (_, i) => decisions[i].result === AuthorizeResult.ALLOW,
        ),
      );
    };
    res.json(await compliance.changes(query.data.runId, canRead));
  });

  router.get('/compliance/teams', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(await compliance.teams());
  });

  router.post('/compliance/exemptions', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const body = parseBody(exemptionBody, req.body);
    if (!compliance.knowsControl(body.controlId))
      throw new InputError(`controlId: unknown control ${body.controlId}`);
    if (Date.parse(body.expiresAt) <= Date.now())
      throw new InputError('expiresAt: must be in the future');
    const createdBy = credentials.principal.userEntityRef;
    if (createdBy === body.approver)
      throw new InputError(
        'approver: must be someone other than the person asking',
      );
    res.status(201).json(
      await complianceStore.createExemption({
        ...body,
        createdBy,
        createdAt: new Date().toISOString(),
      }),
    );
  });

  router.delete('/compliance/exemptions/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const id = Number(req.params.id);
    if (!Number.isInteger(id))
      throw new InputError('id: must be an exemption id');
    if (
      !(await complianceStore.revokeExemption(
        id,
        credentials.principal.userEntityRef,
        new Date(),
      ))
    ) {
      throw new NotFoundError(
        `exemption ${id} does not exist or is already revoked`,
      );
    }
    res.status(204).end();
  });

  router.get('/compliance/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefFrom(req.params);
    await authorizeRead(credentials, entityRef);
    res.json(await compliance.forEntity(entityRef));
  });

  return router;
}
