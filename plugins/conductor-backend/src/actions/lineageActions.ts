import { PermissionsService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { conductorLineageReadPermission } from '@internal/plugin-conductor-common';
import { z } from 'zod';
import type { LineageService } from '../lineage';
import { ENTITY_INPUT, parseBody } from '../shared/http';
import { requirePermission } from '../shared/permissions';
import { registerConductorAction } from './registry';

/**
 * "What is the blast radius of this schema change": the new GraphQL schema
 * of an API against the one in the catalog and the operations registered for
 * it, checked like `POST /lineage/blast-radius`.
 */
export function registerLineageActions(deps: {
  registry: ActionsRegistryService;
  permissions: PermissionsService;
  lineage: Pick<LineageService, 'blastRadius'>;
}) {
  registerConductorAction(deps.registry, {
    name: 'schema-change-blast-radius',
    title: 'Blast radius of a schema change',
    description:
      'Grades the changes of a new GraphQL schema for an API (breaking, dangerous, safe) and lists the client operations, services and tenants they break, and whether the blast-radius gate fails.',
    readOnly: true,
    input: z.object({
      entityRef: z
        .string()
        .describe('The API, e.g. api:default/orders-graphql'),
      headSdl: z
        .string()
        .min(1)
        .max(1_000_000)
        .describe('The new schema (GraphQL SDL)'),
    }),
    output: z.object({
      entityRef: z.string(),
      breaking: z.number(),
      services: z.array(z.string()),
      tenants: z.array(z.string()),
      impactedOperations: z.array(
        z.object({ file: z.string(), operationName: z.string() }),
      ),
      gateFailed: z.boolean(),
      reasons: z.array(z.string()),
      partial: z.boolean(),
    }),
    run: async (input, credentials) => {
      // checked as the routes check it (a bad ref is an InputError naming the field)
      const { entityRef } = parseBody(ENTITY_INPUT, input);
      await requirePermission(
        deps.permissions,
        credentials,
        conductorLineageReadPermission,
        `Not allowed to read the lineage of ${entityRef}`,
        entityRef,
      );
      const r = await deps.lineage.blastRadius(
        { entityRef, headSdl: input.headSdl },
        credentials,
      );
      return {
        entityRef,
        breaking: r.summary.breaking,
        services: r.services,
        tenants: r.tenants,
        impactedOperations: r.impactedOperations.map(o => ({
          file: o.file,
          operationName: o.operationName,
        })),
        gateFailed: r.gate.failed,
        reasons: r.gate.reasons,
        partial: r.partial,
      };
    },
  });
}
