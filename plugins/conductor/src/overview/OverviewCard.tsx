import { InfoCard, Link, Progress } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity, useEntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { complianceApiRef } from '../compliance/api';
import { readinessApiRef } from '../readiness/api';
import { gateAnswers } from '../readiness/gate';
import { formatDelta, formatPoints, formatScore } from '../shared';

/**
 * The Conductor card on a component's or API's Overview: compliance score
 * and its change, readiness with the gate's answer per environment, the one
 * step that raises readiness most, and links into the tabs. Compact when
 * there is nothing to show yet.
 */
export function OverviewCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const complianceApi = useApi(complianceApiRef);
  const readinessApi = useApi(readinessApiRef);
  const linkTo = useEntityRefLink();
  const base = linkTo(entityRef);
  const isComponent = entity.kind.toLocaleLowerCase('en-US') === 'component';
  const { value, loading } = useAsync(async () => {
    const [compliance, readiness] = await Promise.allSettled([
      complianceApi.getCompliance(entityRef),
      isComponent
        ? readinessApi.getReadiness(entityRef)
        : Promise.reject(new Error('readiness is scored for components')),
    ]);
    return {
      compliance:
        compliance.status === 'fulfilled' && compliance.value.runId !== null
          ? compliance.value
          : undefined,
      readiness: readiness.status === 'fulfilled' ? readiness.value : undefined,
    };
  }, [complianceApi, readinessApi, entityRef, isComponent]);

  if (loading) {
    return (
      <InfoCard title="Conductor">
        <Progress />
      </InfoCard>
    );
  }
  const c = value?.compliance;
  const p = value?.readiness;
  if (!c && !p) {
    return (
      <InfoCard title="Conductor">
        <Typography variant="body2" data-testid="conductor-card-empty">
          No compliance run or readiness score for this {entity.kind} yet.{' '}
          <Link to={`${base}/evidence`}>See its evidence</Link>.
        </Typography>
      </InfoCard>
    );
  }
  return (
    <InfoCard title="Conductor">
      <Box
        sx={{ display: 'flex', flexWrap: 'wrap', gap: 4 }}
        data-testid="conductor-card"
      >
        <Box>
          <Typography variant="overline" display="block">
            Compliance
          </Typography>
          {c ? (
            <>
              <Typography variant="h5">
                <Link to={`${base}/compliance`}>{formatScore(c.score)}</Link>
              </Typography>
              <Typography variant="body2">
                {c.previousScore === null
                  ? 'first run'
                  : `${formatDelta(
                      c.score,
                      c.previousScore,
                    )} since the previous run`}
              </Typography>
            </>
          ) : (
            <Typography variant="body2">no run yet</Typography>
          )}
        </Box>
        {p && (
          <Box>
            <Typography variant="overline" display="block">
              Readiness
            </Typography>
            <Typography variant="h5">
              <Link to={`${base}/readiness`}>{formatScore(p.score)}</Link>
            </Typography>
            {gateAnswers(p.score, p.thresholds).map(a => (
              <Chip
                key={a.environment}
                size="small"
                sx={{ mr: 0.5, mt: 0.5 }}
                color={a.allowed ? 'success' : 'error'}
                label={`${a.environment}: ${
                  a.allowed ? 'allowed' : 'blocked'
                } (needs ${formatScore(a.threshold)})`}
              />
            ))}
          </Box>
        )}
      </Box>
      {p?.next && (
        <Typography variant="body2" sx={{ mt: 2 }}>
          <strong>Next step:</strong> {p.next.action} (
          {formatPoints(p.next.gain)} readiness)
        </Typography>
      )}
    </InfoCard>
  );
}
