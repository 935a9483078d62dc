import { Entity } from '@backstage/catalog-model';
import {
  BlastRadiusResponse,
  LineageEdge,
  LineageGraphResponse,
  LineageNode,
  lineageLabel,
  lineageNodeKind,
} from '@internal/plugin-conductor-common';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderForEntity } from '../__testUtils__';
import { LineageApi, lineageApiRef } from './api';
import * as layout from './layout';

// the real layout, counted: the view must lay out once per graph
jest.mock('./layout', () => {
  const actual = jest.requireActual('./layout');
  return { ...actual, layoutGraph: jest.fn(actual.layoutGraph) };
});
const layoutCalls = layout.layoutGraph as jest.MockedFunction<
  typeof layout.layoutGraph
>;
import { LineageContent } from './LineageContent';

const reportsGraphql: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: { name: 'reports-graphql', namespace: 'default' },
  spec: {
    type: 'graphql',
    owner: 'insights',
    lifecycle: 'production',
    definition: 'type Query { a: Int }',
  },
};

const n = (id: string): LineageNode => ({
  id,
  kind: lineageNodeKind(id)!,
  label: lineageLabel(id),
});
const edges: LineageEdge[] = [
  {
    from: 'component:default/reports-api',
    to: 'api:default/reports-graphql',
    type: 'exposes',
  },
  {
    from: 'component:default/insights-web',
    to: 'api:default/reports-graphql',
    type: 'consumes',
  },
  {
    from: 'api:default/reports-graphql',
    to: 'GraphQL:reports-graphql/Asset',
    type: 'exposes',
  },
  {
    from: 'GraphQL:reports-graphql/Asset',
    to: 'GraphQL:reports-graphql/Asset.name',
    type: 'exposes',
  },
  {
    from: 'Contract:Asset@v2',
    to: 'GraphQL:reports-graphql/Asset',
    type: 'conformsTo',
  },
  {
    from: 'GraphQL:reports-graphql/Asset.name',
    to: 'Operation:reports-graphql/export-worker/MonthlyExport.graphql',
    type: 'usedBy',
  },
  {
    from: 'Operation:reports-graphql/export-worker/MonthlyExport.graphql',
    to: 'Tenant:globex',
    type: 'servesTenant',
  },
];
const graph: LineageGraphResponse = {
  root: 'api:default/reports-graphql',
  depth: 2,
  nodes: [...new Set(edges.flatMap(e => [e.from, e.to]))].map(n),
  edges,
  partial: true,
  partialReason: 'depth',
};

function fakeApi(overrides: Partial<LineageApi> = {}): LineageApi {
  return {
    getGraph: jest.fn(async () => graph),
    getRadius: jest.fn(async (_ref: string, node: string) => ({
      start: node,
      nodes: [
        { id: 'Contract:Asset@v2', depth: 0 },
        { id: 'GraphQL:reports-graphql/Asset', depth: 1 },
        { id: 'GraphQL:reports-graphql/Asset.name', depth: 2 },
        {
          id: 'Operation:reports-graphql/export-worker/MonthlyExport.graphql',
          depth: 3,
        },
        { id: 'Tenant:globex', depth: 4 },
      ],
      edges: [],
      partial: false,
    })),
    blastRadius: jest.fn(),
    ...overrides,
  };
}

// rendering reactflow in jsdom is slow on a shared machine
jest.setTimeout(30_000);

const state = (id: string) =>
  screen.getByTestId(`lineage-node-${id}`).getAttribute('data-state');

describe('LineageContent', () => {
  it('draws the neighbourhood with each kind told apart, and says when it is cut', async () => {
    const api = fakeApi();
    await renderForEntity(<LineageContent />, {
      apis: [[lineageApiRef, api]],
      entity: reportsGraphql,
    });
    expect(
      await screen.findByTestId('lineage-node-Contract:Asset@v2'),
    ).toHaveTextContent('Asset@v2');
    expect(
      screen.getByTestId('lineage-node-GraphQL:reports-graphql/Asset.name'),
    ).toHaveTextContent('Asset.name');
    expect(
      screen.getByTestId('lineage-node-Contract:Asset@v2'),
    ).toHaveAttribute('title', 'Data contract: Contract:Asset@v2');
    expect(screen.getByTestId('lineage-node-Tenant:globex')).toHaveAttribute(
      'title',
      'Tenant: Tenant:globex',
    );
    expect(state('api:default/reports-graphql')).toBe('root');
    expect(
      screen.getByText(
        /The neighbourhood is larger than shown \(cut at its depth\)/,
      ),
    ).toBeInTheDocument();
    expect(api.getGraph).toHaveBeenCalledWith('api:default/reports-graphql', {
      depth: 2,
      focus: undefined,
    });
  });

  it('a picked contract shows its details and highlights its blast radius; the layout is not recomputed', async () => {
    const spy = layoutCalls;
    spy.mockClear();
    const api = fakeApi();
    await renderForEntity(<LineageContent />, {
      apis: [[lineageApiRef, api]],
      entity: reportsGraphql,
    });
    const contract = await screen.findByTestId(
      'lineage-node-Contract:Asset@v2',
    );
    const layouts = spy.mock.calls.length;
    expect(layouts).toBe(1);
    fireEvent.click(contract);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Highlight blast radius' }),
    );
    await waitFor(() => expect(state('Tenant:globex')).toBe('highlighted'));
    expect(state('GraphQL:reports-graphql/Asset.name')).toBe('highlighted');
    expect(state('component:default/insights-web')).toBe('dimmed');
    expect(state('Contract:Asset@v2')).toBe('selected');
    expect(
      screen.getByText('A change here reaches 4 node(s).'),
    ).toBeInTheDocument();
    expect(api.getRadius).toHaveBeenCalledWith(
      'api:default/reports-graphql',
      'Contract:Asset@v2',
    );
    // picking and highlighting re-rendered the graph without laying it out again
    expect(spy.mock.calls.length).toBe(layouts);
  });

  it('the what-if box shows the blast radius of pasted SDL and highlights it', async () => {
    const report = {
      summary: {
        breaking: 1,
        dangerous: 0,
        safe: 0,
        breakingUnused: 0,
        impactedOperations: 1,
        operationsChecked: 3,
        services: 1,
        tenants: 2,
      },
      changes: [
        {
          type: 'FIELD_REMOVED',
          path: 'Asset.name',
          message: "Field 'name' was removed from object type 'Asset'",
          criticality: 'breaking',
          usage: 'impacting',
          impactedOperations: ['export-worker/MonthlyExport.graphql'],
          selectedBy: ['export-worker/MonthlyExport.graphql'],
          services: ['component:default/export-worker'],
          tenants: ['globex', 'initech'],
          mitigation: [
            {
              kind: 'deprecation-window',
              step: 'Extend the deprecation window: keep `Asset.name` until export-worker no longer use it',
            },
          ],
        },
      ],
      impactedOperations: [
        {
          key: 'export-worker/MonthlyExport.graphql',
          file: 'export-worker/MonthlyExport.graphql',
          operationName: 'MonthlyExport',
          client: 'export-worker',
          services: ['component:default/export-worker'],
          tenants: ['globex', 'initech'],
          changes: ['Asset.name'],
          errors: [],
        },
      ],
      services: ['component:default/export-worker'],
      tenants: ['globex', 'initech'],
      partial: false,
      skippedOperations: [],
      warnings: [],
      gate: {
        maxServices: 0,
        failed: true,
        reasons: ['Asset.name: FIELD_REMOVED reaches 1 service(s)'],
      },
      reached: [],
    } as BlastRadiusResponse;
    const api = fakeApi({ blastRadius: jest.fn(async () => report) });
    await renderForEntity(<LineageContent />, {
      apis: [[lineageApiRef, api]],
      entity: reportsGraphql,
    });
    await screen.findByTestId('lineage-node-Contract:Asset@v2');
    fireEvent.change(screen.getByLabelText('New SDL'), {
      target: { value: 'type Query { assets: [Asset] } type Asset { id: ID }' },
    });
    await userEvent.click(
      screen.getByRole('button', { name: 'Show blast radius' }),
    );
    const out = await screen.findByTestId('what-if-report');
    expect(out).toHaveTextContent(
      '1 breaking (0 unused), 0 dangerous, 0 safe; 1 of 3 operation(s) impacted — blocked',
    );
    expect(out).toHaveTextContent('Tenants: globex, initech');
    expect(out).toHaveTextContent(
      'MonthlyExport (export-worker/MonthlyExport.graphql) — broken by Asset.name',
    );
    // the step's `code` is shown as code, without the backticks
    expect(out).toHaveTextContent(
      'Extend the deprecation window: keep Asset.name until export-worker no longer use it',
    );
    expect(screen.getByText('Asset.name', { selector: 'code' })).toBeVisible();
    expect(api.blastRadius).toHaveBeenCalledWith({
      entityRef: 'api:default/reports-graphql',
      headSdl: 'type Query { assets: [Asset] } type Asset { id: ID }',
    });
    expect(state('GraphQL:reports-graphql/Asset.name')).toBe('highlighted');
    expect(
      state('Operation:reports-graphql/export-worker/MonthlyExport.graphql'),
    ).toBe('highlighted');
    expect(state('Contract:Asset@v2')).toBe('dimmed');
  });

  it('a node not yet in the graph shows an empty state', async () => {
    const error = Object.assign(new Error('not in the lineage graph'), {
      response: { status: 404 },
    });
    const api = fakeApi({
      getGraph: jest.fn(async () => Promise.reject(error)),
    });
    await renderForEntity(<LineageContent />, {
      apis: [[lineageApiRef, api]],
      entity: reportsGraphql,
    });
    expect(
      await screen.findByText('Not in the lineage graph yet'),
    ).toBeInTheDocument();
  });

  it('2,000 nodes: laid out once, fast', async () => {
    const many: LineageEdge[] = [];
    for (let i = 0; i < 1999; i++)
      many.push({
        from: `GraphQL:big/T${Math.floor(i / 20)}`,
        to: `GraphQL:big/T${Math.floor(i / 20)}.f${i}`,
        type: 'exposes',
      });
    const nodes = [...new Set(many.flatMap(e => [e.from, e.to]))]
      .map(n)
      .slice(0, 2000);
    const big: LineageGraphResponse = {
      root: nodes[0].id,
      depth: 2,
      nodes,
      edges: many,
      partial: false,
    };
    const spy = layoutCalls;
    spy.mockClear();
    const started = performance.now();
    const positions = layout.layoutGraph(big.nodes, big.edges, big.root);
    const layoutMs = performance.now() - started;
    expect(positions.size).toBe(big.nodes.length);
    // no two nodes on the same spot
    expect(
      new Set([...positions.values()].map(p => `${p.x},${p.y}`)).size,
    ).toBe(big.nodes.length);
    expect(layoutMs).toBeLessThan(500);
    spy.mockClear();
    const api = fakeApi({ getGraph: jest.fn(async () => big) });
    await act(async () => {
      await renderForEntity(<LineageContent />, {
        apis: [[lineageApiRef, api]],
        entity: reportsGraphql,
      });
    });
    await screen.findByText(
      `${big.nodes.length} nodes, ${big.edges.length} edges around api:default/reports-graphql`,
    );
    expect(spy).toHaveBeenCalledTimes(1);
  }, 60_000);
});
