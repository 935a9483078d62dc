import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderFiles, skeletonFiles, writeProject } from './render';
import { validateValues } from './values';

const checked = validateValues('create-ig-service', {
  name: 'orders-api',
  owner: 'payments',
  system: 'checkout',
  slaRead: 350,
  slaWrite: 700,
});
if (!checked.ok) throw new Error('test values');
const values = checked.values;

describe('renderFiles', () => {
  it('substitutes values in paths and contents, drops .tmpl, leaves other ${{ }} alone', () => {
    const r = renderFiles(
      [
        {
          path: 'src/${{ values.name }}.ts.tmpl',
          content: 'x = ${{ values.slaRead }};',
        },
        {
          path: 'ci.yml',
          content: 'sha: ${{ github.sha }}\nservice: ${{values.name}}',
        },
      ],
      values,
    );
    expect(r).toEqual({
      ok: true,
      files: [
        { path: 'src/orders-api.ts', content: 'x = 350;' },
        {
          path: 'ci.yml',
          content: 'sha: ${{ github.sha }}\nservice: orders-api',
        },
      ],
    });
  });

  it('names file and line of an unknown value or an unsupported expression, and renders nothing', () => {
    expect(
      renderFiles(
        [
          {
            path: 'a.md',
            content: 'ok\n${{ values.nme }}\n${{ values.name | upper }}',
          },
        ],
        values,
      ),
    ).toEqual({
      ok: false,
      errors: [
        'a.md:2: values.nme is not a parameter',
        'a.md:3: ${{ values.name | upper }} is not supported (only ${{ values.<name> }})',
      ],
    });
  });

  it('renders every template skeleton without leftovers', () => {
    for (const t of [
      'create-ig-service',
      'create-ig-worker',
      'create-ig-frontend',
    ] as const) {
      const r = renderFiles(skeletonFiles(t), values);
      if (!r.ok) throw new Error(r.errors.join('\n'));
      const leftovers = r.files.filter(f => /\$\{\{\s*values/.test(f.content));
      expect(leftovers.map(f => f.path)).toEqual([]);
      expect(r.files.map(f => f.path)).toEqual(
        expect.arrayContaining([
          'catalog-info.yaml',
          'controls.yaml',
          'facts.json',
          'package.json',
        ]),
      );
      expect(r.files.some(f => f.path.endsWith('.tmpl'))).toBe(false);
    }
  });
});

describe('writeProject', () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'create-ig-write-'));
  afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

  it('writes into a new directory and refuses a non-empty one, leaving it as it was', () => {
    const target = path.join(parent, 'p');
    writeProject(target, [{ path: 'a/b.txt', content: 'b' }]);
    expect(fs.readFileSync(path.join(target, 'a/b.txt'), 'utf8')).toBe('b');
    expect(() =>
      writeProject(target, [{ path: 'c.txt', content: 'c' }]),
    ).toThrow(/already exists and is not empty/);
    expect(fs.readdirSync(target)).toEqual(['a']);
  });

  it('leaves nothing behind when a file cannot be written', () => {
    const target = path.join(parent, 'q');
    expect(() =>
      writeProject(target, [
        { path: 'ok.txt', content: 'x' },
        { path: '../escape.txt', content: 'x' },
      ]),
    ).toThrow(/escapes the project directory/);
    expect(fs.readdirSync(parent).sort()).toEqual(['p']);
  });
});
