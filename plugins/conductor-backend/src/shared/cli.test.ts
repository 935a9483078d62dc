import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
// The CLI has no library entry point (its index runs it): the tests drive its program directly.
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { runConductor } from '@internal/conductor-cli/src/program';
import {
  QUIET_SCHEDULES,
  componentEntity,
  startConductor,
  writeControlsFile,
} from '../__testUtils__';

const person = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf: ['payments'] },
});

// Whole flows against a backend: slower than a unit test, more so on a busy machine.
jest.setTimeout(60_000);

describe('the conductor CLI covers the API', () => {
  it('runs compliance, asks for and approves an exemption, overrides, collects, and tells a typo from a block', async () => {
    const file = writeControlsFile(
      'controls:\n  - id: SEC-MFA-01\n    title: MFA enforced\n    severity: critical\n    check: mfa.enforced\n',
    );
    const { server } = await startConductor({
      entities: [componentEntity('orders-api'), person('alice'), person('bob')],
      conductor: {
        compliance: { ...QUIET_SCHEDULES.compliance, catalogFiles: [file] },
      },
    });
    const url = `http://127.0.0.1:${(server.address() as any).port}`;
    const out: string[] = [];
    const io = {
      out: (l: string) => out.push(l),
      err: (l: string) => out.push(l),
    };
    const as =
      (token: string) =>
      async (...args: string[]) => {
        out.length = 0;
        return runConductor(['--url', url, '--token', token, ...args], io);
      };
    const ci = as(mockCredentials.service.token());
    const alice = as(mockCredentials.user.token('user:default/alice'));
    const bob = as(mockCredentials.user.token('user:default/bob'));
    const entity = ['--entity', 'component:default/orders-api'];

    expect(await ci('--version')).toBe(0);
    expect(out).toEqual(['0.1.0']);

    expect(
      await ci('evidence', 'push', ...entity, '--fact', 'mfa.enforced=false'),
    ).toBe(0);
    expect(await ci('evidence', 'collect')).toBe(0);
    expect(out[0]).toMatch(
      /^Collected \d+ fact\(s\) about 1 entities; 0 rejected$/,
    );

    expect(await ci('compliance', 'run')).toBe(0);
    expect(out[0]).toMatch(
      /^Run \d+: score 0 % over 1 entities and 1 controls/,
    );
    expect(await alice('compliance', 'status', ...entity)).toBe(1);
    expect(out[1]).toMatch(/^ {2}fail +SEC-MFA-01 /);

    const until = new Date(Date.now() + 7 * 86_400_000).toISOString();
    expect(
      await alice(
        'exemptions',
        'request',
        ...entity,
        '--control',
        'SEC-MFA-01',
        '--reason',
        'legacy IdP until the Q1 migration',
        '--until',
        until,
      ),
    ).toBe(0);
    const id = /^#(\d+) requested /.exec(out[0])![1];
    expect(out[0]).toMatch(/waiting for approval\)$/);
    expect(await alice('exemptions', 'approve', id)).toBe(2);
    expect(out[0]).toMatch(/cannot approve their own request/);
    expect(await bob('exemptions', 'approve', id)).toBe(0);
    expect(out[0]).toMatch(/approved by user:default\/bob\)$/);
    expect(await ci('compliance', 'run')).toBe(0);
    expect(await alice('compliance', 'status', ...entity)).toBe(0);
    expect(out[1]).toMatch(/^ {2}exempt +SEC-MFA-01 /);
    expect(await alice('compliance', 'changes')).toBe(0);
    expect(out).toContain(
      '  component:default/orders-api SEC-MFA-01: fail → exempt',
    );
    expect(await alice('exemptions', 'revoke', id)).toBe(0);
    expect(await alice('exemptions', 'list', ...entity)).toBe(0);
    expect(out[0]).toMatch(new RegExp(`^#${id} revoked `));

    // The gate: a block exits 1 and names each weak component once; a typo
    // (unknown entity or environment) exits 2.
    const gate = (...args: string[]) => ci('prs-check', ...args);
    expect(await gate(...entity, '--env', 'production')).toBe(1);
    expect(out.filter(l => /^ {2}(- )?coverage\b/.test(l))).toEqual([
      expect.stringMatching(
        /^ {2}coverage +0\.000 × 0\.25 = 0\.0000 {2}\(missing\)/,
      ),
    ]);
    expect(await gate(...entity, '--env', 'prod')).toBe(2);
    expect(out).toContain(
      '  - environment prod is not configured (known: production)',
    );
    expect(
      await gate(
        '--entity',
        'component:default/orders-apj',
        '--env',
        'production',
      ),
    ).toBe(2);

    expect(
      await alice(
        'overrides',
        'request',
        ...entity,
        '--env',
        'production',
        '--reason',
        'Sev1 hotfix for checkout outage',
        '--hours',
        '2',
      ),
    ).toBe(0);
    const overrideId = /^#(\d+) requested /.exec(out[0])![1];
    expect(await bob('overrides', 'approve', overrideId)).toBe(0);
    expect(await gate(...entity, '--env', 'production')).toBe(0);
    expect(await alice('overrides', 'list', ...entity)).toBe(0);
    expect(out[0]).toMatch(new RegExp(`^#${overrideId} active `));
    expect(await bob('overrides', 'revoke', overrideId)).toBe(0);
    expect(await gate(...entity, '--env', 'production')).toBe(1);
  });
});
