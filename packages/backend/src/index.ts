/*
 * The Maestro Conductor portal backend: Backstage's catalog, scaffolder,
 * auth, permissions and notifications, plus the conductor plugin.
 */
import { createBackend } from '@backstage/backend-defaults';
import { catalogModuleGoldenPathLocations } from '@internal/plugin-scaffolder-backend-module-conductor';
import { demoRepositoriesPlugin } from './modules/demoRepositories';
import { authModuleDemoSignIn } from './modules/demoSignIn';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// auth: guest sign-in for the demo portal
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// demo-only: sign in as one of app.demoSignIn.people (inert unless configured)
backend.add(authModuleDemoSignIn);

// catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// scaffolder: golden-path templates
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// golden paths: render create-ig-*, publish:git to a plain git remote,
// register the component with its SLOs and first evidence
backend.add(import('@internal/plugin-scaffolder-backend-module-conductor'));
// publish:git projects are registered as file locations of their checkout
backend.add(catalogModuleGoldenPathLocations);

// permissions: Maestro Conductor's policy (roles in docs/security.md)
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@internal/plugin-conductor-backend-module-permission-policy'),
);

// user settings, notifications and signals
backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// Maestro Conductor
backend.add(import('@internal/plugin-conductor-backend'));
// Conductor's answers as MCP tools for agents at /api/mcp-actions/v1
// (backend.actions.pluginSources lists the plugins whose actions it serves)
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// demo repositories read by the evidence collectors (inert unless configured)
backend.add(demoRepositoriesPlugin);

backend.start();
