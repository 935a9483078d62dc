// Entity tabs, grouped under one "Conductor" tab group on the entity page
// (the group is defined in app-config; without it the tabs show ungrouped),
// and the Conductor card on the Overview.
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { entityLineageContent } from '../lineage/extensions';
import { entityTeamDashboardsContent } from '../dashboards/extensions';
import { Entity } from '@backstage/catalog-model';
import { isSloAvailable } from '../slo/isSloAvailable';

/** The tab group every Conductor entity tab joins. @alpha */
export const CONDUCTOR_TAB_GROUP = 'conductor';

const components = { kind: 'component' };
const componentsAndApis = { kind: { $in: ['component', 'api'] } };
const teamsAndSystems = { kind: { $in: ['group', 'system'] } };

/** The "Evidence" tab on components. @alpha */
export const entityEvidenceContent = EntityContentBlueprint.make({
  name: 'evidence',
  params: {
    path: '/evidence',
    title: 'Evidence',
    group: CONDUCTOR_TAB_GROUP,
    filter: components,
    loader: () =>
      import('../evidence/EvidenceContent').then(m => <m.EvidenceContent />),
  },
});

/** The "Compliance" tab on components and APIs: controls, score, trend. @alpha */
export const entityComplianceContent = EntityContentBlueprint.make({
  name: 'compliance',
  params: {
    path: '/compliance',
    title: 'Compliance',
    group: CONDUCTOR_TAB_GROUP,
    filter: componentsAndApis,
    loader: () =>
      import('../compliance/ComplianceContent').then(m => (
        <m.ComplianceContent />
      )),
  },
});

/** The "Readiness" tab: PRS gauge, components, next step, gate decisions. @alpha */
export const entityReadinessContent = EntityContentBlueprint.make({
  name: 'readiness',
  params: {
    path: '/readiness',
    title: 'Readiness',
    group: CONDUCTOR_TAB_GROUP,
    filter: components,
    loader: () =>
      import('../readiness/ReadinessContent').then(m => <m.ReadinessContent />),
  },
});

/** The "Conductor" tab of a team or system: its components' scores. @alpha */
export const entityComponentsContent = EntityContentBlueprint.make({
  name: 'components',
  params: {
    path: '/conductor',
    title: 'Conductor',
    filter: teamsAndSystems,
    loader: () =>
      import('../overview/ComponentsContent').then(m => (
        <m.ComponentsContent />
      )),
  },
});

/** The Conductor card on the Overview of components and APIs, beside About. @alpha */
export const entityOverviewCard = EntityCardBlueprint.make({
  name: 'overview',
  params: {
    type: 'info',
    filter: componentsAndApis,
    loader: () =>
      import('../overview/OverviewCard').then(m => <m.OverviewCard />),
  },
});

/** The "SLOs" tab of a component with an SLO file or SLA annotation. @alpha */
export const entitySloContent = EntityContentBlueprint.make({
  name: 'slo',
  params: {
    path: '/slo',
    title: 'SLOs',
    group: CONDUCTOR_TAB_GROUP,
    filter: (entity: Entity) =>
      entity.kind.toLowerCase() === 'component' && isSloAvailable(entity),
    loader: () => import('../slo/SloContent').then(m => <m.SloContent />),
  },
});

/** The "SLO board" tab of a team: its services' SLOs. @alpha */
export const entityTeamSloContent = EntityContentBlueprint.make({
  name: 'team-slo',
  params: {
    path: '/slo-board',
    title: 'SLO board',
    filter: { kind: 'group' },
    loader: () => import('../slo/SloContent').then(m => <m.TeamSloContent />),
  },
});

/** The "Backfills" tab on components: their backfills, progress and controls. @alpha */
export const entityBackfillContent = EntityContentBlueprint.make({
  name: 'backfills',
  params: {
    path: '/backfills',
    title: 'Backfills',
    group: CONDUCTOR_TAB_GROUP,
    filter: components,
    loader: () =>
      import('../backfill/BackfillsPage').then(m => <m.BackfillContent />),
  },
});

/** Every entity tab and card, in the order the plugin installs them. @alpha */
export const conductorEntityContent = [
  entityEvidenceContent,
  entityComplianceContent,
  entityReadinessContent,
  entitySloContent,
  entityTeamSloContent,
  entityBackfillContent,
  entityLineageContent,
  entityComponentsContent,
  entityTeamDashboardsContent,
  entityOverviewCard,
];
