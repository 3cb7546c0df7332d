/**
 * @module report/diagram/summary
 * Report layer: the summary view of a large diagram. Above SUMMARY_THRESHOLD boxes a picture of every subnet
 * is neither readable nor quick to lay out (elkjs's layered layout of 20,000 boxes takes minutes), so each
 * VNet becomes one box that counts what it holds (subnets, NSGs, route tables) and carries every finding mark
 * of what it holds; gateways, API Management instances and what sits outside VNets stay boxes of their own.
 * Edges inside one VNet are left out (their marks go to the VNet's box) and edges of one kind between the
 * same two boxes are merged into one that says how many it stands for. Nothing is dropped silently: the
 * graph carries a `summary` with what was summarised and how to draw everything (`--full`), which both
 * printers show. Pure: (graph) => graph.
 */
import type { DiagramEdge, DiagramGraph, DiagramNode, NodeKind, NodeMark } from "./graph.js";

/**
 * Boxes (VNets plus nodes) above which the diagram is summarised. A thousand boxes is already more than a
 * page can show legibly, and it bounds a full layout to about 2 s (measured: elkjs lays out about 1,000 boxes
 * in 1.5 to 2.5 s of CPU on the bench machine, bench/diagram.bench.mjs); above it the summary's cost grows with
 * the number of VNets only.
 */
export const SUMMARY_THRESHOLD = 1000;

/** What a summary view left out, for the printers and the CLI to say. */
export interface DiagramSummary {
  /** Boxes the full diagram has (groups and nodes) and the threshold it exceeded. */
  boxes: number;
  threshold: number;
  /** VNets drawn as one box each. */
  vnets: number;
  /** Nodes folded into their VNet's box, by kind. */
  folded: Partial<Record<NodeKind, number>>;
  /** Edges left out (inside one VNet) and edges merged into others. */
  edgesInside: number;
  edgesMerged: number;
  /** The summary in sentences, as the outputs print it. */
  lines: string[];
}

/** Kinds folded into their VNet's box; gateways and API Management instances stay boxes of their own. */
const FOLDED: ReadonlySet<NodeKind> = new Set<NodeKind>(["subnet", "nsg", "routeTable"]);

const NOUNS: Partial<Record<NodeKind, [string, string]>> = {
  subnet: ["subnet", "subnets"],
  nsg: ["NSG", "NSGs"],
  routeTable: ["route table", "route tables"],
};

function counted(n: number, kind: NodeKind): string {
  const [one, many] = NOUNS[kind] ?? [kind, `${kind}s`];
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

function addMarks(into: NodeMark[], seen: Set<string>, marks: readonly NodeMark[]): void {
  for (const m of marks) {
    const key = `${m.checkId}\u0000${m.severity}`;
    if (seen.has(key)) continue;
    seen.add(key);
    into.push(m);
  }
}

/**
 * The graph itself when it has at most `threshold` boxes, else its summary view (see the module note). The
 * summary keeps each group's id as its VNet box's id, so edges between VNets (peerings) keep their ends.
 */
export function summarizeGraph(graph: DiagramGraph, threshold = SUMMARY_THRESHOLD): DiagramGraph {
  const boxes = graph.groups.length + graph.nodes.length;
  if (boxes <= threshold) return graph;
  const folded: Partial<Record<NodeKind, number>> = {};
  const inGroup = new Map<string, Partial<Record<NodeKind, number>>>(graph.groups.map((g) => [g.id, {}]));
  const marks = new Map<string, { list: NodeMark[]; seen: Set<string> }>();
  const marksOf = (groupId: string) => {
    let m = marks.get(groupId);
    if (!m) {
      m = { list: [], seen: new Set() };
      marks.set(groupId, m);
    }
    return m;
  };
  // Where each node's edges end in the summary: its VNet's box when it is folded, else itself.
  const end = new Map<string, string>();
  const nodes: DiagramNode[] = [];
  for (const node of graph.nodes) {
    const counts = node.group === undefined ? undefined : inGroup.get(node.group);
    if (counts && FOLDED.has(node.kind)) {
      counts[node.kind] = (counts[node.kind] ?? 0) + 1;
      folded[node.kind] = (folded[node.kind] ?? 0) + 1;
      const m = marksOf(node.group!);
      addMarks(m.list, m.seen, node.marks);
      end.set(node.id, node.group!);
    } else {
      const { group: _, ...loose } = node;
      nodes.push(loose);
      end.set(node.id, node.id);
    }
  }
  let edgesInside = 0;
  let edgesMerged = 0;
  const merged = new Map<string, { edge: DiagramEdge; count: number; seen: Set<string> }>();
  for (const e of graph.edges) {
    const from = end.get(e.from) ?? e.from;
    const to = end.get(e.to) ?? e.to;
    if (from === to) {
      // An edge inside one VNet: its marks stay visible on the VNet's box.
      edgesInside++;
      if (inGroup.has(from)) {
        const m = marksOf(from);
        addMarks(m.list, m.seen, e.marks);
      }
      continue;
    }
    const key = `${e.kind}\u0000${from}\u0000${to}`;
    const bucket = merged.get(key);
    if (!bucket) {
      const seen = new Set<string>();
      const edge = { ...e, from, to, marks: [] as NodeMark[] };
      addMarks(edge.marks, seen, e.marks);
      merged.set(key, { edge, count: 1, seen });
      continue;
    }
    edgesMerged++;
    bucket.count++;
    addMarks(bucket.edge.marks, bucket.seen, e.marks);
  }
  const vnetNodes: DiagramNode[] = graph.groups.map((g) => {
    const counts = inGroup.get(g.id)!;
    const held = (["subnet", "nsg", "routeTable"] as const).filter((k) => counts[k]).map((k) => counted(counts[k]!, k));
    const m = marksOf(g.id);
    const list: NodeMark[] = [];
    addMarks(list, new Set(), [...g.marks, ...m.list]);
    return {
      id: g.id,
      kind: "vnet",
      title: g.title,
      lines: [...g.lines, held.length > 0 ? held.join(", ") : "nothing drawn inside"],
      resourceId: g.resourceId,
      marks: list,
    };
  });
  const edges = [...merged.values()].map(({ edge, count }) =>
    count === 1 ? edge : { ...edge, label: `${edge.label}\nand ${(count - 1).toLocaleString("en-US")} more like it` },
  );
  const foldedText = (["subnet", "nsg", "routeTable"] as const)
    .filter((k) => folded[k])
    .map((k) => counted(folded[k]!, k))
    .join(", ");
  const lines = [
    `Summary view: the full diagram has ${boxes.toLocaleString("en-US")} boxes, more than the ${threshold.toLocaleString("en-US")} drawn in full, so each of the ${graph.groups.length.toLocaleString("en-US")} VNets is one box with what it holds (${foldedText || "nothing"}) and every finding on it.`,
    `Left out: ${edgesInside.toLocaleString("en-US")} edges inside VNets (NSG and route table attachments); ${edgesMerged.toLocaleString("en-US")} edges merged into one per kind between the same two boxes. Gateways, API Management instances and what lies outside the VNets are drawn as before.`,
    "Run with --full to draw every subnet (slow and large on an estate of this size).",
  ];
  return {
    groups: [],
    nodes: [...vnetNodes, ...nodes],
    edges,
    summary: {
      boxes,
      threshold,
      vnets: graph.groups.length,
      folded,
      edgesInside,
      edgesMerged,
      lines,
    },
  };
}
