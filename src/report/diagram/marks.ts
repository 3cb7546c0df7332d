/**
 * @module report/diagram/marks
 * Report layer: puts each finding on the diagram objects it concerns (its resource, and the resources its
 * evidence names: a rule marks its NSG, a route its route table, a peering half its peering edge), choosing
 * the most specific object drawn for each resource.
 */
import type { Finding } from "../../checks/types.js";
import { parseResourceId, sameResource } from "../../model/ids.js";
import type { DiagramGraph, NodeMark } from "./graph.js";

/** True when `resource` is `owner` or a child of it (a rule of an NSG, a route of a route table). */
function concerns(owner: string, resource: string): boolean {
  if (sameResource(owner, resource)) return true;
  const o = parseResourceId(owner);
  const r = parseResourceId(resource);
  if (!o || !r || r.names.length <= o.names.length) return false;
  return (
    r.type.toLowerCase().startsWith(`${o.type.toLowerCase()}/`) &&
    o.names.every((name, i) => name.toLowerCase() === r.names[i]!.toLowerCase())
  );
}

/** How specific an id is (its number of name segments), to prefer a subnet over its VNet. */
function depth(id: string): number {
  return parseResourceId(id)?.names.length ?? 0;
}

/**
 * Marks each finding on the most specific object it concerns: its resource, else the objects its evidence
 * names. A finding that concerns nothing drawn stays in the findings list only.
 */
export function markFindings(graph: DiagramGraph, findings: readonly Finding[]): void {
  type Target = { resourceId?: string; marks: NodeMark[] } | { resourceIds: string[]; marks: NodeMark[] };
  const targets: Target[] = [...graph.nodes, ...graph.groups, ...graph.edges];
  const idsOf = (t: Target) => ("resourceIds" in t ? t.resourceIds : t.resourceId ? [t.resourceId] : []);
  for (const finding of findings) {
    const resources = [finding.resource, ...finding.evidence.map((e) => e.resource)].filter(
      (r): r is string => !!r && r.includes("/providers/"),
    );
    const hit = new Set<Target>();
    for (const resource of resources) {
      let best: { target: Target; length: number } | undefined;
      for (const t of targets) {
        for (const id of idsOf(t)) {
          if (!concerns(id, resource)) continue;
          const length = depth(id);
          if (!best || length > best.length) best = { target: t, length };
        }
      }
      if (best) hit.add(best.target);
    }
    for (const t of hit) {
      if (!t.marks.some((m) => m.checkId === finding.id))
        t.marks.push({ checkId: finding.id, severity: finding.severity });
    }
  }
}
