import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef, useEntity } from '@backstage/plugin-catalog-react';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { complianceApiRef } from '../compliance/api';
import { readinessApiRef } from '../readiness/api';
import {
  DataTable,
  EntityLink,
  formatDelta,
  formatPoints,
  formatScore,
} from '../shared';
import { MAX_COMPONENTS, loadComponentScores } from './scores';

/**
 * The "Conductor" tab of a team (Group) or a System: each of its components
 * with its compliance and readiness, sortable, each linking to the
 * component's own tabs.
 */
export function ComponentsContent() {
  const { entity } = useEntity();
  const catalogApi = useApi(catalogApiRef);
  const complianceApi = useApi(complianceApiRef);
  const readinessApi = useApi(readinessApiRef);
  const { value, loading, error } = useAsync(
    () =>
      loadComponentScores(entity, { catalogApi, complianceApi, readinessApi }),
    [entity, catalogApi, complianceApi, readinessApi],
  );
  const whose =
    entity.kind.toLocaleLowerCase('en-US') === 'system'
      ? 'part of this system'
      : 'owned by this team';
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value || value.rows.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No components"
        description={`The catalog has no component ${whose}.`}
      />
    );
  }
  return (
    <InfoCard
      title="Components"
      subheader={`${value.rows.length} components ${whose}${
        value.truncated ? ` (the first ${MAX_COMPONENTS})` : ''
      }; click a column title to sort`}
    >
      <DataTable
        label="components"
        initialSort={{ column: 1, direction: 'asc' }}
        columns={[
          { title: 'Component', sortable: true },
          { title: 'Compliance', numeric: true, sortable: true },
          { title: 'Change', numeric: true, sortable: true },
          { title: 'Readiness', numeric: true, sortable: true },
          'Production gate',
          { title: 'Next step', wrap: true },
        ]}
        rows={value.rows.map(r => {
          const c = r.compliance;
          const p = r.readiness;
          const threshold = p?.thresholds.production;
          const allowed =
            p && threshold !== undefined ? p.score >= threshold : undefined;
          return {
            key: r.entityRef,
            cells: [
              <EntityLink entityRef={r.entityRef} tab="compliance" />,
              c ? (
                <EntityLink entityRef={r.entityRef} tab="compliance">
                  {formatScore(c.score)}
                </EntityLink>
              ) : (
                'n/a'
              ),
              c && c.previousScore !== null
                ? formatDelta(c.score, c.previousScore)
                : '',
              p ? (
                <EntityLink entityRef={r.entityRef} tab="readiness">
                  {formatScore(p.score)}
                </EntityLink>
              ) : (
                'n/a'
              ),
              allowed === undefined ? (
                ''
              ) : (
                <Chip
                  size="small"
                  color={allowed ? 'success' : 'error'}
                  label={`${
                    allowed ? 'allowed' : 'blocked'
                  } (needs ${formatScore(threshold)})`}
                />
              ),
              p?.next ? (
                <Typography variant="body2">
                  {p.next.action} ({formatPoints(p.next.gain)})
                </Typography>
              ) : (
                ''
              ),
            ],
            sortValues: [
              r.entityRef,
              c?.score ?? null,
              c && c.score !== null && c.previousScore !== null
                ? c.score - c.previousScore
                : null,
              p?.score ?? null,
              allowed === undefined ? null : Number(allowed),
              null,
            ],
          };
        })}
      />
    </InfoCard>
  );
}
