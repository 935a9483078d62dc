import { analyzeCanary, mannWhitneyU, normalCdf } from './canary';
import { parseCoverageSummary, parseLcov } from './coverage';
import { sbomCoverage } from './sbom';
import {
  compareSemverTags,
  gateThresholds,
  parseCiManifest,
  validateCiManifest,
} from './manifest';
import {
  computeDrift,
  findLibraryPins,
  pinKind,
  resolvePin,
  rewriteLibraryPins,
} from './pins';

const manifest = {
  library: 'intelgraph/ig-ci',
  workflow: '.github/workflows/ci.yml',
  versions: [
    {
      version: 'v1.0.0',
      released: '2026-09-01',
      commit: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      gates: { lint: {}, tests: { minCoverage: 0.7 }, evidence: {} },
    },
    {
      version: 'v1.1.0',
      released: '2026-10-01',
      gates: {
        lint: {},
        tests: { minCoverage: 0.8 },
        sbom: { minComponents: 0 },
        evidence: {},
      },
    },
    {
      version: 'v1.2.0',
      released: '2026-11-01',
      commit: 'cccccccccccccccccccccccccccccccccccccccc',
      gates: {
        lint: {},
        tests: { minCoverage: 0.8 },
        sbom: { minComponents: 0 },
        k6: {},
        evidence: {},
      },
    },
  ],
};

describe('CI library manifest', () => {
  it('accepts a valid manifest and reads a version gate thresholds', () => {
    const parsed = parseCiManifest(JSON.stringify(manifest));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(gateThresholds(parsed.manifest, 'v1.0.0', 'tests')).toEqual({
      minCoverage: 0.7,
    });
    expect(() => gateThresholds(parsed.manifest, 'v9.0.0', 'tests')).toThrow(
      'intelgraph/ig-ci@v9.0.0 is not a released version; released: v1.0.0, v1.1.0, v1.2.0',
    );
    expect(() => gateThresholds(parsed.manifest, 'v1.0.0', 'k6')).toThrow(
      'intelgraph/ig-ci@v1.0.0 has no k6 gate',
    );
  });

  it('names every bad field', () => {
    const bad = validateCiManifest({
      library: 'ig-ci',
      workflow: 'ci.yml',
      versions: [
        { version: 'v1.1.0', released: '2026-10-01', gates: { lint: {} } },
        {
          version: 'v1.0.0',
          released: 'yesterday',
          gates: { lnt: {}, tests: { minCoverage: '0.8' } },
        },
      ],
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.map(e => `${e.field}: ${e.message}`)).toEqual([
      'library: must be owner/name, e.g. intelgraph/ig-ci',
      'versions[1].version: v1.0.0 must come after v1.1.0',
      'versions[1].released: must be a date YYYY-MM-DD',
      'versions[1].gates.lnt: unknown gate; known: lint, tests, sbom, policy, schema, slo, cost, k6, chaos, canary, evidence, readiness',
      'versions[1].gates.tests.minCoverage: must be a number',
    ]);
    expect(parseCiManifest('{').ok).toBe(false);
  });

  it('orders semver tags numerically', () => {
    expect(compareSemverTags('v1.10.0', 'v1.9.3')).toBeGreaterThan(0);
    expect(compareSemverTags('v2.0.0', 'v2.0.0')).toBe(0);
  });
});

const adapter = `name: ci
on: [push, pull_request]
jobs:
  # the shared gates
  ci:
    strategy:
      matrix:
        env: [dev, staging, prod]
    uses: intelgraph/ig-ci/.github/workflows/ci.yml@v1.0.0
    with:
      service: orders-api
      env: \${{ matrix.env }}
      k6: false
  extra:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: intelgraph/ig-ci/actions/lint@v1.0.0 # composite action
`;

describe('library pins in workflow files', () => {
  it('finds the reusable workflow and composite action pins with line and inputs', () => {
    const found = findLibraryPins(
      adapter,
      '.github/workflows/ci.yml',
      'intelgraph/ig-ci',
    );
    expect(found).toEqual({
      ok: true,
      pins: [
        expect.objectContaining({
          line: 9,
          ref: 'v1.0.0',
          kind: 'tag',
          job: 'ci',
          with: { service: 'orders-api', env: '${{ matrix.env }}', k6: false },
        }),
        expect.objectContaining({ line: 18, ref: 'v1.0.0', job: 'extra' }),
      ],
    });
  });

  it('names file and line of a workflow that does not parse', () => {
    const found = findLibraryPins(
      'jobs:\n  ci:\n    uses: [a\n',
      'w.yml',
      'intelgraph/ig-ci',
    );
    expect(found.ok).toBe(false);
    if (found.ok) return;
    expect(found.error.file).toBe('w.yml');
    expect(found.error.line).toBeGreaterThanOrEqual(3);
    expect(findLibraryPins('name: x\n', 'w.yml', 'intelgraph/ig-ci')).toEqual({
      ok: false,
      error: {
        file: 'w.yml',
        line: 1,
        column: 1,
        message: 'not a workflow: no jobs: mapping',
      },
    });
  });

  it('classifies refs and resolves them against the manifest', () => {
    expect(['v1.2.0', 'v1', 'v1.2', 'cccccccc', 'main'].map(pinKind)).toEqual([
      'tag',
      'major-tag',
      'major-tag',
      'sha',
      'branch',
    ]);
    const m = validateCiManifest(manifest);
    if (!m.ok) throw new Error('manifest');
    expect(resolvePin(m.manifest, 'v1').version?.version).toBe('v1.2.0');
    expect(resolvePin(m.manifest, 'v1.1').version?.version).toBe('v1.1.0');
    expect(resolvePin(m.manifest, 'aaaaaaa').version?.version).toBe('v1.0.0');
    expect(resolvePin(m.manifest, 'main').version?.version).toBe('v1.2.0');
    expect(resolvePin(m.manifest, 'v1.5.0').unresolved).toBe(
      'v1.5.0 is not a released version of intelgraph/ig-ci',
    );
    expect(resolvePin(m.manifest, 'deadbeef').unresolved).toBe(
      'commit deadbeef is not a released version of intelgraph/ig-ci',
    );
  });

  it('computes drift: versions behind, gates added since, present and missing', () => {
    const m = validateCiManifest(manifest);
    if (!m.ok) throw new Error('manifest');
    expect(
      computeDrift(m.manifest, resolvePin(m.manifest, 'v1.0.0'), { k6: false }),
    ).toEqual({
      latest: 'v1.2.0',
      versionsBehind: 2,
      gatesAddedSince: ['sbom', 'k6'],
      gatesPresent: ['lint', 'tests', 'evidence'],
      gatesMissing: ['sbom', 'k6'],
    });
    expect(
      computeDrift(m.manifest, resolvePin(m.manifest, 'v1.2.0'), {
        k6: 'false',
      }),
    ).toEqual({
      latest: 'v1.2.0',
      versionsBehind: 0,
      gatesAddedSince: [],
      gatesPresent: ['lint', 'tests', 'sbom', 'evidence'],
      gatesMissing: ['k6'],
    });
  });

  it('rewrites every pin and nothing else', () => {
    const out = rewriteLibraryPins(adapter, 'intelgraph/ig-ci', 'v1.2.0');
    expect(out).toBe(adapter.split('@v1.0.0').join('@v1.2.0'));
    expect(out).toContain('actions/checkout@v4');
    expect(out).toContain('# composite action');
  });
});

describe('canary analysis (Mann-Whitney U)', () => {
  const opts = {
    direction: 'increase' as const,
    alpha: 0.05,
    tolerance: 0.05,
    minSamples: 10,
  };
  const baseline = [101, 99, 100, 102, 98, 100, 101, 99, 100, 103, 97, 100];

  it('normal CDF matches known values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.6448536)).toBeCloseTo(0.95, 5);
    expect(normalCdf(-1.959964)).toBeCloseTo(0.025, 5);
  });

  it('U with ties: average ranks and tie-corrected sigma', () => {
    // ranks of [1,2,3] among [1,2,2,3]: 1, 2.5, 4 → R = 7.5, U = 7.5 - 6 = 1.5
    // (3 beats 2: 1, the tied 2: one half)
    const r = mannWhitneyU([1, 2, 3], [2]);
    expect(r.u).toBe(1.5);
    expect(r.mean).toBe(1.5);
    expect(r.sigma).toBeCloseTo(Math.sqrt((3 / 12) * (5 - 6 / 12)), 10);
  });

  it('agrees with the exact permutation p-value on small samples', () => {
    const a = [12, 15, 14, 18, 16, 20];
    const b = [10, 11, 13, 9, 12.5, 14.5];
    const { u } = mannWhitneyU(a, b);
    // exact: share of the C(12,6) splits whose U is at least as large
    const all = [...a, ...b];
    let atLeast = 0;
    let total = 0;
    const choose = (start: number, picked: number[]) => {
      if (picked.length === 6) {
        total++;
        const x = picked.map(i => all[i]);
        const y = all.filter((_, i) => !picked.includes(i));
        if (mannWhitneyU(x, y).u >= u) atLeast++;
        return;
      }
      for (let i = start; i < all.length; i++) choose(i + 1, [...picked, i]);
    };
    choose(0, []);
    const exact = atLeast / total;
    const approx = analyzeCanary(a, b, { ...opts, minSamples: 6 }).pValue!;
    expect(total).toBe(924);
    expect(Math.abs(approx - exact)).toBeLessThan(0.01);
  });

  it('fails a canary whose latency is clearly higher, with the numbers', () => {
    const canary = baseline.map(v => v * 1.3);
    const r = analyzeCanary(canary, baseline, opts);
    expect(r.pass).toBe(false);
    expect(r.pValue!).toBeLessThan(0.001);
    expect(r.relativeShift).toBeCloseTo(0.3, 2);
    expect(r.reason).toMatch(
      /^canary significantly worse \(increase\): median canary 130 vs baseline 100 \(\+30%\), U=144, p=0, alpha 0.05, tolerance \+5%$/,
    );
  });

  it('passes a canary like the baseline, and one better than it', () => {
    const same = analyzeCanary([...baseline].reverse(), baseline, opts);
    expect(same.pass).toBe(true);
    expect(same.pValue!).toBeGreaterThan(0.4);
    expect(
      analyzeCanary(
        baseline.map(v => v * 0.7),
        baseline,
        opts,
      ).pass,
    ).toBe(true);
  });

  it('passes a significant shift within tolerance; decrease direction is mirrored', () => {
    const small = analyzeCanary(
      baseline.map(v => v + 2),
      baseline,
      { ...opts, tolerance: 0.05 },
    );
    expect(small.pValue!).toBeLessThan(0.05);
    expect(small.pass).toBe(true);
    expect(small.reason).toMatch(/^canary within tolerance/);
    const throughput = analyzeCanary(
      baseline.map(v => v * 0.5),
      baseline,
      {
        ...opts,
        direction: 'decrease',
      },
    );
    expect(throughput.pass).toBe(false);
  });

  it('fails closed on missing data: NaN samples are dropped and counted', () => {
    const r = analyzeCanary([NaN, NaN, 1, 2], baseline, opts);
    expect(r.pass).toBe(false);
    expect(r.canary).toEqual({ samples: 2, dropped: 2, median: 1.5 });
    expect(r.reason).toBe(
      'not enough data: canary 2, baseline 12 samples, need 10 each',
    );
  });

  it('identical constant samples are no difference', () => {
    const r = analyzeCanary(Array(10).fill(5), Array(10).fill(5), opts);
    expect(r).toMatchObject({ pass: true, pValue: 1, relativeShift: 0 });
  });
});

describe('coverage reports', () => {
  it('sums LCOV records', () => {
    expect(
      parseLcov(
        'TN:\nSF:a.js\nLF:10\nLH:8\nend_of_record\nSF:b.js\nLF:10\nLH:1\nend_of_record\n',
      ),
    ).toEqual({ linesFound: 20, linesHit: 9, ratio: 0.45 });
    expect(parseLcov('')).toEqual({ linesFound: 0, linesHit: 0, ratio: null });
    expect(() => parseLcov('SF:a\nLF:x\n')).toThrow(
      'line 2: LF must be a count, got x',
    );
  });

  it('reads the json-summary total', () => {
    expect(
      parseCoverageSummary({
        total: { lines: { total: 4, covered: 3, pct: 75 } },
      }),
    ).toEqual({
      linesFound: 4,
      linesHit: 3,
      ratio: 0.75,
    });
    expect(() => parseCoverageSummary({})).toThrow('total.lines.total');
  });
});

describe('SBOM coverage of a lockfile', () => {
  const lock = {
    lockfileVersion: 3,
    packages: {
      '': { name: 'demo', version: '1.0.0' },
      'node_modules/eslint': { version: '8.57.1' },
      'node_modules/@eslint/js': { version: '8.57.1' },
      'node_modules/a/node_modules/b': { version: '2.0.0' },
      'node_modules/local': { link: true, resolved: 'packages/local' },
    },
  };

  it('counts packages listed by name and version, scopes as groups, nested components', () => {
    const bom = {
      bomFormat: 'CycloneDX',
      components: [
        {
          name: 'eslint',
          version: '8.57.1',
          components: [{ name: 'b', version: '2.0.0' }],
        },
        { group: '@eslint', name: 'js', version: '8.57.1' },
      ],
    };
    expect(sbomCoverage(lock, bom)).toEqual({
      packages: 3,
      listed: 3,
      ratio: 1,
      missing: [],
    });
  });

  it('names what the SBOM misses', () => {
    const r = sbomCoverage(lock, {
      components: [{ name: 'eslint', version: '8.57.0' }],
    });
    expect(r).toEqual({
      packages: 3,
      listed: 0,
      ratio: 0,
      missing: ['eslint@8.57.1', '@eslint/js@8.57.1', 'b@2.0.0'],
    });
    expect(() => sbomCoverage({ lockfileVersion: 1 }, {})).toThrow(
      'lockfileVersion 2 or 3',
    );
  });
});
