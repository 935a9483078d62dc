import {
  Content,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  BundleScope,
  BundleSummary,
  conductorBundleCreatePermission,
} from '@internal/plugin-conductor-common';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { ActionButton, DataTable, EntityLink, formatAgo } from '../shared';
import { BundleApi, bundleApiRef } from './api';

function ScopeCell(props: { scope: BundleScope }) {
  const { scope } = props;
  if (scope.kind === 'entity')
    return <EntityLink entityRef={scope.entityRef} />;
  if (scope.kind === 'team') return <EntityLink entityRef={scope.team} />;
  return <>all entities</>;
}

function DownloadLink(props: { api: BundleApi; bundle: BundleSummary }) {
  const [error, setError] = useState<string>();
  const save = async () => {
    try {
      const blob = await props.api.download(props.bundle);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `conductor-bundle-${props.bundle.id}.jsonl`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <>
      <Link component="button" onClick={save}>
        conductor-bundle-{props.bundle.id}.jsonl
      </Link>
      {error && (
        <Typography color="error" variant="caption" display="block">
          {error}
        </Typography>
      )}
    </>
  );
}

/** The "Bundles" sub-page: signed evidence bundles, downloadable; admins create them. */
export function BundlesPage() {
  const api = useApi(bundleApiRef);
  const [reload, setReload] = useState(0);
  const { value, loading, error } = useAsync(() => api.list(), [api, reload]);
  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const { bundles, canCreate } = value!;
  return (
    <Content>
      <InfoCard title="Evidence bundles">
        <Typography variant="body2" paragraph>
          Each bundle is one signed archive (in-toto statement in a DSSE
          envelope, Ed25519) of the controls score and auto-PR log, lineage
          snapshot, readiness scores and gate decisions, backfill evidence, SBOM
          facts and the CI library in use. Check one offline with{' '}
          <code>conductor bundle verify FILE --key signer.pub</code>.
        </Typography>
        {canCreate && (
          <ActionButton
            permission={conductorBundleCreatePermission}
            label="Create a bundle of all entities"
            variant="contained"
            run={async () => {
              const b = await api.create({ all: true });
              return `Bundle ${b.id}: ${
                b.fileCount
              } files signed by key ${b.keyId.slice(0, 12)}…`;
            }}
            onDone={() => setReload(r => r + 1)}
          />
        )}
        <DataTable
          label="Evidence bundles"
          columns={[
            'Bundle',
            'Covers',
            'Since',
            'Created',
            'By',
            { title: 'Files', numeric: true },
            { title: 'Size (KB)', numeric: true },
            'Key',
          ]}
          rows={bundles.map(b => ({
            key: String(b.id),
            cells: [
              <DownloadLink api={api} bundle={b} />,
              <ScopeCell scope={b.scope} />,
              b.since ? formatAgo(b.since) : 'everything',
              formatAgo(b.createdAt),
              b.createdBy,
              b.fileCount,
              (b.sizeBytes / 1024).toFixed(1),
              <code title={b.keyId}>{b.keyId.slice(0, 12)}</code>,
            ],
            sortValues: [
              b.id,
              null,
              b.since,
              b.createdAt,
              b.createdBy,
              b.fileCount,
              b.sizeBytes,
              b.keyId,
            ],
          }))}
        />
      </InfoCard>
    </Content>
  );
}
