import {
  TestDatabases,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { conductorPlugin } from '../plugin';
import { QUIET_SCHEDULES } from '../__testUtils__/testSchedules';

// Replicas share PostgreSQL in production; SQLite is one process only.
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

const entities: Entity[] = ['orders-api', 'billing-api'].map(name => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/payments',
  },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/payments' }],
}));

async function nightlyRuns(knex: Knex) {
  const rows = await knex('conductor_compliance_runs')
    .where('trigger', 'nightly')
    .orderBy('id');
  const ms = (v: unknown) => new Date(v as string).getTime();
  return rows.map((r: any) => ({
    startedAt: ms(r.started_at),
    finishedAt: r.finished_at ? ms(r.finished_at) : null,
  }));
}

const describeIfPostgres = databases.supports('POSTGRES_15')
  ? describe
  : describe.skip;

describeIfPostgres(
  'the nightly compliance run with two backend replicas',
  () => {
    it('runs once per scheduled slot across both, never twice at the same time', async () => {
      const knex = await databases.init('POSTGRES_15');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-nightly-'));
      const file = path.join(dir, 'controls.yaml');
      fs.writeFileSync(
        file,
        'controls:\n  - id: SEC-MFA-01\n    title: MFA\n    severity: critical\n    check: mfa.enforced\n',
      );
      // "Nightly" every 3 s here, so the test sees several slots.
      const schedule = {
        frequency: { seconds: 3 },
        timeout: { seconds: 30 },
        initialDelay: { seconds: 1 },
      };
      const replica = () =>
        startTestBackend({
          features: [
            conductorPlugin,
            schedulerServiceFactory,
            catalogServiceMock.factory({ entities }),
            mockServices.database.factory({ knex }),
            mockServices.rootConfig.factory({
              data: {
                conductor: {
                  ...QUIET_SCHEDULES,
                  compliance: { catalogFiles: [file], schedule },
                },
              },
            }),
          ],
        });
      const [a, b] = await Promise.all([replica(), replica()]);
      try {
        const deadline = Date.now() + 40_000;
        while (
          (await nightlyRuns(knex)).filter(r => r.finishedAt).length < 3 &&
          Date.now() < deadline
        ) {
          await new Promise(r => setTimeout(r, 250));
        }
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
      const runs = (await nightlyRuns(knex)).filter(r => r.finishedAt);
      expect(runs.length).toBeGreaterThanOrEqual(3);
      for (let i = 1; i < runs.length; i++) {
        // Each run starts after the one before finished, a slot later: two
        // uncoordinated replicas would start theirs within milliseconds.
        expect(runs[i].startedAt).toBeGreaterThanOrEqual(
          runs[i - 1].finishedAt!,
        );
        expect(runs[i].startedAt - runs[i - 1].startedAt).toBeGreaterThan(
          2_000,
        );
      }
    }, 60_000);
  },
);
