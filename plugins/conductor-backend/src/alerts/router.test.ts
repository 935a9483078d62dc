import { ConfigReader } from '@backstage/config';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AlertSetting } from '@internal/plugin-conductor-common';
import request from 'supertest';
import {
  permissionsThatSay,
  routerTestApp,
} from '../__testUtils__/routerTestApp';
import { createAlertsRouter } from './router';
import { readAlertSettings } from './settings';

const alice = {
  Authorization: mockCredentials.user.header('user:default/alice'),
};

async function settings(conductor: object, allow = true) {
  const app = routerTestApp(
    createAlertsRouter({
      httpAuth: mockServices.httpAuth(),
      permissions: permissionsThatSay(allow),
      settings: readAlertSettings(new ConfigReader({ conductor })),
    }),
  );
  return request(app).get('/settings').set(alice);
}

const byId = (alerts: AlertSetting[]) =>
  Object.fromEntries(alerts.map(a => [a.id, a]));

describe('GET /alerts/settings', () => {
  it('lists every seed alert and the SLO burn alerts, on by default, with the defaults their senders use', async () => {
    const res = await settings({});
    expect(res.status).toBe(200);
    const alerts = byId(res.body.alerts);
    expect(Object.keys(alerts)).toEqual([
      'complianceBelowTarget',
      'ciLibraryMismatch',
      'releaseBlocked',
      'backfillCostSpike',
      'blastRadius',
      'sloBurnRate',
    ]);
    expect(res.body.alerts.every((a: AlertSetting) => a.enabled)).toBe(true);
    expect(alerts.complianceBelowTarget).toMatchObject({
      name: 'Compliance score below target',
      thresholds: [
        { value: '80 %', configKey: 'conductor.compliance.targetScore' },
      ],
      throttleMinutes: null,
      recipients: 'Members of the team',
      link: '/catalog/:namespace/group/:team/conductor',
      topic: 'conductor.compliance.below-target',
    });
    expect(alerts.ciLibraryMismatch).toMatchObject({
      thresholds: [{ value: '1 release' }],
      throttleMinutes: 1440,
      link: '/conductor/ci-library',
    });
    expect(alerts.releaseBlocked).toMatchObject({
      thresholds: [
        {
          value: '0.9',
          configKey: 'conductor.readiness.thresholds.production',
        },
      ],
      throttleMinutes: 60,
      link: '/catalog/:namespace/component/:name/readiness',
    });
    expect(alerts.backfillCostSpike.thresholds[0]).toMatchObject({
      value: '3',
      configKey: 'conductor.backfill.costSpikeFactor',
    });
    expect(alerts.backfillCostSpike.throttleMinutes).toBe(10);
    expect(alerts.blastRadius.thresholds).toEqual([
      {
        label: 'services reached, more than',
        value: '0 services',
        configKey: 'conductor.lineage.maxServices',
      },
    ]);
    expect(alerts.sloBurnRate.thresholds.map((t: any) => t.value)).toEqual([
      '1h/5m ×14.4, 6h/30m ×6',
      '1d/2h ×3, 3d/6h ×1',
    ]);
  });

  it('follows config: thresholds from the keys the senders read, and alerts switched off', async () => {
    const res = await settings({
      compliance: { targetScore: 0.9 },
      federation: { maxVersionsBehind: 2 },
      readiness: { thresholds: { staging: 0.7 } },
      backfill: { costSpikeFactor: 5, unitCost: { perDbSecond: 0.02 } },
      lineage: { maxServices: 3 },
      slo: { defaultWindowDays: 28 },
      alerts: {
        releaseBlocked: { enabled: false },
        ciLibraryMismatch: { throttleMinutes: 120 },
      },
    });
    const alerts = byId(res.body.alerts);
    expect(alerts.complianceBelowTarget.thresholds[0].value).toBe('90 %');
    expect(alerts.ciLibraryMismatch).toMatchObject({
      enabled: true,
      thresholds: [{ value: '2 releases' }],
      throttleMinutes: 120,
    });
    expect(alerts.releaseBlocked.enabled).toBe(false);
    expect(alerts.releaseBlocked.thresholds.map((t: any) => t.value)).toEqual([
      '0.9',
      '0.7',
    ]);
    expect(
      alerts.backfillCostSpike.thresholds.map((t: any) => t.value),
    ).toEqual(['5', '0.02', "each definition's cost_budget"]);
    expect(alerts.blastRadius.thresholds[0].value).toBe('3 services');
    expect(alerts.sloBurnRate.thresholds[0].value).toBe(
      '1h/5m ×13.44, 6h/30m ×5.6',
    );
  });

  it('refuses a bad value naming the key, as the backend does at start-up', () => {
    expect(() =>
      readAlertSettings(
        new ConfigReader({
          conductor: { alerts: { sloBurnRate: { throttleMinutes: -1 } } },
        }),
      ),
    ).toThrow(
      'conductor.alerts.sloBurnRate.throttleMinutes: must be a number of minutes from 0 to 10080 (a week), got -1',
    );
    expect(() =>
      readAlertSettings(
        new ConfigReader({ conductor: { compliance: { targetScore: 80 } } }),
      ),
    ).toThrow(
      'conductor.compliance.targetScore: must be a score from 0 to 1, got 80',
    );
  });

  it('answers 403 to a caller the policy does not allow', async () => {
    const res = await settings({}, false);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe('You may not see the alert settings');
  });
});
