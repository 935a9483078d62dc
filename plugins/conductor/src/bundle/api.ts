import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  BundleListResponse,
  BundleSummary,
  CreateBundleRequest,
} from '@internal/plugin-conductor-common';
import { ConductorHttp } from '../shared/http';

/** Evidence bundles: list, create, download. */
export interface BundleApi {
  list(): Promise<BundleListResponse>;
  create(request: CreateBundleRequest): Promise<BundleSummary>;
  /** The archive as the backend stored it (JSON lines). */
  download(bundle: BundleSummary): Promise<Blob>;
}

/** @alpha */
export const bundleApiRef = createApiRef<BundleApi>({
  id: 'plugin.conductor.bundle',
});

export class BundleClient implements BundleApi {
  private readonly http: ConductorHttp;
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {
    this.http = new ConductorHttp(deps);
  }

  list() {
    return this.http.get<BundleListResponse>('/bundles');
  }

  create(request: CreateBundleRequest) {
    return this.http.post<BundleSummary>('/bundles', request);
  }

  // The download goes through fetchApi so it carries the user's token; a
  // plain link would not.
  async download(bundle: BundleSummary) {
    const base = await this.deps.discoveryApi.getBaseUrl('conductor');
    const response = await this.deps.fetchApi.fetch(
      `${base}${bundle.downloadPath}`,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.blob();
  }
}
