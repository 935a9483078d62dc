import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  FederationBoardResponse,
  FederationPinRequest,
  FederationPinResponse,
} from '@internal/plugin-conductor-common';
import { ConductorHttp } from '../shared/http';

/**
 * What the portal asks the federation capability: the board, and a pull
 * request pinning a repository to another CI library version.
 *
 * @public
 */
export interface FederationApi {
  getBoard(days?: number): Promise<FederationBoardResponse>;
  pin(request: FederationPinRequest): Promise<FederationPinResponse>;
}

/** @public */
export const federationApiRef = createApiRef<FederationApi>({
  id: 'plugin.conductor.federation',
});

/** @public */
export class FederationClient implements FederationApi {
  constructor(private readonly http: ConductorHttp) {}

  getBoard(days = 90) {
    return this.http.get<FederationBoardResponse>(
      `/federation?days=${encodeURIComponent(days)}`,
    );
  }

  pin(request: FederationPinRequest) {
    return this.http.post<FederationPinResponse>('/federation/pin', request);
  }
}
