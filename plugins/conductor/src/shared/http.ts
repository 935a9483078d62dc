import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';

/** `kind/namespace/name` of an entity ref, each part URL-encoded, for routes such as `/evidence/:kind/:ns/:name`. */
export function entityPath(ref: string | CompoundEntityRef): string {
  const { kind, namespace, name } =
    typeof ref === 'string' ? parseEntityRef(ref) : ref;
  return [kind, namespace, name].map(encodeURIComponent).join('/');
}

/** What every capability's client needs to reach the conductor backend. */
export interface ConductorHttpDeps {
  discoveryApi: DiscoveryApi;
  fetchApi: FetchApi;
}

/**
 * The conductor backend over HTTP, with the signed-in user's identity. Each
 * capability's client builds on it; a non-2xx answer throws a
 * `ResponseError` carrying the backend's message.
 */
export class ConductorHttp {
  constructor(private readonly deps: ConductorHttpDeps) {}

  private async request<T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<T> {
    const base = await this.deps.discoveryApi.getBaseUrl('conductor');
    const response = await this.deps.fetchApi.fetch(`${base}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : {
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          }),
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body ?? {});
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }
}
