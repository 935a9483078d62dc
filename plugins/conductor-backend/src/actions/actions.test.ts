import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { permissionsThatSay } from '../__testUtils__/routerTestApp';
import { registerComplianceActions } from './complianceActions';
import { registerLineageActions } from './lineageActions';
import { registerReadinessActions } from './readinessActions';

const answer = {
  entityRef: 'component:default/orders-api',
  score: 0.62,
  thresholds: { production: 0.8 },
  components: [
    {
      id: 'tests',
      value: 0.9,
      weight: 0.3,
      contribution: 0.27,
      missing: false,
      explanation: 'coverage 90 %',
      facts: [],
    },
    {
      id: 'slo',
      value: 0,
      weight: 0.2,
      contribution: 0,
      missing: true,
      explanation: 'no SLO adherence',
      facts: [],
    },
  ],
  next: {
    component: 'slo',
    action: 'Define an SLO and let it be measured',
    gain: 0.2,
  },
};

function setup(allow: boolean) {
  const registry = actionsRegistryServiceMock({
    logger: mockServices.logger.mock(),
  });
  const readiness = { forEntity: jest.fn(async () => answer as any) };
  registerReadinessActions({
    registry,
    permissions: permissionsThatSay(allow),
    readiness,
  });
  return { registry, readiness };
}

describe('Conductor actions through the actions registry', () => {
  it('answers readiness and the single best next step, read-only', async () => {
    const { registry, readiness } = setup(true);
    const { actions } = await registry.list();
    expect(actions.map(a => [a.id, a.attributes.readOnly])).toEqual([
      ['test:readiness-next-step', true],
    ]);
    const result = await registry.invoke({
      id: 'test:readiness-next-step',
      input: { entityRef: 'Component:default/Orders-API' },
      credentials: mockCredentials.user('user:default/alice'),
    });
    expect(readiness.forEntity).toHaveBeenCalledWith(
      'component:default/orders-api',
    );
    expect(result.output).toEqual({
      entityRef: 'component:default/orders-api',
      score: 0.62,
      threshold: 0.8,
      ready: false,
      components: [
        {
          id: 'tests',
          value: 0.9,
          missing: false,
          explanation: 'coverage 90 %',
        },
        { id: 'slo', value: 0, missing: true, explanation: 'no SLO adherence' },
      ],
      nextStep: {
        component: 'slo',
        action: 'Define an SLO and let it be measured',
        gain: 0.2,
      },
    });
  });

  it("checks the caller's permission like the route does, and names a bad ref", async () => {
    const denied = setup(false);
    await expect(
      denied.registry.invoke({
        id: 'test:readiness-next-step',
        input: { entityRef: 'component:default/orders-api' },
        credentials: mockCredentials.user('user:default/mallory'),
      }),
    ).rejects.toThrow(
      'You may not read the readiness of component:default/orders-api (conductor.evidence.read)',
    );
    expect(denied.readiness.forEntity).not.toHaveBeenCalled();
    const allowed = setup(true);
    await expect(
      allowed.registry.invoke({
        id: 'test:readiness-next-step',
        input: { entityRef: 'not a ref' },
        credentials: mockCredentials.user(),
      }),
    ).rejects.toMatchObject({
      // An InputError reaches an MCP client as a tool error it can read.
      name: 'InputError',
      message: expect.stringMatching(/^entityRef: /),
    });
  });
});

describe('failing controls through the actions registry', () => {
  it('lists failing controls, most severe first, with how to fix them', async () => {
    const registry = actionsRegistryServiceMock({
      logger: mockServices.logger.mock(),
    });
    const compliance = {
      forEntity: jest.fn(
        async () =>
          ({
            entityRef: 'component:default/orders-api',
            runId: 4,
            score: 0.5,
            results: [
              {
                controlId: 'DOC-01',
                status: 'fail',
                severity: 'low',
                message: 'no README',
                remediation: undefined,
              },
              {
                controlId: 'SEC-MFA-01',
                status: 'fail',
                severity: 'critical',
                message: 'mfa.enforced = false',
                remediation: 'Turn on MFA in the IdP',
              },
              {
                controlId: 'TEST-01',
                status: 'pass',
                severity: 'high',
                message: 'ok',
              },
            ],
          } as any),
      ),
    };
    registerComplianceActions({
      registry,
      permissions: permissionsThatSay(true),
      compliance,
    });
    const result = await registry.invoke({
      id: 'test:failing-controls',
      input: { entityRef: 'component:default/orders-api' },
      credentials: mockCredentials.user('user:default/alice'),
    });
    expect(result.output).toEqual({
      entityRef: 'component:default/orders-api',
      runId: 4,
      score: 0.5,
      failing: [
        {
          controlId: 'SEC-MFA-01',
          severity: 'critical',
          why: 'mfa.enforced = false',
          howToFix: 'Turn on MFA in the IdP',
        },
        {
          controlId: 'DOC-01',
          severity: 'low',
          why: 'no README',
          howToFix: null,
        },
      ],
    });
  });
});

describe('schema change blast radius through the actions registry', () => {
  it('passes the caller and the new schema to the lineage walk and sums it up', async () => {
    const registry = actionsRegistryServiceMock({
      logger: mockServices.logger.mock(),
    });
    const lineage = {
      blastRadius: jest.fn(
        async () =>
          ({
            summary: { breaking: 2 },
            services: ['component:default/checkout-web'],
            tenants: ['acme'],
            impactedOperations: [
              {
                file: 'checkout-web/OrderDetails.graphql',
                operationName: 'OrderDetails',
                changes: ['Order.items'],
              },
            ],
            gate: { maxServices: 1, failed: false, reasons: [] },
            partial: false,
          } as any),
      ),
    };
    registerLineageActions({
      registry,
      permissions: permissionsThatSay(true),
      lineage,
    });
    const credentials = mockCredentials.user('user:default/alice');
    const result = await registry.invoke({
      id: 'test:schema-change-blast-radius',
      input: {
        entityRef: 'api:default/orders-graphql',
        headSdl: 'type Query { a: Int }',
      },
      credentials,
    });
    expect(lineage.blastRadius).toHaveBeenCalledWith(
      {
        entityRef: 'api:default/orders-graphql',
        headSdl: 'type Query { a: Int }',
      },
      credentials,
    );
    expect(result.output).toEqual({
      entityRef: 'api:default/orders-graphql',
      breaking: 2,
      services: ['component:default/checkout-web'],
      tenants: ['acme'],
      impactedOperations: [
        {
          file: 'checkout-web/OrderDetails.graphql',
          operationName: 'OrderDetails',
        },
      ],
      gateFailed: false,
      reasons: [],
      partial: false,
    });
    const denied = actionsRegistryServiceMock({
      logger: mockServices.logger.mock(),
    });
    registerLineageActions({
      registry: denied,
      permissions: permissionsThatSay(false),
      lineage,
    });
    await expect(
      denied.invoke({
        id: 'test:schema-change-blast-radius',
        input: {
          entityRef: 'api:default/orders-graphql',
          headSdl: 'type Query { a: Int }',
        },
        credentials,
      }),
    ).rejects.toThrow(
      'Not allowed to read the lineage of api:default/orders-graphql',
    );
  });
});
