/*
 * The page the browser benchmark drives: the portal's lineage graph
 * component (LineageGraphView, as the Lineage tab renders it) on a synthetic
 * neighbourhood, with hooks on `window.lineageBench` to load a graph, pick a
 * node and highlight a blast radius the way the tab does.
 */
import type {
  LineageGraphResponse,
  LineageNode,
} from '@internal/plugin-conductor-common';
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { LineageGraphView } from '../../plugins/conductor/src/lineage/LineageGraph';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { layoutGraph } from '../../plugins/conductor/src/lineage/layout';
import { syntheticNeighbourhood } from './synthetic';

type Mode = 'memo' | 'every-render';
type State = {
  graph?: LineageGraphResponse;
  mode: Mode;
  highlighted?: Set<string>;
  selected?: string;
};

const afterPaint = () =>
  new Promise<number>(done =>
    requestAnimationFrame(() =>
      requestAnimationFrame(() => done(performance.now())),
    ),
  );

let setState: (update: (s: State) => State) => void = () => {};
let renders = 0;

function Harness() {
  const [state, set] = useState<State>({ mode: 'memo' });
  useEffect(() => {
    setState = set;
  }, []);
  renders++;
  const { graph, mode, highlighted, selected } = state;
  if (!graph) return null;
  // 'every-render': a new graph object on each render, which is what a view
  // that lays out inline (no memo keyed by the graph) costs
  const shown = mode === 'every-render' ? { ...graph } : graph;
  return (
    <div style={{ width: 1200 }}>
      <LineageGraphView
        graph={shown}
        highlighted={highlighted}
        selected={selected}
        onSelect={(n: LineageNode) => set(s => ({ ...s, selected: n.id }))}
      />
    </div>
  );
}

/**
 * Resolves once the graph is drawn: reactflow fits the view only after it has
 * measured every node, so a fitted viewport means nodes drawn and measured;
 * then painted. (A large graph zoomed out has no edges to wait for.)
 */
async function drawn(): Promise<number> {
  const gaveUp = performance.now() + 120_000;
  for (;;) {
    const viewport = document.querySelector('.react-flow__viewport');
    const transform = viewport ? getComputedStyle(viewport).transform : '';
    const nodes = document.querySelectorAll('.react-flow__node').length;
    if (
      transform &&
      transform !== 'none' &&
      !/^matrix\(1, 0, 0, 1, 0, 0\)$/.test(transform) &&
      nodes > 0
    )
      return afterPaint();
    if (performance.now() > gaveUp)
      throw new Error('the graph was not drawn within 120 s');
    await new Promise(r => requestAnimationFrame(r));
  }
}

const api = {
  /** Draws a synthetic neighbourhood; answers ms until it is on screen. */
  async load(nodes: number, edges: number, mode: Mode) {
    setState(() => ({ mode }));
    await afterPaint();
    const graph = syntheticNeighbourhood(nodes, edges);
    const started = performance.now();
    setState(() => ({ graph, mode }));
    return (await drawn()) - started;
  },
  /** Median ms of the layout alone, over `times` runs. */
  layout(nodes: number, edges: number, times = 5) {
    const graph = syntheticNeighbourhood(nodes, edges);
    const ms: number[] = [];
    for (let i = 0; i < times; i++) {
      const t = performance.now();
      layoutGraph(graph.nodes, graph.edges, graph.root);
      ms.push(performance.now() - t);
    }
    return ms.sort((a, b) => a - b)[Math.floor(times / 2)];
  },
  /** Highlights a blast radius of `share` of the nodes; ms until painted. */
  async highlight(share: number) {
    let ids: string[] = [];
    setState(s => {
      ids = s
        .graph!.nodes.filter((_, i) => i % Math.round(1 / share) === 0)
        .map(n => n.id);
      return s;
    });
    const started = performance.now();
    setState(s => ({ ...s, highlighted: new Set(ids) }));
    return (await afterPaint()) - started;
  },
  async clearHighlight() {
    const started = performance.now();
    setState(s => ({ ...s, highlighted: undefined }));
    return (await afterPaint()) - started;
  },
  renders: () => renders,
  rendered: () => document.querySelectorAll('.react-flow__node').length,
};
(window as unknown as { lineageBench: typeof api }).lineageBench = api;

createRoot(document.getElementById('root')!).render(<Harness />);
