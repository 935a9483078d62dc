import { PermissionsService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { ComplianceService } from '../compliance/ComplianceService';
import type { ReadinessService } from '../readiness';
import { registerComplianceActions } from './complianceActions';
import type { LineageService } from '../lineage';
import { registerLineageActions } from './lineageActions';
import { registerPromotionActions } from './promotionActions';
import { registerReadinessActions } from './readinessActions';

/**
 * Registers Conductor's answers as actions for agents (MCP clients through
 * `@backstage/plugin-mcp-actions-backend`), each with its route's permission
 * check under the caller's credentials.
 */
export function registerConductorActions(deps: {
  registry: ActionsRegistryService;
  permissions: PermissionsService;
  readiness: Pick<ReadinessService, 'forEntity' | 'dryRun'>;
  compliance: Pick<ComplianceService, 'forEntity'>;
  lineage: Pick<LineageService, 'blastRadius'>;
}) {
  registerPromotionActions(deps);
  registerReadinessActions(deps);
  registerComplianceActions(deps);
  registerLineageActions(deps);
}
