import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import { parseCreateArgs, runCreateIg } from './cli';

async function run(command: string, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCreateIg(command, args, {
    out: l => out.push(l),
    err: l => err.push(l),
  });
  return { code, out, err };
}

describe('create-ig-* commands', () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'create-ig-cli-'));
  afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

  it("reads the seed's flags", () => {
    expect(
      parseCreateArgs('create-ig-service', [
        'my-svc',
        '--template',
        'node-apollo',
        '--sla',
        'read=350',
        'write=700',
        '--owner=payments',
        '--system',
        'checkout',
      ]),
    ).toEqual({
      input: {
        name: 'my-svc',
        slaRead: '350',
        slaWrite: '700',
        owner: 'payments',
        system: 'checkout',
      },
      dir: '.',
      catalogUrl: undefined,
      template: 'node-apollo',
      errors: [],
    });
    expect(
      parseCreateArgs('create-ig-service', [
        'a',
        '--sla',
        'read=1,p95=3',
        '--template',
        'go',
      ]).errors,
    ).toEqual([
      '--sla: "p95=3" is not read=<ms> or write=<ms>',
      '--template: create-ig-service offers node-apollo, not go',
    ]);
  });

  it('creates the project with the seed command plus owner and system', async () => {
    const r = await run('create-ig-service', [
      'my-svc',
      '--template',
      'node-apollo',
      '--sla',
      'read=350',
      'write=700',
      '--owner',
      'payments',
      '--system',
      'checkout',
      '--dir',
      parent,
    ]);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^created .*my-svc \(\d+ files\)$/);
    const slo = fs.readFileSync(
      path.join(parent, 'my-svc/slo/my-svc.yaml'),
      'utf8',
    );
    expect(slo).toContain('le="0.35"');
    expect(slo).toContain('le="0.7"');
  });

  it('refuses bad input with every reason and writes nothing', async () => {
    const r = await run('create-ig-service', [
      'My_Svc',
      '--sla',
      'read=5',
      'write=700',
      '--owner',
      'payments',
      '--system',
      'checkout',
      '--dir',
      parent,
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([
      'create-ig-service: name: must be lower case (npm package names and DNS labels are)',
      'create-ig-service: slaRead: must be a whole number of milliseconds from 10 to 10000, got "5"',
    ]);
    expect(fs.existsSync(path.join(parent, 'My_Svc'))).toBe(false);
  });

  it('refuses an owner that is not a group of the catalog', async () => {
    const server = http.createServer((req, res) => {
      res
        .writeHead(
          req.url === '/api/catalog/entities/by-name/group/default/payments'
            ? 200
            : 404,
        )
        .end('{}');
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const ghost = await run('create-ig-worker', [
        'w1',
        '--owner',
        'ghosts',
        '--system',
        's',
        '--dir',
        parent,
        '--catalog-url',
        url,
      ]);
      expect(ghost.code).toBe(2);
      expect(ghost.err).toEqual([
        'create-ig-worker: owner: group:default/ghosts is not a group in the catalog',
      ]);
      expect(fs.existsSync(path.join(parent, 'w1'))).toBe(false);
      const ok = await run('create-ig-worker', [
        'w2',
        '--owner',
        'payments',
        '--system',
        's',
        '--dir',
        parent,
        '--catalog-url',
        url,
      ]);
      expect(ok.code).toBe(0);
      expect(ok.err).toEqual([]);
    } finally {
      server.close();
    }
  });
});
