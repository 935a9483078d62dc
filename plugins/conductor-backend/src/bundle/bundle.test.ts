import { mockCredentials } from '@backstage/backend-test-utils';
// The CLI has no library entry point (its index runs it): the tests drive its program directly.
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { runConductor } from '@internal/conductor-cli/src/program';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  QUIET_SCHEDULES,
  componentEntity,
  startConductor,
  writeControlsFile,
} from '../__testUtils__';

// Whole flows against a backend: slower than a unit test, more so on a busy machine.
jest.setTimeout(90_000);

const keyPair = () => {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-bundle-'));
const write = (name: string, text: string) => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
};

async function conductorCli(url: string | undefined) {
  const out: string[] = [];
  const err: string[] = [];
  const run = async (...args: string[]) => {
    out.length = 0;
    err.length = 0;
    return runConductor(
      [
        ...(url
          ? ['--url', url, '--token', mockCredentials.service.token()]
          : []),
        ...args,
      ],
      { out: l => out.push(l), err: l => err.push(l) },
    );
  };
  return { run, out, err };
}

const ENTITY = 'component:default/orders-api';

describe('evidence bundles', () => {
  const key = keyPair();
  let stop: () => Promise<void>;
  let url: string;

  beforeAll(async () => {
    const controls = writeControlsFile(
      'controls:\n  - id: SEC-MFA-01\n    title: MFA enforced\n    severity: critical\n    check: mfa.enforced\n',
    );
    const backend = await startConductor({
      entities: [componentEntity('orders-api'), componentEntity('billing')],
      conductor: {
        compliance: { ...QUIET_SCHEDULES.compliance, catalogFiles: [controls] },
        bundle: { signingKey: key.privatePem },
        // The library this repository ships, wherever jest runs from.
        federation: {
          manifest: path.resolve(__dirname, '../../../../ci/manifest.json'),
        },
      },
    });
    stop = backend.stop;
    url = `http://127.0.0.1:${(backend.server.address() as any).port}`;
  });
  afterAll(() => stop?.());

  it('creates a bundle of the demo, verifies it offline, and names a changed file', async () => {
    const cli = await conductorCli(url);
    const ent = ['--entity', ENTITY];
    expect(
      await cli.run(
        'evidence',
        'push',
        ...ent,
        '--fact',
        'mfa.enforced=false',
        '--fact',
        'sbom.coverage=0.8',
      ),
    ).toBe(0);
    expect(await cli.run('compliance', 'run')).toBe(0);

    const file = path.join(tmp, 'one.jsonl');
    const created = await cli.run('bundle', 'create', ...ent, '--out', file);
    expect(cli.err).toEqual([]);
    expect(created).toBe(0);
    expect(cli.out[0]).toMatch(
      new RegExp(
        `^bundle \\d+: 1\\d files, \\d+ bytes, signed by key [0-9a-f]{64}, written to ${file}$`,
      ),
    );

    const pub = write('signer.pub', key.publicPem);
    const offline = await conductorCli(undefined);
    expect(await offline.run('bundle', 'verify', file, '--key', pub)).toBe(0);
    expect(offline.out[0]).toMatch(
      /^OK .*: signature by key [0-9a-f]{64} and 1\d file hashes verified$/,
    );

    // What the bundle holds: the controls score, the gate-relevant facts, the SBOM facts.
    const lines = fs
      .readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map(l => JSON.parse(l));
    const files = new Map<string, string>(
      lines
        .slice(1, -1)
        .map(l => [l.file, Buffer.from(l.base64, 'base64').toString('utf8')]),
    );
    expect([...files.keys()]).toEqual(
      expect.arrayContaining([
        'ci-library/manifest.json',
        'ci-library/CHANGELOG.md',
        'controls/scores.json',
        'controls/auto-pr-log.json',
        'lineage/snapshot.json',
        'readiness/gate-decisions.json',
        'backfill/runs.json',
        'evidence/facts.json',
        'sbom/facts.json',
        'sbom/delta.json',
      ]),
    );
    expect(
      JSON.parse(files.get('controls/scores.json')!).scores,
    ).toContainEqual(
      expect.objectContaining({ scope: 'entity', ref: ENTITY, score: 0 }),
    );
    expect(JSON.parse(files.get('sbom/facts.json')!)).toEqual({
      [`${ENTITY}#sbom.coverage`]: 0.8,
    });
    const statement = JSON.parse(
      Buffer.from(
        lines[lines.length - 1].envelope.payload,
        'base64',
      ).toString(),
    );
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.subject.map((s: any) => s.name)).toEqual([
      ...files.keys(),
    ]);

    // One byte flipped in one file: verify names that file and exits 1.
    const target = lines.findIndex(l => l.file === 'controls/scores.json');
    const bytes = Buffer.from(lines[target].base64, 'base64');
    bytes[10] ^= 0x01;
    const tampered = [...lines];
    tampered[target] = { ...lines[target], base64: bytes.toString('base64') };
    const bad = write(
      'tampered.jsonl',
      `${tampered.map(l => JSON.stringify(l)).join('\n')}\n`,
    );
    expect(await offline.run('bundle', 'verify', bad, '--key', pub)).toBe(1);
    expect(offline.err[0]).toMatch(
      /^FAILED file check: controls\/scores\.json: sha256 [0-9a-f]{64} does not match the signed manifest/,
    );

    // A wrong key fails the signature check.
    const other = write('other.pub', keyPair().publicPem);
    expect(await offline.run('bundle', 'verify', file, '--key', other)).toBe(1);
    expect(offline.err[0]).toMatch(
      /^FAILED signature check: the DSSE signature does not verify with key [0-9a-f]{64} \(--key\)/,
    );

    // A truncated archive fails the archive check.
    const text = fs.readFileSync(file, 'utf8');
    const cut = write(
      'cut.jsonl',
      text.slice(0, Math.floor(text.length * 0.6)),
    );
    expect(await offline.run('bundle', 'verify', cut, '--key', pub)).toBe(1);
    expect(offline.err[0]).toMatch(
      /^FAILED archive check: archive truncated or damaged: line \d+ is not a complete JSON object$/,
    );
    const lastLineGone = write(
      'nolast.jsonl',
      text.split('\n').slice(0, -2).join('\n'),
    );
    expect(
      await offline.run('bundle', 'verify', lastLineGone, '--key', pub),
    ).toBe(1);
    expect(offline.err[0]).toBe(
      'FAILED archive check: archive truncated: the signature envelope (the last line) is missing',
    );

    // Listed, and downloadable again byte for byte; the second bundle diffs the SBOM facts.
    expect(
      await cli.run('evidence', 'push', ...ent, '--fact', 'sbom.coverage=0.9'),
    ).toBe(0);
    const second = path.join(tmp, 'two.jsonl');
    expect(await cli.run('bundle', 'create', ...ent, '--out', second)).toBe(0);
    const secondLines = fs
      .readFileSync(second, 'utf8')
      .trimEnd()
      .split('\n')
      .map(l => JSON.parse(l));
    const delta = secondLines.find(l => l.file === 'sbom/delta.json');
    expect(JSON.parse(Buffer.from(delta.base64, 'base64').toString())).toEqual({
      previousBundle: true,
      added: [],
      removed: [],
      changed: [`${ENTITY}#sbom.coverage`],
    });
    const list = await fetch(`${url}/api/conductor/bundles`, {
      headers: { authorization: `Bearer ${mockCredentials.user.token()}` },
    }).then(r => r.json());
    expect(list.canCreate).toBe(true);
    expect(list.bundles.map((b: any) => b.scope)).toEqual([
      { kind: 'entity', entityRef: ENTITY },
      { kind: 'entity', entityRef: ENTITY },
    ]);
    const again = await fetch(
      `${url}/api/conductor${list.bundles[1].downloadPath}`,
      {
        headers: { authorization: `Bearer ${mockCredentials.user.token()}` },
      },
    ).then(r => r.text());
    expect(again).toBe(text);
  });

  it('refuses bad scopes naming the field', async () => {
    const post = (body: object) =>
      fetch(`${url}/api/conductor/bundles`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${mockCredentials.service.token()}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      }).then(async r => ({ status: r.status, body: await r.json() }));
    const both = await post({ entityRef: ENTITY, all: true });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toBe(
      'body: give exactly one of entityRef, team or all',
    );
    const since = await post({ all: true, since: 'yesterday' });
    expect(since.status).toBe(400);
    expect(since.body.error.message).toMatch(
      /^since: must be an ISO-8601 time/,
    );
    const payments = await post({ team: 'payments' });
    expect(payments.status).toBe(201);
    expect(payments.body.scope).toEqual({
      kind: 'team',
      team: 'group:default/payments',
    });
    const team = await post({ team: 'nobody' });
    expect(team.status).toBe(400);
    expect(team.body.error.message).toBe(
      'team: group:default/nobody owns no entities in the catalog',
    );
  });
});

describe('evidence bundles without a signing key', () => {
  it('refuses to create, naming the config key to set', async () => {
    const backend = await startConductor({
      entities: [componentEntity('orders-api')],
    });
    try {
      const url = `http://127.0.0.1:${(backend.server.address() as any).port}`;
      const cli = await conductorCli(url);
      expect(
        await cli.run(
          'bundle',
          'create',
          '--all',
          '--out',
          path.join(tmp, 'none.jsonl'),
        ),
      ).toBe(2);
      expect(cli.err[0]).toBe(
        'conductor bundle create: 503 Bundles cannot be signed: set conductor.bundle.signingKey to a PEM Ed25519 private key',
      );
      expect(fs.existsSync(path.join(tmp, 'none.jsonl'))).toBe(false);
    } finally {
      await backend.stop();
    }
  });
});
