import { mockCredentials } from '@backstage/backend-test-utils';
import { DashboardsResponse } from '@internal/plugin-conductor-common';
import request from 'supertest';
import {
  QUIET_SCHEDULES,
  componentEntity,
  startConductor,
  writeControlsFile,
} from '../__testUtils__';

// A whole backend: slower than a unit test, more so on a busy machine.
jest.setTimeout(90_000);

const CONTROLS = `controls:
  - id: MFA-01
    title: MFA on
    severity: critical
    check: mfa.enforced
`;

describe('GET /api/conductor/dashboards through the conductor plugin', () => {
  it('answers the compliance trend of the team after two runs, and refuses a stranger', async () => {
    const { server, stop } = await startConductor({
      entities: [
        componentEntity('orders-api', { owner: 'group:default/payments' }),
        componentEntity('login-api', { owner: 'group:default/identity' }),
      ],
      conductor: {
        compliance: {
          ...QUIET_SCHEDULES.compliance,
          catalogFiles: [writeControlsFile(CONTROLS)],
        },
      },
    });
    try {
      const ci = { Authorization: mockCredentials.service.header() };
      await request(server)
        .post('/api/conductor/evidence')
        .set(ci)
        .send({
          entityRef: 'component:default/orders-api',
          facts: [{ name: 'mfa.enforced', value: false }],
        })
        .expect(201);
      await request(server)
        .post('/api/conductor/compliance/runs')
        .set(ci)
        .expect(200);
      await request(server)
        .post('/api/conductor/evidence')
        .set(ci)
        .send({
          entityRef: 'component:default/orders-api',
          facts: [{ name: 'mfa.enforced', value: true }],
        })
        .expect(201);
      await request(server)
        .post('/api/conductor/compliance/runs')
        .set(ci)
        .expect(200);

      const res = await request(server)
        .get('/api/conductor/dashboards?team=payments')
        .set({
          Authorization: mockCredentials.user.header('user:default/alice'),
        })
        .expect(200);
      const d: DashboardsResponse = res.body;
      expect(d.team).toBe('group:default/payments');
      expect(d.teams).toEqual([
        'group:default/identity',
        'group:default/payments',
      ]);
      expect(d.compliance.teams).toEqual(['group:default/payments']);
      expect(d.compliance.runs.map(r => r.scores)).toEqual([
        { 'group:default/payments': 0 },
        { 'group:default/payments': 1 },
      ]);

      await request(server)
        .get('/api/conductor/dashboards')
        .set({ Authorization: mockCredentials.none.header() })
        .expect(401);
    } finally {
      await stop();
    }
  });
});
