import {
  FederationAdoptionPoint,
  FederationRepository,
} from '@internal/plugin-conductor-common';
import { Knex } from 'knex';
import { chunks, toIso } from '../shared/database';

interface RepositoryRow {
  entity_ref: string;
  scanned_at: string | Date;
  status: string;
  version: string | null;
  versions_behind: number | null;
  payload_json: string;
}

interface AdoptionRow {
  day: string;
  entity_ref: string;
  version: string;
}

/** Most days of adoption history answered. */
export const MAX_ADOPTION_DAYS = 366;

/** The federation board's tables. */
export class FederationStore {
  constructor(private readonly db: Knex) {}

  /**
   * Replaces the scan of the given repositories and records the version
   * each runs today (a second scan the same day overwrites the first).
   * Repositories not in `repositories` but previously scanned are removed
   * when `complete` (a full scan): a component deleted from the catalog
   * leaves the board.
   */
  async saveScan(
    repositories: FederationRepository[],
    day: string,
    complete: boolean,
  ): Promise<void> {
    await this.db.transaction(async tx => {
      if (complete) {
        const keep = new Set(repositories.map(r => r.entityRef));
        const existing = await tx<RepositoryRow>(
          'conductor_federation_repositories',
        ).select('entity_ref');
        const gone = existing
          .map(r => r.entity_ref)
          .filter(ref => !keep.has(ref));
        for (const part of chunks(gone))
          await tx('conductor_federation_repositories')
            .whereIn('entity_ref', part)
            .delete();
      }
      for (const part of chunks(repositories, 100)) {
        await tx('conductor_federation_repositories')
          .insert(
            part.map(r => ({
              entity_ref: r.entityRef,
              scanned_at: new Date(r.scannedAt),
              status: r.status,
              version: r.version ?? null,
              versions_behind: r.drift?.versionsBehind ?? null,
              payload_json: JSON.stringify(r),
            })),
          )
          .onConflict('entity_ref')
          .merge();
        await tx('conductor_federation_adoption')
          .insert(
            part.map(r => ({
              day,
              entity_ref: r.entityRef,
              version: r.version ?? r.status,
            })),
          )
          .onConflict(['day', 'entity_ref'])
          .merge();
      }
    });
  }

  async repositories(): Promise<FederationRepository[]> {
    const rows = await this.db<RepositoryRow>(
      'conductor_federation_repositories',
    ).orderBy('entity_ref');
    return rows.map(r => ({
      ...(JSON.parse(r.payload_json) as FederationRepository),
      scannedAt: toIso(r.scanned_at),
    }));
  }

  async repository(
    entityRef: string,
  ): Promise<FederationRepository | undefined> {
    const row = await this.db<RepositoryRow>(
      'conductor_federation_repositories',
    )
      .where('entity_ref', entityRef)
      .first();
    return row
      ? { ...JSON.parse(row.payload_json), scannedAt: toIso(row.scanned_at) }
      : undefined;
  }

  /** Repositories per version per day, oldest first, for the given repositories only. */
  async adoption(
    sinceDay: string,
    entityRefs: Set<string>,
  ): Promise<FederationAdoptionPoint[]> {
    const rows = await this.db<AdoptionRow>('conductor_federation_adoption')
      .where('day', '>=', sinceDay)
      .orderBy('day');
    const byDay = new Map<string, FederationAdoptionPoint>();
    for (const r of rows) {
      if (!entityRefs.has(r.entity_ref)) continue;
      const point = byDay.get(r.day) ?? { day: r.day, byVersion: {}, total: 0 };
      point.byVersion[r.version] = (point.byVersion[r.version] ?? 0) + 1;
      point.total++;
      byDay.set(r.day, point);
    }
    return [...byDay.values()];
  }
}
