/*
 * Benchmark of GET /dashboards over a catalog of 10,000 components owned by
 * 100 teams, on PostgreSQL and SQLite, with the history a year of use
 * leaves: 10 compliance runs (10,000 entity and 100 team scores each),
 * 10 days of readiness scores and CI library adoption per component,
 * 2,000 auto-PRs, 20,000 lineage change events, 50 backfill runs with
 * checkpoints.
 *
 * Measured in the same run, per database:
 * - dashboards: DashboardsService as the backend runs it (rows read once per
 *   request; the policy's ownership condition applied with the catalog's
 *   rules: one authorize call), for an admin (every team), for a team member
 *   under closed reads (every team they may read), and for one team;
 * - baseline: the same figures the naive way: compliance history one query
 *   per team (as GET /compliance/teams reads it), backfill checkpoints one
 *   query per run, and read permission asked per entity (40,000 resource
 *   checks, answered in process here, so the baseline is flattered: over
 *   HTTP each batch is a request to the permission backend).
 *
 * Usage: BENCH_POSTGRES_URL=postgresql://postgres@127.0.0.1:55432 \
 *   NODE_ENV=production node -r @backstage/cli/config/nodeTransform.cjs \
 *   bench/dashboards/run.ts   (or bash bench/run.sh dashboards)
 * It creates and drops its own PostgreSQL database and SQLite file.
 */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  complianceTrend,
  parseBackfillDefinition,
} from '@internal/plugin-conductor-common';
import knexFactory, { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
/* eslint-disable @backstage/no-relative-monorepo-imports */
import { BackfillStore } from '../../plugins/conductor-backend/src/backfill/BackfillStore';
import { ComplianceStore } from '../../plugins/conductor-backend/src/compliance/ComplianceStore';
import { DashboardsService } from '../../plugins/conductor-backend/src/dashboards/DashboardsService';
import { FederationStore } from '../../plugins/conductor-backend/src/federation/FederationStore';
import { LineageStore } from '../../plugins/conductor-backend/src/lineage/LineageStore';
import { ReadinessStore } from '../../plugins/conductor-backend/src/readiness/ReadinessStore';
import { RemediationStore } from '../../plugins/conductor-backend/src/remediation/RemediationStore';
import { DefaultCatalogSnapshot } from '../../plugins/conductor-backend/src/shared/CatalogSnapshot';
/* eslint-enable @backstage/no-relative-monorepo-imports */

const ENTITIES = Number(process.env.BENCH_ENTITIES ?? 10_000);
const TEAMS = 100;
const DAYS = 10;
const RUNS = 10;
const REPEAT = 5;
const PG =
  process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:55432';
const NOW = new Date('2026-11-20T12:00:00.000Z');
const day = (d: number) =>
  new Date(NOW.getTime() - d * 86_400_000).toISOString();

const team = (i: number) => `group:default/team-${i % TEAMS}`;
const ref = (i: number) => `component:default/svc-${i}`;
const entities: Entity[] = Array.from({ length: ENTITIES }, (_, i) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: `svc-${i}`, namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: team(i) },
  relations: [{ type: 'ownedBy', targetRef: team(i) }],
}));

async function seed(db: Knex) {
  const compliance = new ComplianceStore(db);
  for (let r = 0; r < RUNS; r++)
    await compliance.saveRun({
      trigger: 'nightly',
      startedAt: NOW,
      controls: 20,
      entities: ENTITIES,
      score: 0.8,
      results: [],
      scores: [
        ...Array.from({ length: TEAMS }, (_, t) => ({
          scope: 'team' as const,
          ref: team(t),
          score: ((t + r) % 10) / 10,
          previousScore: null,
        })),
        ...Array.from({ length: ENTITIES }, (_, i) => ({
          scope: 'entity' as const,
          ref: ref(i),
          score: ((i + r) % 10) / 10,
          previousScore: null,
        })),
      ],
      factChanges: [],
      seenChanges: [],
    });

  const readiness = new ReadinessStore(db);
  for (let d = 0; d < DAYS; d++)
    await readiness.saveScores(
      Array.from({ length: ENTITIES }, (_, i) => ({
        entityRef: ref(i),
        score: ((i * 7 + d) % 100) / 100,
        components: [],
        computedAt: day(d),
      })),
    );

  const remediation = new RemediationStore(db);
  for (let i = 0; i < 2000; i++) {
    const id = await remediation.insert({
      entityRef: ref(i * 5 + (i % 5)),
      team: team(i * 5 + (i % 5)),
      provider: 'git',
      repository: ref(i * 5 + (i % 5)),
      branch: 'conductor/fix',
      title: 'Add retention tags',
      state: 'open',
      controls: ['PRIV-RET-01'],
      headSha: 'abc',
      baseBranch: 'main',
      fingerprint: 'f',
      body: 'x'.repeat(2000),
      openedAt: day(i % 60),
      updatedAt: day(i % 60),
    });
    if (i % 2 === 0)
      await remediation.update(
        id,
        { state: 'merged', mergedAt: day((i % 60) - 0.5) },
        NOW,
      );
  }

  const lineage = new LineageStore(db);
  for (let s = 0; s < 200; s++)
    await lineage.replaceSource(
      `manifest:${ref(s * 50 + (s % 50))}`,
      Array.from({ length: 100 }, (_, k) => ({
        from: ref(s * 50 + (s % 50)),
        to: `Contract:C${s}-${k}@v1`,
        type: 'reads' as const,
      })),
      [],
      new Date(day(s % DAYS)),
    );

  const backfill = new BackfillStore(db, () => Date.parse(day(1)));
  for (let r = 0; r < 50; r++) {
    const { definition } = parseBackfillDefinition(
      'b.yaml',
      `id: b-${r}\nowner: ${ref(
        r * 200 + r,
      )}\nconnection: c\ntable: t\nkey: id\nstep: UPDATE t SET a = 1 WHERE id BETWEEN :from AND :to\n`,
    );
    const run = await backfill.createRun({
      definition: definition!,
      definitionHash: `h${r}`,
      createdBy: 'user:default/admin',
    });
    for (const at of [0.1, 0.5, 0.9, 1])
      await backfill.recordCheckpoint(run.id, {
        at,
        passed: at !== 0.5 || r % 3 !== 0,
        wrongRows: 0,
        rowsDone: 1000,
        message: '',
        checkedAt: day(1),
      });
  }

  const federation = new FederationStore(db);
  for (let d = DAYS - 1; d >= 0; d--)
    await federation.saveScan(
      Array.from({ length: ENTITIES }, (_, i) => ({
        entityRef: ref(i),
        status: 'current' as const,
        version: (i + d) % 4 === 0 ? 'v1.0.0' : 'v1.1.0',
        errors: [],
        scannedAt: day(d),
      })),
      day(d).slice(0, 10),
      true,
    );
}

/** A team member's reads under closed reads: what the portal's policy answers. */
function teamMemberPermissions(claims: string[]) {
  const owned = new Set(
    entities
      .filter(e => claims.includes(e.relations![0].targetRef))
      .map(e => stringifyEntityRef(e)),
  );
  return {
    authorizeConditional: async (
      queries: Array<{ permission: { type: string; name: string } }>,
    ) =>
      queries.map(q =>
        q.permission.type === 'resource'
          ? createCatalogConditionalDecision(
              q.permission as ResourcePermission<'catalog-entity'>,
              catalogConditions.isEntityOwner({ claims }),
            )
          : { result: AuthorizeResult.ALLOW },
      ),
    authorize: async (
      requests: Array<{ permission: { type: string }; resourceRef?: string }>,
    ) =>
      requests.map(r => ({
        result:
          r.permission.type !== 'resource' || owned.has(r.resourceRef!)
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      })),
  } as any;
}

/**
 * The naive way to the same figures: one compliance history query per team,
 * one checkpoints query per backfill run, read permission asked per entity.
 */
async function naive(db: Knex, permissions: any) {
  const refs = entities.map(e => stringifyEntityRef(e));
  const names = [
    'conductor.evidence.read',
    'conductor.lineage.read',
    'conductor.backfill.read',
    'conductor.federation.read',
  ];
  const allowed = new Map<string, Set<string>>();
  for (const name of names) {
    const decisions = await permissions.authorize(
      refs.map(resourceRef => ({
        permission: { type: 'resource', name },
        resourceRef,
      })),
    );
    allowed.set(
      name,
      new Set(refs.filter((_, i) => decisions[i].result === 'ALLOW')),
    );
  }
  const compliance = new ComplianceStore(db);
  const teams = [...new Set(entities.map(e => e.relations![0].targetRef))];
  const rows = [];
  for (const t of teams)
    for (const h of await compliance.scoreHistory('team', t, 30))
      rows.push({ ...h, ref: t });
  complianceTrend(rows, new Set(teams), null);
  const backfill = new BackfillStore(db);
  const runs = (await backfill.runs({ limit: 500 })).slice(0, 20);
  for (const r of runs) await backfill.checkpoints(r.id);
  // The rest reads the same rows as the dashboards do.
  await new RemediationStore(db).list({ limit: 10_000 });
  await new LineageStore(db).events(20_000);
  await new ReadinessStore(db).scoresSince(new Date(day(29)));
  await new FederationStore(db).adoption(
    day(29).slice(0, 10),
    allowed.get('conductor.federation.read')!,
  );
}

async function timeIt(fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm
  const times = [];
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

/** A logger that says nothing (mockServices' needs jest). */
const quietLogger = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return quietLogger;
  },
};

const median = (xs: number[]) => xs[Math.floor(xs.length / 2)];

async function measure(name: string, db: Knex) {
  const t0 = performance.now();
  await db.migrate.latest({
    directory: path.join(
      __dirname,
      '../../plugins/conductor-backend/migrations',
    ),
  });
  await seed(db);
  const seeded = performance.now() - t0;
  const snapshot = new DefaultCatalogSnapshot({
    catalog: catalogServiceMock({ entities }),
    auth: mockServices.auth(),
    logger: quietLogger as any,
  });
  await snapshot.ensure();
  const service = (permissions: any) =>
    new DashboardsService({
      catalogSnapshot: snapshot,
      permissions,
      compliance: new ComplianceStore(db),
      remediation: new RemediationStore(db),
      lineage: new LineageStore(db),
      readiness: new ReadinessStore(db),
      backfill: new BackfillStore(db),
      federation: new FederationStore(db),
      targetScore: 0.85,
      readinessThreshold: () => 0.9,
      now: () => NOW,
    });
  const allow = mockServices.permissions({ result: AuthorizeResult.ALLOW });
  const member = teamMemberPermissions(['user:default/a', team(7)]);
  const credentials = mockCredentials.user('user:default/a');
  const reloaded = service(member);
  // A fresh service each call: nothing reused (the first load of a page).
  const cases: Array<[string, () => Promise<unknown>]> = [
    [
      'first load, admin, every team',
      () => service(allow).dashboards(credentials, null),
    ],
    [
      'first load, team member, closed reads',
      () => service(member).dashboards(credentials, null),
    ],
    [
      'first load, one team',
      () => service(allow).dashboards(credentials, team(7)),
    ],
    [
      'reload within a minute, team member',
      () => reloaded.dashboards(credentials, null),
    ],
    ['baseline: naive, team member', () => naive(db, member)],
  ];
  // Where the time goes: each read alone.
  const reads: Array<[string, () => Promise<unknown>]> = [
    [
      'compliance team scores',
      () => new ComplianceStore(db).teamScoresOfRecentRuns(30),
    ],
    ['auto-PRs', () => new RemediationStore(db).list({ limit: 10_000 })],
    ['lineage events', () => new LineageStore(db).events(20_000)],
    [
      'readiness scores',
      () => new ReadinessStore(db).scoresSince(new Date(day(29))),
    ],
    ['backfill runs', () => new BackfillStore(db).runs({ limit: 500 })],
    [
      'adoption',
      () =>
        new FederationStore(db).adoption(
          day(29).slice(0, 10),
          new Set(entities.map(e => stringifyEntityRef(e))),
        ),
    ],
  ];
  for (const [label, fn] of reads)
    console.log(`  read ${label}: ${median(await timeIt(fn)).toFixed(0)} ms`);
  const check = await service(member).dashboards(credentials, null);
  if (check.teams.length !== 1 || check.backfills.runs.length === 0)
    throw new Error(`unexpected view: ${JSON.stringify(check.teams)}`);
  console.log(
    `\n${name}: ${ENTITIES} components, ${TEAMS} teams; seeded in ${(
      seeded / 1000
    ).toFixed(1)} s`,
  );
  console.log('case                                   | median ms | min ms');
  const results: Record<string, number> = {};
  for (const [label, fn] of cases) {
    const times = await timeIt(fn);
    results[label] = median(times);
    console.log(
      `${label.padEnd(38)} | ${median(times)
        .toFixed(0)
        .padStart(9)} | ${times[0].toFixed(0).padStart(6)}`,
    );
  }
  const base = results['baseline: naive, team member'];
  console.log(
    `ratio baseline / first load (team member): ${(
      base / results['first load, team member, closed reads']
    ).toFixed(1)}x; baseline / reload: ${(
      base / results['reload within a minute, team member']
    ).toFixed(0)}x`,
  );
}

async function main() {
  const dbName = `conductor_bench_dashboards_${process.pid}`;
  const admin = knexFactory({ client: 'pg', connection: `${PG}/postgres` });
  await admin.raw(`create database ${dbName}`);
  const pg = knexFactory({
    client: 'pg',
    connection: `${PG}/${dbName}`,
    pool: { min: 1, max: 5 },
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-bench-'));
  const sqlite = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(dir, 'bench.sqlite') },
    useNullAsDefault: true,
  });
  try {
    // BENCH_ONLY=postgres or sqlite measures one database.
    if (process.env.BENCH_ONLY !== 'sqlite') await measure('PostgreSQL 15', pg);
    if (process.env.BENCH_ONLY !== 'postgres') await measure('SQLite', sqlite);
  } finally {
    await pg.destroy();
    await sqlite.destroy();
    await admin.raw(`drop database if exists ${dbName}`);
    await admin.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
