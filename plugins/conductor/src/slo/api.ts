import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  SloBoardResponse,
  SloComponentResponse,
  SloTeamsResponse,
} from '@internal/plugin-conductor-common';
import { parseEntityRef } from '@backstage/catalog-model';
import { ConductorHttp, entityPath } from '../shared/http';

/**
 * What the portal asks the conductor backend about SLOs.
 *
 * @public
 */
export interface SloApi {
  getTeams(): Promise<SloTeamsResponse>;
  /** The board of a team, by group ref (`group:default/payments`). */
  getBoard(teamRef: string): Promise<SloBoardResponse>;
  getComponent(entityRef: string): Promise<SloComponentResponse>;
}

/** @public */
export const sloApiRef = createApiRef<SloApi>({ id: 'plugin.conductor.slo' });

/** @public */
export class SloClient implements SloApi {
  constructor(private readonly http: ConductorHttp) {}

  getTeams() {
    return this.http.get<SloTeamsResponse>('/slo/teams');
  }

  getBoard(teamRef: string) {
    const { namespace, name } = parseEntityRef(teamRef, {
      defaultKind: 'group',
    });
    return this.http.get<SloBoardResponse>(
      `/slo/teams/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`,
    );
  }

  getComponent(entityRef: string) {
    return this.http.get<SloComponentResponse>(`/slo/${entityPath(entityRef)}`);
  }
}
