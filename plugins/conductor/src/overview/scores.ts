// Compliance and readiness of many components at once, for the team and
// system tabs: the catalog says which components belong, the conductor
// backend scores each. One component's failure is its row's "n/a", never
// the whole table's error.
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogApi } from '@backstage/plugin-catalog-react';
import {
  EntityComplianceResponse,
  EntityReadinessResponse,
} from '@internal/plugin-conductor-common';
import { ComplianceApi } from '../compliance/api';
import { ReadinessApi } from '../readiness/api';

/** The most components one tab scores; a bigger team or system says so. */
export const MAX_COMPONENTS = 100;

/** One component's row: its scores, each undefined when it could not be read. */
export interface ComponentScores {
  entityRef: string;
  compliance?: EntityComplianceResponse;
  readiness?: EntityReadinessResponse;
}

/** Which catalog relation ties a component to the group or system shown. */
export function componentFilter(entity: Entity): Record<string, string> {
  const ref = stringifyEntityRef(entity);
  return entity.kind.toLocaleLowerCase('en-US') === 'system'
    ? { kind: 'component', 'relations.partOf': ref }
    : { kind: 'component', 'relations.ownedBy': ref };
}

/** Reads the components of a group or system and scores each. */
export async function loadComponentScores(
  entity: Entity,
  apis: {
    catalogApi: CatalogApi;
    complianceApi: ComplianceApi;
    readinessApi: ReadinessApi;
  },
): Promise<{ rows: ComponentScores[]; truncated: boolean }> {
  const { items } = await apis.catalogApi.getEntities({
    filter: componentFilter(entity),
    fields: ['kind', 'metadata.name', 'metadata.namespace'],
    limit: MAX_COMPONENTS + 1,
  });
  const refs = items.map(e => stringifyEntityRef(e)).sort();
  const shown = refs.slice(0, MAX_COMPONENTS);
  const rows = await Promise.all(
    shown.map(async entityRef => {
      const [compliance, readiness] = await Promise.allSettled([
        apis.complianceApi.getCompliance(entityRef),
        apis.readinessApi.getReadiness(entityRef),
      ]);
      return {
        entityRef,
        compliance:
          compliance.status === 'fulfilled' && compliance.value.runId !== null
            ? compliance.value
            : undefined,
        readiness:
          readiness.status === 'fulfilled' ? readiness.value : undefined,
      };
    }),
  );
  return { rows, truncated: refs.length > MAX_COMPONENTS };
}
