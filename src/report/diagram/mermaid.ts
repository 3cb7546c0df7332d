/**
 * @module report/diagram/mermaid
 * Report layer: the diagram as a Mermaid flowchart, for docs and GitHub (which renders ```mermaid blocks).
 * Node ids come sanitized from the graph (`[A-Za-z0-9_]`, prefixed by kind, so never a keyword such as `end`);
 * every label is quoted, and every character that could end a label or be read as markup (`"`, `<`, `>`,
 * `&`, `#`, `|`, brackets, back-ticks, anything outside printable ASCII) is written as a Mermaid entity code
 * (`#34;`). Line breaks are the only markup we add (`<br/>`). A summary view (diagram/summary) says so twice:
 * in `%%` comments at the top and in a note box the rendering shows. Pure.
 */
import { inert } from "../inert.js";
import { type DiagramEdge, type DiagramGraph, type DiagramNode, type NodeMark, worstSeverity } from "./graph.js";

/** Characters that pass through a quoted Mermaid label unchanged. */
const SAFE = /[A-Za-z0-9 .,:/()_+=@*!?'-]/;

/** One label line with everything unsafe as a Mermaid entity code (`#60;`). */
export function mermaidText(text: string): string {
  let out = "";
  for (const ch of text) out += SAFE.test(ch) ? ch : `#${ch.codePointAt(0)};`;
  return out;
}

/** A quoted label from lines; controls and bidi controls in them show as `\u202e` (report/inert). */
function label(lines: string[]): string {
  return `"${lines.map((line) => mermaidText(inert(line))).join("<br/>")}"`;
}

function markLine(marks: NodeMark[]): string[] {
  return marks.length === 0 ? [] : [`finding: ${marks.map((m) => `${m.checkId} (${m.severity})`).join(", ")}`];
}

const SHAPES: Record<DiagramNode["kind"], [string, string]> = {
  subnet: ["[", "]"],
  nsg: ["{{", "}}"],
  routeTable: ["[/", "/]"],
  gateway: ["[[", "]]"],
  onPremises: ["[(", ")]"],
  apim: ["([", "])"],
  external: ["(", ")"],
  vnet: ["[", "]"],
};

function nodeLine(node: DiagramNode, pad: string): string {
  const [open, close] = SHAPES[node.kind];
  return `${pad}${node.id}${open}${label([node.title, ...node.lines, ...markLine(node.marks)])}${close}`;
}

function arrow(edge: DiagramEdge): string {
  if (edge.dashed) return edge.arrow === "both" ? "<-.->" : edge.arrow === "forward" ? "-.->" : "-.-";
  return edge.arrow === "both" ? "<-->" : edge.arrow === "forward" ? "-->" : "---";
}

/** The Mermaid flowchart text of a diagram graph. */
export function printMermaid(graph: DiagramGraph): string {
  const out = ["flowchart LR"];
  if (graph.summary) {
    for (const line of graph.summary.lines) out.push(`%% ${inert(line)}`);
    out.push(`  summary_note[${label(graph.summary.lines)}]`);
  }
  // Each group's nodes, in one pass (scanning every node for every group was quadratic).
  const members = new Map<string, DiagramNode[]>(graph.groups.map((g) => [g.id, []]));
  const loose: DiagramNode[] = [];
  for (const node of graph.nodes) {
    const list = node.group === undefined ? undefined : members.get(node.group);
    if (list) list.push(node);
    else loose.push(node);
  }
  for (const group of graph.groups) {
    out.push(`  subgraph ${group.id}[${label([group.title, ...group.lines, ...markLine(group.marks)])}]`);
    out.push("    direction TB");
    for (const node of members.get(group.id)!) out.push(nodeLine(node, "    "));
    out.push("  end");
  }
  for (const node of loose) out.push(nodeLine(node, "  "));
  const markedLinks: number[] = [];
  graph.edges.forEach((edge, i) => {
    const text = [...edge.label.split("\n"), ...markLine(edge.marks)];
    out.push(`  ${edge.from} ${arrow(edge)}|${label(text)}| ${edge.to}`);
    if (edge.marks.length > 0) markedLinks.push(i);
  });
  const classes: [string, string][] = [
    ["subnet", "fill:#eef5ff,stroke:#4a78b5"],
    ["nsg", "fill:#fff7e0,stroke:#b58a00"],
    ["routeTable", "fill:#eefaf0,stroke:#3a8a4a"],
    ["gateway", "fill:#f3eefc,stroke:#6b4fb0"],
    ["onPremises", "fill:#f2f2f2,stroke:#666"],
    ["apim", "fill:#e6f7fb,stroke:#127a94"],
    ["external", "fill:#fafafa,stroke:#999,stroke-dasharray:4 3"],
    ["vnet", "fill:#f7f9fc,stroke:#8aa0bd,stroke-width:2px"],
    ["note", "fill:#fffbe6,stroke:#b58a00,font-style:italic"],
    ["findingError", "fill:#fde8e8,stroke:#c0392b,stroke-width:3px"],
    ["findingWarning", "fill:#fff4e0,stroke:#b54708,stroke-width:3px"],
    ["findingInfo", "fill:#e8f1fd,stroke:#175cd3,stroke-width:2px"],
  ];
  const findingClass = (marks: NodeMark[]) => {
    const worst = worstSeverity(marks);
    return worst ? `finding${worst[0]!.toUpperCase()}${worst.slice(1)}` : undefined;
  };
  for (const [name, style] of classes) out.push(`  classDef ${name} ${style}`);
  const byClass = new Map<string, string[]>();
  const addClass = (cls: string, id: string) => {
    const list = byClass.get(cls);
    if (list) list.push(id);
    else byClass.set(cls, [id]);
  };
  for (const node of graph.nodes) addClass(findingClass(node.marks) ?? node.kind, node.id);
  for (const group of graph.groups) {
    const cls = findingClass(group.marks);
    if (cls) addClass(cls, group.id);
  }
  if (graph.summary) addClass("note", "summary_note");
  for (const [cls, list] of byClass) out.push(`  class ${list.join(",")} ${cls}`);
  if (markedLinks.length > 0) out.push(`  linkStyle ${markedLinks.join(",")} stroke:#c0392b,stroke-width:3px`);
  return `${out.join("\n")}\n`;
}
