/*
 * Benchmark of the controls engine: 50 controls over 10,000 synthetic
 * entities, whole-run time and memory, against the same checks through
 * json-rules-engine (the engine Backstage Tech Insights uses), measured in
 * the same run. Usage: bash bench/run.sh controls
 */
import {
  EvidenceFact,
  evaluateControls,
  parseControlsFile,
} from '@internal/plugin-conductor-common';
import { Engine } from 'json-rules-engine';

const ENTITIES = Number(process.env.BENCH_ENTITIES ?? 10_000);
const now = new Date('2026-11-24T00:00:00Z');

/** 50 checks, each a comparison a rules engine can express too. */
type Check = {
  fact: string;
  op: '>=' | '<=' | '==';
  value: number | boolean;
  cel: string;
};
const numeric = [
  'test.coverage',
  'sbom.coverage',
  'policy.coverage',
  'slo.adherence',
];
const flags = [
  'mfa.enforced',
  'repo.codeowners',
  'sbom.present',
  'alerts.defined',
  'dashboards.exported',
  'catalog.owner_is_group',
];
const checks: Check[] = [];
for (let i = 0; checks.length < 50; i++) {
  if (i % 3 === 2) {
    const fact = flags[i % flags.length];
    checks.push({ fact, op: '==', value: true, cel: `${fact} == true` });
  } else {
    const fact = numeric[i % numeric.length];
    const value = 0.5 + (i % 10) / 20;
    const op = i % 3 === 0 ? '>=' : '<=';
    checks.push({ fact, op, value, cel: `${fact} ${op} ${value.toFixed(2)}` });
  }
}
const yaml = `controls:\n${checks
  .map(
    (c, i) =>
      `  - id: C-${i}\n    title: check ${i}\n    severity: ${
        ['critical', 'high', 'medium', 'low'][i % 4]
      }\n    check: "${c.cel}"\n`,
  )
  .join('')}`;

function entityFacts(i: number): EvidenceFact[] {
  const ref = `component:default/svc-${i}`;
  const f = (
    name: string,
    type: EvidenceFact['type'],
    value: any,
  ): EvidenceFact => ({
    entityRef: ref,
    name,
    type,
    value,
    source: 'ci:bench',
    observedAt: now.toISOString(),
    recordedAt: now.toISOString(),
  });
  return [
    ...numeric.map((n, k) => f(n, 'number', ((i * 31 + k * 17) % 100) / 100)),
    ...flags.map((n, k) => f(n, 'boolean', (i + k) % 3 !== 0)),
  ];
}

async function main() {
  const facts = Array.from({ length: ENTITIES }, (_, i) => entityFacts(i));

  // --- Conductor: CEL, type-checked at load ---
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const { controls, errors } = parseControlsFile('bench.yaml', yaml);
  if (errors.length) throw new Error(JSON.stringify(errors));
  const tLoad = performance.now();
  let passes = 0;
  for (let i = 0; i < ENTITIES; i++) {
    const results = evaluateControls(
      controls,
      { entityRef: `component:default/svc-${i}`, kind: 'Component' },
      facts[i],
      { now },
    );
    for (const r of results) if (r.status === 'pass') passes++;
  }
  const t1 = performance.now();
  const heapConductor = process.memoryUsage().heapUsed - heap0;

  // --- Baseline: json-rules-engine, same checks ---
  global.gc?.();
  const heap1 = process.memoryUsage().heapUsed;
  const t2 = performance.now();
  const engine = new Engine([], { allowUndefinedFacts: true });
  const opName = {
    '>=': 'greaterThanInclusive',
    '<=': 'lessThanInclusive',
    '==': 'equal',
  } as const;
  checks.forEach((c, i) =>
    engine.addRule({
      name: `C-${i}`,
      conditions: {
        all: [{ fact: c.fact, operator: opName[c.op], value: c.value }],
      },
      event: { type: `C-${i}` },
    }),
  );
  let basePasses = 0;
  for (let i = 0; i < ENTITIES; i++) {
    const input = Object.fromEntries(facts[i].map(f => [f.name, f.value]));
    const { results } = await engine.run(input);
    basePasses += results.length;
  }
  const t3 = performance.now();
  const heapBaseline = process.memoryUsage().heapUsed - heap1;

  if (passes !== basePasses)
    throw new Error(`engines disagree: ${passes} vs ${basePasses} passes`);
  const ours = t1 - t0;
  const theirs = t3 - t2;
  console.log(
    `\ncontrols engine: ${controls.length} controls x ${ENTITIES} entities = ${
      controls.length * ENTITIES
    } evaluations (${passes} pass, same in both)`,
  );
  console.log(
    'engine                 | whole run ms | of which load ms | heap delta MB',
  );
  console.log(
    `conductor (CEL)        | ${ours.toFixed(0).padStart(12)} | ${(tLoad - t0)
      .toFixed(0)
      .padStart(16)} | ${(heapConductor / 2 ** 20).toFixed(1).padStart(13)}`,
  );
  console.log(
    `json-rules-engine      | ${theirs
      .toFixed(0)
      .padStart(12)} | ${'-'.padStart(16)} | ${(heapBaseline / 2 ** 20)
      .toFixed(1)
      .padStart(13)}`,
  );
  console.log(
    `speed-up: ${(theirs / ours).toFixed(1)}x (target >= 5x); whole run ${(
      ours / 1000
    ).toFixed(2)} s (target < 2 s)`,
  );
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
