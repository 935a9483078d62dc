import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  conductorBackfillControlPermission,
  conductorBackfillReadPermission,
  conductorBackfillRegisterPermission,
  parseBackfillDefinition,
  formatBackfillDefinitionError,
  MAX_DEFINITION_BYTES,
} from '@internal/plugin-conductor-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { parseBody, sourceOf } from '../shared/http';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { allowedEntities, requirePermission } from '../shared/permissions';
import { BackfillService } from './BackfillService';

const startBody = z.union([
  z.object({ definitionId: z.string().min(1).max(64) }).strict(),
  z
    .object({
      definition: z.string().min(1).max(MAX_DEFINITION_BYTES),
      start: z.boolean().optional(),
    })
    .strict(),
]);

const controlBody = z
  .object({
    version: z.number().int().positive().optional(),
    reason: z.string().trim().min(1).max(500).optional(),
  })
  .strict();

const retuneBody = z
  .object({
    rps: z.number().int().min(1).max(10_000_000).optional(),
    batchSize: z.number().int().min(1).max(2_000_000).optional(),
    minBatchSize: z.number().int().min(1).max(2_000_000).optional(),
    maxBatchSize: z.number().int().min(1).max(2_000_000).optional(),
    version: z.number().int().positive().optional(),
  })
  .strict()
  .refine(
    b =>
      b.rps !== undefined ||
      b.batchSize !== undefined ||
      b.minBatchSize !== undefined ||
      b.maxBatchSize !== undefined,
    {
      message:
        'give at least one of rps, batchSize, minBatchSize, maxBatchSize',
    },
  );

/** Who acted: a user's entity ref, or `ci:<subject>` for a service token. */
function actorOf(credentials: BackstageCredentials): string {
  const p = credentials.principal as { type: string; userEntityRef?: string };
  return p.type === 'user' && p.userEntityRef
    ? p.userEntityRef
    : sourceOf(credentials);
}

const runId = (raw: string) => {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0)
    throw new InputError(`run id must be a positive integer, got ${raw}`);
  return id;
};

/**
 * `/backfills`: start (or, for CI, register) a backfill, list and read runs,
 * and pause, resume, cancel or retune one. Starting and stopping need
 * `conductor.backfill.control` on the owning entity (its team and admins).
 */
export function createBackfillRouter(deps: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  backfills: BackfillService;
}): express.Router {
  const { httpAuth, permissions, backfills } = deps;
  const router = Router();

  router.post('/', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const body = parseBody(startBody, req.body);
    const by = actorOf(credentials);
    if ('definition' in body) {
      if (credentials.principal.type !== 'service') {
        throw new InputError(
          'definitions are registered by CI with a service token; people start a loaded definition by definitionId',
        );
      }
      const parsed = parseBackfillDefinition('definition', body.definition);
      if (!parsed.definition) {
        throw new InputError(
          parsed.errors.map(formatBackfillDefinitionError).join('; '),
        );
      }
      await requirePermission(
        permissions,
        credentials,
        conductorBackfillRegisterPermission,
        `not allowed to register backfills of ${parsed.definition.owner}`,
        parsed.definition.owner,
      );
      const loaded = await backfills.register(body.definition, by);
      if (!body.start) {
        res.status(201).json({
          definition: loaded.definition,
          hash: loaded.hash,
        });
        return;
      }
      res.status(201).json(await backfills.start(loaded.definition.id, by));
      return;
    }
    const owner = backfills.ownerOfDefinition(body.definitionId);
    await requirePermission(
      permissions,
      credentials,
      conductorBackfillControlPermission,
      `only the owners of ${owner} and admins may start backfill ${body.definitionId}`,
      owner,
    );
    res.status(201).json(await backfills.start(body.definitionId, by));
  });

  router.get('/', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const all = await backfills.list(() => true);
    const owners = [
      ...new Set([
        ...all.definitions.map(d => d.owner),
        ...all.runs.map(r => r.owner),
      ]),
    ];
    const allowed = await allowedEntities(
      permissions,
      credentials,
      conductorBackfillReadPermission,
      owners,
    );
    res.json({
      definitions: all.definitions.filter(d => allowed.has(d.owner)),
      runs: all.runs.filter(r => allowed.has(r.owner)),
      problems: backfills.problems(),
    });
  });

  router.get('/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const run = await backfills.run(runId(req.params.id));
    await requirePermission(
      permissions,
      credentials,
      conductorBackfillReadPermission,
      `not allowed to read backfills of ${run.owner}`,
      run.owner,
    );
    res.json(await backfills.detail(run.id));
  });

  for (const control of ['pause', 'resume', 'cancel'] as const) {
    router.post(`/:id/${control}`, async (req, res) => {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      const body = parseBody(controlBody, req.body ?? {});
      const run = await backfills.run(runId(req.params.id));
      await requirePermission(
        permissions,
        credentials,
        conductorBackfillControlPermission,
        `only the owners of ${run.owner} and admins may ${control} this backfill`,
        run.owner,
      );
      res.json(
        await backfills.control(run.id, control, actorOf(credentials), body),
      );
    });
  }

  router.post('/:id/retune', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const body = parseBody(retuneBody, req.body);
    const run = await backfills.run(runId(req.params.id));
    await requirePermission(
      permissions,
      credentials,
      conductorBackfillControlPermission,
      `only the owners of ${run.owner} and admins may retune this backfill`,
      run.owner,
    );
    res.json(await backfills.retune(run.id, body));
  });

  return router;
}
