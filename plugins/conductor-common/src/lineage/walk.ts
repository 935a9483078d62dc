import {
  LINEAGE_EDGE_TYPES,
  LineageEdge,
  LineageEdgeType,
  LineageNodeKind,
  lineageNodeKind,
} from './model';

const EDGE_TYPE_NAMES = Object.keys(LINEAGE_EDGE_TYPES) as LineageEdgeType[];
const EDGE_TYPE_CODE = new Map(EDGE_TYPE_NAMES.map((t, i) => [t, i]));

/** Limits of one walk; past any of them the answer is marked partial. @public */
export interface LineageWalkLimits {
  /** Hops from the start nodes (default 6). */
  maxDepth?: number;
  /** Wall-clock budget in milliseconds (default 200). */
  budgetMs?: number;
  /** Most nodes to return (default 5,000). */
  maxNodes?: number;
  /** Walk both directions of every edge (the neighbourhood view) instead of the impact direction. */
  undirected?: boolean;
  /** Return the edges followed (default true); a caller needing only the nodes saves the work. */
  collectEdges?: boolean;
  /**
   * Node kinds reached but not walked past, e.g. `service` so that a
   * schema change's radius stops at the services it breaks instead of
   * flowing on into their own APIs.
   */
  stopAt?: LineageNodeKind[];
}

/** What a walk reached. @public */
export interface LineageWalkResult {
  /** Node ids reached, with their distance from the nearest start. */
  nodes: Array<{ id: string; depth: number }>;
  /** The edges between reached nodes that the walk followed. */
  edges: LineageEdge[];
  /** True when a limit stopped the walk before it reached everything. */
  partial: boolean;
  /** Which limit, when partial: `depth`, `time` or `nodes`. */
  partialReason?: 'depth' | 'time' | 'nodes';
  /** Start ids the graph does not know. */
  unknownStarts: string[];
}

/**
 * An in-memory index of the lineage graph for walks: node ids interned to
 * integers and adjacency in compressed sparse rows (one Int32Array of
 * offsets, one of targets), once in the impact direction and once reversed.
 * A million edges take ~20 MB, and a walk touches only what it reaches.
 *
 * @public
 */
export class LineageIndex {
  private readonly ids: string[] = [];
  private readonly codes = new Map<string, number>();
  private impactOffsets = new Int32Array(1);
  private impactTargets = new Int32Array(0);
  private impactTypes = new Uint8Array(0);
  private backOffsets = new Int32Array(1);
  private backTargets = new Int32Array(0);
  private backTypes = new Uint8Array(0);
  private seen = new Uint32Array(0);
  private depths = new Int32Array(0);
  private stamp = 0;

  /** Builds the index; edges of an unknown type are ignored. */
  static fromEdges(edges: Iterable<LineageEdge>): LineageIndex {
    const index = new LineageIndex();
    const from: number[] = [];
    const to: number[] = [];
    const types: number[] = [];
    for (const e of edges) {
      const code = EDGE_TYPE_CODE.get(e.type);
      if (code === undefined) continue;
      // Store every edge in its impact direction: source reaches target.
      const reverse = LINEAGE_EDGE_TYPES[e.type] === 'reverse';
      from.push(index.intern(reverse ? e.to : e.from));
      to.push(index.intern(reverse ? e.from : e.to));
      types.push(code);
    }
    index.build(from, to, types);
    return index;
  }

  get nodeCount(): number {
    return this.ids.length;
  }

  get edgeCount(): number {
    return this.impactTargets.length;
  }

  has(id: string): boolean {
    return this.codes.has(id);
  }

  /**
   * Breadth-first walk from the start nodes. In the impact direction (the
   * blast radius) by default; both directions for a neighbourhood.
   */
  walk(starts: string[], limits: LineageWalkLimits = {}): LineageWalkResult {
    const maxDepth = limits.maxDepth ?? 6;
    const budgetMs = limits.budgetMs ?? 200;
    const maxNodes = limits.maxNodes ?? 5000;
    const deadline = performance.now() + budgetMs;
    // Seen nodes are marked with this walk's stamp in a typed array kept by
    // the index (walks are synchronous, so one scratch array serves them all).
    const stamp = this.nextStamp();
    const seen = this.seen;
    const depthOf = this.depths;
    const reached: number[] = [];
    const unknownStarts: string[] = [];
    let frontier: number[] = [];
    for (const s of starts) {
      const code = this.codes.get(s);
      if (code === undefined) unknownStarts.push(s);
      else if (seen[code] !== stamp) {
        seen[code] = stamp;
        depthOf[code] = 0;
        reached.push(code);
        frontier.push(code);
      }
    }
    const edges: LineageEdge[] = [];
    let partialReason: LineageWalkResult['partialReason'];
    let depth = 0;
    let steps = 0;
    const collectEdges = limits.collectEdges ?? true;
    const stop = limits.stopAt?.length
      ? new Set<LineageNodeKind | undefined>(limits.stopAt)
      : undefined;
    const dirs = this.directions(limits.undirected);
    while (frontier.length && !partialReason) {
      if (depth === maxDepth) {
        if (this.hasUnseenNeighbour(frontier, stamp, limits.undirected))
          partialReason = 'depth';
        break;
      }
      const next: number[] = [];
      for (let f = 0; f < frontier.length && !partialReason; f++) {
        const node = frontier[f];
        for (const [offsets, targets, types, reversed] of dirs) {
          const end = offsets[node + 1];
          for (let i = offsets[node]; i < end; i++) {
            // Checking the clock every 1,024 steps keeps it off the hot path.
            if ((++steps & 1023) === 0 && performance.now() > deadline) {
              partialReason = 'time';
              break;
            }
            const target = targets[i];
            if (seen[target] !== stamp) {
              if (reached.length >= maxNodes) {
                partialReason = 'nodes';
                break;
              }
              seen[target] = stamp;
              depthOf[target] = depth + 1;
              reached.push(target);
              if (!stop || !stop.has(this.kindOf(target))) next.push(target);
            }
            if (collectEdges)
              edges.push(
                this.record(node, target, EDGE_TYPE_NAMES[types[i]], reversed),
              );
          }
          if (partialReason) break;
        }
      }
      frontier = next;
      depth++;
    }
    return {
      nodes: reached.map(code => ({
        id: this.ids[code],
        depth: depthOf[code],
      })),
      edges: limits.undirected ? dedupe(edges) : edges,
      partial: partialReason !== undefined,
      ...(partialReason ? { partialReason } : {}),
      unknownStarts,
    };
  }

  private nextStamp(): number {
    if (this.seen.length !== this.ids.length) {
      this.seen = new Uint32Array(this.ids.length);
      this.depths = new Int32Array(this.ids.length);
      this.stamp = 0;
    }
    if (this.stamp === 0xffffffff) {
      this.seen.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }

  private directions(
    undirected?: boolean,
  ): Array<[Int32Array, Int32Array, Uint8Array, boolean]> {
    const impact: [Int32Array, Int32Array, Uint8Array, boolean] = [
      this.impactOffsets,
      this.impactTargets,
      this.impactTypes,
      false,
    ];
    if (!undirected) return [impact];
    return [impact, [this.backOffsets, this.backTargets, this.backTypes, true]];
  }

  private hasUnseenNeighbour(
    frontier: number[],
    stamp: number,
    undirected?: boolean,
  ): boolean {
    for (const node of frontier)
      for (const [offsets, targets] of this.directions(undirected))
        for (let i = offsets[node]; i < offsets[node + 1]; i++)
          if (this.seen[targets[i]] !== stamp) return true;
    return false;
  }

  /** The edge as stored in the graph (its own from/to, not the walk's direction). */
  private record(
    node: number,
    target: number,
    type: LineageEdgeType,
    reversed: boolean,
  ): LineageEdge {
    // impact-direction source/target, back to the stored direction
    let [source, dest] = reversed ? [target, node] : [node, target];
    if (LINEAGE_EDGE_TYPES[type] === 'reverse') [source, dest] = [dest, source];
    return { from: this.ids[source], to: this.ids[dest], type };
  }

  private kindOf(code: number): LineageNodeKind | undefined {
    return lineageNodeKind(this.ids[code]);
  }

  private intern(id: string): number {
    let code = this.codes.get(id);
    if (code === undefined) {
      code = this.ids.length;
      this.ids.push(id);
      this.codes.set(id, code);
    }
    return code;
  }

  private build(from: number[], to: number[], types: number[]) {
    const n = this.ids.length;
    const csr = (src: number[], dst: number[]) => {
      const offsets = new Int32Array(n + 1);
      for (const s of src) offsets[s + 1]++;
      for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
      const fill = offsets.slice(0, n);
      const targets = new Int32Array(src.length);
      const edgeTypes = new Uint8Array(src.length);
      for (let i = 0; i < src.length; i++) {
        const at = fill[src[i]]++;
        targets[at] = dst[i];
        edgeTypes[at] = types[i];
      }
      return { offsets, targets, edgeTypes };
    };
    const impact = csr(from, to);
    this.impactOffsets = impact.offsets;
    this.impactTargets = impact.targets;
    this.impactTypes = impact.edgeTypes;
    const back = csr(to, from);
    this.backOffsets = back.offsets;
    this.backTargets = back.targets;
    this.backTypes = back.edgeTypes;
  }
}

/** Both directions of an undirected walk see an edge twice. */
function dedupe(edges: LineageEdge[]): LineageEdge[] {
  const seen = new Set<string>();
  return edges.filter(e => {
    const key = `${e.from}\u0000${e.to}\u0000${e.type}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
