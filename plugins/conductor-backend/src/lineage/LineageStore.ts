import {
  LineageChangeEvent,
  LineageEdge,
  LineageEdgeType,
  LineageNode,
  LineageNodeKind,
} from '@internal/plugin-conductor-common';
import { Knex } from 'knex';
import { chunks, toIso } from '../shared/database';

interface EdgeRow {
  source: string;
  from_id: string;
  to_id: string;
  type: string;
}

interface NodeRow {
  id: string;
  kind: string;
  label: string;
  attributes_json: string;
  source: string;
}

interface EventRow {
  id: number | string;
  at: unknown;
  change: string;
  source: string;
  from_id: string;
  to_id: string;
  type: string;
}

interface OperationRow {
  api_ref: string;
  client: string;
  file: string;
  text: string;
  service: string | null;
  tenants_json: string;
  source: string;
  updated_at: unknown;
}

/** An operation document as stored. */
export interface StoredOperation {
  apiRef: string;
  client: string;
  file: string;
  text: string;
  service?: string;
  tenants: string[];
  source: string;
}

const key = (e: LineageEdge) => `${e.from}\u0000${e.to}\u0000${e.type}`;

const toEdge = (r: EdgeRow): LineageEdge => ({
  from: r.from_id,
  to: r.to_id,
  type: r.type as LineageEdgeType,
});

/**
 * The lineage graph in the database. Each edge is asserted by a source
 * (`catalog`, `manifest:component:default/x`, `operations:api:default/y`,
 * `snapshot`); a source's edges are replaced as a whole, and every edge
 * added or removed is recorded as a change event.
 */
export class LineageStore {
  constructor(private readonly db: Knex) {}

  /**
   * Makes `edges` the full set the source asserts, in one transaction;
   * records an event per edge added or removed. Returns the counts.
   */
  async replaceSource(
    source: string,
    edges: LineageEdge[],
    nodes: LineageNode[],
    at = new Date(),
  ): Promise<{ added: number; removed: number }> {
    return this.db.transaction(async tx => {
      const current = (await tx<EdgeRow>('conductor_lineage_edges')
        .where('source', source)
        .select('from_id', 'to_id', 'type')) as EdgeRow[];
      const before = new Map(current.map(r => [key(toEdge(r)), toEdge(r)]));
      const after = new Map(edges.map(e => [key(e), e]));
      const added = [...after]
        .filter(([k]) => !before.has(k))
        .map(([, e]) => e);
      const removed = [...before]
        .filter(([k]) => !after.has(k))
        .map(([, e]) => e);
      for (const batch of chunks(removed, 100)) {
        await tx('conductor_lineage_edges')
          .where('source', source)
          .where(q => {
            for (const e of batch)
              q.orWhere(w =>
                w.where({ from_id: e.from, to_id: e.to, type: e.type }),
              );
          })
          .delete();
      }
      for (const batch of chunks(added))
        await tx('conductor_lineage_edges').insert(
          batch.map(e => ({
            source,
            from_id: e.from,
            to_id: e.to,
            type: e.type,
          })),
        );
      const events = [
        ...added.map(e => ({ change: 'added', e })),
        ...removed.map(e => ({ change: 'removed', e })),
      ];
      for (const batch of chunks(events))
        await tx('conductor_lineage_events').insert(
          batch.map(({ change, e }) => ({
            at,
            change,
            source,
            from_id: e.from,
            to_id: e.to,
            type: e.type,
          })),
        );
      for (const batch of chunks(nodes))
        await tx('conductor_lineage_nodes')
          .insert(
            batch.map(n => ({
              id: n.id,
              kind: n.kind,
              label: n.label,
              attributes_json: JSON.stringify(n.attributes ?? {}),
              source,
            })),
          )
          .onConflict('id')
          .merge(['kind', 'label', 'attributes_json', 'source']);
      return { added: added.length, removed: removed.length };
    });
  }

  /** Sources with edges, e.g. to drop the manifest of a component that is gone. */
  async sources(): Promise<string[]> {
    const rows = await this.db('conductor_lineage_edges')
      .distinct('source')
      .orderBy('source');
    return rows.map((r: { source: string }) => r.source);
  }

  /** Every edge once, whatever source asserts it. */
  async allEdges(): Promise<LineageEdge[]> {
    const rows = (await this.db('conductor_lineage_edges')
      .distinct('from_id', 'to_id', 'type')
      .orderBy(['from_id', 'to_id', 'type'])) as EdgeRow[];
    return rows.map(toEdge);
  }

  /** Changes when the graph changes: the newest change event's id (0 when none). */
  async version(): Promise<number> {
    const row = await this.db('conductor_lineage_events')
      .max({ v: 'id' })
      .first();
    return Number(row?.v ?? 0);
  }

  async nodes(ids: string[]): Promise<LineageNode[]> {
    const out: LineageNode[] = [];
    for (const batch of chunks(ids, 500)) {
      const rows = (await this.db('conductor_lineage_nodes').whereIn(
        'id',
        batch,
      )) as NodeRow[];
      out.push(
        ...rows.map(r => ({
          id: r.id,
          kind: r.kind as LineageNodeKind,
          label: r.label,
          attributes: JSON.parse(r.attributes_json),
        })),
      );
    }
    return out;
  }

  async allNodes(): Promise<LineageNode[]> {
    const rows = (await this.db('conductor_lineage_nodes').orderBy(
      'id',
    )) as NodeRow[];
    return rows.map(r => ({
      id: r.id,
      kind: r.kind as LineageNodeKind,
      label: r.label,
      attributes: JSON.parse(r.attributes_json),
    }));
  }

  /** Nodes no edge mentions any more. */
  async dropOrphanNodes(): Promise<number> {
    return this.db('conductor_lineage_nodes')
      .whereNotExists(
        this.db('conductor_lineage_edges')
          .select(this.db.raw('1'))
          .whereRaw(
            'conductor_lineage_edges.from_id = conductor_lineage_nodes.id',
          ),
      )
      .whereNotExists(
        this.db('conductor_lineage_edges')
          .select(this.db.raw('1'))
          .whereRaw(
            'conductor_lineage_edges.to_id = conductor_lineage_nodes.id',
          ),
      )
      .delete();
  }

  /** Change events, newest first. */
  async events(limit = 100): Promise<LineageChangeEvent[]> {
    const rows = (await this.db('conductor_lineage_events')
      .orderBy('id', 'desc')
      .limit(limit)) as EventRow[];
    return rows.map(r => ({
      id: Number(r.id),
      at: toIso(r.at),
      change: r.change as LineageChangeEvent['change'],
      source: r.source,
      edge: toEdge(r),
    }));
  }

  /**
   * Makes `operations` the full set one client sends to one API; returns how
   * many were added and removed (changed text counts as neither).
   */
  async replaceOperations(
    apiRef: string,
    client: string,
    operations: Array<Omit<StoredOperation, 'apiRef' | 'client'>>,
    at = new Date(),
  ): Promise<{ added: number; removed: number }> {
    return this.db.transaction(async tx => {
      const current = (await tx('conductor_lineage_operations')
        .where({ api_ref: apiRef, client })
        .select('file')) as Array<{ file: string }>;
      const before = new Set(current.map(r => r.file));
      const after = new Set(operations.map(o => o.file));
      await tx('conductor_lineage_operations')
        .where({ api_ref: apiRef, client })
        .delete();
      for (const batch of chunks(operations, 100))
        await tx('conductor_lineage_operations').insert(
          batch.map(o => ({
            api_ref: apiRef,
            client,
            file: o.file,
            text: o.text,
            service: o.service ?? null,
            tenants_json: JSON.stringify(o.tenants),
            source: o.source,
            updated_at: at,
          })),
        );
      return {
        added: [...after].filter(f => !before.has(f)).length,
        removed: [...before].filter(f => !after.has(f)).length,
      };
    });
  }

  async operationsFor(apiRef?: string): Promise<StoredOperation[]> {
    const q = this.db('conductor_lineage_operations');
    if (apiRef) q.where('api_ref', apiRef);
    const rows = (await q.orderBy([
      'api_ref',
      'client',
      'file',
    ])) as OperationRow[];
    return rows.map(r => ({
      apiRef: r.api_ref,
      client: r.client,
      file: r.file,
      text: r.text,
      ...(r.service ? { service: r.service } : {}),
      tenants: JSON.parse(r.tenants_json),
      source: r.source,
    }));
  }

  /** Clients whose operations came from a source (e.g. a manifest), per API. */
  async operationClientsOf(
    source: string,
  ): Promise<Array<{ apiRef: string; client: string }>> {
    return (
      await this.db('conductor_lineage_operations')
        .where('source', source)
        .distinct('api_ref', 'client')
    ).map((r: { api_ref: string; client: string }) => ({
      apiRef: r.api_ref,
      client: r.client,
    }));
  }
}
