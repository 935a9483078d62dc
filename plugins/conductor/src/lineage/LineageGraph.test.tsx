import {
  LineageGraphResponse,
  LineageNode,
  lineageLabel,
  lineageNodeKind,
} from '@internal/plugin-conductor-common';
import { act, render, screen } from '@testing-library/react';
import {
  LARGE_GRAPH,
  LineageGraphView,
  MarksStore,
  nodeState,
} from './LineageGraph';
import * as layout from './layout';

// reactflow as it is, with the nodes it is handed and its mounts recorded
const mockHanded: unknown[] = [];
const mockProps: Array<{
  edges: unknown[];
  onNodeClick: (e: unknown, n: unknown) => void;
  onMove?: (e: unknown, v: { x: number; y: number; zoom: number }) => void;
}> = [];
let mockMounts = 0;
jest.mock('reactflow', () => {
  const actual = jest.requireActual('reactflow');
  const React = jest.requireActual('react');
  const Recorded = (props: { nodes: unknown }) => {
    mockHanded.push(props.nodes);
    mockProps.push(props as any);
    React.useEffect(() => {
      mockMounts++;
    }, []);
    return React.createElement(actual.default, props);
  };
  return { ...actual, __esModule: true, default: Recorded };
});
jest.mock('./layout', () => {
  const actual = jest.requireActual('./layout');
  return { ...actual, layoutGraph: jest.fn(actual.layoutGraph) };
});
const layoutCalls = layout.layoutGraph as jest.MockedFunction<
  typeof layout.layoutGraph
>;

jest.setTimeout(30_000);

const n = (id: string): LineageNode => ({
  id,
  kind: lineageNodeKind(id)!,
  label: lineageLabel(id),
});
function graphOf(ids: string[]): LineageGraphResponse {
  return {
    root: ids[0],
    depth: 2,
    nodes: ids.map(n),
    edges: ids
      .slice(1)
      .map(to => ({ from: ids[0], to, type: 'exposes' as const })),
    partial: false,
  };
}
const API = 'api:default/orders-graphql';
const FIELD = 'GraphQL:orders-graphql/Order.totalCents';
const OTHER = 'GraphQL:orders-graphql/Order.id';
const state = (id: string) =>
  screen.getByTestId(`lineage-node-${id}`).getAttribute('data-state');

describe('nodeState', () => {
  it('picked beats highlighted, highlighted dims the rest, else the root stands out', () => {
    const highlighted = new Set([FIELD]);
    expect(nodeState(FIELD, { selected: FIELD, highlighted })).toBe('selected');
    expect(nodeState(FIELD, { highlighted })).toBe('highlighted');
    expect(nodeState(API, { root: API, highlighted })).toBe('dimmed');
    expect(nodeState(API, { root: API })).toBe('root');
    expect(nodeState(OTHER, { root: API, selected: FIELD })).toBe('normal');
  });
});

describe('MarksStore', () => {
  it('tells its subscribers of each change until they unsubscribe', () => {
    const store = new MarksStore();
    const heard: Array<string | undefined> = [];
    const stop = store.subscribe(() => heard.push(store.get().selected));
    store.set({ selected: FIELD });
    stop();
    store.set({ selected: OTHER });
    expect(heard).toEqual([FIELD]);
    expect(store.get().selected).toBe(OTHER);
  });
});

describe('LineageGraphView', () => {
  it('picking and highlighting change the drawn states without new nodes, a new layout or a new view; a new graph gets a new, fitted view', () => {
    const graph = graphOf([API, FIELD, OTHER]);
    mockHanded.length = 0;
    mockMounts = 0;
    layoutCalls.mockClear();
    const { rerender } = render(<LineageGraphView graph={graph} />);
    expect(state(API)).toBe('root');
    expect(state(FIELD)).toBe('normal');

    rerender(<LineageGraphView graph={graph} selected={FIELD} />);
    expect(state(FIELD)).toBe('selected');
    expect(state(API)).toBe('root');
    expect(state(OTHER)).toBe('normal');
    rerender(
      <LineageGraphView
        graph={graph}
        selected={FIELD}
        highlighted={new Set([FIELD, OTHER])}
      />,
    );
    expect(state(FIELD)).toBe('selected');
    expect(state(OTHER)).toBe('highlighted');
    expect(state(API)).toBe('dimmed');
    rerender(<LineageGraphView graph={graph} />);
    expect(state(API)).toBe('root');
    expect(state(OTHER)).toBe('normal');

    // reactflow was handed one nodes array, laid out once, mounted once
    expect(mockHanded.length).toBeGreaterThan(1);
    expect(new Set(mockHanded).size).toBe(1);
    expect(layoutCalls).toHaveBeenCalledTimes(1);
    expect(mockMounts).toBe(1);

    // another depth: a new graph, laid out and mounted (so fitted) afresh
    const deeper = graphOf([
      API,
      FIELD,
      OTHER,
      'Operation:orders-graphql/checkout-web/OrderDetails.graphql',
    ]);
    rerender(<LineageGraphView graph={deeper} />);
    expect(
      screen.getByTestId(
        'lineage-node-Operation:orders-graphql/checkout-web/OrderDetails.graphql',
      ),
    ).toHaveAttribute('title', expect.stringMatching(/^Operation: /));
    expect(layoutCalls).toHaveBeenCalledTimes(2);
    expect(mockMounts).toBe(2);
    expect(new Set(mockHanded).size).toBe(2);
  });

  it('one click handler for the life of the view, calling the latest onSelect', () => {
    const graph = graphOf([API, FIELD]);
    mockProps.length = 0;
    const first = jest.fn();
    const second = jest.fn();
    const { rerender } = render(
      <LineageGraphView graph={graph} onSelect={first} />,
    );
    rerender(<LineageGraphView graph={graph} onSelect={second} />);
    expect(new Set(mockProps.map(p => p.onNodeClick)).size).toBe(1);
    mockProps[0].onNodeClick({}, { data: { node: n(FIELD) } });
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledWith(n(FIELD));
  });

  it('a large graph hands reactflow its edges only when zoomed in far enough to read them; a small one always', () => {
    const ids = Array.from(
      { length: LARGE_GRAPH + 1 },
      (_, i) => `GraphQL:big/T.f${i}`,
    );
    mockProps.length = 0;
    const { unmount } = render(<LineageGraphView graph={graphOf(ids)} />);
    const last = () => mockProps[mockProps.length - 1];
    expect(last().edges).toHaveLength(0);
    act(() => last().onMove!(null, { x: 0, y: 0, zoom: 1 }));
    expect(last().edges).toHaveLength(LARGE_GRAPH);
    act(() => last().onMove!(null, { x: 0, y: 0, zoom: 0.1 }));
    expect(last().edges).toHaveLength(0);
    unmount();

    mockProps.length = 0;
    render(<LineageGraphView graph={graphOf([API, FIELD, OTHER])} />);
    expect(last().edges).toHaveLength(2);
    expect(last().onMove).toBeUndefined();
  });
});
