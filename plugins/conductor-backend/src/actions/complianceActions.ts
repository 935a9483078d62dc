import { PermissionsService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { conductorEvidenceReadPermission } from '@internal/plugin-conductor-common';
import { z } from 'zod';
import type { ComplianceService } from '../compliance/ComplianceService';
import { ENTITY_INPUT, parseBody } from '../shared/http';
import { requirePermission } from '../shared/permissions';
import { registerConductorAction } from './registry';

/**
 * "Which controls fail for this entity and how to fix them": the latest
 * run's failing results with each control's remediation, checked like
 * `GET /compliance/:entity`.
 */
export function registerComplianceActions(deps: {
  registry: ActionsRegistryService;
  permissions: PermissionsService;
  compliance: Pick<ComplianceService, 'forEntity'>;
}) {
  registerConductorAction(deps.registry, {
    name: 'failing-controls',
    title: 'Failing controls and how to fix them',
    description:
      "The compliance controls an entity fails in the latest run, most severe first, each with why it fails and the control's remediation.",
    readOnly: true,
    input: z.object({
      entityRef: z
        .string()
        .describe('The entity, e.g. component:default/orders-api'),
    }),
    output: z.object({
      entityRef: z.string(),
      runId: z.number().nullable(),
      score: z.number().nullable(),
      failing: z.array(
        z.object({
          controlId: z.string(),
          severity: z.string(),
          why: z.string(),
          howToFix: z.string().nullable(),
        }),
      ),
    }),
    run: async (input, credentials) => {
      // checked as the routes check it (a bad ref is an InputError naming the field)
      const { entityRef } = parseBody(ENTITY_INPUT, input);
      await requirePermission(
        deps.permissions,
        credentials,
        conductorEvidenceReadPermission,
        `You may not read the compliance of ${entityRef} (conductor.evidence.read)`,
        entityRef,
      );
      const r = await deps.compliance.forEntity(entityRef);
      const rank: Record<string, number> = {
        critical: 0,
        high: 1,
        medium: 2,
        low: 3,
      };
      return {
        entityRef: r.entityRef,
        runId: r.runId,
        score: r.score,
        failing: r.results
          .filter(c => c.status === 'fail')
          .sort((a, b) => (rank[a.severity] ?? 9) - (rank[b.severity] ?? 9))
          .map(c => ({
            controlId: c.controlId,
            severity: c.severity,
            why: c.message,
            howToFix: c.remediation ?? null,
          })),
      };
    },
  });
}
