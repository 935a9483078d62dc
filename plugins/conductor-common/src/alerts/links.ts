// The pages alerts link to. Senders build their links here, and the alert
// settings show the same patterns, so a link and the page it names cannot
// drift apart (the portal's routes are in plugins/conductor/src/alpha).
import { parseEntityRef } from '@backstage/catalog-model';

/** An entity's page, or one of its tabs, e.g. `/catalog/default/component/api/readiness`. */
function entityTab(entityRef: string, tab: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${namespace}/${kind.toLocaleLowerCase(
    'en-US',
  )}/${name}/${tab}`;
}

/**
 * Where each alert links, as a function of its subject, and the same as a
 * path pattern for the alert settings.
 *
 * @public
 */
export const alertLinks = {
  /** The team's "Conductor" tab: its components' compliance scores, worst first. */
  complianceBelowTarget: {
    to: (teamRef: string) => entityTab(teamRef, 'conductor'),
    pattern: '/catalog/:namespace/group/:team/conductor',
  },
  /** The federation board ("CI library" sub-page). */
  ciLibraryMismatch: {
    to: () => '/conductor/ci-library',
    pattern: '/conductor/ci-library',
  },
  /** The service's Readiness tab: its score, components and gate decisions. */
  releaseBlocked: {
    to: (entityRef: string) => entityTab(entityRef, 'readiness'),
    pattern: '/catalog/:namespace/component/:name/readiness',
  },
  /** The Backfills sub-page with the paused run selected. */
  backfillCostSpike: {
    to: (runId: number) => `/conductor/backfills?run=${runId}`,
    pattern: '/conductor/backfills?run=:run',
  },
  /** The changed API's Lineage tab: the graph and the impacted services. */
  blastRadius: {
    to: (entityRef: string) => entityTab(entityRef, 'lineage'),
    pattern: '/catalog/:namespace/api/:name/lineage',
  },
  /** The owning team's SLO board. */
  sloBurnRate: {
    to: (teamRef: string) =>
      `/conductor/slo?team=${encodeURIComponent(teamRef)}`,
    pattern: '/conductor/slo?team=:team',
  },
} as const;
