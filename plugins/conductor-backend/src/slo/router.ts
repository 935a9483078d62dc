import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { conductorSloReadPermission } from '@internal/plugin-conductor-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import Router from 'express-promise-router';
import { CatalogSnapshot } from '../shared/capability';
import { entityRefFromParams } from '../shared/http';
import { allowedEntities, requirePermission } from '../shared/permissions';
import { hasSlos } from './SloDefinitions';
import { SloService } from './SloService';

/** Routes under `/slo`. */
export function createSloRouter(deps: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalogSnapshot: CatalogSnapshot;
  catalog: CatalogService;
  slo: Pick<SloService, 'teams' | 'board' | 'component'>;
}): express.Router {
  const { httpAuth, permissions, catalogSnapshot, catalog, slo } = deps;
  const router = Router();

  router.get('/teams', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(
      await slo.teams(refs =>
        allowedEntities(
          permissions,
          credentials,
          conductorSloReadPermission,
          refs,
        ),
      ),
    );
  });

  // A board shows only the services the caller may read.
  router.get('/teams/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const team = entityRefFromParams({ kind: 'group', ...req.params });
    res.json(
      await slo.board(team, refs =>
        allowedEntities(
          permissions,
          credentials,
          conductorSloReadPermission,
          refs,
        ),
      ),
    );
  });

  router.get('/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const ref = entityRefFromParams(req.params);
    await requirePermission(
      permissions,
      credentials,
      conductorSloReadPermission,
      `not allowed to read the SLOs of ${ref}`,
      ref,
    );
    // From the snapshot, else asked of the catalog (registered since the last refresh).
    const entity =
      catalogSnapshot.get(ref) ??
      (await catalog.getEntityByRef(ref, { credentials }));
    if (!entity) throw new NotFoundError(`${ref} is not in the catalog`);
    if (!hasSlos(entity))
      throw new NotFoundError(
        `${ref} declares no SLOs: add the annotation conductor.io/slo-file (OpenSLO or Sloth file) or conductor.io/sla`,
      );
    res.json(await slo.component(entity));
  });

  return router;
}
