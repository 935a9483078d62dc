import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  BundleListResponse,
  BundleScope,
  conductorBundleCreatePermission,
  conductorEvidenceReadPermission,
} from '@internal/plugin-conductor-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { ENTITY_REF, ID_PARAM, parseBody } from '../shared/http';
import { allowedEntities, requirePermission } from '../shared/permissions';
import { BundleService, toSummary } from './BundleService';
import { StoredBundle } from './BundleStore';
import { teamRef } from './contents';

const CREATE_BODY = z
  .object({
    entityRef: ENTITY_REF.optional(),
    team: z.string().min(1).max(512).optional(),
    all: z.literal(true).optional(),
    since: z
      .string()
      .datetime({
        offset: true,
        message: 'must be an ISO-8601 time such as 2026-11-01T00:00:00Z',
      })
      .optional(),
  })
  .strict()
  .refine(
    b => [b.entityRef, b.team, b.all].filter(v => v !== undefined).length === 1,
    { message: 'give exactly one of entityRef, team or all' },
  );

function principalOf(credentials: BackstageCredentials): string {
  const p = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return p.userEntityRef ?? p.subject ?? p.type;
}

/** `/bundles`: create (admins), list and download (evidence readers of every entity in it). */
export function createBundleRouter(deps: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  bundles: BundleService;
}): express.Router {
  const { httpAuth, permissions, bundles } = deps;
  const router = Router();

  /** Whether the caller may read the evidence of every entity the bundle holds. */
  const mayRead = async (
    credentials: BackstageCredentials,
    bundle: StoredBundle,
  ) => {
    const allowed = await allowedEntities(
      permissions,
      credentials,
      conductorEvidenceReadPermission,
      bundle.entityRefs,
    );
    return allowed.size === bundle.entityRefs.length;
  };

  router.post('/', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const body = parseBody(CREATE_BODY, req.body ?? {});
    await requirePermission(
      permissions,
      credentials,
      conductorBundleCreatePermission,
      'Creating evidence bundles is for admins (conductor.bundle.create)',
    );
    let scope: BundleScope;
    if (body.entityRef) scope = { kind: 'entity', entityRef: body.entityRef };
    else if (body.team) {
      const team = teamRef(body.team);
      if (typeof team !== 'string') throw new InputError(`team: ${team.error}`);
      scope = { kind: 'team', team };
    } else scope = { kind: 'all' };
    const entityRefs = await bundles.entitiesOf(scope);
    if (scope.kind === 'team' && entityRefs.length === 0)
      throw new InputError(
        `team: ${scope.team} owns no entities in the catalog`,
      );
    const summary = await bundles.create(
      scope,
      entityRefs,
      body.since ? new Date(body.since) : null,
      principalOf(credentials),
    );
    res.status(201).json(summary);
  });

  router.get('/', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const all = await bundles.list();
    const visible = [];
    for (const b of all)
      if (await mayRead(credentials, b)) visible.push(toSummary(b));
    const [create] = await permissions.authorize(
      [{ permission: conductorBundleCreatePermission }],
      { credentials },
    );
    const response: BundleListResponse = {
      bundles: visible,
      canCreate: create.result === AuthorizeResult.ALLOW,
    };
    res.json(response);
  });

  router.get('/:id/download', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const id = parseBody(ID_PARAM, req.params.id);
    const bundle = await bundles.get(id);
    // Not found and not allowed read the same, so ids do not leak what exists.
    if (!bundle || !(await mayRead(credentials, bundle)))
      throw new NotFoundError(`No bundle ${id}`);
    const archive = (await bundles.archive(id))!;
    res
      .status(200)
      .type('application/x-ndjson')
      .setHeader(
        'content-disposition',
        `attachment; filename="conductor-bundle-${id}.jsonl"`,
      );
    res.send(archive);
  });

  return router;
}
