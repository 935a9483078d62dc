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
  if (!database.migrations?.skip) {
    await client.migrate.latest({ directory: migrationsDir });
  }
  return client;
}

/** Converts what the driver returns for a timestamp column to ISO-8601. */
export function toIso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  if (typeof value === 'string') {
    // SQLite may hand back a number as text.
    return /^\d+$/.test(value)
      ? new Date(Number(value)).toISOString()
      : new Date(value).toISOString();
  }
  throw new Error(`Unexpected timestamp value ${String(value)}`);
}
