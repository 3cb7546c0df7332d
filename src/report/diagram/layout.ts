/**
 * @module report/diagram/layout
 * Report layer: positions for the diagram, computed by elkjs (the Eclipse Layout Kernel compiled to
 * JavaScript: no system binary, no browser). VNets are compound nodes holding their subnets, gateways and
 * instances; edges cross the hierarchy (hierarchyHandling INCLUDE_CHILDREN). Text sizes are estimated from
 * character counts, since there is no font engine here; the SVG printer draws with the same metrics.
 * The only asynchronous step of the diagram (elkjs answers with a promise); its result is plain data.
 */
import elkModule from "elkjs/lib/elk.bundled.js";
import type { DiagramEdge, DiagramGraph, DiagramGroup, DiagramNode } from "./graph.js";

/** Font metrics shared with the SVG printer (12px sans-serif, generous per-character width). */
export const METRICS = {
  charWidth: 7.2,
  /** Titles and finding marks are bold, and marks are upper case: wider. */
  boldCharWidth: 8.6,
  lineHeight: 15,
  padX: 10,
  padY: 8,
  labelChar: 6.4,
  labelLine: 13,
};

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidOutNode extends Box {
  node: DiagramNode;
}

export interface LaidOutGroup extends Box {
  group: DiagramGroup;
}

export interface LaidOutEdge {
  edge: DiagramEdge;
  /** Absolute polyline, start to end. */
  points: { x: number; y: number }[];
  label?: Box;
}

export interface DiagramLayout {
  width: number;
  height: number;
  groups: LaidOutGroup[];
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
}

interface ElkShape {
  id: string;
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  children?: ElkShape[];
  labels?: { text: string; width: number; height: number; x?: number; y?: number }[];
  layoutOptions?: Record<string, string>;
  edges?: ElkEdgeShape[];
}

interface ElkEdgeShape {
  id: string;
  sources: string[];
  targets: string[];
  container?: string;
  labels?: { text: string; width: number; height: number; x?: number; y?: number }[];
  sections?: {
    startPoint: { x: number; y: number };
    endPoint: { x: number; y: number };
    bendPoints?: { x: number; y: number }[];
  }[];
}

/** The text lines a node shows (title, details, finding marks): the SVG printer draws exactly these. */
export function nodeLines(node: DiagramNode): string[] {
  const marks = node.marks.map((m) => `! ${m.checkId}`);
  return [node.title, ...node.lines, ...marks];
}

export function groupLines(group: DiagramGroup): string[] {
  return [group.title, ...group.lines, ...group.marks.map((m) => `! ${m.checkId}`)];
}

export function edgeLines(edge: DiagramEdge): string[] {
  return [...edge.label.split("\n"), ...edge.marks.map((m) => `! ${m.checkId}`)];
}

function textBox(lines: string[], char: number, line: number): { width: number; height: number } {
  const longest = Math.max(1, ...lines.map((l) => [...l].length));
  return { width: Math.ceil(longest * char), height: lines.length * line };
}

function nodeSize(node: DiagramNode): { width: number; height: number } {
  const lines = nodeLines(node);
  const bold = new Set([0, ...node.marks.map((_, i) => lines.length - 1 - i)]);
  const width = Math.max(
    ...lines.map((l, i) => [...l].length * (bold.has(i) ? METRICS.boldCharWidth : METRICS.charWidth)),
  );
  return {
    width: Math.max(90, Math.ceil(width) + 2 * METRICS.padX),
    height: lines.length * METRICS.lineHeight + 2 * METRICS.padY,
  };
}

/** Lays the graph out; resolves to absolute boxes and edge polylines. */
export async function layoutDiagram(graph: DiagramGraph): Promise<DiagramLayout> {
  // elk.bundled.js is CommonJS with an `exports.default`; Node's ESM loader hands us the exports object.
  const ELK = (elkModule as unknown as { default: typeof elkModule.default }).default ?? elkModule;
  const elk = new ELK();
  // Each connected part is laid out on its own and the parts are packed in rows: one layered layout of an
  // estate of unconnected VNets would stack them into one very tall column.
  const parts: DiagramLayout[] = [];
  for (const part of connectedParts(graph)) {
    const laid = (await elk.layout(elkGraph(part) as never)) as unknown as ElkShape;
    parts.push(collect(part, laid));
  }
  return pack(parts);
}

/** The graph split into its connected parts (groups count as one piece with what they hold), in model order. */
export function connectedParts(graph: DiagramGraph): DiagramGraph[] {
  const root = new Map<string, string>();
  for (const g of graph.groups) root.set(g.id, g.id);
  for (const n of graph.nodes) root.set(n.id, n.group ?? n.id);
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const e of graph.edges) {
    const a = find(root.get(e.from) ?? e.from);
    const b = find(root.get(e.to) ?? e.to);
    if (a !== b) parent.set(b, a);
  }
  const order: string[] = [];
  const byPart = new Map<string, DiagramGraph>();
  const partOf = (id: string) => {
    const key = find(root.get(id) ?? id);
    let part = byPart.get(key);
    if (!part) {
      part = { groups: [], nodes: [], edges: [] };
      byPart.set(key, part);
      order.push(key);
    }
    return part;
  };
  for (const g of graph.groups) partOf(g.id).groups.push(g);
  for (const n of graph.nodes) partOf(n.id).nodes.push(n);
  for (const e of graph.edges) partOf(e.from).edges.push(e);
  return order.map((k) => byPart.get(k)!);
}

const PART_GAP = 30;

/** Packs laid-out parts left to right in rows about as wide as a 16:10 page of their total area. */
function pack(parts: DiagramLayout[]): DiagramLayout {
  const area = parts.reduce((a, p) => a + (p.width + PART_GAP) * (p.height + PART_GAP), 0);
  const rowWidth = Math.max(...parts.map((p) => p.width), Math.sqrt(area * 1.6), 0);
  const out: DiagramLayout = { width: 0, height: 0, groups: [], nodes: [], edges: [] };
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const p of parts) {
    if (x > 0 && x + p.width > rowWidth) {
      x = 0;
      y += rowHeight + PART_GAP;
      rowHeight = 0;
    }
    const move = <T extends Box>(b: T): T => ({ ...b, x: b.x + x, y: b.y + y });
    out.groups.push(...p.groups.map(move));
    out.nodes.push(...p.nodes.map(move));
    out.edges.push(
      ...p.edges.map((e) => ({
        ...e,
        points: e.points.map((pt) => ({ x: pt.x + x, y: pt.y + y })),
        ...(e.label ? { label: move(e.label) } : {}),
      })),
    );
    out.width = Math.max(out.width, x + p.width);
    out.height = Math.max(out.height, y + p.height);
    rowHeight = Math.max(rowHeight, p.height);
    x += p.width + PART_GAP;
  }
  return out;
}

/** An edge label's box: its lines at the label size, finding marks (bold, upper case) wider. */
function edgeLabelSize(edge: DiagramEdge): { width: number; height: number } {
  const lines = edgeLines(edge);
  const marks = edge.marks.length;
  const width = Math.max(
    ...lines.map((l, i) => [...l].length * (i >= lines.length - marks ? METRICS.labelChar * 1.2 : METRICS.labelChar)),
  );
  return { width: Math.ceil(width), height: lines.length * METRICS.labelLine };
}

function elkGraph(graph: DiagramGraph): ElkShape {
  const children: ElkShape[] = graph.groups.map((group) => {
    const titleHeight = groupLines(group).length * METRICS.lineHeight + 10;
    return {
      id: group.id,
      layoutOptions: { "elk.padding": `[top=${titleHeight + 8},left=12,bottom=12,right=12]` },
      children: graph.nodes.filter((n) => n.group === group.id).map((n) => ({ id: n.id, ...nodeSize(n) })),
      width: textBox(groupLines(group), METRICS.boldCharWidth, METRICS.lineHeight).width + 24,
      height: titleHeight + 20,
    };
  });
  for (const node of graph.nodes) if (!node.group) children.push({ id: node.id, ...nodeSize(node) });
  const edges: ElkEdgeShape[] = graph.edges.map((edge) => ({
    id: edge.id,
    sources: [edge.from],
    targets: [edge.to],
    labels: [{ text: edge.id, ...edgeLabelSize(edge) }],
  }));
  return {
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "RIGHT",
      "elk.hierarchyHandling": "INCLUDE_CHILDREN",
      "elk.edgeRouting": "ORTHOGONAL",
      "elk.spacing.nodeNode": "24",
      "elk.layered.spacing.nodeNodeBetweenLayers": "40",
      "elk.spacing.edgeLabel": "4",
      "elk.edgeLabels.inline": "false",
      "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
      "elk.layered.thoroughness": "3",
      "elk.nodeSize.constraints": "MINIMUM_SIZE",
    },
    children,
    edges,
  };
}

function collect(graph: DiagramGraph, laid: ElkShape): DiagramLayout {
  const offset = new Map<string, { x: number; y: number }>([["root", { x: 0, y: 0 }]]);
  const boxes = new Map<string, Box>();
  const walk = (shape: ElkShape, ox: number, oy: number) => {
    for (const child of shape.children ?? []) {
      const x = ox + (child.x ?? 0);
      const y = oy + (child.y ?? 0);
      offset.set(child.id, { x, y });
      boxes.set(child.id, { x, y, width: child.width ?? 0, height: child.height ?? 0 });
      walk(child, x, y);
    }
  };
  walk(laid, 0, 0);
  const byId = new Map(graph.edges.map((e) => [e.id, e]));
  const laidEdges: ElkEdgeShape[] = [];
  const gather = (shape: ElkShape) => {
    laidEdges.push(...(shape.edges ?? []));
    for (const child of shape.children ?? []) gather(child);
  };
  gather(laid);
  const edges: LaidOutEdge[] = [];
  for (const e of laidEdges) {
    const edge = byId.get(e.id);
    if (!edge) continue;
    // Edge coordinates are relative to the edge's container (elkjs sets `container`).
    const o = offset.get(e.container ?? "root") ?? { x: 0, y: 0 };
    const points: { x: number; y: number }[] = [];
    for (const s of e.sections ?? []) {
      points.push(s.startPoint, ...(s.bendPoints ?? []), s.endPoint);
    }
    const label = e.labels?.[0];
    edges.push({
      edge,
      points: points.map((p) => ({ x: p.x + o.x, y: p.y + o.y })),
      ...(label && label.x !== undefined
        ? { label: { x: label.x + o.x, y: (label.y ?? 0) + o.y, width: label.width, height: label.height } }
        : {}),
    });
  }
  return {
    width: Math.ceil(laid.width ?? 0),
    height: Math.ceil(laid.height ?? 0),
    groups: graph.groups.map((group) => ({ group, ...boxes.get(group.id)! })),
    nodes: graph.nodes.map((node) => ({ node, ...boxes.get(node.id)! })),
    edges,
  };
}
