import { Knex } from 'knex';
import { toIso } from '../shared/database';

/** The last seen state of one burn alert (an SLO and a severity). */
export interface SloAlertState {
  alertKey: string;
  entityRef: string;
  sloId: string;
  severity: 'page' | 'ticket';
  firing: boolean;
  since: string;
}

interface SloAlertRow {
  alert_key: string;
  entity_ref: string;
  slo_id: string;
  severity: string;
  firing: boolean | number;
  since: string | Date | number;
  updated_at: string | Date | number;
}

/** Burn alert states, one row per SLO and severity. */
export class SloAlertStore {
  constructor(private readonly db: Knex) {}

  async all(): Promise<Map<string, SloAlertState>> {
    const rows = await this.db<SloAlertRow>('conductor_slo_alerts').select();
    return new Map(
      rows.map(r => [
        r.alert_key,
        {
          alertKey: r.alert_key,
          entityRef: r.entity_ref,
          sloId: r.slo_id,
          severity: r.severity as 'page' | 'ticket',
          firing: Boolean(r.firing),
          since: toIso(r.since),
        },
      ]),
    );
  }

  /** Records a change of state (firing or resolved). */
  async set(state: SloAlertState): Promise<void> {
    const now = new Date();
    await this.db<SloAlertRow>('conductor_slo_alerts')
      .insert({
        alert_key: state.alertKey,
        entity_ref: state.entityRef,
        slo_id: state.sloId,
        severity: state.severity,
        firing: state.firing,
        since: new Date(state.since) as unknown as string,
        updated_at: now as unknown as string,
      })
      .onConflict('alert_key')
      .merge(['firing', 'since', 'updated_at']);
  }
}
