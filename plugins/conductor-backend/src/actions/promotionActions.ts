import { PermissionsService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { conductorEvidenceReadPermission } from '@internal/plugin-conductor-common';
import { z } from 'zod';
import type { ReadinessService } from '../readiness';
import { ENTITY_REF, ENVIRONMENT, parseBody } from '../shared/http';
import { requirePermission } from '../shared/permissions';
import { registerConductorAction } from './registry';

const request = z
  .object({
    entityRef: ENTITY_REF,
    environment: ENVIRONMENT,
    version: z.string().min(1).max(255).optional(),
  })
  .strict();

/**
 * "May this release be promoted": the promotion gate's judgement
 * (`POST /promotions/check`) as a dry run. It records no decision, stores no
 * score and alerts no one, so an agent asking does not count as a release
 * attempt. The gate route is for CI's service token; this answer shows what
 * the Readiness tab shows, so it needs `conductor.evidence.read` on the entity.
 */
export function registerPromotionActions(deps: {
  registry: ActionsRegistryService;
  permissions: PermissionsService;
  readiness: Pick<ReadinessService, 'dryRun'>;
}) {
  registerConductorAction(deps.registry, {
    name: 'may-release-be-promoted',
    title: 'May this release be promoted',
    description:
      "The promotion gate's answer for a service and environment, as a dry run that records nothing: allowed or not, the readiness score against the environment's threshold, and the reasons (what is missing, the best next step, an active break-glass override). Unknown services or environments are a no with the reason.",
    readOnly: true,
    input: z.object({
      entityRef: z
        .string()
        .max(512)
        .describe('The service, e.g. component:default/orders-api'),
      environment: z
        .string()
        .max(64)
        .describe('The environment to promote to, e.g. production'),
      version: z
        .string()
        .max(255)
        .optional()
        .describe('The release version, echoed back (optional)'),
    }),
    output: z.object({
      dryRun: z.literal(true),
      allowed: z.boolean(),
      judged: z
        .boolean()
        .describe(
          'False when the gate could not judge (unknown service or environment): not a real block',
        ),
      entityRef: z.string(),
      environment: z.string(),
      version: z.string().nullable(),
      score: z.number().nullable(),
      threshold: z.number(),
      reasons: z.array(z.string()),
      overrideId: z
        .number()
        .nullable()
        .describe('The break-glass override that lets it through, if any'),
    }),
    run: async (input, credentials) => {
      const { entityRef, environment, version } = parseBody(request, input);
      await requirePermission(
        deps.permissions,
        credentials,
        conductorEvidenceReadPermission,
        `You may not read the readiness of ${entityRef} (conductor.evidence.read)`,
        entityRef,
      );
      const d = await deps.readiness.dryRun({
        entityRef,
        environment,
        version,
      });
      return {
        dryRun: true as const,
        allowed: d.allowed,
        judged: d.judged ?? true,
        entityRef: d.entityRef,
        environment: d.environment,
        version: d.version ?? null,
        score: d.score,
        threshold: d.threshold,
        reasons: d.reasons,
        overrideId: d.override?.id ?? null,
      };
    },
  });
}
