import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { componentEntity, startConductor } from '../__testUtils__';

// A demo-like service: the catalog gives it a runbook and an on-call
// rotation; CI reports the rest of its evidence below.
const entities = [
  componentEntity('payments-api', {
    metadata: {
      links: [{ url: 'https://runbooks/payments-api', title: 'Runbook' }],
      annotations: { 'conductor.io/oncall': 'P1' },
    },
  }),
];

const MALLORY = 'user:default/mallory';

/**
 * The portal's policy lets a team read its own services; here everyone but
 * mallory may read, so a refusal can only come from the check under the
 * caller's own credentials, carried from the MCP request to the action.
 */
const decideFor = (options?: { credentials: any }) =>
  options?.credentials.principal &&
  (options.credentials.principal as any).userEntityRef === MALLORY
    ? AuthorizeResult.DENY
    : AuthorizeResult.ALLOW;
const permissions = mockServices.permissions.mock({
  authorize: async (requests, options) =>
    requests.map(() => ({ result: decideFor(options) })),
  authorizeConditional: async (queries, options) =>
    queries.map(() => ({ result: decideFor(options) } as any)),
});

// A whole backend and an MCP session per client: slower than a unit test.
jest.setTimeout(60_000);

describe('Conductor actions through the MCP endpoint', () => {
  let server: any;
  let stop: () => Promise<void>;
  let endpoint: URL;
  const clients: Client[] = [];

  /** A real MCP client over Streamable HTTP, with a bearer token. */
  async function connect(token?: string): Promise<Client> {
    const client = new Client({ name: 'conductor-test-agent', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(endpoint, {
        requestInit: token
          ? { headers: { Authorization: `Bearer ${token}` } }
          : undefined,
      }),
    );
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    ({ server, stop } = await startConductor({
      entities,
      backend: { actions: { pluginSources: ['conductor'] } },
      features: [mcpActionsPlugin, permissions.factory],
    }));
    const { port } = server.address() as AddressInfo;
    endpoint = new URL(`http://localhost:${port}/api/mcp-actions/v1`);

    const ci = { Authorization: mockCredentials.service.header() };
    await request(server)
      .post('/api/conductor/evidence')
      .set(ci)
      .send({
        entityRef: 'component:default/payments-api',
        facts: [
          { name: 'test.coverage', value: 0.8 },
          { name: 'sbom.coverage', value: 0.99 },
          { name: 'policy.coverage', value: 0.95 },
          { name: 'k6.last_run', value: new Date().toISOString() },
        ],
      })
      .expect(201);
    await request(server)
      .post('/api/conductor/evidence/collect')
      .set(ci)
      .expect(200);
  });
  afterAll(async () => {
    await Promise.all(clients.map(c => c.close()));
    await stop();
  });

  it("lists Conductor's four answers as read-only tools", async () => {
    const client = await connect(
      mockCredentials.user.token('user:default/alice'),
    );
    const { tools } = await client.listTools();
    expect(
      tools.map(t => [t.name, t.annotations?.readOnlyHint]).sort(),
    ).toEqual([
      ['conductor.failing-controls', true],
      ['conductor.may-release-be-promoted', true],
      ['conductor.readiness-next-step', true],
      ['conductor.schema-change-blast-radius', true],
    ]);
    const readiness = tools.find(
      t => t.name === 'conductor.readiness-next-step',
    )!;
    expect(readiness.inputSchema.required).toEqual(['entityRef']);
  });

  it('answers readiness and the next step as the readiness route does', async () => {
    const client = await connect(
      mockCredentials.user.token('user:default/alice'),
    );
    const result: any = await client.callTool({
      name: 'conductor.readiness-next-step',
      arguments: { entityRef: 'component:default/payments-api' },
    });
    expect(result.isError).toBeFalsy();

    const truth = (
      await request(server)
        .get('/api/conductor/readiness/component/default/payments-api')
        .set({
          Authorization: mockCredentials.user.header('user:default/alice'),
        })
        .expect(200)
    ).body;
    // Not ready: no SLO adherence and no chaos run reported.
    expect(truth.score).toBeGreaterThan(0);
    expect(truth.score).toBeLessThan(truth.thresholds.production);
    expect(result.structuredContent).toEqual({
      entityRef: 'component:default/payments-api',
      score: truth.score,
      threshold: truth.thresholds.production,
      ready: false,
      components: truth.components.map((c: any) => ({
        id: c.id,
        value: c.value,
        missing: c.missing,
        explanation: c.explanation,
      })),
      nextStep: {
        component: truth.next.component,
        action: truth.next.action,
        gain: truth.next.gain,
      },
    });
    expect(JSON.parse(result.content[0].text)).toEqual(
      result.structuredContent,
    );

    const gate: any = await client.callTool({
      name: 'conductor.may-release-be-promoted',
      arguments: {
        entityRef: 'component:default/payments-api',
        environment: 'production',
      },
    });
    expect(gate.structuredContent).toMatchObject({
      dryRun: true,
      allowed: false,
      judged: true,
      score: truth.score,
    });
    expect(gate.structuredContent.reasons[0]).toBe(
      `readiness ${truth.score} is below the production threshold ${truth.thresholds.production}`,
    );
  });

  it('refuses a caller the permission check denies, and says why', async () => {
    const client = await connect(mockCredentials.user.token(MALLORY));
    const result: any = await client.callTool({
      name: 'conductor.readiness-next-step',
      arguments: { entityRef: 'component:default/payments-api' },
    });
    expect(result.isError).toBe(true);
    expect(result.content[0].text).toBe(
      'NotAllowedError: You may not read the readiness of component:default/payments-api (conductor.evidence.read)',
    );
    expect(result.structuredContent).toBeUndefined();
  });

  it('names bad input as a tool error the agent can read', async () => {
    const client = await connect(
      mockCredentials.user.token('user:default/alice'),
    );
    const result: any = await client.callTool({
      name: 'conductor.may-release-be-promoted',
      arguments: { entityRef: 'not a ref', environment: 'production' },
    });
    expect(result.isError).toBe(true);
    expect(result.content[0].text).toMatch(/^InputError: entityRef: /);
  });

  it('turns away a client with a bad token or an anonymous one', async () => {
    await expect(connect('not-a-backstage-token')).rejects.toThrow(
      /"name":"AuthenticationError".*"statusCode":401/,
    );
    await expect(
      connect(mockCredentials.none.header().replace('Bearer ', '')),
    ).rejects.toThrow(/"message":"Missing credentials".*"statusCode":401/);
  });
});
