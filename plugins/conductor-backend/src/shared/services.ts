import {
  AuthService,
  DatabaseService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  RootConfigService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { AlertSender } from './AlertSender';
import { CapabilityTask, ConductorServices } from './capability';
import { DefaultCatalogSnapshot, catalogSnapshotTask } from './CatalogSnapshot';
import { applyDatabaseMigrations } from './migrations';

/**
 * Builds what every capability is handed: Backstage's services, the migrated
 * database, the catalog snapshot (and the task that keeps it fresh), and the
 * alert sender.
 */
export async function createConductorServices(deps: {
  config: RootConfigService;
  logger: LoggerService;
  database: DatabaseService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  urlReader: UrlReaderService;
  catalog: CatalogService;
  notifications?: NotificationService;
}): Promise<{ services: ConductorServices; tasks: CapabilityTask[] }> {
  const { catalog, auth, logger } = deps;
  const catalogSnapshot = new DefaultCatalogSnapshot({ catalog, auth, logger });
  return {
    services: {
      ...deps,
      db: await applyDatabaseMigrations(deps.database),
      catalogSnapshot,
      alerts: new AlertSender(deps.notifications, logger),
    },
    tasks: [catalogSnapshotTask(catalogSnapshot, logger)],
  };
}
