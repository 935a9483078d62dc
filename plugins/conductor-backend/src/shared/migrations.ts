import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@internal/plugin-conductor-backend',
  'migrations',
);

/** Runs the plugin's migrations unless the deployment manages them itself. */
export async function applyDatabaseMigrations(
  database: DatabaseService,
): Promise<Knex> {
  const client = await database.getClient();
  await tuneSqlite(client);
  if (!database.migrations?.skip) {
    await migrateWithRetry(client);
  }
  return client;
}

/**
 * Replicas starting together race to create knex's own bookkeeping tables
 * ("relation knex_migrations already exists") or find the migration lock
 * taken. Both are over once the other replica is done, so try again a few
 * times before giving up.
 */
async function migrateWithRetry(client: Knex, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.migrate.latest({ directory: migrationsDir });
      return;
    } catch (e) {
      if (attempt >= attempts) throw e;
      await new Promise(resolve =>
        setTimeout(resolve, 500 * attempt + Math.random() * 500),
      );
    }
  }
}

/**
 * On a file SQLite database, switches to write-ahead logging with
 * `synchronous = NORMAL`: a commit then no longer waits for fsync. That
 * matters because better-sqlite3 is synchronous, so every fsync stalls the
 * whole backend's event loop (the gate's decision log commits on each call).
 * A power loss may drop the last commits but never corrupts the file;
 * PostgreSQL remains the production database. Knex keeps one SQLite
 * connection; a connection it re-creates gets the same settings.
 */
async function tuneSqlite(client: Knex): Promise<void> {
  if (!/sqlite/.test(String(client.client.config.client))) return;
  const tune = (conn: {
    pragma?: (s: string) => unknown;
    memory?: boolean;
  }) => {
    if (typeof conn.pragma !== 'function' || conn.memory) return;
    conn.pragma('journal_mode = WAL');
    conn.pragma('synchronous = NORMAL');
  };
  client.client.pool.on('createSuccess', (_id: unknown, conn: any) =>
    tune(conn),
  );
  const conn = await client.client.acquireConnection();
  try {
    tune(conn);
  } finally {
    await client.client.releaseConnection(conn);
  }
}
