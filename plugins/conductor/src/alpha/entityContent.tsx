// Entity tabs, grouped under one "Conductor" tab group on the entity page
// (the group is defined in app-config; without it the tabs show ungrouped).
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';

/** The tab group every Conductor entity tab joins. @alpha */
export const CONDUCTOR_TAB_GROUP = 'conductor';

/** The "Evidence" tab on components. @alpha */
export const entityEvidenceContent = EntityContentBlueprint.make({
  name: 'evidence',
  params: {
    path: '/evidence',
    title: 'Evidence',
    group: CONDUCTOR_TAB_GROUP,
    filter: 'kind:component',
    loader: () =>
      import('../evidence/EvidenceContent').then(m => <m.EvidenceContent />),
  },
});

/** The "Compliance" tab: controls, score, trend. @alpha */
export const entityComplianceContent = EntityContentBlueprint.make({
  name: 'compliance',
  params: {
    path: '/compliance',
    title: 'Compliance',
    group: CONDUCTOR_TAB_GROUP,
    filter: 'kind:component',
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
    filter: 'kind:component',
    loader: () =>
      import('../readiness/ReadinessContent').then(m => <m.ReadinessContent />),
  },
});

/** Every entity tab and card, in the order the plugin installs them. @alpha */
export const conductorEntityContent = [
  entityEvidenceContent,
  entityComplianceContent,
  entityReadinessContent,
];
