import {
  LineageEdge,
  LineageGraphResponse,
  LineageNode,
  LineageNodeKind,
} from '@internal/plugin-conductor-common';
import ApartmentIcon from '@mui/icons-material/Apartment';
import ApiIcon from '@mui/icons-material/Api';
import AccountTreeIcon from '@mui/icons-material/AccountTree';
import CategoryIcon from '@mui/icons-material/Category';
import CodeIcon from '@mui/icons-material/Code';
import DescriptionIcon from '@mui/icons-material/Description';
import DevicesIcon from '@mui/icons-material/Devices';
import DnsIcon from '@mui/icons-material/Dns';
import FunctionsIcon from '@mui/icons-material/Functions';
import GavelIcon from '@mui/icons-material/Gavel';
import ScienceIcon from '@mui/icons-material/Science';
import ShortTextIcon from '@mui/icons-material/ShortText';
import Box from '@mui/material/Box';
import {
  ComponentType,
  createContext,
  memo,
  useCallback,
  useContext,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import ReactFlow, {
  Background,
  Controls,
  Edge,
  Handle,
  MiniMap,
  Node,
  NodeProps,
  Position,
  ReactFlowState,
  useStore,
  Viewport,
} from 'reactflow';
import 'reactflow/dist/style.css';
import { NODE_HEIGHT, NODE_WIDTH, layoutGraph } from './layout';

/** Colour and icon of each node kind, so kinds are told apart at a glance. */
export const NODE_KIND_STYLE: Record<
  LineageNodeKind,
  { colour: string; icon: ComponentType<{ fontSize?: 'small' }>; name: string }
> = {
  service: { colour: '#1565c0', icon: DnsIcon, name: 'Service' },
  api: { colour: '#6a1b9a', icon: ApiIcon, name: 'API' },
  system: { colour: '#37474f', icon: AccountTreeIcon, name: 'System' },
  'graphql-type': {
    colour: '#c2185b',
    icon: CategoryIcon,
    name: 'GraphQL type',
  },
  'graphql-field': {
    colour: '#ec407a',
    icon: ShortTextIcon,
    name: 'GraphQL field',
  },
  resolver: { colour: '#00897b', icon: FunctionsIcon, name: 'Resolver' },
  contract: { colour: '#ef6c00', icon: DescriptionIcon, name: 'Data contract' },
  policy: { colour: '#c62828', icon: GavelIcon, name: 'Policy' },
  test: { colour: '#2e7d32', icon: ScienceIcon, name: 'Test' },
  operation: { colour: '#5d4037', icon: CodeIcon, name: 'Operation' },
  client: { colour: '#455a64', icon: DevicesIcon, name: 'Client' },
  tenant: { colour: '#0277bd', icon: ApartmentIcon, name: 'Tenant' },
};

/** How a node is drawn: picked, root, lit by a blast radius, dimmed or plain. */
export type NodeState =
  | 'normal'
  | 'root'
  | 'highlighted'
  | 'dimmed'
  | 'selected';

/** What decides each node's state; changes without touching reactflow's nodes. */
export type GraphMarks = {
  root?: string;
  selected?: string;
  highlighted?: Set<string>;
};

/** A node's state under the marks. */
export function nodeState(id: string, marks: GraphMarks): NodeState {
  if (id === marks.selected) return 'selected';
  if (marks.highlighted)
    return marks.highlighted.has(id) ? 'highlighted' : 'dimmed';
  return id === marks.root ? 'root' : 'normal';
}

/**
 * The marks as a store each node subscribes to with its own id: picking or
 * highlighting re-renders only the nodes whose state changes, and never hands
 * reactflow new node objects (which would drop their measured sizes and make
 * it render and measure every node again, on screen or not).
 */
export class MarksStore {
  private marks: GraphMarks = {};
  private readonly listeners = new Set<() => void>();
  set(marks: GraphMarks) {
    this.marks = marks;
    this.listeners.forEach(l => l());
  }
  get = () => this.marks;
  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };
}

const MarksContext = createContext<MarksStore>(new MarksStore());

/**
 * A graph of more than this many nodes is drawn with less detail when zoomed
 * out below {@link DETAIL_ZOOM}: nodes as coloured boxes and no edges, which
 * could not be read at that size anyway (a hairball of thousands of curves),
 * and cost most of the time of each frame while panning.
 */
export const LARGE_GRAPH = 300;
export const DETAIL_ZOOM = 0.45;
const zoomedOut = (s: ReactFlowState) => s.transform[2] < DETAIL_ZOOM;
const keepDetail = () => false;
const NO_EDGES: Edge[] = [];
const HIDDEN = { visibility: 'hidden' } as const;

type NodeData = { node: LineageNode; large: boolean };

const LineageNodeView = memo(({ data }: NodeProps<NodeData>) => {
  const marks = useContext(MarksContext);
  const state = useSyncExternalStore(marks.subscribe, () =>
    nodeState(data.node.id, marks.get()),
  );
  const small = useStore(data.large ? zoomedOut : keepDetail);
  const style = NODE_KIND_STYLE[data.node.kind] ?? NODE_KIND_STYLE.service;
  const Icon = style.icon;
  const strong = state === 'root' || state === 'selected';
  const dimmed = state === 'dimmed';
  // Plain inline styles (2,000 nodes through a CSS-in-JS prop cost seconds);
  // dimmed by colour, not opacity (each translucent node is a layer to paint).
  const colour = dimmed ? `${style.colour}40` : style.colour;
  // zoomed out, the handles need not be painted (edges are hidden there)
  const handleStyle = small ? HIDDEN : undefined;
  return (
    <div
      data-testid={`lineage-node-${data.node.id}`}
      data-state={state}
      title={`${style.name}: ${data.node.id}`}
      style={{
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
        boxSizing: 'border-box',
        display: 'flex',
        alignItems: 'center',
        gap: 6,
        padding: '0 8px',
        borderRadius: 4,
        border: `${strong ? 3 : 2}px solid ${colour}`,
        background:
          state === 'highlighted' || (small && !dimmed)
            ? `${style.colour}22`
            : '#fff',
        boxShadow:
          state === 'highlighted' && !small
            ? `0 0 0 3px ${style.colour}55`
            : 'none',
        color: dimmed ? '#bdbdbd' : '#212121',
        fontSize: 12,
        overflow: 'hidden',
      }}
    >
      <Handle type="target" position={Position.Left} style={handleStyle} />
      {!small && (
        <>
          <span style={{ color: colour, display: 'flex' }}>
            <Icon fontSize="small" />
          </span>
          <span
            style={{
              overflow: 'hidden',
              textOverflow: 'ellipsis',
              whiteSpace: 'nowrap',
            }}
          >
            {data.node.label}
          </span>
        </>
      )}
      <Handle type="source" position={Position.Right} style={handleStyle} />
    </div>
  );
});

const NODE_TYPES = { lineage: LineageNodeView };
const PRO_OPTIONS = { hideAttribution: true };
// one function for the life of the page: a new one re-renders every minimap node
const minimapColour = (n: Node<NodeData>) =>
  NODE_KIND_STYLE[n.data.node.kind]?.colour ?? '#999';

/** One key per graph object: a new graph mounts a new view, fitted to it. */
const graphKeys = new WeakMap<LineageGraphResponse, number>();
let nextGraphKey = 0;
function graphKey(graph: LineageGraphResponse) {
  let key = graphKeys.get(graph);
  if (key === undefined) {
    key = ++nextGraphKey;
    graphKeys.set(graph, key);
  }
  return key;
}

/**
 * The graph itself. Laid out once per graph (memoised on the graph object),
 * and reactflow's nodes built once per graph too: picking and highlighting
 * go through {@link MarksStore}, so they re-render the nodes that change,
 * not the graph. A new graph (another depth, expand) mounts a view fitted
 * to it. Only the visible nodes are rendered, and zoomed out they are
 * coloured boxes, so 2,000 nodes stay responsive.
 */
export function LineageGraphView(props: {
  graph: LineageGraphResponse;
  highlighted?: Set<string>;
  selected?: string;
  onSelect?: (node: LineageNode) => void;
}) {
  const { graph, highlighted, selected, onSelect } = props;
  const positions = useMemo(
    () => layoutGraph(graph.nodes, graph.edges, graph.root),
    [graph],
  );
  const large = graph.nodes.length > LARGE_GRAPH;
  const nodes: Node<NodeData>[] = useMemo(
    () =>
      graph.nodes.map(n => ({
        id: n.id,
        type: 'lineage',
        position: positions.get(n.id) ?? { x: 0, y: 0 },
        data: { node: n, large },
        draggable: false,
        connectable: false,
      })),
    [graph, positions, large],
  );
  const [marks] = useState(() => new MarksStore());
  useLayoutEffect(() => {
    marks.set({ root: graph.root, selected, highlighted });
  }, [marks, graph.root, selected, highlighted]);
  const edges: Edge[] = useMemo(
    () =>
      graph.edges.map((e: LineageEdge) => {
        const lit = highlighted?.has(e.from) && highlighted?.has(e.to);
        return {
          id: `${e.from}|${e.to}|${e.type}`,
          source: e.from,
          target: e.to,
          label: graph.edges.length <= 150 ? e.type : undefined,
          animated: !!lit && graph.edges.length <= 300,
          style: { opacity: highlighted && !lit ? 0.15 : 1 },
        };
      }),
    [graph, highlighted],
  );
  // for a large graph, edges only when zoomed in far enough to read them
  const [far, setFar] = useState(large);
  const onMove = useCallback(
    (_: unknown, viewport: Viewport) => setFar(viewport.zoom < DETAIL_ZOOM),
    [],
  );
  // one click handler for the life of the view, whatever the caller passes:
  // a new handler would re-render every node reactflow has mounted
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  const onNodeClick = useCallback(
    (_: unknown, n: Node<NodeData>) => onSelectRef.current?.(n.data.node),
    [],
  );
  return (
    <MarksContext.Provider value={marks}>
      <Box sx={{ height: 620, border: '1px solid #e0e0e0', borderRadius: 1 }}>
        <ReactFlow
          key={graphKey(graph)}
          nodes={nodes}
          edges={large && far ? NO_EDGES : edges}
          onMove={large ? onMove : undefined}
          nodeTypes={NODE_TYPES}
          onNodeClick={onNodeClick}
          onlyRenderVisibleElements
          minZoom={0.05}
          fitView
          proOptions={PRO_OPTIONS}
        >
          <MiniMap nodeColor={minimapColour} pannable zoomable />
          <Controls showInteractive={false} />
          <Background />
        </ReactFlow>
      </Box>
    </MarksContext.Provider>
  );
}
