// Measures the facts this repository establishes and writes them to
// facts.json, which `conductor controls check --dir .` reads offline and CI
// pushes to Conductor. Run after `npm test` (it reads coverage.lcov).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const exists = file => fs.existsSync(path.join(root, file));
const read = file => fs.readFileSync(path.join(root, file), 'utf8');
const now = new Date().toISOString();
const measured = {};

// Line coverage from the test run's lcov report.
// node --test writes coverage.lcov, vitest coverage/lcov.info.
const lcov = ['coverage.lcov', 'coverage/lcov.info'].find(exists);
if (!lcov) {
  throw new Error(
    'coverage.lcov or coverage/lcov.info: not found; run npm test first',
  );
}
// Only the code under src/ counts; the tests themselves are not measured.
let found = 0;
let hit = 0;
let counted = false;
for (const line of read(lcov).split('\n')) {
  if (line.startsWith('SF:')) {
    counted = path
      .relative(root, path.resolve(root, line.slice(3)))
      .startsWith(`src${path.sep}`);
  }
  if (counted && line.startsWith('LF:')) found += Number(line.slice(3));
  if (counted && line.startsWith('LH:')) hit += Number(line.slice(3));
}
measured['test.coverage'] = found ? Math.round((hit / found) * 1000) / 1000 : 0;

// CycloneDX SBOM of the shipped (non-dev) dependencies, and the share of the
// lockfile's shipped packages it lists.
const sbom = JSON.parse(
  execFileSync('npm', ['sbom', '--sbom-format', 'cyclonedx', '--omit', 'dev'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  }),
);
fs.writeFileSync(
  path.join(root, 'sbom.cdx.json'),
  JSON.stringify(sbom, null, 2),
);
const listed = new Set(
  (sbom.components ?? []).map(
    c => `${c.group ? `${c.group}/` : ''}${c.name}@${c.version}`,
  ),
);
const lock = JSON.parse(read('package-lock.json'));
const shipped = Object.entries(lock.packages ?? {})
  .filter(([p, meta]) => p.startsWith('node_modules/') && !meta.dev)
  .map(
    ([p, meta]) =>
      `${p.slice(p.lastIndexOf('node_modules/') + 13)}@${meta.version}`,
  );
const covered = shipped.filter(p => listed.has(p)).length;
measured['sbom.coverage'] = shipped.length
  ? Math.round((covered / shipped.length) * 1000) / 1000
  : 1;

// Share of the GraphQL root fields the authorization policy names.
if (exists('policy') && exists('src/schema.graphql')) {
  const { buildSchema } = await import('graphql');
  const schema = buildSchema(read('src/schema.graphql'));
  const fields = [
    ...Object.keys(schema.getQueryType()?.getFields() ?? {}),
    ...Object.keys(schema.getMutationType()?.getFields() ?? {}),
  ];
  const policy = fs
    .readdirSync(path.join(root, 'policy'))
    .filter(f => f.endsWith('.rego') && !f.endsWith('_test.rego'))
    .map(f => read(`policy/${f}`))
    .join('\n');
  const named = fields.filter(f => new RegExp(`"${f}"\\s*:`).test(policy));
  measured['policy.coverage'] = fields.length
    ? named.length / fields.length
    : 0;
}

const facts = JSON.parse(read('facts.json'));
const entry = facts.evidence[0];
for (const [name, value] of Object.entries(measured)) {
  entry.facts = entry.facts.filter(f => f.name !== name);
  entry.facts.push({ name, value, observedAt: now });
}
fs.writeFileSync(
  path.join(root, 'facts.json'),
  `${JSON.stringify(facts, null, 2)}\n`,
);
console.log(
  Object.entries(measured)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' '),
);
