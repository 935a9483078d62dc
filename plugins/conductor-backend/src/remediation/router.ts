import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  conductorRemediationMergePermission,
  conductorRemediationReadPermission,
  conductorRemediationRunPermission,
} from '@internal/plugin-conductor-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { ENTITY_REF, parseBody } from '../shared/http';
import { allowedEntities, requirePermission } from '../shared/permissions';
import { RemediationService } from './RemediationService';

const runBody = z
  .object({
    entityRefs: z.array(ENTITY_REF).min(1).max(500).optional(),
    controls: z.array(z.string().min(1).max(128)).max(100).optional(),
    dryRun: z.boolean().optional(),
  })
  .strict();

const idParam = z.object({ id: z.coerce.number().int().positive() });

function actorOf(credentials: BackstageCredentials): string {
  const p = credentials.principal as {
    userEntityRef?: string;
    subject?: string;
  };
  return p.userEntityRef ?? p.subject ?? 'unknown';
}

/** Routes under `/remediation`. */
export function createRemediationRouter(deps: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  remediation: RemediationService;
  /** Every component ref, for a run without `entityRefs`. */
  components: () => Promise<string[]>;
}): express.Router {
  const { httpAuth, permissions, remediation } = deps;
  const router = Router();

  // Runs the bot now on the entities the caller may run it on.
  router.post('/runs', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const body = parseBody(runBody, req.body ?? {});
    const asked = body.entityRefs ?? (await deps.components());
    const allowed = await allowedEntities(
      permissions,
      credentials,
      conductorRemediationRunPermission,
      asked,
    );
    if (body.entityRefs && allowed.size < asked.length) {
      await requirePermission(
        permissions,
        credentials,
        conductorRemediationRunPermission,
        `not allowed to run the remediation bot on ${asked.find(
          r => !allowed.has(r),
        )}`,
        asked.find(r => !allowed.has(r)),
      );
    }
    res.json({
      results: await remediation.run({ ...body, entityRefs: [...allowed] }),
    });
  });

  router.get('/log', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await requirePermission(
      permissions,
      credentials,
      conductorRemediationReadPermission,
      'not allowed to read the auto-PR log',
    );
    res.json(await remediation.log());
  });

  router.get('/stats', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await requirePermission(
      permissions,
      credentials,
      conductorRemediationReadPermission,
      'not allowed to read the auto-PR figures',
    );
    res.json(await remediation.stats());
  });

  for (const action of ['merge', 'close'] as const) {
    router.post(`/change-requests/:id/${action}`, async (req, res) => {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      const { id } = parseBody(idParam, req.params);
      const cr = (await remediation.log()).changeRequests.find(
        c => c.id === id,
      );
      await requirePermission(
        permissions,
        credentials,
        conductorRemediationMergePermission,
        `not allowed to ${action} the change request of ${cr?.entityRef ?? id}`,
        cr?.entityRef ?? 'component:default/unknown',
      );
      res.json(await remediation[action](id, actorOf(credentials)));
    });
  }

  return router;
}
