import { Octokit } from '@octokit/rest';
import path from 'node:path';
import {
  Capability,
  ConductorServices,
  EvidenceAccess,
} from '../shared/capability';
import {
  GitHubProvider,
  GitProvider,
  readGitHubIntegrations,
  RepositoryRule,
  resolveTarget,
} from '../remediation/providers';
import { readAlertSwitch } from '../shared/alertSettings';
import { FederationPins } from './FederationPins';
import { FederationService, FederationSettings } from './FederationService';
import { FederationStore } from './FederationStore';
import { createFederationRouter } from './router';

export type { FederationService } from './FederationService';

/** The workflow files read in each repository unless configured. */
export const DEFAULT_WORKFLOW_FILES = ['.github/workflows/ci.yml'];

/** Reads `conductor.federation`; a bad value stops the start-up naming the key. */
export function readFederationSettings(
  config: ConductorServices['config'],
): FederationSettings {
  const manifest =
    config.getOptionalString('conductor.federation.manifest') ??
    // The library ships in this repository (ci/); the backend runs from packages/backend.
    path.resolve('../../ci/manifest.json');
  const workflowFiles =
    config.getOptionalStringArray('conductor.federation.workflowFiles') ??
    DEFAULT_WORKFLOW_FILES;
  if (
    workflowFiles.length === 0 ||
    workflowFiles.length > 20 ||
    workflowFiles.some(f => f.startsWith('/') || f.includes('..'))
  )
    throw new Error(
      'conductor.federation.workflowFiles: 1 to 20 paths relative to the repository root',
    );
  const maxVersionsBehind =
    config.getOptionalNumber('conductor.federation.maxVersionsBehind') ?? 1;
  if (!Number.isInteger(maxVersionsBehind) || maxVersionsBehind < 0)
    throw new Error(
      `conductor.federation.maxVersionsBehind: must be a whole number of versions, 0 or more, got ${maxVersionsBehind}`,
    );
  return {
    manifest,
    workflowFiles,
    maxVersionsBehind,
    runbookUrl:
      config.getOptionalString('conductor.federation.runbookUrl') ??
      'https://github.com/intelgraph/maestro-conductor/blob/main/docs/federation.md#federation-rollback',
    mismatchAlert: readAlertSwitch(config, 'ciLibraryMismatch', 24 * 60),
  };
}

/**
 * Federated CI library: which ig-ci version each repository pins, drift,
 * gates, last results, adoption, the "CI lib mismatch" alert, and upgrade or
 * rollback by pull request (through the auto-remediation git machinery).
 */
export async function createFederationCapability(
  services: ConductorServices,
  deps: { evidence: EvidenceAccess; githubFetch?: typeof fetch },
): Promise<Capability & { federation: FederationService }> {
  const { config, logger } = services;
  const federation = new FederationService({
    store: new FederationStore(services.db),
    urlReader: services.urlReader,
    catalogSnapshot: services.catalogSnapshot,
    evidence: deps.evidence,
    alerts: services.alerts,
    permissions: services.permissions,
    logger: logger.child({ capability: 'federation' }),
    settings: readFederationSettings(config),
  });
  // The same repositories and providers the remediation bot pushes to.
  const rules: RepositoryRule[] = (
    config.getOptionalConfigArray('conductor.remediation.repositories') ?? []
  ).map(c => ({
    match: new RegExp(c.getString('match')),
    remote: c.getString('remote'),
    provider: (c.getOptionalString('provider') ?? 'git') as 'git' | 'github',
  }));
  const github = readGitHubIntegrations(config);
  const pins = new FederationPins({
    federation,
    catalogSnapshot: services.catalogSnapshot,
    resolveTarget: entity => resolveTarget(entity, rules, github),
    providers: {
      git: new GitProvider(),
      github: new GitHubProvider(target => {
        const host =
          github.find(g => target.remote.includes(`//${g.host}/`)) ??
          github.find(g => g.host === 'github.com')!;
        return new Octokit({
          auth: host.token,
          baseUrl: host.apiBaseUrl,
          request: deps.githubFetch ? { fetch: deps.githubFetch } : undefined,
        });
      }),
    },
    logger: logger.child({ capability: 'federation' }),
  });
  return {
    federation,
    routers: {
      '/federation': createFederationRouter({
        httpAuth: services.httpAuth,
        permissions: services.permissions,
        federation,
        pins,
      }),
    },
    tasks: [
      {
        id: 'conductor-federation-scan',
        configKey: 'conductor.federation.schedule',
        defaultSchedule: {
          frequency: { hours: 1 },
          timeout: { minutes: 15 },
          initialDelay: { minutes: 2 },
        },
        what: 'federation scan of the repositories’ CI library pins',
        run: async signal => {
          await federation.scan(signal);
        },
      },
    ],
  };
}
