// The request forms several views share: an exemption from a control and a
// break-glass override of the promotion gate. Each is shown only to those
// allowed to ask, and is inert until someone else approves it.
import { useApi } from '@backstage/frontend-plugin-api';
import {
  conductorExemptionRequestPermission,
  conductorOverrideRequestPermission,
} from '@internal/plugin-conductor-common';
import Typography from '@mui/material/Typography';
import { complianceApiRef } from '../compliance/api';
import { readinessApiRef } from '../readiness/api';
import { formatDay } from './format';
import { RequestDialog } from './RequestDialog';

const DAY = 86_400_000;

/** The longest an exemption may be asked for from the portal. */
export const MAX_EXEMPTION_DAYS = 365;

/** An error for an expiry date (yyyy-mm-dd), or undefined when it is fine. */
export function exemptionExpiryError(
  value: string,
  now: Date = new Date(),
): string | undefined {
  const at = Date.parse(`${value}T23:59:59Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(at))
    return 'A date, yyyy-mm-dd.';
  if (at <= now.getTime()) return 'Must be in the future.';
  if (at > now.getTime() + MAX_EXEMPTION_DAYS * DAY)
    return `At most ${MAX_EXEMPTION_DAYS} days ahead.`;
  return undefined;
}

/** The longest break-glass override, in hours (the gate's rule). */
export const MAX_OVERRIDE_HOURS = 72;

/** An error for an override's duration in hours, or undefined. */
export function overrideHoursError(value: string): string | undefined {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_OVERRIDE_HOURS)
    return `Whole hours, 1 to ${MAX_OVERRIDE_HOURS}.`;
  return undefined;
}

/** "Request exemption" for one control of one entity. */
export function RequestExemptionDialog(props: {
  entityRef: string;
  controlId: string;
  controlTitle?: string;
  onDone?: () => void;
}) {
  const api = useApi(complianceApiRef);
  const in30Days = formatDay(new Date(Date.now() + 30 * DAY).toISOString());
  return (
    <RequestDialog
      buttonLabel="Request exemption"
      title={`Exempt from ${props.controlId}`}
      intro={
        <Typography variant="body2">
          {props.controlTitle ? `${props.controlTitle}. ` : ''}
          The exemption counts once someone else approves it, and ends on the
          expiry date.
        </Typography>
      }
      permission={conductorExemptionRequestPermission}
      entityRef={props.entityRef}
      fields={[
        {
          name: 'expiresAt',
          label: 'Expires on',
          type: 'date',
          initial: in30Days,
          validate: v => exemptionExpiryError(v),
        },
      ]}
      submit={async v => {
        const created = await api.requestExemption({
          entityRef: props.entityRef,
          controlId: props.controlId,
          reason: v.reason.trim(),
          expiresAt: new Date(`${v.expiresAt}T23:59:59Z`).toISOString(),
        });
        return `Exemption #${created.id} requested; it waits for approval.`;
      }}
      onDone={props.onDone}
    />
  );
}

/** "Request override" of the promotion gate for one environment. */
export function RequestOverrideDialog(props: {
  entityRef: string;
  environment: string;
  onDone?: () => void;
}) {
  const api = useApi(readinessApiRef);
  return (
    <RequestDialog
      buttonLabel={`Request ${props.environment} override`}
      title={`Break-glass override for ${props.environment}`}
      intro={
        <Typography variant="body2">
          Lets releases of {props.entityRef} to {props.environment} through the
          gate whatever the score, once someone else approves it. Every decision
          it lets through records it.
        </Typography>
      }
      permission={conductorOverrideRequestPermission}
      entityRef={props.entityRef}
      fields={[
        {
          name: 'expiresInHours',
          label: 'Expires after (hours)',
          type: 'number',
          initial: '24',
          validate: overrideHoursError,
        },
      ]}
      submit={async v => {
        const created = await api.requestOverride({
          entityRef: props.entityRef,
          environment: props.environment,
          reason: v.reason.trim(),
          expiresInHours: Number(v.expiresInHours),
        });
        return `Override #${created.id} requested; it waits for approval.`;
      }}
      onDone={props.onDone}
    />
  );
}
