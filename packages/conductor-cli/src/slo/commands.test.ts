import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runConductor } from '../program';

const examples = path.resolve(__dirname, '../../../../examples/slo');

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runConductor(argv, {
    out: l => out.push(l),
    err: l => err.push(l),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** `promtool check rules` on the text; throws with promtool's output when it fails. */
function promtoolCheck(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slo-rules-'));
  const file = path.join(dir, 'rules.yaml');
  fs.writeFileSync(file, `${text}\n`);
  try {
    return execFileSync('promtool', ['check', 'rules', '--lint-fatal', file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string };
    throw new Error(`promtool check rules failed:\n${x.stdout}${x.stderr}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('conductor slo rules', () => {
  it.each([
    [
      'the Sloth file',
      ['--file', path.join(examples, 'orders-api.sloth.yaml')],
      6,
    ],
    [
      'the OpenSLO file',
      ['--file', path.join(examples, 'payments-api.openslo.yaml')],
      3,
    ],
    [
      "the seed's --sla",
      ['--sla', 'read=350 write=700', '--service', 'orders-api'],
      6,
    ],
    [
      'every demo file, 28 days',
      [
        '--window',
        '28d',
        '--file',
        ...fs
          .readdirSync(examples)
          .filter(f => f.endsWith('.yaml'))
          .map(f => path.join(examples, f)),
      ],
      undefined,
    ],
  ])(
    'prints rule groups for %s that pass promtool check rules',
    async (_what, args, groups) => {
      const { code, out, err } = await run(['slo', 'rules', ...args]);
      expect(err).toBe('');
      expect(code).toBe(0);
      expect(out.match(/^ {2}- name: /gm)?.length).toBe(
        groups ?? out.match(/^ {2}- name: /gm)?.length,
      );
      expect(promtoolCheck(out)).toMatch(/SUCCESS: \d+ rules found/);
    },
  );

  it('exits 2 naming file, line and field of a bad SLO, printing no rules', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slo-bad-'));
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(
      file,
      fs
        .readFileSync(path.join(examples, 'orders-api.sloth.yaml'), 'utf8')
        .replace('objective: 99.9', 'objective: 100.5'),
    );
    const { code, out, err } = await run(['slo', 'rules', '--file', file]);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(
      `conductor: ${file}:9 slos[0].objective: must be above 0 and below 100 (a percent, e.g. 99.9), got 100.5`,
    );
  });

  it('exits 2 on a missing file and on a window other than 28 or 30 days', async () => {
    expect(
      (await run(['slo', 'rules', '--file', '/nonexistent.yaml'])).err,
    ).toMatch(/^conductor: \/nonexistent.yaml: ENOENT/);
    const w = await run([
      'slo',
      'rules',
      '--window',
      '7d',
      '--sla',
      'read=1',
      '--service',
      'x',
    ]);
    expect(w).toMatchObject({
      code: 2,
      err: 'conductor: --window 7d: 28d or 30d',
    });
  });
});
