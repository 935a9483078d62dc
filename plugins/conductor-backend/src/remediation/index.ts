import {
  loadControlsCatalog,
  CompiledControl,
} from '@internal/plugin-conductor-common';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { Octokit } from '@octokit/rest';
import fs from 'node:fs';
import path from 'node:path';
import {
  Capability,
  ConductorServices,
  EvidenceAccess,
} from '../shared/capability';
import {
  GitHubProvider,
  GitProvider,
  RepositoryRule,
  readGitHubIntegrations,
  resolveTarget,
} from './providers';
import { RemediationService } from './RemediationService';
import { RemediationStore } from './RemediationStore';
import { createRemediationRouter } from './router';

export type { RemediationService } from './RemediationService';

/** Options for tests: a fetch for Octokit that replays recorded GitHub answers. */
export interface RemediationCapabilityOptions {
  evidence: EvidenceAccess;
  githubFetch?: typeof fetch;
  now?: () => Date;
}

/**
 * Auto-remediation: the bot that opens pull requests fixing failing
 * controls, its auto-PR log and figures. `afterComplianceRun` is what the
 * nightly compliance task calls once its run is stored.
 */
export async function createRemediationCapability(
  services: ConductorServices,
  deps: RemediationCapabilityOptions,
): Promise<
  Capability & {
    remediation: RemediationService;
    afterComplianceRun: () => Promise<void>;
  }
> {
  const { config, logger } = services;
  const files = (
    config.getOptionalStringArray('conductor.remediation.catalogFiles') ??
    config.getOptionalStringArray('conductor.compliance.catalogFiles') ??
    []
  ).map(f => path.resolve(f));
  let controls: CompiledControl[] = [];
  const loadControls = () => {
    const loaded = loadControlsCatalog(
      files
        .filter(f => fs.existsSync(f))
        .map(file => ({ file, text: fs.readFileSync(file, 'utf8') })),
    );
    for (const e of loaded.errors)
      logger.warn(
        `Remediation controls: ${e.file}:${e.line}:${e.column} ${e.message}`,
      );
    controls = loaded.controls;
  };
  loadControls();

  const rules: RepositoryRule[] = (
    config.getOptionalConfigArray('conductor.remediation.repositories') ?? []
  ).map(c => ({
    match: new RegExp(c.getString('match')),
    remote: c.getString('remote'),
    provider: (c.getOptionalString('provider') ?? 'git') as 'git' | 'github',
  }));
  const github = readGitHubIntegrations(config);
  const defaults: Record<string, Record<string, string>> = {};
  const params = config.getOptionalConfig('conductor.remediation.parameters');
  for (const recipe of params?.keys() ?? []) {
    const c = params!.getConfig(recipe);
    defaults[recipe] = Object.fromEntries(
      c.keys().map(k => [k, String(c.get(k))]),
    );
  }

  const remediation = new RemediationService({
    store: new RemediationStore(services.db),
    evidence: deps.evidence,
    catalogSnapshot: services.catalogSnapshot,
    controls: () => controls,
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
    resolveTarget: entity => resolveTarget(entity, rules, github),
    limits: {
      perHour:
        config.getOptionalNumber('conductor.remediation.limits.perHour') ?? 10,
      openPerRepository:
        config.getOptionalNumber(
          'conductor.remediation.limits.openPerRepository',
        ) ?? 1,
    },
    defaults,
    grouping:
      config.getOptionalString('conductor.remediation.grouping') === 'control'
        ? 'control'
        : 'repository',
    logger: logger.child({ capability: 'remediation' }),
    now: deps.now,
  });

  const afterComplianceRun = async () => {
    if (
      config.getOptionalBoolean('conductor.remediation.afterNightly') === false
    )
      return;
    loadControls();
    const results = await remediation.run();
    const count = (o: string) => results.filter(r => r.outcome === o).length;
    logger.info(
      `Remediation after the compliance run: ${count('opened')} opened, ${count(
        'updated',
      )} updated, ${count('failed')} failed`,
    );
  };

  return {
    remediation,
    afterComplianceRun,
    routers: {
      '/remediation': createRemediationRouter({
        httpAuth: services.httpAuth,
        permissions: services.permissions,
        remediation,
        components: async () => {
          await services.catalogSnapshot.ensure();
          return services.catalogSnapshot
            .entities(['Component'])
            .map(e => stringifyEntityRef(e));
        },
      }),
    },
  };
}
