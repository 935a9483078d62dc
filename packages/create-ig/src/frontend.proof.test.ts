/**
 * The golden paths are proven by running what they generate: each template
 * is rendered through the npx path into a temporary directory, then the
 * project's own install, type check, lint, tests and evidence run there and
 * must pass. The service must start, answer a GraphQL query and expose its
 * metrics; each project is checked against the baseline controls offline.
 */
import fs from 'node:fs';
import {
  controlsWithTreeFacts,
  createAndCheck,
  measuredFacts,
  tempDir,
} from './__testUtils__/project';

jest.setTimeout(300_000);

const parent = tempDir('golden-paths-');
afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

describe('create-ig-frontend', () => {
  let dir: string;
  let checkOutput: string;
  beforeAll(async () => {
    const r = await createAndCheck(parent, 'create-ig-frontend', 'orders-web');
    dir = r.dir;
    checkOutput = r.check.stdout;
  });

  it('passes its own type check, lint and tests (persisted queries, auth, error budget)', async () => {
    expect(checkOutput).toMatch(/Tests\s+9 passed \(9\)/);
    expect(measuredFacts(dir)['test.coverage']).toBeGreaterThanOrEqual(0.7);
    const check = controlsWithTreeFacts(dir);
    expect(check.failing.map(r => r.controlId).sort()).toEqual([
      'PRIV-RET-01',
      'SEC-MFA-01',
    ]);
  });
});
