import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  KNOWN_FACTS,
  conductorEvidenceCollectPermission,
} from '@internal/plugin-conductor-common';
import Box from '@mui/material/Box';
import Grid from '@mui/material/Grid';
import Tooltip from '@mui/material/Tooltip';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { evidenceApiRef } from './api';
import { FactHistoryChart } from './FactHistoryChart';
import { ActionButton, DataTable, Age, formatFactValue } from '../shared';

/**
 * The "Evidence" tab: every fact known about the entity, how old it is and
 * who reported it, with a history chart for each numeric fact.
 */
export function EvidenceContent() {
  const { entity } = useEntity();
  const api = useApi(evidenceApiRef);
  const entityRef = stringifyEntityRef(entity);

  const { value, loading, error, retry } = useAsyncRetry(async () => {
    const latest = await api.getLatestEvidence(entityRef);
    const numeric = latest.facts.filter(f => f.type === 'number');
    const histories = await Promise.all(
      numeric.map(f => api.getFactHistory(entityRef, f.name, { limit: 50 })),
    );
    return { facts: latest.facts, histories };
  }, [api, entityRef]);

  const collectButton = (
    <ActionButton
      label="Collect evidence now"
      permission={conductorEvidenceCollectPermission}
      run={async () => {
        const run = await api.collectEvidence();
        const failed = run.failedCollectors.length
          ? `; failed: ${run.failedCollectors.join(', ')}`
          : '';
        return `Collected ${run.facts} facts about ${run.entities} entities (${run.rejected} rejected)${failed}.`;
      }}
      onDone={retry}
    />
  );
  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value || value.facts.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No evidence yet"
        description={`Nothing has been reported about ${entityRef}. CI pushes facts with "conductor evidence push --entity ${entityRef} --fact test.coverage=0.83"; the catalog and repository collectors add theirs on their next run.`}
        action={collectButton}
      />
    );
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard
          title="Latest evidence"
          subheader={`${value.facts.length} facts about ${entityRef}`}
          action={collectButton}
        >
          <DataTable
            label="latest evidence"
            columns={['Fact', { title: 'Value', wrap: true }, 'Age', 'Source']}
            rows={value.facts.map(fact => ({
              key: fact.name,
              cells: [
                <Tooltip
                  title={KNOWN_FACTS[fact.name]?.description ?? 'custom fact'}
                >
                  <span>{fact.name}</span>
                </Tooltip>,
                formatFactValue(fact),
                <Age at={fact.observedAt} />,
                fact.source,
              ],
            }))}
          />
        </InfoCard>
      </Grid>
      {value.histories.map(h => (
        <Grid item xs={12} md={6} key={h.name}>
          <InfoCard
            title={h.name}
            subheader={`${h.history.length} observation(s)`}
          >
            <Box>
              <FactHistoryChart name={h.name} history={h.history} />
            </Box>
          </InfoCard>
        </Grid>
      ))}
    </Grid>
  );
}
