import {
  EvidenceFact,
  FactValue,
  FactValueType,
} from '@internal/plugin-conductor-common';
import { Knex } from 'knex';
import { chunks, toIso } from '../shared/database';

/** A fact ready to be written, already validated and typed. */
export interface EvidenceRecord {
  entityRef: string;
  name: string;
  type: FactValueType;
  value: FactValue;
  source: string;
  observedAt: string;
}

interface EvidenceRow {
  entity_ref: string;
  name: string;
  value_type: string;
  value_json: string;
  source: string;
  observed_at: unknown;
  recorded_at: unknown;
}

function fromRow(row: EvidenceRow): EvidenceFact {
  return {
    entityRef: row.entity_ref,
    name: row.name,
    type: row.value_type as FactValueType,
    value: JSON.parse(row.value_json),
    source: row.source,
    observedAt: toIso(row.observed_at),
    recordedAt: toIso(row.recorded_at),
  };
}

/**
 * Keeps every observation of every fact, and the latest value of each fact
 * per entity in a table of its own so reading it is one indexed lookup.
 */
export class EvidenceStore {
  constructor(private readonly db: Knex) {}

  /**
   * Records observations in one transaction: all are stored or none.
   *
   * With `onlyChanges`, an observation whose value equals the latest one only
   * refreshes the latest row's time (the fact was seen again) and adds no
   * history row; collectors use it so that re-reading an unchanged catalog
   * every half hour does not grow history without telling anything new.
   */
  async record(
    records: EvidenceRecord[],
    options: { recordedAt?: Date; onlyChanges?: boolean } = {},
  ): Promise<Array<EvidenceFact & { latest: boolean }>> {
    if (records.length === 0) return [];
    const recordedAt = options.recordedAt ?? new Date();
    const rows = records.map(r => ({
      entity_ref: r.entityRef,
      name: r.name,
      value_type: r.type,
      value_json: JSON.stringify(r.value),
      source: r.source,
      observed_at: new Date(r.observedAt),
      recorded_at: recordedAt,
    }));
    const key = (r: { entity_ref: string; name: string }) =>
      `${r.entity_ref}\u0000${r.name}`;
    let previous = new Map<string, EvidenceRow>();
    await this.db.transaction(async tx => {
      const current = await this.latestRows(
        tx,
        rows.map(r => r.entity_ref),
      );
      previous = new Map(current.map(r => [key(r), r]));
      const historyRows = options.onlyChanges
        ? rows.filter(r => {
            const prev = previous.get(key(r));
            return (
              !prev ||
              prev.value_json !== r.value_json ||
              prev.value_type !== r.value_type
            );
          })
        : rows;
      for (const batch of chunks(historyRows)) {
        await tx('conductor_evidence').insert(batch);
      }
      for (const batch of chunks(rows)) {
        // Only a newer observation replaces the latest one: a late CI push of
        // an old run must not hide what was seen since. (Observation times
        // are never later than their push, so a later push always wins.)
        await tx('conductor_evidence_latest')
          .insert(batch)
          .onConflict(['entity_ref', 'name'])
          .merge()
          .where(
            'conductor_evidence_latest.observed_at',
            '<=',
            tx.ref('excluded.observed_at'),
          );
      }
    });
    return rows.map(row => {
      const prev = previous.get(key(row));
      return {
        ...fromRow(row),
        latest:
          !prev ||
          Date.parse(toIso(prev.observed_at)) <= row.observed_at.getTime(),
      };
    });
  }

  private async latestRows(
    db: Knex,
    entityRefs: string[],
  ): Promise<EvidenceRow[]> {
    const unique = [...new Set(entityRefs)];
    const out: EvidenceRow[] = [];
    for (const batch of chunks(unique, 500)) {
      out.push(
        ...(await db<EvidenceRow>('conductor_evidence_latest').whereIn(
          'entity_ref',
          batch,
        )),
      );
    }
    return out;
  }

  /** The latest value of every fact about one entity, by name. */
  async latest(entityRef: string): Promise<EvidenceFact[]> {
    const rows = await this.db<EvidenceRow>('conductor_evidence_latest')
      .where('entity_ref', entityRef)
      .orderBy('name');
    return rows.map(fromRow);
  }

  /** The latest facts of many entities at once, keyed by entity ref. */
  async latestForEntities(
    entityRefs: string[],
  ): Promise<Map<string, EvidenceFact[]>> {
    const result = new Map<string, EvidenceFact[]>();
    for (const row of await this.latestRows(this.db, entityRefs)) {
      const list = result.get(row.entity_ref) ?? [];
      list.push(fromRow(row));
      result.set(row.entity_ref, list);
    }
    return result;
  }

  /** Observations of one fact, newest first. */
  async history(
    entityRef: string,
    name: string,
    options: { limit?: number } = {},
  ): Promise<EvidenceFact[]> {
    const rows = await this.db<EvidenceRow>('conductor_evidence')
      .where({ entity_ref: entityRef, name })
      .orderBy([
        { column: 'observed_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit ?? 100);
    return rows.map(fromRow);
  }

  /** How many observations are stored (all facts, all entities). */
  async countObservations(): Promise<number> {
    const [{ count }] = await this.db('conductor_evidence').count({
      count: '*',
    });
    return Number(count);
  }
}
