import { EVIDENCE_LIMITS } from './knownFacts';
import { parseIsoTimestamp, validateEvidencePush } from './validation';
import { resolveRelativeTime, formatAge } from './age';

const now = new Date('2026-11-24T12:00:00Z');

describe('validateEvidencePush', () => {
  it('accepts known facts, normalising refs and timestamps', () => {
    const result = validateEvidencePush(
      {
        entityRef: 'Component:orders-api',
        facts: [
          { name: 'test.coverage', value: 0.83 },
          { name: 'k6.last_run', value: '2026-11-20T10:00:00+01:00' },
          { name: 'team.custom_flag', value: true },
        ],
      },
      now,
    );
    expect(result).toEqual({
      ok: true,
      entityRef: 'component:default/orders-api',
      facts: [
        {
          name: 'test.coverage',
          type: 'number',
          value: 0.83,
          observedAt: now.toISOString(),
        },
        {
          name: 'k6.last_run',
          type: 'timestamp',
          value: '2026-11-20T09:00:00.000Z',
          observedAt: now.toISOString(),
        },
        {
          name: 'team.custom_flag',
          type: 'boolean',
          value: true,
          observedAt: now.toISOString(),
        },
      ],
    });
  });

  it('names every bad field at once and accepts nothing', () => {
    const result = validateEvidencePush(
      {
        entityRef: 'orders-api',
        facts: [
          { name: 'test.coverage', value: '0.83' },
          { name: 'sbom.coverage', value: 1.5 },
          { name: 'Bad Name', value: 1 },
          { name: 'k6.last_run', value: 'yesterday' },
          {
            name: 'policy.coverage',
            value: 0.9,
            observedAt: '2027-01-01T00:00:00Z',
          },
          { name: 'test.coverage', value: 0.5 },
        ],
      },
      now,
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([
      {
        field: 'entityRef',
        message:
          '"orders-api" has no kind; write it as component:default/orders-api',
      },
      {
        field: 'facts[0].value',
        message: 'test.coverage must be a number, got string',
      },
      {
        field: 'facts[1].value',
        message: 'sbom.coverage must be <= 1, got 1.5',
      },
      {
        field: 'facts[2].name',
        message:
          'must be a dotted lower-case name such as test.coverage, got "Bad Name"',
      },
      {
        field: 'facts[3].value',
        message: 'k6.last_run must be an ISO-8601 timestamp, got "yesterday"',
      },
      {
        field: 'facts[4].observedAt',
        message: '2027-01-01T00:00:00Z is in the future',
      },
      {
        field: 'facts[5].name',
        message: 'test.coverage appears twice in one push',
      },
    ]);
  });

  it('rejects a body that is not an object or has no facts', () => {
    expect(validateEvidencePush(null, now)).toEqual({
      ok: false,
      errors: [{ field: 'body', message: expect.any(String) }],
    });
    const empty = validateEvidencePush(
      { entityRef: 'component:default/x', facts: [] },
      now,
    );
    expect(!empty.ok && empty.errors.map(e => e.field)).toEqual(['facts']);
  });

  it('types object and list facts and refuses mixed lists', () => {
    const ok = validateEvidencePush(
      {
        entityRef: 'component:default/x',
        facts: [
          {
            name: 'resources.retention',
            value: { 'resource:default/db': null },
          },
          { name: 'x.tags', value: ['a', 'b'] },
        ],
      },
      now,
      // resources.retention is the catalog collector's: typed the same way.
      { allowCollectorFacts: true },
    );
    expect(ok.ok && ok.facts.map(f => f.type)).toEqual([
      'object',
      'string-list',
    ]);
    const bad = validateEvidencePush(
      {
        entityRef: 'component:default/x',
        facts: [
          { name: 'resources.retention', value: ['db'] },
          { name: 'x.mixed', value: ['a', 1] },
        ],
      },
      now,
      { allowCollectorFacts: true },
    );
    expect(!bad.ok && bad.errors).toEqual([
      {
        field: 'facts[0].value',
        message: 'resources.retention must be an object, got list',
      },
      {
        field: 'facts[1].value',
        message: 'x.mixed has a value of unsupported type list',
      },
    ]);
  });
});

describe('relative times and ages', () => {
  it('resolves -Nd/-Nh/-Nm against now and leaves other strings alone', () => {
    expect(resolveRelativeTime('-3d', now)).toBe('2026-11-21T12:00:00.000Z');
    expect(resolveRelativeTime('-2h', now)).toBe('2026-11-24T10:00:00.000Z');
    expect(resolveRelativeTime('https://runbooks/x', now)).toBe(
      'https://runbooks/x',
    );
  });
  it('words ages the way the Evidence tab shows them', () => {
    expect(formatAge('2026-11-24T11:59:50Z', now)).toBe('just now');
    expect(formatAge('2026-11-24T11:15:00Z', now)).toBe('45 min');
    expect(formatAge('2026-11-23T12:00:00Z', now)).toBe('24 h');
    expect(formatAge('2026-11-14T12:00:00Z', now)).toBe('10 d');
  });

  it('refuses timestamps that are not strict ISO-8601 or not real dates', () => {
    for (const bad of [
      '1',
      'Tue, 24 Nov 2026 10:00:00 GMT',
      '2026-02-30T00:00:00Z',
      '2026-11-24',
      '1999-12-31T00:00:00Z',
    ]) {
      const r = validateEvidencePush(
        {
          entityRef: 'component:default/x',
          facts: [{ name: 'k6.last_run', value: bad }],
        },
        now,
      );
      expect(r.ok).toBe(false);
      const o = validateEvidencePush(
        {
          entityRef: 'component:default/x',
          facts: [{ name: 'test.coverage', value: 0.5, observedAt: bad }],
        },
        now,
      );
      expect(!o.ok && o.errors.map(e => e.field)).toEqual([
        'facts[0].observedAt',
      ]);
    }
    expect(parseIsoTimestamp('2026-11-24T10:00:00.123+02:00')).toBe(
      Date.parse('2026-11-24T08:00:00.123Z'),
    );
  });

  it('refuses a run dated in the future beyond the clock skew, and collector-owned facts from CI', () => {
    const r = validateEvidencePush(
      {
        entityRef: 'component:default/x',
        facts: [
          { name: 'k6.last_run', value: '2099-01-01T00:00:00Z' },
          { name: 'catalog.oncall', value: 'P123' },
          {
            name: 'chaos.last_run',
            value: new Date(now.getTime() + 60_000).toISOString(),
          },
        ],
      },
      now,
    );
    expect(!r.ok && r.errors).toEqual([
      {
        field: 'facts[0].value',
        message: 'k6.last_run 2099-01-01T00:00:00.000Z is in the future',
      },
      {
        field: 'facts[1].name',
        message:
          'catalog.oncall is recorded by the catalog collector only; CI cannot push it',
      },
    ]);
  });

  it('bounds a push: facts per push, name length, value size and depth, entity ref', () => {
    const fields = (body: object) => {
      const r = validateEvidencePush(body, now);
      return !r.ok && r.errors.map(e => [e.field, e.message, !!e.tooLarge]);
    };
    const many = Array.from(
      { length: EVIDENCE_LIMITS.factsPerPush + 1 },
      (_, i) => ({ name: `x.f${i}`, value: 1 }),
    );
    expect(fields({ entityRef: 'component:default/x', facts: many })).toEqual([
      ['facts', `holds 101 facts; at most 100 per push`, true],
    ]);
    expect(
      fields({
        entityRef: 'component:default/x',
        facts: [{ name: `x.${'a'.repeat(200)}`, value: 1 }],
      }),
    ).toEqual([
      ['facts[0].name', 'is 202 characters long; at most 128', false],
    ]);
    expect(
      fields({
        entityRef: 'component:default/x',
        facts: [{ name: 'x.big', value: 'a'.repeat(20_000) }],
      }),
    ).toEqual([
      ['facts[0].value', 'is 20002 bytes of JSON; at most 16384', true],
    ]);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    // A value nested 100,000 deep cannot even be stringified: refused, no crash.
    const r = validateEvidencePush(
      {
        entityRef: 'component:default/x',
        facts: [{ name: 'x.deep', value: deep }],
      },
      now,
    );
    expect(!r.ok && r.errors[0].message).toBe(
      'is nested more than 8 levels deep',
    );
    // Nine levels is one too many; eight is fine.
    const nine = {
      a: { b: { c: { d: { e: { f: { g: { h: { i: 1 } } } } } } } },
    };
    expect(
      fields({
        entityRef: 'component:default/x',
        facts: [{ name: 'x.n', value: nine }],
      }),
    ).toEqual([['facts[0].value', 'is nested more than 8 levels deep', false]]);
    expect(
      fields({
        entityRef: 'component:default/x',
        facts: [{ name: 'x.n', value: nine.a }],
      }),
    ).toBe(false);
    expect(
      fields({
        entityRef: `component:default/${'a'.repeat(300)}`,
        facts: [{ name: 'x.a', value: 1 }],
      }),
    ).toEqual([['entityRef', 'is 318 characters long; at most 255', false]]);
    expect(
      fields({
        entityRef: 'component:default/a\u0000b',
        facts: [{ name: 'x.a', value: 1 }],
      }),
    ).toEqual([['entityRef', 'must not contain control characters', false]]);
  });

  it('reads an observedAt slightly ahead of our clock as now, never later', () => {
    const r = validateEvidencePush(
      {
        entityRef: 'component:default/x',
        facts: [
          {
            name: 'test.coverage',
            value: 0.5,
            observedAt: new Date(now.getTime() + 4 * 60_000).toISOString(),
          },
        ],
      },
      now,
    );
    expect(r.ok && r.facts[0].observedAt).toBe(now.toISOString());
  });
});
