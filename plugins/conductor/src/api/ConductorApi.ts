import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  FactHistoryResponse,
  LatestEvidenceResponse,
} from '@internal/plugin-conductor-common';
import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';

/**
 * What the portal asks the conductor backend.
 *
 * @public
 */
export interface ConductorApi {
  getLatestEvidence(entityRef: string): Promise<LatestEvidenceResponse>;
  getFactHistory(
    entityRef: string,
    fact: string,
    options?: { limit?: number },
  ): Promise<FactHistoryResponse>;
}

/** @public */
export const conductorApiRef = createApiRef<ConductorApi>({
  id: 'plugin.conductor.api',
});

function entityPath(ref: string | CompoundEntityRef): string {
  const { kind, namespace, name } = typeof ref === 'string' ? parseEntityRef(ref) : ref;
  return [kind, namespace, name].map(encodeURIComponent).join('/');
}

/**
 * The conductor backend over HTTP, with the signed-in user's identity.
 *
 * @public
 */
export class ConductorClient implements ConductorApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  private async get<T>(path: string): Promise<T> {
    const base = await this.deps.discoveryApi.getBaseUrl('conductor');
    const response = await this.deps.fetchApi.fetch(`${base}${path}`);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }

  getLatestEvidence(entityRef: string) {
    return this.get<LatestEvidenceResponse>(`/evidence/${entityPath(entityRef)}`);
  }

  getFactHistory(entityRef: string, fact: string, options: { limit?: number } = {}) {
    const query = options.limit ? `?limit=${options.limit}` : '';
    return this.get<FactHistoryResponse>(
      `/evidence/${entityPath(entityRef)}/history/${encodeURIComponent(fact)}${query}`,
    );
  }
}
