import {
  Content,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { AlertSetting } from '@internal/plugin-conductor-common';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { DataTable } from '../shared';
import { alertsApiRef } from './api';

/** "every 60 min", "once a day", or the state rule when there is no throttle. */
function repeatText(a: AlertSetting): string {
  if (a.throttleMinutes === null) return a.dedupe;
  const m = a.throttleMinutes;
  let every = `${m} min`;
  if (m % 1440 === 0) every = `${m / 1440} d`;
  else if (m % 60 === 0) every = `${m / 60} h`;
  return `${a.dedupe} At most once every ${every}.`;
}

/** A concrete path is a link; a pattern with `:placeholders` is shown as is. */
function PageLink(props: { path: string }) {
  return props.path.includes(':') ? (
    <code>{props.path}</code>
  ) : (
    <Link to={props.path}>{props.path}</Link>
  );
}

/** The "Alerts" sub-page: which alerts are on, their thresholds, who gets them. */
export function AlertsPage() {
  const api = useApi(alertsApiRef);
  const { value, loading, error } = useAsync(() => api.getSettings(), [api]);
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  return (
    <Content>
      <InfoCard
        title="Alert settings"
        subheader="Backstage notifications to the owning team; thresholds from app-config (conductor.alerts.<alert>.enabled switches one off)"
      >
        <DataTable
          label="Alert settings"
          columns={[
            'Alert',
            'On',
            { title: 'Thresholds', wrap: true },
            { title: 'Repeats', wrap: true },
            { title: 'Recipients', wrap: true, minWidth: 180 },
            'Links to',
          ]}
          rows={value!.alerts.map(a => ({
            key: a.id,
            cells: [
              <>
                <Typography variant="body2">{a.name}</Typography>
                <Typography variant="caption" color="text.secondary">
                  {a.condition}
                </Typography>
              </>,
              <Chip
                key="on"
                size="small"
                label={a.enabled ? 'on' : 'off'}
                color={a.enabled ? 'success' : 'default'}
              />,
              <>
                {a.thresholds.map(t => (
                  <Typography variant="body2" key={t.configKey + t.label}>
                    {t.label}: <b>{t.value}</b>{' '}
                    <Typography
                      component="span"
                      variant="caption"
                      color="text.secondary"
                    >
                      ({t.configKey})
                    </Typography>
                  </Typography>
                ))}
              </>,
              repeatText(a),
              a.recipients,
              <PageLink key="link" path={a.link} />,
            ],
          }))}
        />
      </InfoCard>
    </Content>
  );
}
