import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_SOURCE_LOCATION,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  ALERT_RULE_PATHS,
  DASHBOARDS_DIR,
  hasAlertRules,
  isDashboardExport,
} from '@internal/plugin-conductor-common';
import {
  CollectedFact,
  EvidenceCollector,
  EvidenceCollectorContext,
} from '@internal/plugin-conductor-node';

/** Where GitHub, GitLab and Bitbucket look for CODEOWNERS, in their order. */
export const CODEOWNERS_PATHS = [
  '.github/CODEOWNERS',
  'CODEOWNERS',
  'docs/CODEOWNERS',
];
/** CycloneDX SBOM file names the collector reads. */
export const SBOM_PATHS = ['sbom.cdx.json', 'bom.json'];

/** The repository base URL from `backstage.io/source-location`, ending in `/`. */
export function sourceLocationOf(entity: Entity): string | undefined {
  const raw = entity.metadata.annotations?.[ANNOTATION_SOURCE_LOCATION];
  if (!raw) return undefined;
  const url = raw.replace(/^url:/, '');
  return url.endsWith('/') ? url : `${url}/`;
}

/**
 * Evidence read from each component's repository through the Backstage
 * UrlReader (so GitHub, GitLab, Bitbucket... work as configured in
 * `integrations`): whether CODEOWNERS exists, alert rules and a dashboard
 * export are committed, and the SBOM's presence, size and age. A read that fails for any reason but "not found" records nothing:
 * an unreachable repository is not evidence that a file is missing.
 */
export class RepositoryEvidenceCollector implements EvidenceCollector {
  readonly id = 'repository';

  constructor(
    private readonly reader: UrlReaderService,
    private readonly logger: LoggerService,
  ) {}

  /** Text of the first of `paths` that exists; null when none does. */
  private async readFirst(base: string, paths: string[], signal?: AbortSignal) {
    for (const p of paths) {
      try {
        const response = await this.reader.readUrl(
          new URL(p, base).toString(),
          { signal },
        );
        return { path: p, text: (await response.buffer()).toString('utf8') };
      } catch (e) {
        if ((e as Error).name === NotFoundError.name) continue;
        throw e;
      }
    }
    return null;
  }

  async collect(context: EvidenceCollectorContext): Promise<CollectedFact[]> {
    const facts: CollectedFact[] = [];
    for (const entity of context.entities) {
      if (entity.kind !== 'Component') continue;
      const base = sourceLocationOf(entity);
      if (!base) continue;
      const entityRef = stringifyEntityRef(entity);
      try {
        const codeowners = await this.readFirst(
          base,
          CODEOWNERS_PATHS,
          context.signal,
        );
        facts.push({
          entityRef,
          name: 'repo.codeowners',
          value: !!codeowners?.text.trim(),
        });

        // What the auto-remediation bot writes: alert rules and a dashboard
        // export; read the same way the bot re-checks its patches.
        const alerts = await this.readFirst(
          base,
          ALERT_RULE_PATHS,
          context.signal,
        );
        facts.push({
          entityRef,
          name: 'alerts.defined',
          value: hasAlertRules(alerts?.text),
        });
        const dashboard = await this.readFirst(
          base,
          [`${DASHBOARDS_DIR}${entity.metadata.name}.json`],
          context.signal,
        );
        facts.push({
          entityRef,
          name: 'dashboards.exported',
          value: isDashboardExport(dashboard?.text),
        });

        const sbom = await this.readFirst(base, SBOM_PATHS, context.signal);
        facts.push({ entityRef, name: 'sbom.present', value: !!sbom });
        if (sbom) {
          const doc = JSON.parse(sbom.text);
          if (Array.isArray(doc.components)) {
            facts.push({
              entityRef,
              name: 'sbom.components',
              value: doc.components.length,
            });
          }
          if (typeof doc.metadata?.timestamp === 'string') {
            facts.push({
              entityRef,
              name: 'sbom.generated_at',
              value: doc.metadata.timestamp,
            });
          }
        }
      } catch (e) {
        this.logger.warn(
          `Could not read repository evidence for ${entityRef} at ${base}: ${
            (e as Error).message
          }`,
        );
      }
    }
    return facts;
  }
}
