/**
 * @module report/diagram/layout
 * Report layer: positions for the diagram, computed by elkjs (the Eclipse Layout Kernel compiled to
 * JavaScript: no system binary, no browser). VNets are compound nodes holding their subnets, gateways and
 * instances; edges cross the hierarchy (hierarchyHandling INCLUDE_CHILDREN). Text sizes are estimated from
 * character counts, since there is no font engine here; the SVG printer draws with the same metrics.
 * The only asynchronous step of the diagram (elkjs answers with a promise); its result is plain data.
 *
 * Cost stays linear in the diagram: each connected part is laid out on its own and the parts are packed; a
 * lone box is placed without elkjs; a part of more than PART_LIMIT boxes (a hub with its spokes) is laid out
 * VNet by VNet, the VNets packed in the order a walk from the most connected one meets them, with straight
 * edges between them (elkjs's layered layout grows faster than linearly beyond about a thousand boxes, and
 * takes minutes on 20,000); so are the parts after the first ELK_BUDGET boxes of a diagram (a summary view of
 * thousands of VNets). The layout says so in its notes, beside the summary's (diagram/summary).
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
  /** Sentences the picture shows above the parts: what was summarised or laid out differently. */
  notes?: string[];
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

/**
 * Boxes above which a connected part is laid out VNet by VNet rather than by one layered layout: elkjs's
 * cost per box is about flat up to 1,600 boxes and grows beyond (star of 3,200: 2.6 ms a box, of 800: 1.7 ms;
 * measured on the bench machine), and 500 keeps one part under about a second.
 */
export const PART_LIMIT = 500;

/**
 * Boxes one diagram lays out with elkjs's layered layout, over all its parts. The summary view of 2,500 VNets
 * (20,000 subnets) has 2,650 boxes: elkjs took 6.7 s of CPU on them, and with 1,000 boxes 3.9 s (issue 17: a
 * diagram in 10 s); 500 boxes is about 1.5 s. Parts past the budget are laid out unit by unit (unitLayout: a
 * VNet's own boxes still by elkjs, loose boxes in rows, straight edges between units), in linear time.
 */
export const ELK_BUDGET = 500;

/**
 * The budget of a summary view (diagram/summary: one box per VNet, above 1,000 boxes in full): its boxes are
 * VNets, and a hub of 400 spokes is no more legible in layers than in rows, so a part of that size is laid out
 * in rows (the first hub of 20,000 subnets by elkjs was 1.8 of the summary's 2.2 s); a summary of a few hundred
 * VNets (2,000 subnets: 265 boxes) is still laid out by elkjs.
 */
export const SUMMARY_ELK_BUDGET = 300;

type Elk = { layout(graph: ElkShape): Promise<ElkShape> };

function elkInstance(): Elk {
  // elk.bundled.js is CommonJS with an `exports.default`; Node's ESM loader hands us the exports object.
  const ELK = (elkModule as unknown as { default: typeof elkModule.default }).default ?? elkModule;
  return new ELK() as unknown as Elk;
}

/** Lays the graph out; resolves to absolute boxes and edge polylines. */
export async function layoutDiagram(graph: DiagramGraph, options: { elkBudget?: number } = {}): Promise<DiagramLayout> {
  const budget = options.elkBudget ?? (graph.summary ? SUMMARY_ELK_BUDGET : ELK_BUDGET);
  const elk = elkInstance();
  // Each connected part is laid out on its own and the parts are packed in rows: one layered layout of an
  // estate of unconnected VNets would stack them into one very tall column.
  const parts: DiagramLayout[] = [];
  let byUnits = 0;
  let elkBoxes = 0;
  for (const part of connectedParts(graph)) {
    const size = part.groups.length + part.nodes.length;
    if (size === 1 && part.groups.length === 0 && part.edges.length === 0) parts.push(lone(part.nodes[0]!));
    else if (size <= PART_LIMIT && elkBoxes + size <= budget) {
      elkBoxes += size;
      parts.push(await elkLayout(elk, part));
    } else {
      byUnits++;
      parts.push(await unitLayout(elk, part));
    }
  }
  const notes = [...(graph.summary?.lines ?? [])];
  if (byUnits > 0)
    notes.push(
      `${byUnits} connected part(s) of more than ${PART_LIMIT} boxes, or past the first ${budget} boxes, laid out VNet by VNet, with straight edges between them.`,
    );
  return withNotes(pack(parts), notes);
}

async function elkLayout(elk: Elk, part: DiagramGraph): Promise<DiagramLayout> {
  return collect(part, await elk.layout(elkGraph(part)));
}

/** A box with no edges and no group: placed where it is, without elkjs. */
function lone(node: DiagramNode): DiagramLayout {
  const size = nodeSize(node);
  return { ...size, groups: [], nodes: [{ node, x: 0, y: 0, ...size }], edges: [] };
}

/**
 * A large connected part, VNet by VNet: each group with its nodes and the edges between them by elkjs, each
 * loose node as a box, packed in rows in the order a breadth-first walk from the most connected unit meets
 * them (a hub, then its spokes), and every edge between units drawn straight from box to box.
 */
async function unitLayout(elk: Elk, part: DiagramGraph): Promise<DiagramLayout> {
  const unitOf = new Map<string, string>();
  const units = new Map<string, DiagramGraph>();
  for (const g of part.groups) {
    unitOf.set(g.id, g.id);
    units.set(g.id, { groups: [g], nodes: [], edges: [] });
  }
  for (const n of part.nodes) {
    const u = n.group !== undefined && units.has(n.group) ? n.group : n.id;
    unitOf.set(n.id, u);
    let unit = units.get(u);
    if (!unit) {
      unit = { groups: [], nodes: [], edges: [] };
      units.set(u, unit);
    }
    unit.nodes.push(n);
  }
  const cross: DiagramEdge[] = [];
  const neighbours = new Map<string, string[]>();
  for (const e of part.edges) {
    const a = unitOf.get(e.from) ?? e.from;
    const b = unitOf.get(e.to) ?? e.to;
    if (a === b) {
      units.get(a)?.edges.push(e);
      continue;
    }
    cross.push(e);
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      const list = neighbours.get(x);
      if (list) list.push(y);
      else neighbours.set(x, [y]);
    }
  }
  // Breadth-first from the most connected unit, so a hub's spokes sit around it in the rows.
  const ids = [...units.keys()];
  const degree = (id: string) => neighbours.get(id)?.length ?? 0;
  const start = ids.reduce((best, id) => (degree(id) > degree(best) ? id : best), ids[0]!);
  const order: string[] = [];
  const seen = new Set<string>();
  for (const root of [start, ...ids]) {
    if (seen.has(root)) continue;
    seen.add(root);
    order.push(root);
    for (let i = order.length - 1; i < order.length; i++)
      for (const next of neighbours.get(order[i]!) ?? [])
        if (!seen.has(next)) {
          seen.add(next);
          order.push(next);
        }
  }
  const laid: DiagramLayout[] = [];
  for (const id of order) {
    const unit = units.get(id)!;
    laid.push(
      unit.groups.length === 0 && unit.nodes.length === 1 && unit.edges.length === 0
        ? lone(unit.nodes[0]!)
        : await elkLayout(elk, unit),
    );
  }
  const packed = pack(laid);
  const boxes = new Map<string, Box>();
  for (const g of packed.groups) boxes.set(g.group.id, g);
  for (const n of packed.nodes) boxes.set(n.node.id, n);
  for (const e of cross) {
    const a = boxes.get(e.from);
    const b = boxes.get(e.to);
    if (a && b) packed.edges.push({ edge: e, points: straight(a, b) });
  }
  return packed;
}

function centre(b: Box): { x: number; y: number } {
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** Where the line from the centre of `b` towards `to` leaves `b`. */
function border(b: Box, to: { x: number; y: number }): { x: number; y: number } {
  const c = centre(b);
  const dx = to.x - c.x;
  const dy = to.y - c.y;
  if (dx === 0 && dy === 0) return c;
  const scale = Math.min(
    dx === 0 ? Number.POSITIVE_INFINITY : b.width / 2 / Math.abs(dx),
    dy === 0 ? Number.POSITIVE_INFINITY : b.height / 2 / Math.abs(dy),
  );
  return { x: c.x + dx * scale, y: c.y + dy * scale };
}

/** A straight edge from box to box, border to border. */
function straight(a: Box, b: Box): { x: number; y: number }[] {
  return [border(a, centre(b)), border(b, centre(a))];
}

const NOTE_GAP = 16;

/** The layout moved down to make room for its notes, which the SVG printer writes at the top. */
function withNotes(layout: DiagramLayout, notes: string[]): DiagramLayout {
  if (notes.length === 0) return layout;
  const height = notes.length * METRICS.lineHeight + NOTE_GAP;
  const width = Math.ceil(Math.max(...notes.map((n) => [...n].length)) * METRICS.charWidth);
  const shifted = shift(layout, 0, height);
  return { ...shifted, notes, width: Math.max(shifted.width, width), height: layout.height + height };
}

/** The graph split into its connected parts (groups count as one piece with what they hold), in model order. */
export function connectedParts(graph: DiagramGraph): DiagramGraph[] {
  const root = new Map<string, string>();
  for (const g of graph.groups) root.set(g.id, g.id);
  for (const n of graph.nodes) root.set(n.id, n.group ?? n.id);
  // Union-find with path halving and union by size: near-constant time per edge, whatever the shape.
  const parent = new Map<string, string>();
  const size = new Map<string, number>();
  const find = (x: string): string => {
    let r = x;
    for (let p = parent.get(r); p !== undefined && p !== r; p = parent.get(r)) {
      const grand = parent.get(p) ?? p;
      parent.set(r, grand);
      r = grand;
    }
    return r;
  };
  for (const e of graph.edges) {
    let a = find(root.get(e.from) ?? e.from);
    let b = find(root.get(e.to) ?? e.to);
    if (a === b) continue;
    if ((size.get(a) ?? 1) < (size.get(b) ?? 1)) [a, b] = [b, a];
    parent.set(b, a);
    size.set(a, (size.get(a) ?? 1) + (size.get(b) ?? 1));
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
  // A loop, not a spread into Math.max: an estate can have more parts than a call takes arguments.
  let rowWidth = Math.sqrt(area * 1.6);
  for (const p of parts) rowWidth = Math.max(rowWidth, p.width);
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
    const moved = shift(p, x, y);
    for (const g of moved.groups) out.groups.push(g);
    for (const n of moved.nodes) out.nodes.push(n);
    for (const e of moved.edges) out.edges.push(e);
    out.width = Math.max(out.width, x + p.width);
    out.height = Math.max(out.height, y + p.height);
    rowHeight = Math.max(rowHeight, p.height);
    x += p.width + PART_GAP;
  }
  return out;
}

/** A layout moved by (dx, dy). */
function shift(p: DiagramLayout, dx: number, dy: number): DiagramLayout {
  if (dx === 0 && dy === 0) return p;
  const move = <T extends Box>(b: T): T => ({ ...b, x: b.x + dx, y: b.y + dy });
  return {
    ...p,
    groups: p.groups.map(move),
    nodes: p.nodes.map(move),
    edges: p.edges.map((e) => ({
      ...e,
      points: e.points.map((pt) => ({ x: pt.x + dx, y: pt.y + dy })),
      ...(e.label ? { label: move(e.label) } : {}),
    })),
  };
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
  const members = new Map<string, DiagramNode[]>(graph.groups.map((g) => [g.id, []]));
  for (const n of graph.nodes) if (n.group !== undefined) members.get(n.group)?.push(n);
  const children: ElkShape[] = graph.groups.map((group) => {
    const titleHeight = groupLines(group).length * METRICS.lineHeight + 10;
    return {
      id: group.id,
      layoutOptions: { "elk.padding": `[top=${titleHeight + 8},left=12,bottom=12,right=12]` },
      children: members.get(group.id)!.map((n) => ({ id: n.id, ...nodeSize(n) })),
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
