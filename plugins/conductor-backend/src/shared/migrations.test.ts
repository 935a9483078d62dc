import knexFactory from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyDatabaseMigrations } from './migrations';
import { toScore } from './database';

describe('applyDatabaseMigrations on a file SQLite database', () => {
  it('switches to write-ahead logging without fsync on every commit', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-wal-'));
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, 'db.sqlite') },
      useNullAsDefault: true,
    });
    try {
      await applyDatabaseMigrations({ getClient: async () => knex });
      const [{ journal_mode }] = await knex.raw('PRAGMA journal_mode');
      const [{ synchronous }] = await knex.raw('PRAGMA synchronous');
      expect(journal_mode).toBe('wal');
      expect(synchronous).toBe(1); // NORMAL
      expect(fs.existsSync(path.join(dir, 'db.sqlite-wal'))).toBe(true);
    } finally {
      await knex.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('toScore', () => {
  it('reads a float4 score back at the 4 decimals it was written with', () => {
    expect(toScore(Math.fround(0.8123))).toBe(0.8123);
    expect(toScore('0.9')).toBe(0.9);
  });
});
