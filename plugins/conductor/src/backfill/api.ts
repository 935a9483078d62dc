import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  BackfillControl,
  BackfillListResponse,
  BackfillRunDetail,
  RetuneBackfillRequest,
} from '@internal/plugin-conductor-common';
import { ConductorHttp } from '../shared/http';

/**
 * What the portal asks the conductor backend about backfills.
 *
 * @public
 */
export interface BackfillApi {
  list(): Promise<BackfillListResponse & { problems?: string[] }>;
  get(runId: number): Promise<BackfillRunDetail>;
  start(definitionId: string): Promise<BackfillRunDetail>;
  control(
    runId: number,
    control: BackfillControl,
    version?: number,
  ): Promise<BackfillRunDetail>;
  retune(
    runId: number,
    tuning: RetuneBackfillRequest,
  ): Promise<BackfillRunDetail>;
}

/** @public */
export const backfillApiRef = createApiRef<BackfillApi>({
  id: 'plugin.conductor.backfill',
});

/** @public */
export class BackfillClient implements BackfillApi {
  constructor(private readonly http: ConductorHttp) {}

  list() {
    return this.http.get<BackfillListResponse & { problems?: string[] }>(
      '/backfills',
    );
  }

  get(runId: number) {
    return this.http.get<BackfillRunDetail>(`/backfills/${runId}`);
  }

  start(definitionId: string) {
    return this.http.post<BackfillRunDetail>('/backfills', { definitionId });
  }

  control(runId: number, control: BackfillControl, version?: number) {
    return this.http.post<BackfillRunDetail>(
      `/backfills/${runId}/${control}`,
      version ? { version } : {},
    );
  }

  retune(runId: number, tuning: RetuneBackfillRequest) {
    return this.http.post<BackfillRunDetail>(
      `/backfills/${runId}/retune`,
      tuning,
    );
  }
}
