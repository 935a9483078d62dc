import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  BlastRadiusRequest,
  BlastRadiusResponse,
  LineageGraphResponse,
  LineageNodeRadiusResponse,
} from '@internal/plugin-conductor-common';
import { ConductorHttp, entityPath } from '../shared/http';

/**
 * What the portal asks the conductor backend about lineage.
 *
 * @public
 */
export interface LineageApi {
  /** The neighbourhood of the entity, or of `focus` (a type, field, contract...). */
  getGraph(
    entityRef: string,
    options: { depth: number; focus?: string; maxNodes?: number },
  ): Promise<LineageGraphResponse>;
  /** What a change to `node` reaches. */
  getRadius(
    entityRef: string,
    node: string,
  ): Promise<LineageNodeRadiusResponse>;
  /** The "what if": the blast radius of new SDL for an API. */
  blastRadius(request: BlastRadiusRequest): Promise<BlastRadiusResponse>;
}

/** @public */
export const lineageApiRef = createApiRef<LineageApi>({
  id: 'plugin.conductor.lineage',
});

/** @public */
export class LineageClient implements LineageApi {
  constructor(private readonly http: ConductorHttp) {}

  getGraph(
    entityRef: string,
    options: { depth: number; focus?: string; maxNodes?: number },
  ) {
    const query = new URLSearchParams({ depth: String(options.depth) });
    if (options.focus) query.set('focus', options.focus);
    if (options.maxNodes) query.set('maxNodes', String(options.maxNodes));
    return this.http.get<LineageGraphResponse>(
      `/lineage/graph/${entityPath(entityRef)}?${query}`,
    );
  }

  getRadius(entityRef: string, node: string) {
    return this.http.get<LineageNodeRadiusResponse>(
      `/lineage/radius/${entityPath(entityRef)}?${new URLSearchParams({
        node,
      })}`,
    );
  }

  blastRadius(request: BlastRadiusRequest) {
    return this.http.post<BlastRadiusResponse>(
      '/lineage/blast-radius',
      request,
    );
  }
}
