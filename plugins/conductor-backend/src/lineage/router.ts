import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  conductorLineageExportPermission,
  conductorLineageIngestPermission,
  conductorLineageOperationsCreatePermission,
  conductorLineageReadPermission,
} from '@internal/plugin-conductor-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  ENTITY_REF,
  entityRefFromParams,
  parseBody,
  sourceOf,
} from '../shared/http';
import { requirePermission } from '../shared/permissions';
import { LineageService } from './LineageService';

const SDL = z.string().min(1).max(20_000_000);
const NAME = z
  .string()
  .regex(/^[A-Za-z0-9][\w.-]{0,127}$/, 'must be a name such as checkout-web');
const OPERATION = z
  .object({
    file: z.string().min(1).max(512),
    text: z.string().min(1).max(1_000_000),
    client: NAME.optional(),
    tenants: z.array(NAME).max(1000).optional(),
  })
  .strict();

const blastRadiusBody = z
  .object({
    entityRef: ENTITY_REF,
    headSdl: SDL,
    baseSdl: SDL.optional(),
    operations: z.array(OPERATION).max(20_000).optional(),
    mitigations: z.record(z.string().min(1).max(2000)).optional(),
    maxServices: z.number().int().min(0).optional(),
  })
  .strict();

const pushOperationsBody = z
  .object({
    entityRef: ENTITY_REF,
    client: NAME,
    service: ENTITY_REF.optional(),
    tenants: z.array(NAME).max(1000).optional(),
    operations: z.array(OPERATION.omit({ client: true })).max(20_000),
  })
  .strict();

const contractBody = z
  .object({
    contract: z.string().min(3).max(512),
    baseSchema: z.record(z.unknown()),
    headSchema: z.record(z.unknown()),
    maxServices: z.number().int().min(0).optional(),
  })
  .strict();

const graphQuery = z.object({
  depth: z.coerce.number().int().min(1).max(6).default(2),
  maxNodes: z.coerce.number().int().min(1).max(2000).optional(),
  /** Expand from this node instead of the entity (a type, field, contract...). */
  focus: z.string().min(3).max(512).optional(),
});

const radiusQuery = z.object({
  node: z.string().min(3).max(512),
  depth: z.coerce.number().int().min(1).max(20).optional(),
});

/** Routes under `/lineage`. */
export function createLineageRouter(deps: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  lineage: LineageService;
}): express.Router {
  const { httpAuth, permissions, lineage } = deps;
  const router = Router();
  // A 1 MB schema diff is two megabytes of SDL.
  router.use(express.json({ limit: '25mb' }));

  router.get('/graph/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefFromParams(req.params);
    const query = parseBody(graphQuery, req.query);
    await requirePermission(
      permissions,
      credentials,
      conductorLineageReadPermission,
      `Not allowed to read the lineage of ${entityRef}`,
      entityRef,
    );
    res.json(
      await lineage.neighbourhood(
        query.focus ?? entityRef,
        query.depth,
        query.maxNodes,
      ),
    );
  });

  // What a change to one node reaches (the portal highlights it).
  router.get('/radius/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefFromParams(req.params);
    const query = parseBody(radiusQuery, req.query);
    await requirePermission(
      permissions,
      credentials,
      conductorLineageReadPermission,
      `Not allowed to read the lineage of ${entityRef}`,
      entityRef,
    );
    res.json(await lineage.nodeRadius(query.node, query.depth));
  });

  router.post('/blast-radius', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const body = parseBody(blastRadiusBody, req.body);
    await requirePermission(
      permissions,
      credentials,
      conductorLineageReadPermission,
      `Not allowed to read the lineage of ${body.entityRef}`,
      body.entityRef,
    );
    res.json(await lineage.blastRadius(body, credentials));
  });

  router.post('/contract-blast-radius', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const body = parseBody(contractBody, req.body);
    await requirePermission(
      permissions,
      credentials,
      conductorLineageExportPermission,
      'Not allowed to read the lineage graph',
    );
    res.json(await lineage.contractBlastRadius(body));
  });

  router.post('/operations', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    const body = parseBody(pushOperationsBody, req.body);
    await requirePermission(
      permissions,
      credentials,
      conductorLineageOperationsCreatePermission,
      `Not allowed to register operations for ${body.entityRef}`,
      body.entityRef,
    );
    res
      .status(201)
      .json(
        await lineage.pushOperations(body, sourceOf(credentials), credentials),
      );
  });

  router.post('/ingest', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await requirePermission(
      permissions,
      credentials,
      conductorLineageIngestPermission,
      'Not allowed to rebuild the lineage graph',
    );
    res.json(await lineage.ingest());
  });

  router.get('/snapshot', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await requirePermission(
      permissions,
      credentials,
      conductorLineageExportPermission,
      'Not allowed to export the lineage graph',
    );
    res.json(await lineage.snapshot());
  });

  router.post('/snapshot', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await requirePermission(
      permissions,
      credentials,
      conductorLineageIngestPermission,
      'Not allowed to import a lineage snapshot',
    );
    const body = parseBody(
      z.object({ edges: z.array(z.unknown()) }).passthrough(),
      req.body,
    );
    res.json(await lineage.importSnapshot(body.edges));
  });

  router.get('/events', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await requirePermission(
      permissions,
      credentials,
      conductorLineageExportPermission,
      'Not allowed to read lineage change events',
    );
    const { limit } = parseBody(
      z.object({
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      }),
      req.query,
    );
    res.json({ events: await lineage.events(limit) });
  });

  return router;
}
