import {
  ChangeRequest,
  ChangeRequestState,
  RemediationEvent,
  RemediationEventKind,
} from '@internal/plugin-conductor-common';
import { Knex } from 'knex';
import { insertedId, toIso } from '../shared/database';

const CR = 'conductor_remediation_change_requests';
const EV = 'conductor_remediation_events';

interface ChangeRequestRow {
  id: number | string;
  entity_ref: string;
  team: string | null;
  provider: string;
  repository: string;
  branch: string;
  title: string;
  number: number | null;
  url: string | null;
  state: ChangeRequestState;
  controls_json: string;
  head_sha: string;
  base_branch: string;
  fingerprint: string;
  body: string;
  blocked_reason: string | null;
  opened_at: unknown;
  updated_at: unknown;
  merged_at: unknown;
  closed_at: unknown;
}

interface EventRow {
  id: number | string;
  change_request_id: number | string | null;
  entity_ref: string;
  team: string | null;
  repository: string;
  kind: RemediationEventKind;
  controls_json: string;
  message: string;
  at: unknown;
}

/** A change request with what the bot needs to manage it. */
export interface StoredChangeRequest extends ChangeRequest {
  baseBranch: string;
  fingerprint: string;
}

function fromRow(r: ChangeRequestRow): StoredChangeRequest {
  return {
    id: Number(r.id),
    entityRef: r.entity_ref,
    team: r.team ?? undefined,
    provider: r.provider,
    repository: r.repository,
    branch: r.branch,
    title: r.title,
    number: r.number ?? undefined,
    url: r.url ?? undefined,
    state: r.state,
    controls: JSON.parse(r.controls_json),
    headSha: r.head_sha,
    baseBranch: r.base_branch,
    fingerprint: r.fingerprint,
    body: r.body,
    blockedReason: r.blocked_reason ?? undefined,
    openedAt: toIso(r.opened_at),
    updatedAt: toIso(r.updated_at),
    mergedAt: r.merged_at ? toIso(r.merged_at) : undefined,
    closedAt: r.closed_at ? toIso(r.closed_at) : undefined,
  };
}

/** The auto-PR store: change requests and the log. */
export class RemediationStore {
  constructor(private readonly db: Knex) {}

  async latest(
    repository: string,
    branch: string,
  ): Promise<StoredChangeRequest | undefined> {
    const row = await this.db<ChangeRequestRow>(CR)
      .where({ repository, branch })
      .orderBy('id', 'desc')
      .first();
    return row ? fromRow(row) : undefined;
  }

  async get(id: number): Promise<StoredChangeRequest | undefined> {
    const row = await this.db<ChangeRequestRow>(CR).where({ id }).first();
    return row ? fromRow(row) : undefined;
  }

  async list(
    options: { states?: ChangeRequestState[]; limit?: number } = {},
  ): Promise<StoredChangeRequest[]> {
    let q = this.db<ChangeRequestRow>(CR)
      .orderBy('id', 'desc')
      .limit(options.limit ?? 1000);
    if (options.states) q = q.whereIn('state', options.states);
    return (await q).map(fromRow);
  }

  async countOpen(repository: string): Promise<number> {
    const [row] = await this.db(CR)
      .where({ repository })
      .whereIn('state', ['open', 'blocked'])
      .count({ n: '*' });
    return Number(row.n);
  }

  async countOpenedSince(since: Date): Promise<number> {
    const [row] = await this.db(EV)
      .where({ kind: 'opened' })
      .where('at', '>=', since)
      .count({ n: '*' });
    return Number(row.n);
  }

  async insert(cr: Omit<StoredChangeRequest, 'id'>): Promise<number> {
    const [row] = await this.db(CR)
      .insert({
        entity_ref: cr.entityRef,
        team: cr.team ?? null,
        provider: cr.provider,
        repository: cr.repository,
        branch: cr.branch,
        title: cr.title,
        number: cr.number ?? null,
        url: cr.url ?? null,
        state: cr.state,
        controls_json: JSON.stringify(cr.controls),
        head_sha: cr.headSha,
        base_branch: cr.baseBranch,
        fingerprint: cr.fingerprint,
        body: cr.body,
        blocked_reason: cr.blockedReason ?? null,
        opened_at: new Date(cr.openedAt),
        updated_at: new Date(cr.updatedAt),
      })
      .returning('id');
    return insertedId(row);
  }

  async update(
    id: number,
    patch: Partial<
      Pick<
        StoredChangeRequest,
        | 'state'
        | 'controls'
        | 'headSha'
        | 'fingerprint'
        | 'body'
        | 'blockedReason'
        | 'number'
        | 'url'
        | 'mergedAt'
        | 'closedAt'
        | 'title'
      >
    >,
    at: Date,
  ) {
    const row: Record<string, unknown> = { updated_at: at };
    if (patch.state) row.state = patch.state;
    if (patch.controls) row.controls_json = JSON.stringify(patch.controls);
    if (patch.headSha) row.head_sha = patch.headSha;
    if (patch.fingerprint !== undefined) row.fingerprint = patch.fingerprint;
    if (patch.body !== undefined) row.body = patch.body;
    if (patch.title !== undefined) row.title = patch.title;
    if ('blockedReason' in patch)
      row.blocked_reason = patch.blockedReason ?? null;
    if (patch.number !== undefined) row.number = patch.number;
    if (patch.url !== undefined) row.url = patch.url;
    if (patch.mergedAt) row.merged_at = new Date(patch.mergedAt);
    if (patch.closedAt) row.closed_at = new Date(patch.closedAt);
    await this.db(CR).where({ id }).update(row);
  }

  async log(e: Omit<RemediationEvent, 'id'>): Promise<number> {
    const [row] = await this.db(EV)
      .insert({
        change_request_id: e.changeRequestId ?? null,
        entity_ref: e.entityRef,
        team: e.team ?? null,
        repository: e.repository,
        kind: e.kind,
        controls_json: JSON.stringify(e.controls),
        message: e.message,
        at: new Date(e.at),
      })
      .returning('id');
    return insertedId(row);
  }

  async events(limit = 500): Promise<RemediationEvent[]> {
    const rows = await this.db<EventRow>(EV).orderBy('id', 'desc').limit(limit);
    return rows.map(r => ({
      id: Number(r.id),
      changeRequestId:
        r.change_request_id === null ? undefined : Number(r.change_request_id),
      entityRef: r.entity_ref,
      team: r.team ?? undefined,
      repository: r.repository,
      kind: r.kind,
      controls: JSON.parse(r.controls_json),
      message: r.message,
      at: toIso(r.at),
    }));
  }
}
