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
  BlastRadiusResponse,
  LineageNode,
} from '@internal/plugin-conductor-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import FormControl from '@mui/material/FormControl';
import Grid from '@mui/material/Grid';
import InputLabel from '@mui/material/InputLabel';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useCallback, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { lineageApiRef } from './api';
import { LineageGraphView, NODE_KIND_STYLE } from './LineageGraph';

/** The ids the "what if" answer touches: changed fields and impacted operations. */
function whatIfIds(report: BlastRadiusResponse, scope: string): Set<string> {
  const ids = new Set<string>();
  for (const c of report.changes)
    if (c.criticality !== 'safe')
      ids.add(`GraphQL:${scope}/${c.path.split('.').slice(0, 2).join('.')}`);
  for (const o of report.impactedOperations)
    ids.add(`Operation:${scope}/${o.file}`);
  for (const s of report.services) ids.add(s);
  for (const t of report.tenants) ids.add(`Tenant:${t}`);
  for (const n of report.reached) ids.add(n.id);
  return ids;
}

function Legend() {
  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.5, mb: 1 }}>
      {Object.entries(NODE_KIND_STYLE).map(([kind, s]) => {
        const Icon = s.icon;
        return (
          <Chip
            key={kind}
            size="small"
            variant="outlined"
            icon={<Icon fontSize="small" />}
            label={s.name}
            sx={{
              borderColor: s.colour,
              '& .MuiChip-icon': { color: s.colour },
            }}
          />
        );
      })}
    </Box>
  );
}

function NodeDetails(props: {
  node: LineageNode;
  onRadius: () => void;
  onExpand: () => void;
  radiusSize?: number;
}) {
  const { node, onRadius, onExpand, radiusSize } = props;
  const style = NODE_KIND_STYLE[node.kind];
  return (
    <InfoCard title={node.label} subheader={style?.name ?? node.kind}>
      <Typography variant="body2" sx={{ wordBreak: 'break-all' }}>
        {node.id}
      </Typography>
      {Object.entries(node.attributes ?? {})
        .filter(([k]) => k !== 'depth')
        .map(([k, v]) => (
          <Typography key={k} variant="body2">
            {k}: {Array.isArray(v) ? v.join(', ') : String(v)}
          </Typography>
        ))}
      <Box sx={{ display: 'flex', gap: 1, mt: 1 }}>
        <Button size="small" variant="outlined" onClick={onRadius}>
          Highlight blast radius
        </Button>
        <Button size="small" onClick={onExpand}>
          Expand from here
        </Button>
      </Box>
      {radiusSize !== undefined && (
        <Typography variant="body2" sx={{ mt: 1 }}>
          A change here reaches {radiusSize} node(s).
        </Typography>
      )}
    </InfoCard>
  );
}

function WhatIf(props: {
  entityRef: string;
  onResult: (report?: BlastRadiusResponse) => void;
}) {
  const lineageApi = useApi(lineageApiRef);
  const [sdl, setSdl] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [report, setReport] = useState<BlastRadiusResponse>();
  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await lineageApi.blastRadius({
        entityRef: props.entityRef,
        headSdl: sdl,
      });
      setReport(r);
      props.onResult(r);
    } catch (e) {
      setError((e as Error).message);
      setReport(undefined);
      props.onResult(undefined);
    } finally {
      setBusy(false);
    }
  };
  return (
    <InfoCard title="What if">
      <Typography variant="body2" sx={{ mb: 1 }}>
        Paste the new schema to see its blast radius before opening a pull
        request.
      </Typography>
      <TextField
        label="New SDL"
        multiline
        minRows={6}
        maxRows={16}
        fullWidth
        value={sdl}
        onChange={e => setSdl(e.target.value)}
        inputProps={{
          'aria-label': 'New SDL',
          style: { fontFamily: 'monospace', fontSize: 12 },
        }}
      />
      <Button
        sx={{ mt: 1 }}
        variant="contained"
        disabled={!sdl.trim() || busy}
        onClick={run}
      >
        Show blast radius
      </Button>
      {error && (
        <Alert severity="error" sx={{ mt: 1, whiteSpace: 'pre-wrap' }}>
          {error}
        </Alert>
      )}
      {report && <WhatIfReport report={report} />}
    </InfoCard>
  );
}

/** A runbook step as the PR comment writes it, `code` in backticks shown as code. */
export function withCode(text: string) {
  return text
    .split('`')
    .map((part, i) =>
      i % 2 ? <code key={i}>{part}</code> : <span key={i}>{part}</span>,
    );
}

function WhatIfReport({ report }: { report: BlastRadiusResponse }) {
  const s = report.summary;
  let severity: 'error' | 'warning' | 'success' = 'success';
  if (report.gate.failed) severity = 'error';
  else if (s.breaking) severity = 'warning';
  return (
    <Box sx={{ mt: 2 }} data-testid="what-if-report">
      <Alert severity={severity}>
        {s.breaking} breaking ({s.breakingUnused} unused), {s.dangerous}{' '}
        dangerous, {s.safe} safe; {s.impactedOperations} of{' '}
        {s.operationsChecked} operation(s) impacted
        {report.gate.failed
          ? ` — blocked: ${report.gate.reasons.join('; ')}`
          : ''}
        {report.partial ? ' (partial: the graph walk stopped at a limit)' : ''}
      </Alert>
      <Typography variant="subtitle2" sx={{ mt: 1 }}>
        Services: {report.services.join(', ') || 'none'}
      </Typography>
      <Typography variant="subtitle2">
        Tenants: {report.tenants.join(', ') || 'none'}
      </Typography>
      {report.impactedOperations.length > 0 && (
        <>
          <Typography variant="subtitle2" sx={{ mt: 1 }}>
            Impacted operations
          </Typography>
          <ul>
            {report.impactedOperations.map(o => (
              <li key={o.key}>
                {o.operationName} ({o.file}) — broken by {o.changes.join(', ')}
              </li>
            ))}
          </ul>
        </>
      )}
      {report.changes.some(c => c.mitigation.length) && (
        <>
          <Typography variant="subtitle2">Mitigation checklist</Typography>
          <ul>
            {report.changes
              .filter(c => c.mitigation.length)
              .map(c => (
                <li key={`${c.type}:${c.path}`}>
                  {c.path} ({c.criticality}, {c.usage})
                  <ul>
                    {c.mitigation.map(m => (
                      <li key={m.kind}>{withCode(m.step)}</li>
                    ))}
                  </ul>
                </li>
              ))}
          </ul>
        </>
      )}
    </Box>
  );
}

/** The "Lineage" tab of APIs, components and systems. @public */
export function LineageContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const lineageApi = useApi(lineageApiRef);
  const [depth, setDepth] = useState(2);
  const [focus, setFocus] = useState<string>();
  const [selected, setSelected] = useState<LineageNode>();
  const [highlighted, setHighlighted] = useState<Set<string>>();
  const [radiusSize, setRadiusSize] = useState<number>();
  const graph = useAsync(
    () => lineageApi.getGraph(entityRef, { depth, focus }),
    [lineageApi, entityRef, depth, focus],
  );
  const isGraphqlApi =
    entity.kind.toLowerCase() === 'api' &&
    (entity.spec as { type?: string })?.type === 'graphql';
  const scope =
    entity.metadata.namespace && entity.metadata.namespace !== 'default'
      ? `${entity.metadata.namespace}.${entity.metadata.name}`
      : entity.metadata.name;

  const onSelect = useCallback((n: LineageNode) => {
    setSelected(n);
    setRadiusSize(undefined);
  }, []);
  const showRadius = async () => {
    if (!selected) return;
    const r = await lineageApi.getRadius(entityRef, selected.id);
    setHighlighted(new Set(r.nodes.map(n => n.id)));
    setRadiusSize(r.nodes.length - 1);
  };

  if (graph.loading && !graph.value) return <Progress />;
  if (graph.error) {
    if (
      (graph.error as { response?: { status?: number } }).response?.status ===
      404
    )
      return (
        <EmptyState
          missing="data"
          title="Not in the lineage graph yet"
          description="The graph is built from the catalog, lineage manifests (annotation conductor.io/lineage) and registered operations on a schedule; ask an admin to run an ingest, or wait for the next one."
        />
      );
    return <ResponseErrorPanel error={graph.error} />;
  }
  const value = graph.value!;
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={isGraphqlApi || selected ? 8 : 12}>
        <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', mb: 1 }}>
          <FormControl size="small" sx={{ minWidth: 120 }}>
            <InputLabel id="lineage-depth">Depth</InputLabel>
            <Select
              labelId="lineage-depth"
              label="Depth"
              value={depth}
              onChange={e => setDepth(Number(e.target.value))}
            >
              {[1, 2, 3, 4, 5, 6].map(d => (
                <MenuItem key={d} value={d}>
                  {d}
                </MenuItem>
              ))}
            </Select>
          </FormControl>
          <Typography variant="body2">
            {value.nodes.length} nodes, {value.edges.length} edges around{' '}
            {focus ?? entityRef}
          </Typography>
          {focus && (
            <Button size="small" onClick={() => setFocus(undefined)}>
              Back to {entity.metadata.name}
            </Button>
          )}
          {highlighted && (
            <Button
              size="small"
              onClick={() => {
                setHighlighted(undefined);
                setRadiusSize(undefined);
              }}
            >
              Clear highlight
            </Button>
          )}
        </Box>
        {value.partial && (
          <Alert severity="info" sx={{ mb: 1 }}>
            The neighbourhood is larger than shown (cut at its{' '}
            {value.partialReason ?? 'limit'}): pick a node and expand from it to
            see more.
          </Alert>
        )}
        <Legend />
        <LineageGraphView
          graph={value}
          highlighted={highlighted}
          selected={selected?.id}
          onSelect={onSelect}
        />
      </Grid>
      {(isGraphqlApi || selected) && (
        <Grid item xs={12} md={4}>
          {selected && (
            <NodeDetails
              node={selected}
              radiusSize={radiusSize}
              onRadius={showRadius}
              onExpand={() => {
                setFocus(selected.id);
                setHighlighted(undefined);
              }}
            />
          )}
          {isGraphqlApi && (
            <Box sx={{ mt: selected ? 2 : 0 }}>
              <WhatIf
                entityRef={entityRef}
                onResult={r =>
                  setHighlighted(r ? whatIfIds(r, scope) : undefined)
                }
              />
            </Box>
          )}
        </Grid>
      )}
    </Grid>
  );
}
