import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runConductor } from '../program';

const CATALOG = `# orders-api: owned by payments. This comment must survive.
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders-api
  links:
    - url: https://runbooks.example.com/orders-api
      title: Runbook
      type: runbook
  annotations:
    pagerduty.com/service-id: P123 # paging
spec:
  type: service
  lifecycle: production
  owner: payments
  dependsOn: [resource:orders-db]
---
# Orders database; the retention class is decided by legal.
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: orders-db
spec:
  type: database
  owner: payments
`;

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Dana',
      GIT_AUTHOR_EMAIL: 'dana@example.com',
      GIT_COMMITTER_NAME: 'Dana',
      GIT_COMMITTER_EMAIL: 'dana@example.com',
    },
  }).trim();

function repo(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'conductor-remediate-cli-'),
  );
  git(dir, 'init', '-q', '-b', 'main');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'initial');
  return dir;
}

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runConductor(args, {
    out: l => out.push(l),
    err: l => err.push(l),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('conductor remediate', () => {
  it('prints the diff and the re-check on a dry run and changes nothing', async () => {
    const dir = repo({ 'catalog-info.yaml': CATALOG });
    const r = await run(['remediate', '--dir', dir, '--dry-run']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('--- /dev/null\n+++ b/.github/CODEOWNERS');
    expect(r.out).toContain('+  tags:\n+    - retention:standard-365d');
    expect(r.out).toMatch(
      /re-check on the patched tree: now passing .*OWN-CODEOWNERS-01/,
    );
    expect(r.out).toMatch(/now passing .*PRIV-RET-01/);
    expect(r.out).toMatch(/compliance score \d+\.\d % -> \d+\.\d %/);
    expect(git(dir, 'branch', '--list')).toBe('* main');
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('commits on the deterministic branch, keeps comments, and a rerun adds nothing', async () => {
    const dir = repo({ 'catalog-info.yaml': CATALOG });
    const first = await run([
      'remediate',
      '--dir',
      dir,
      '--control',
      'PRIV-RET-01',
      '--control',
      'OWN-CODEOWNERS-01',
      '--control',
      'OPS-ALERTS-01',
    ]);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(
      /committed [0-9a-f]{12} on conductor\/remediate-compliance/,
    );
    const files = git(
      dir,
      'diff',
      '--name-only',
      'main',
      'conductor/remediate-compliance',
    );
    expect(files.split('\n')).toEqual([
      '.github/CODEOWNERS',
      'catalog-info.yaml',
      'monitoring/alerts.yaml',
    ]);
    const patched = git(
      dir,
      'show',
      'conductor/remediate-compliance:catalog-info.yaml',
    );
    expect(patched).toContain(
      '# orders-api: owned by payments. This comment must survive.\n',
    );
    expect(patched).toContain('pagerduty.com/service-id: P123 # paging\n');
    expect(patched).toContain(
      '# Orders database; the retention class is decided by legal.\n',
    );
    expect(
      git(
        dir,
        'log',
        '-1',
        '--format=%an|%s',
        'conductor/remediate-compliance',
      ),
    ).toBe(
      'Conductor remediation bot|Conductor: fix failing compliance controls of orders-api',
    );
    // The work tree and the checked-out branch are untouched.
    expect(git(dir, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(git(dir, 'status', '--porcelain')).toBe('');

    const head = git(dir, 'rev-parse', 'conductor/remediate-compliance');
    const again = await run([
      'remediate',
      '--dir',
      dir,
      '--control',
      'PRIV-RET-01',
      '--control',
      'OWN-CODEOWNERS-01',
      '--control',
      'OPS-ALERTS-01',
    ]);
    expect(again.code).toBe(0);
    expect(again.out).toContain(
      'conductor/remediate-compliance already holds these fixes',
    );
    expect(git(dir, 'rev-parse', 'conductor/remediate-compliance')).toBe(head);
  });

  it("never moves a branch holding a person's commit", async () => {
    const dir = repo({ 'catalog-info.yaml': CATALOG });
    expect(
      (await run(['remediate', '--dir', dir, '--control', 'OWN-CODEOWNERS-01']))
        .code,
    ).toBe(0);
    git(dir, 'checkout', '-q', 'conductor/remediate-compliance');
    fs.writeFileSync(
      path.join(dir, '.github/CODEOWNERS'),
      '* @acme/payments-core\n',
    );
    git(dir, 'commit', '-q', '-am', 'owners: the core team');
    const mine = git(dir, 'rev-parse', 'HEAD');
    git(dir, 'checkout', '-q', 'main');
    const r = await run(['remediate', '--dir', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      'holds commits by dana@example.com; the bot never overwrites them',
    );
    expect(git(dir, 'rev-parse', 'conductor/remediate-compliance')).toBe(mine);
  });

  it('honours an opt-out in .conductor.yaml and says so', async () => {
    const dir = repo({
      'catalog-info.yaml': CATALOG,
      '.conductor.yaml':
        'remediation:\n  optOut: [codeowners]\n  parameters:\n    retention-tags: { class: legal-hold }\n',
    });
    const r = await run(['remediate', '--dir', dir, '--dry-run']);
    expect(r.out).toContain(
      'OPTED-OUT     OWN-CODEOWNERS-01: opted out of codeowners in .conductor.yaml',
    );
    expect(r.out).toContain(
      'OVERRIDE      parameter retention-tags.class = legal-hold (.conductor.yaml)',
    );
    expect(r.out).not.toContain('CODEOWNERS\n+');
    expect(r.out).toContain('retention:legal-hold');
  });

  it('exits 1 when a targeted control still fails and 2 on an unparsable file', async () => {
    const noRunbook = repo({
      'catalog-info.yaml': CATALOG.replace(/ {2}links:\n( {4}.*\n)+/, ''),
    });
    const r = await run([
      'remediate',
      '--dir',
      noRunbook,
      '--control',
      'OPS-RUNBOOK-01',
      '--dry-run',
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('still failing: OPS-RUNBOOK-01');
    const broken = repo({
      'catalog-info.yaml': 'kind: Component\nmetadata: [\n',
    });
    const b = await run(['remediate', '--dir', broken, '--dry-run']);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/catalog-info\.yaml:\d+:\d+ /);
  });

  it('takes either --dir or --entity, not both or neither', async () => {
    const both = await run([
      'remediate',
      '--dir',
      '/tmp',
      '--entity',
      'component:default/a',
    ]);
    expect(both.code).toBe(2);
    expect(both.err).toContain(
      'give either --dir PATH (offline) or --entity REF',
    );
    expect((await run(['remediate'])).code).toBe(2);
  });

  it('exits 0 with nothing to fix', async () => {
    const dir = repo({ 'catalog-info.yaml': CATALOG });
    expect((await run(['remediate', '--dir', dir])).code).toBe(0);
    const merged = git(dir, 'rev-parse', 'conductor/remediate-compliance');
    git(dir, 'merge', '-q', '--ff-only', merged);
    const r = await run(['remediate', '--dir', dir, '--dry-run']);
    expect(r.out).toContain('nothing to change');
    expect(r.code).toBe(0);
  });
});
