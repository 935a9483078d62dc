import { createPermission } from '@backstage/plugin-permission-common';

/**
 * See an entity's lineage graph and the blast radius of a change to it.
 *
 * @public
 */
export const conductorLineageReadPermission = createPermission({
  name: 'conductor.lineage.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/**
 * Register the operations a client sends to an API (CI pushes them), which
 * the blast radius of every later change is judged against.
 *
 * @public
 */
export const conductorLineageOperationsCreatePermission = createPermission({
  name: 'conductor.lineage.operations.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/**
 * Rebuild the lineage graph from the catalog and the repositories now, or
 * import a snapshot.
 *
 * @public
 */
export const conductorLineageIngestPermission = createPermission({
  name: 'conductor.lineage.ingest',
  attributes: { action: 'update' },
});

/**
 * Export the whole lineage graph (the JSON snapshot) and its change events.
 *
 * @public
 */
export const conductorLineageExportPermission = createPermission({
  name: 'conductor.lineage.export',
  attributes: { action: 'read' },
});

/** @public */
export const conductorLineagePermissions = [
  conductorLineageExportPermission,
  conductorLineageReadPermission,
  conductorLineageOperationsCreatePermission,
  conductorLineageIngestPermission,
];
