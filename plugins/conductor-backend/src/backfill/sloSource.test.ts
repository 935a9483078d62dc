import {
  SloComponentResponse,
  SloStatus,
} from '@internal/plugin-conductor-common';
import { sloBurnRateSource } from './sloSource';

const slo = (over: Partial<SloStatus>): SloStatus =>
  ({
    id: 'a',
    state: 'ok',
    burnRates: { '1h': 1, '5m': 3 },
    ...over,
  } as SloStatus);

const source = (slos: SloStatus[]) =>
  sloBurnRateSource(
    { component: async () => ({ slos } as SloComponentResponse) },
    {
      fetch: async (ref: string) =>
        ref === 'component:default/orders-api'
          ? ({ kind: 'Component', metadata: { name: 'orders-api' } } as any)
          : undefined,
    },
  );

describe('burn rates from the SLO boards', () => {
  it('is the worst 1h burn rate of the SLOs (5m when 1h is missing)', async () => {
    await expect(
      source([
        slo({ burnRates: { '1h': 0.5 } }),
        slo({ id: 'b', burnRates: { '1h': null, '5m': 4.2 } }),
      ]).burnRate('component:default/orders-api'),
    ).resolves.toBe(4.2);
    await expect(
      source([slo({ burnRates: {} })]).burnRate('component:default/orders-api'),
    ).resolves.toBeNull();
  });
  it('fails (red) when an SLO cannot be measured or the component is unknown', async () => {
    await expect(
      source([
        slo({
          state: 'unavailable',
          reason: 'Prometheus refused the connection',
        }),
      ]).burnRate('component:default/orders-api'),
    ).rejects.toThrow('SLO a: Prometheus refused the connection');
    await expect(source([]).burnRate('component:default/gone')).rejects.toThrow(
      'component:default/gone is not in the catalog',
    );
  });
});
