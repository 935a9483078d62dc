import { PermissionsService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { conductorEvidenceReadPermission } from '@internal/plugin-conductor-common';
import { z } from 'zod';
import type { ReadinessService } from '../readiness';
import { ENTITY_INPUT, parseBody } from '../shared/http';
import { requirePermission } from '../shared/permissions';
import { registerConductorAction } from './registry';

/**
 * "What is this service's readiness and its single best next step": the
 * same answer and the same permission check as `GET /readiness/:entity`.
 */
export function registerReadinessActions(deps: {
  registry: ActionsRegistryService;
  permissions: PermissionsService;
  readiness: Pick<ReadinessService, 'forEntity'>;
}) {
  registerConductorAction(deps.registry, {
    name: 'readiness-next-step',
    title: 'Readiness and the best next step',
    description:
      "A service's production readiness score (0-1) against the production threshold, each component's value, and the single step that would raise the score most.",
    readOnly: true,
    input: z.object({
      entityRef: z
        .string()
        .describe('The service, e.g. component:default/orders-api'),
    }),
    output: z.object({
      entityRef: z.string(),
      score: z.number(),
      threshold: z.number(),
      ready: z.boolean(),
      components: z.array(
        z.object({
          id: z.string(),
          value: z.number(),
          missing: z.boolean(),
          explanation: z.string(),
        }),
      ),
      nextStep: z
        .object({ component: z.string(), action: z.string(), gain: z.number() })
        .nullable(),
    }),
    run: async (input, credentials) => {
      // checked as the routes check it (a bad ref is an InputError naming the field)
      const { entityRef } = parseBody(ENTITY_INPUT, input);
      await requirePermission(
        deps.permissions,
        credentials,
        conductorEvidenceReadPermission,
        `You may not read the readiness of ${entityRef} (conductor.evidence.read)`,
        entityRef,
      );
      const r = await deps.readiness.forEntity(entityRef);
      return {
        entityRef: r.entityRef,
        score: r.score,
        threshold: r.thresholds.production,
        ready: r.score >= r.thresholds.production,
        components: r.components.map(c => ({
          id: c.id,
          value: c.value,
          missing: c.missing,
          explanation: c.explanation,
        })),
        nextStep: r.next
          ? {
              component: r.next.component,
              action: r.next.action,
              gain: r.next.gain,
            }
          : null,
      };
    },
  });
}
