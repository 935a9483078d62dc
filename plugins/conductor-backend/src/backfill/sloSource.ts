import { Entity } from '@backstage/catalog-model';
import { SloComponentResponse } from '@internal/plugin-conductor-common';
import { BackfillSloSource } from './BackfillRunner';

/**
 * Burn rates for the backfill runner from the SLO boards: the worst
 * short-window (1h, else 5m) burn rate of a component's SLOs. An SLO that
 * Prometheus could not measure is an error, which the runner counts red.
 */
export function sloBurnRateSource(
  slo: { component(entity: Entity): Promise<SloComponentResponse> },
  catalog: { fetch(entityRef: string): Promise<Entity | undefined> },
): BackfillSloSource {
  return {
    async burnRate(entityRef) {
      const entity = await catalog.fetch(entityRef);
      if (!entity) throw new Error(`${entityRef} is not in the catalog`);
      const board = await slo.component(entity);
      let worst: number | null = null;
      for (const s of board.slos) {
        if (s.state === 'unavailable' || s.state === 'error') {
          throw new Error(`SLO ${s.id}: ${s.reason ?? s.state}`);
        }
        const rate = s.burnRates['1h'] ?? s.burnRates['5m'] ?? null;
        if (rate !== null) worst = Math.max(worst ?? 0, rate);
      }
      return worst;
    },
  };
}
