import dagre from '@dagrejs/dagre';
import { LineageEdge, LineageNode } from '@internal/plugin-conductor-common';

/** Node box size the layout reserves, in pixels. */
export const NODE_WIDTH = 190;
export const NODE_HEIGHT = 44;

/** Where each node goes: top-left corner, as reactflow places nodes. */
export type Positions = Map<string, { x: number; y: number }>;

/** Above this many nodes dagre's crossing minimisation takes seconds; the fast layout takes milliseconds. */
export const DAGRE_MAX_NODES = 300;

/**
 * A layered layout, left to right. Up to {@link DAGRE_MAX_NODES} nodes with
 * dagre (Sugiyama: ranks, crossing minimisation); larger graphs in layers by
 * distance from the root, each layer ordered by its neighbours in the layer
 * before (one barycentre sweep) and wrapped into columns of 40, which is
 * linear in the graph's size. Pure and deterministic, so the view computes
 * it once per graph (memoised), never on every render.
 */
export function layoutGraph(
  nodes: LineageNode[],
  edges: LineageEdge[],
  root?: string,
): Positions {
  return nodes.length > DAGRE_MAX_NODES
    ? layeredByDistance(nodes, edges, root ?? nodes[0]?.id)
    : dagreLayout(nodes, edges);
}

const COLUMN = 40;

function layeredByDistance(
  nodes: LineageNode[],
  edges: LineageEdge[],
  root?: string,
): Positions {
  const ids = new Set(nodes.map(n => n.id));
  const neighbours = new Map<string, string[]>();
  const link = (a: string, b: string) => {
    const list = neighbours.get(a);
    if (list) list.push(b);
    else neighbours.set(a, [b]);
  };
  for (const e of edges)
    if (ids.has(e.from) && ids.has(e.to)) {
      link(e.from, e.to);
      link(e.to, e.from);
    }
  // distance from the root; what it does not reach goes in a last layer
  const depth = new Map<string, number>();
  const layers: string[][] = [];
  let frontier = root && ids.has(root) ? [root] : [];
  if (root) depth.set(root, 0);
  while (frontier.length) {
    layers.push(frontier);
    const next: string[] = [];
    for (const id of frontier)
      for (const m of neighbours.get(id) ?? [])
        if (!depth.has(m)) {
          depth.set(m, layers.length);
          next.push(m);
        }
    frontier = next;
  }
  const rest = nodes.filter(n => !depth.has(n.id)).map(n => n.id);
  if (rest.length) layers.push(rest);
  // order each layer by the mean position of its neighbours in the layer before
  const order = new Map<string, number>();
  const positions: Positions = new Map();
  let x = 0;
  layers.forEach((layer, i) => {
    const score = (id: string) => {
      const before = (neighbours.get(id) ?? []).filter(
        m => depth.get(m) === i - 1,
      );
      return before.length
        ? before.reduce((sum, m) => sum + (order.get(m) ?? 0), 0) /
            before.length
        : 0;
    };
    const sorted = layer
      .map(id => ({ id, s: score(id) }))
      .sort((a, b) => a.s - b.s || a.id.localeCompare(b.id));
    sorted.forEach(({ id }, k) => {
      order.set(id, k);
      positions.set(id, {
        x: x + Math.floor(k / COLUMN) * (NODE_WIDTH + 24),
        y: (k % COLUMN) * (NODE_HEIGHT + 12),
      });
    });
    x += Math.ceil(sorted.length / COLUMN) * (NODE_WIDTH + 24) + 80;
  });
  return positions;
}

function dagreLayout(nodes: LineageNode[], edges: LineageEdge[]): Positions {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({
    rankdir: 'LR',
    nodesep: 14,
    ranksep: 70,
    marginx: 10,
    marginy: 10,
  });
  g.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(nodes.map(n => n.id));
  for (const n of nodes)
    g.setNode(n.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const e of edges)
    if (ids.has(e.from) && ids.has(e.to) && e.from !== e.to)
      g.setEdge(e.from, e.to, {}, `${e.type}`);
  dagre.layout(g);
  const positions: Positions = new Map();
  for (const id of ids) {
    const p = g.node(id);
    positions.set(id, { x: p.x - NODE_WIDTH / 2, y: p.y - NODE_HEIGHT / 2 });
  }
  return positions;
}
