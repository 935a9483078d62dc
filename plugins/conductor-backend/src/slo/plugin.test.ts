// The SLO capability through the real conductor plugin: its routes are
// mounted under /api/conductor/slo, and without a Prometheus URL every board
// says so instead of showing numbers.
import { SloBoardResponse } from '@internal/plugin-conductor-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { startConductor } from '../__testUtils__';
import { slothAvailability, sloComponent } from './__testUtils__/world';

describe('SLO boards in the conductor plugin', () => {
  it('serves a board that says no Prometheus is configured, with no numbers', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-slo-plugin-'));
    fs.writeFileSync(
      path.join(dir, 'orders-api.yaml'),
      slothAvailability('orders-api', 99.9),
    );
    const { server, stop } = await startConductor({
      entities: [
        sloComponent('orders-api', 'group:default/payments', {
          'conductor.io/slo-file': 'orders-api.yaml',
        }),
      ],
      conductor: { slo: { definitionsDir: dir } },
    });
    try {
      const teams = await request(server).get('/api/conductor/slo/teams');
      expect(teams.status).toBe(200);
      expect(teams.body.prometheus.state).toBe('not-configured');
      const res = await request(server).get(
        '/api/conductor/slo/teams/default/payments',
      );
      const board: SloBoardResponse = res.body;
      expect(board.prometheus.reason).toMatch(/No Prometheus is configured/);
      expect(board.services[0].slos[0]).toMatchObject({
        id: 'orders-api-availability',
        state: 'not-configured',
        sli: null,
        budgetRemaining: null,
      });
      expect(board.queries).toBe(0);
    } finally {
      await stop();
    }
  });
});
