import { nameProblem, parseGroupRef, validateValues } from './values';

describe('golden path parameters', () => {
  it.each([
    ['my-svc', undefined],
    ['a', undefined],
    ['My-Svc', 'must be lower case (npm package names and DNS labels are)'],
    ['my_svc', expect.stringContaining("contain only a-z, 0-9 and '-'")],
    ['-svc', expect.stringContaining('must start with a letter')],
    ['svc-', expect.stringContaining("not end with '-'")],
    ['1svc', expect.stringContaining('must start with a letter')],
    ['@scope/svc', expect.stringContaining('must start with a letter')],
    ['x'.repeat(64), 'must be at most 63 characters (a DNS label), got 64'],
    ['http', '"http" is a Node.js core module name, which npm refuses'],
    ['', 'required'],
  ])('name %j: %s', (name, problem) => {
    expect(nameProblem(name)).toEqual(problem);
  });

  it('reads owners as group refs and refuses other kinds', () => {
    expect(parseGroupRef('payments')).toBe('group:default/payments');
    expect(parseGroupRef('group:payments')).toBe('group:default/payments');
    expect(parseGroupRef('group:ops/sre')).toBe('group:ops/sre');
    expect(parseGroupRef('user:default/jane')).toBeUndefined();
    expect(parseGroupRef('two words')).toBeUndefined();
  });

  it('derives what the skeletons need from valid values', () => {
    const r = validateValues('create-ig-service', {
      name: 'orders-api',
      owner: 'payments',
      system: 'checkout',
      slaRead: '350',
      slaWrite: 700,
    });
    expect(r).toEqual({
      ok: true,
      values: expect.objectContaining({
        ownerRef: 'group:default/payments',
        ownerName: 'payments',
        slaRead: 350,
        slaWrite: 700,
        slaReadSeconds: 0.35,
        slaWriteSeconds: 0.7,
        description: 'orders-api, created from create-ig-service',
      }),
    });
  });

  it('refuses every bad field at once, each with its reason', () => {
    const r = validateValues('create-ig-service', {
      name: 'Orders',
      owner: 'user:default/jane',
      system: '',
      slaRead: 5,
      slaWrite: 'fast',
      description: 'two\nlines',
    });
    expect(r).toEqual({
      ok: false,
      problems: [
        {
          field: 'name',
          message: 'must be lower case (npm package names and DNS labels are)',
        },
        {
          field: 'description',
          message:
            'must be one line of at most 300 characters without quotes or backslashes',
        },
        {
          field: 'owner',
          message:
            '"user:default/jane" is not a group reference (group:default/<name>)',
        },
        {
          field: 'system',
          message: 'required: the system the component belongs to',
        },
        {
          field: 'slaRead',
          message:
            'must be a whole number of milliseconds from 10 to 10000, got 5',
        },
        {
          field: 'slaWrite',
          message:
            'must be a whole number of milliseconds from 10 to 30000, got "fast"',
        },
      ],
    });
  });

  it('takes the system as the wizard picks it (a full ref) or by name', () => {
    const r = validateValues('create-ig-worker', {
      name: 'w',
      owner: 'group:default/payments',
      system: 'system:default/checkout',
    });
    expect(r.ok && r.values.system).toBe('checkout');
    const bad = validateValues('create-ig-worker', {
      name: 'w',
      owner: 'payments',
      system: 'component:default/x',
    });
    expect(!bad.ok && bad.problems).toEqual([
      {
        field: 'system',
        message: '"component:default/x" is not a catalog entity name',
      },
    ]);
  });

  it('asks for SLAs only for services', () => {
    expect(
      validateValues('create-ig-worker', {
        name: 'w',
        owner: 'payments',
        system: 'checkout',
        slaRead: 1,
      }).ok,
    ).toBe(true);
  });
});
