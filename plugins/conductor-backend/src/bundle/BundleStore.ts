import { BundleScope, BundleSummary } from '@internal/plugin-conductor-common';
import { Knex } from 'knex';
import { insertedId, toIso } from '../shared/database';

const TABLE = 'conductor_bundles';

interface BundleRow {
  id: number;
  scope_json: string;
  entity_refs_json: string;
  since: unknown;
  created_at: unknown;
  created_by: string;
  key_id: string;
  file_count: number;
  size_bytes: number;
  archive_sha256: string;
  archive: string;
}

/** A stored bundle with the entities it covers (for the permission check). */
export interface StoredBundle extends Omit<BundleSummary, 'downloadPath'> {
  entityRefs: string[];
}

const SUMMARY_COLUMNS = [
  'id',
  'scope_json',
  'entity_refs_json',
  'since',
  'created_at',
  'created_by',
  'key_id',
  'file_count',
  'size_bytes',
  'archive_sha256',
];

function fromRow(r: Omit<BundleRow, 'archive'>): StoredBundle {
  return {
    id: Number(r.id),
    scope: JSON.parse(r.scope_json) as BundleScope,
    entityRefs: JSON.parse(r.entity_refs_json) as string[],
    since: r.since === null || r.since === undefined ? null : toIso(r.since),
    createdAt: toIso(r.created_at),
    createdBy: r.created_by,
    keyId: r.key_id,
    fileCount: Number(r.file_count),
    sizeBytes: Number(r.size_bytes),
    archiveSha256: r.archive_sha256,
  };
}

/** The signed archives, stored whole so a download is the archive that was signed. */
export class BundleStore {
  constructor(private readonly db: Knex) {}

  async insert(
    bundle: Omit<StoredBundle, 'id'> & { archive: string },
  ): Promise<number> {
    const [row] = await this.db(TABLE)
      .insert({
        scope_json: JSON.stringify(bundle.scope),
        entity_refs_json: JSON.stringify(bundle.entityRefs),
        since: bundle.since ? new Date(bundle.since) : null,
        created_at: new Date(bundle.createdAt),
        created_by: bundle.createdBy,
        key_id: bundle.keyId,
        file_count: bundle.fileCount,
        size_bytes: bundle.sizeBytes,
        archive_sha256: bundle.archiveSha256,
        archive: bundle.archive,
      })
      .returning('id');
    return insertedId(row);
  }

  /** Newest first, without the archives. */
  async list(limit: number): Promise<StoredBundle[]> {
    const rows = await this.db(TABLE)
      .select(SUMMARY_COLUMNS)
      .orderBy('id', 'desc')
      .limit(limit);
    return rows.map(fromRow);
  }

  async get(id: number): Promise<StoredBundle | undefined> {
    const row = await this.db(TABLE)
      .select(SUMMARY_COLUMNS)
      .where({ id })
      .first();
    return row ? fromRow(row) : undefined;
  }

  async archive(id: number): Promise<string | undefined> {
    const row = await this.db(TABLE).select('archive').where({ id }).first();
    return row?.archive;
  }

  /** The newest earlier bundle of the same scope: the base of the SBOM delta. */
  async previousOfScope(scope: BundleScope): Promise<number | undefined> {
    const row = await this.db(TABLE)
      .select('id')
      .where('scope_json', JSON.stringify(scope))
      .orderBy('id', 'desc')
      .first();
    return row ? Number(row.id) : undefined;
  }
}
