/**
 * @module checks/compare
 * Checks layer: what changes between two input sets (`apim-netcheck diff`): findings that appear or disappear,
 * and requirement flows whose verdict or next hops change.
 *
 * Findings are matched on a key that does not depend on the message or the line: check id, instance, the
 * resource (by type and names, so a template and an export of it match), and the flow the finding evaluated
 * when it has one (its `flow` evidence, which tells apart two findings of one check on one NSG, e.g. Storage and
 * Sql denied by the same rule). Within one key, findings with the same message pair first, then the rest pair in
 * order (the same problem, described differently); what is left over appears or disappears.
 */
import { providerKey } from "../model/ids.js";
import type { Finding } from "./types.js";
import type { FlowRow } from "./util/flows.js";

export interface FindingsDiff {
  appeared: Finding[];
  disappeared: Finding[];
  /** Findings present on both sides (paired by key). */
  unchanged: number;
}

/** The message-independent key of a finding (see the module note). */
export function findingKey(f: Finding): string {
  const flow = f.evidence.find((e) => e.kind === "flow")?.text ?? "";
  return [f.id, f.instance ?? "", f.resource ? providerKey(f.resource) : "", flow].join("|");
}

function groups(findings: Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) out.set(findingKey(f), [...(out.get(findingKey(f)) ?? []), f]);
  return out;
}

/** Findings of `after` that `before` does not have, and the reverse. */
export function diffFindings(before: Finding[], after: Finding[]): FindingsDiff {
  const out: FindingsDiff = { appeared: [], disappeared: [], unchanged: 0 };
  const a = groups(before);
  const b = groups(after);
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const left = [...(a.get(key) ?? [])];
    const right = [...(b.get(key) ?? [])];
    for (let i = left.length - 1; i >= 0; i--) {
      const j = right.findIndex((r) => r.message === left[i]!.message);
      if (j < 0) continue;
      left.splice(i, 1);
      right.splice(j, 1);
      out.unchanged++;
    }
    const paired = Math.min(left.length, right.length);
    out.unchanged += paired;
    out.disappeared.push(...left.slice(paired));
    out.appeared.push(...right.slice(paired));
  }
  return out;
}

/** One requirement flow whose treatment changes (absent on a side: the placement or row is not there). */
export interface FlowChange {
  instance: string;
  requirement: FlowRow["requirement"];
  before?: Pick<FlowRow, "verdict" | "decidedBy" | "nextHops">;
  after?: Pick<FlowRow, "verdict" | "decidedBy" | "nextHops">;
}

const flowKey = (r: FlowRow) => `${r.placementKey}|${r.requirement.id}`;
const answer = (r: FlowRow) => ({ verdict: r.verdict, decidedBy: r.decidedBy, nextHops: r.nextHops });
const sameAnswer = (x: FlowRow, y: FlowRow) =>
  x.verdict === y.verdict && (x.nextHops ?? []).join(",") === (y.nextHops ?? []).join(",");

/** The requirement flows whose verdict or next hops differ between `before` and `after`, in `after`'s order. */
export function diffFlows(before: FlowRow[], after: FlowRow[]): FlowChange[] {
  const old = new Map(before.map((r) => [flowKey(r), r]));
  const seen = new Set<string>();
  const out: FlowChange[] = [];
  for (const r of after) {
    const was = old.get(flowKey(r));
    seen.add(flowKey(r));
    if (was && sameAnswer(was, r)) continue;
    out.push({
      instance: r.instance,
      requirement: r.requirement,
      ...(was ? { before: answer(was) } : {}),
      after: answer(r),
    });
  }
  for (const r of before)
    if (!seen.has(flowKey(r))) out.push({ instance: r.instance, requirement: r.requirement, before: answer(r) });
  return out;
}
