import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  conductorComplianceRunPermission,
  conductorControlsReloadPermission,
  conductorEvidenceReadPermission,
  conductorExemptionApprovePermission,
  conductorExemptionRequestPermission,
  conductorExemptionRevokePermission,
} from '@internal/plugin-conductor-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  ENTITY_REF,
  ID_PARAM,
  REASON,
  entityRefFromParams,
  parseBody,
} from '../shared/http';
import { addListAndRevokeRoutes } from '../shared/approvals';
import { allowedEntities, requirePermission } from '../shared/permissions';
import { ComplianceService } from './ComplianceService';

const evaluateBody = z
  .object({
    entityRef: ENTITY_REF,
    proposedFacts: z.array(z.unknown()).optional(),
  })
  .strict();

const exemptionBody = z
  .object({
    entityRef: ENTITY_REF,
    controlId: z.string().min(1).max(255),
    reason: REASON,
    expiresAt: z.string().datetime({
      offset: true,
      message: 'must be an ISO-8601 timestamp',
    }),
  })
  .strict();

const changesQuery = z.object({
  runId: z.coerce.number().int().positive().optional(),
});

/** Routes under `/compliance`. */
export function createComplianceRouter(deps: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  compliance: ComplianceService;
}): express.Router {
  const { httpAuth, permissions, compliance } = deps;
  const router = Router();

  router.get('/controls', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(compliance.listControls());
  });

  // Re-reads the catalog files; on any error the loaded controls stay active.
  router.post('/controls/reload', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await requirePermission(
      permissions,
      credentials,
      conductorControlsReloadPermission,
      'Only an admin may reload the controls catalog',
    );
    res.json({ controls: await compliance.loadControls() });
  });

  router.post('/runs', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await requirePermission(
      permissions,
      credentials,
      conductorComplianceRunPermission,
      'Only an admin or CI may start a compliance run',
    );
    res.json(await compliance.run('manual'));
  });

  // A dry run for a pull request: stores nothing.
  router.post('/evaluate', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const body = parseBody(evaluateBody, req.body);
    await requirePermission(
      permissions,
      credentials,
      conductorEvidenceReadPermission,
      `Not allowed to read evidence of ${body.entityRef}`,
      body.entityRef,
    );
    res.json(await compliance.evaluate(body));
  });

  // What changed in a run (default: the latest) against the run before.
  router.get('/changes', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const query = changesQuery.safeParse(req.query);
    if (!query.success)
      throw new InputError(`runId: ${query.error.issues[0].message}`);
    res.json(
      await compliance.changes(query.data.runId, refs =>
        allowedEntities(
          permissions,
          credentials,
          conductorEvidenceReadPermission,
          refs,
        ),
      ),
    );
  });

  router.get('/teams', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(await compliance.teams());
  });

  addListAndRevokeRoutes(router, {
    httpAuth,
    permissions,
    path: '/exemptions',
    key: 'exemptions',
    what: 'exemptions',
    revokePermission: conductorExemptionRevokePermission,
    list: ref => compliance.exemptionsFor(ref),
    get: id => compliance.getExemption(id),
    revoke: (id, actor, admin) => compliance.revokeExemption(id, actor, admin),
  });

  // Asking: the owning team. Active only once someone else approves.
  router.post('/exemptions', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const body = parseBody(exemptionBody, req.body);
    await requirePermission(
      permissions,
      credentials,
      conductorExemptionRequestPermission,
      `Not allowed to ask for exemptions of ${body.entityRef}`,
      body.entityRef,
    );
    res
      .status(201)
      .json(
        await compliance.requestExemption(
          body,
          credentials.principal.userEntityRef,
        ),
      );
  });

  router.post('/exemptions/:id/approve', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const id = parseBody(ID_PARAM, req.params.id);
    const exemption = await compliance.getExemption(id);
    await requirePermission(
      permissions,
      credentials,
      conductorExemptionApprovePermission,
      `Not allowed to approve exemptions of ${exemption.entityRef}`,
      exemption.entityRef,
    );
    res.json(
      await compliance.approveExemption(
        id,
        credentials.principal.userEntityRef,
      ),
    );
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
    res.json(await compliance.forEntity(entityRef));
  });

  return router;
}
