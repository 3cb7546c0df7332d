/**
 * @module report/diagram/marks
 * Report layer: puts each finding on the diagram objects it concerns (its resource, and the resources its
 * evidence names: a rule marks its NSG, a route its route table, a peering half its peering edge), choosing
 * the most specific object drawn for each resource. The drawn objects are indexed once by their provider path
 * (model/ids providerKey), and a resource is looked up with its own path and then each ancestor's, deepest
 * first: linear in findings plus objects, where comparing every finding with every object was quadratic.
 */
import type { Finding } from "../../checks/types.js";
import { parseResourceId, providerKey } from "../../model/ids.js";
import type { DiagramGraph, NodeMark } from "./graph.js";

type Target = { marks: NodeMark[] };

/**
 * The provider paths of `id` and of each ancestor (`.../virtualNetworks/v/subnets/s`, then `.../virtualNetworks/v`),
 * deepest first and lower-cased, as model/ids compares them (subscription and resource group left out, so an
 * export's GUID and a template's default match). Empty when the id has no `providers/` part.
 */
function pathsOf(id: string): string[] {
  const parsed = parseResourceId(id);
  if (!parsed) return [];
  const [namespace, ...types] = parsed.type.split("/");
  const out: string[] = [];
  for (let depth = parsed.names.length; depth >= 1; depth--) {
    const type = [namespace, ...types.slice(0, depth)].join("/");
    out.push(`${type}/${parsed.names.slice(0, depth).join("/")}`.toLowerCase());
  }
  return out;
}

/**
 * Marks each finding on the most specific object it concerns: its resource, else the objects its evidence
 * names. A finding that concerns nothing drawn stays in the findings list only. Among objects for the same
 * resource the first drawn wins (nodes, then groups, then edges), as before.
 */
export function markFindings(graph: DiagramGraph, findings: readonly Finding[]): void {
  if (findings.length === 0) return;
  const byPath = new Map<string, Target>();
  const index = (id: string | undefined, target: Target) => {
    if (!id || !parseResourceId(id)) return;
    const key = providerKey(id);
    if (!byPath.has(key)) byPath.set(key, target);
  };
  for (const n of graph.nodes) index(n.resourceId, n);
  for (const g of graph.groups) index(g.resourceId, g);
  for (const e of graph.edges) for (const id of e.resourceIds) index(id, e);
  for (const finding of findings) {
    const resources = [finding.resource, ...finding.evidence.map((e) => e.resource)].filter(
      (r): r is string => !!r && r.includes("/providers/"),
    );
    const hit = new Set<Target>();
    for (const resource of resources) {
      const best = pathsOf(resource)
        .map((p) => byPath.get(p))
        .find((t) => t !== undefined);
      if (best) hit.add(best);
    }
    for (const t of hit) {
      if (!t.marks.some((m) => m.checkId === finding.id))
        t.marks.push({ checkId: finding.id, severity: finding.severity });
    }
  }
}
