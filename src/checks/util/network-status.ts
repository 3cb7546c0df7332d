/**
 * @module checks/util/network-status
 * Checks layer, for APIM-NETWORK-STATUS: what each dependency of the APIM networkstatus API needs from the
 * network (data/apim/network-status-map.json: resourceType → requirement rows, or flows no row holds), which
 * instance a status belongs to, which entries are stale, and what in the inputs explains a failed entry:
 * 1. the findings of the checks that evaluate those rows (APIM-OUTBOUND-DEPENDENCY, APIM-DEPENDENCY-TUNNELED:
 *    read through ctx.findingsOf, never re-evaluated here), matched by the row's purpose or service tag;
 * 2. for flows no check evaluates (SMTP, the file share on 445), or when no check was run, the deciding NSG rule
 *    (util/nsg-flows) or a route sending the flow to None, an appliance or a gateway (engine/reach/route-set);
 * 3. otherwise nothing; the flows found allowed are then given as evidence, with the DNS servers the instance
 *    reports when they differ from its VNet's (a change not yet applied: apim-requirements §3.6, §6).
 */

import { createRequire } from "node:module";
import { routesForSet } from "../../engine/reach/route-set.js";
import { vnetDnsServers } from "../../model/addresses.js";
import type { Change } from "../../model/change.js";
import type { NetworkStatusEntry, ObservedNetworkStatus } from "../../model/network.js";
import type { SourceRef } from "../../model/source.js";
import { type CheckContext, evidenceAt } from "../context.js";
import type { ApimPlacement } from "../placements.js";
import { type NsgRequirement, REQUIREMENTS } from "../requirements.js";
import type { Evidence, Finding } from "../types.js";
import { evaluateRequirement, outcomeEvidence, requirementFix } from "./nsg-flows.js";
import { farAddresses, ruleLabel } from "./requirement-findings.js";
import { routeLabel } from "./route-drops.js";

interface MapEntry {
  requirements?: string[];
  flows?: { destination: string; ports: string[]; protocol: "Tcp" | "Udp"; purpose: string }[];
  uncertain?: boolean;
  note?: string;
  sources: string[];
}

export interface NetworkStatusMap {
  sources: Record<string, string>;
  staleAfterMinutes: number;
  staleSources: string[];
  checks: string[];
  anyDependencyChecks: string[];
  resourceTypes: Record<string, MapEntry>;
}

/** The bundled map (static data shipped with the tool). */
export const NETWORK_STATUS_MAP: NetworkStatusMap = createRequire(import.meta.url)(
  "../../../data/apim/network-status-map.json",
);

const region = (text: string | undefined) => (text ?? "").toLowerCase().replace(/[\s_-]/g, "");

/** The instance regions a status belongs to: by its location; without one, the only instance in a VNet. */
export function placementsForStatus(ctx: CheckContext, status: ObservedNetworkStatus): ApimPlacement[] {
  const connected = ctx.placements.filter((p) => p.kind !== "none");
  if (status.location) return connected.filter((p) => region(p.location) === region(status.location));
  return connected.length === 1 ? connected : [];
}

/** Minutes each entry's lastUpdated lags the newest entry of its status (the status is refreshed every 15). */
export function lagMinutes(status: ObservedNetworkStatus): Map<NetworkStatusEntry, number> {
  const times = status.connectivityStatus.map((e) => Date.parse(e.lastUpdated ?? ""));
  const newest = Math.max(...times.filter((t) => Number.isFinite(t)));
  const out = new Map<NetworkStatusEntry, number>();
  status.connectivityStatus.forEach((e, i) => {
    if (Number.isFinite(times[i]!) && Number.isFinite(newest)) out.set(e, (newest - times[i]!) / 60_000);
  });
  return out;
}

/** The map entry of a resourceType (case-insensitive), if the map has one. */
export function mapEntryOf(resourceType: string): MapEntry | undefined {
  const key = Object.keys(NETWORK_STATUS_MAP.resourceTypes).find((k) => k.toLowerCase() === resourceType.toLowerCase());
  return key ? NETWORK_STATUS_MAP.resourceTypes[key] : undefined;
}

/** The rows a map entry stands for: requirement rows by id, and its own flows as rows of this check. */
export function rowsOf(entry: MapEntry, checkId: string): NsgRequirement[] {
  const rows = REQUIREMENTS.nsgRules.filter((r) => entry.requirements?.includes(r.id));
  const flows = (entry.flows ?? []).map(
    (f, i): NsgRequirement => ({
      id: `network-status-flow-${i}`,
      direction: "Outbound",
      source: "VirtualNetwork",
      destination: f.destination,
      ports: f.ports,
      protocol: f.protocol,
      purpose: f.purpose,
      modes: ["External", "Internal"],
      need: { stv1: "optional", stv2: "optional" },
      check: checkId,
      sources: entry.sources,
    }),
  );
  return [...rows, ...flows];
}

export interface Explanation {
  /** Findings of other checks that explain the failure. */
  findings: Finding[];
  /** What this module found itself (a denying rule, a route away from Internet). */
  causes: { text: string; evidence: Evidence[]; changes: Change[] }[];
  /** The flows found allowed and routed out, when nothing explains the failure. */
  allowed: Evidence[];
}

const TAG_WORD = (tag: string) => new RegExp(`(^|[^A-Za-z])${tag}([^A-Za-z]|$)`, "i");
const TUNNEL_HOPS = new Set(["None", "VirtualAppliance", "VirtualNetworkGateway"]);

/** Does `f` (a finding of a dependency check) concern `row`? By the row's purpose, or its own service tag. */
function concerns(f: Finding, row: NsgRequirement): boolean {
  const text = f.message.toLowerCase();
  if (text.includes(row.purpose.toLowerCase())) return true;
  return (
    !["virtualnetwork", "internet"].includes(row.destination.toLowerCase()) && TAG_WORD(row.destination).test(f.message)
  );
}

/** What in the inputs explains a failed dependency of `p` that needs `rows`. */
export function explainFailure(ctx: CheckContext, p: ApimPlacement, rows: NsgRequirement[]): Explanation {
  const out: Explanation = { findings: [], causes: [], allowed: [] };
  const candidates = (ctx.findingsOf?.(NETWORK_STATUS_MAP.checks) ?? []).filter(
    (f) => f.instance === p.label && f.severity !== "info",
  );
  const anyDependency = (ctx.findingsOf?.(NETWORK_STATUS_MAP.anyDependencyChecks) ?? []).filter(
    (f) => f.instance === p.label,
  );
  for (const row of rows) {
    const found = candidates.filter((f) => row.check !== "APIM-NETWORK-STATUS" && concerns(f, row));
    if (found.length > 0) {
      out.findings.push(...found.filter((f) => !out.findings.includes(f)));
      continue;
    }
    const outcome = p.subnet ? evaluateRequirement(ctx, p, row) : undefined;
    if (!outcome || !p.subnet) continue;
    if (outcome.verdict === "Deny" && outcome.layer) {
      out.causes.push({
        text: `${ruleLabel(outcome.layer)} denies TCP ${row.ports.join(", ")} to ${outcome.tagLabel}`,
        evidence: outcomeEvidence(outcome, p),
        changes: requirementFix(ctx, outcome),
      });
      continue;
    }
    const far = farAddresses(outcome);
    const away = routesForSet(ctx.engine.routes(p.subnet), far).filter(
      (part) => part.row && part.row.origin.kind !== "reserved" && TUNNEL_HOPS.has(part.hop.nextHopType),
    );
    for (const part of away) {
      const o = part.row!.origin;
      const text = `${routeLabel(part.row!)} sends ${part.set.equals(far) ? outcome.tagLabel : part.set.toString()} to ${part.hop.nextHopType}${part.hop.nextHopIpAddress ? ` ${part.hop.nextHopIpAddress}` : ""}`;
      out.causes.push({
        text,
        evidence: [
          evidenceAt(
            "route",
            text,
            o.kind === "user" ? o.route.src : undefined,
            o.kind === "user" ? o.route.id : undefined,
            part.row!.route,
          ),
        ],
        changes: [],
      });
    }
    if (away.length === 0 && outcome.verdict === "Allow")
      out.allowed.push(
        evidenceAt(
          "flow",
          `allowed and routed out: ${row.direction} ${row.protocol} ${row.ports.join(",")} to ${outcome.tagLabel} (${row.purpose})`,
          undefined,
        ),
      );
  }
  out.findings.push(...anyDependency.filter((f) => !out.findings.includes(f)));
  return out;
}

/** Evidence when the instance reports DNS servers other than its VNet's (a change not applied yet). */
export function dnsDrift(p: ApimPlacement, status: ObservedNetworkStatus): Evidence | undefined {
  if (!p.vnet || status.dnsServers.length === 0) return undefined;
  const vnetDns = vnetDnsServers(p.vnet).values.map((v) => v.text.trim());
  const a = new Set(status.dnsServers.map((d) => d.trim()));
  if (vnetDns.length > 0 && vnetDns.length === a.size && vnetDns.every((d) => a.has(d))) return undefined;
  // Azure-provided DNS is 168.63.129.16 (reference §1.5): no custom servers and the instance uses it is no drift.
  if (vnetDns.length === 0 && a.size === 1 && a.has("168.63.129.16")) return undefined;
  return evidenceAt(
    "observed",
    `the instance uses DNS servers ${status.dnsServers.join(", ")}, but VNet ${p.vnet.name} names ${vnetDns.length ? vnetDns.join(", ") : "none (Azure-provided DNS)"}: a DNS change not applied yet (Apply network configuration) breaks name resolution of every dependency`,
    status.src,
  );
}

/** The first sentence of a message (the rest is in the finding's evidence). */
const firstSentence = (text: string) => {
  const end = text.search(/\. [A-Z]/);
  return end < 0 ? text : `${text.slice(0, end)}.`;
};

const at = (f: Finding): SourceRef => ({
  file: f.location.file,
  line: f.location.line,
  column: f.location.column ?? 0,
  pointer: "",
});

/**
 * Why `entry` of `status` fails for `p`, in a sentence, with the evidence and the fix of what explains it (the
 * first explanation that has a fix); `checkId` is the calling check, whose own flows the map's extra flows are.
 */
export function explainEntry(
  ctx: CheckContext,
  p: ApimPlacement,
  status: ObservedNetworkStatus,
  entry: NetworkStatusEntry,
  checkId: string,
): { because: string; evidence: Evidence[]; changes: Change[] } {
  const mapped = mapEntryOf(entry.resourceType);
  const evidence: Evidence[] = [];
  if (!status.location)
    evidence.push(
      evidenceAt(
        "assumption",
        `the status names no region; taken as ${p.label}'s, the only instance in a VNet`,
        undefined,
      ),
    );
  if (!mapped || (!mapped.requirements && !mapped.flows)) {
    const why = mapped?.note ?? `the resourceType ${entry.resourceType} is not in the dependency map`;
    return { because: `No configuration in the inputs explains it: ${why}.`, evidence, changes: [] };
  }
  if (mapped.uncertain)
    evidence.push(
      evidenceAt(
        "assumption",
        `the resourceType ${entry.resourceType} is taken to mean ${mapped.requirements?.join(", ")}; the spec's example does not show it`,
        undefined,
      ),
    );
  const why = explainFailure(ctx, p, rowsOf(mapped, checkId));
  if (why.findings.length > 0) {
    for (const f of why.findings)
      evidence.push(
        evidenceAt("finding", `${f.id}: ${f.message}`, at(f), f.resource),
        ...f.evidence.filter((e) => !["assumption", "requirement"].includes(e.kind)),
      );
    return {
      because: `Explained by ${why.findings.map((f) => `${f.id}: ${firstSentence(f.message)}`).join("; and by ")}`,
      evidence,
      changes: why.findings.find((f) => (f.changes?.length ?? 0) > 0)?.changes ?? [],
    };
  }
  if (why.causes.length > 0) {
    for (const c of why.causes) evidence.push(...c.evidence);
    return {
      because: `Explained by ${why.causes.map((c) => c.text).join("; and ")}.`,
      evidence,
      changes: why.causes.find((c) => c.changes.length > 0)?.changes ?? [],
    };
  }
  const drift = dnsDrift(p, status);
  if (drift)
    return {
      because: "Maybe explained by DNS: the instance's DNS servers are not its VNet's.",
      evidence: [...evidence, drift],
      changes: [],
    };
  return {
    because:
      "No configuration in the inputs explains it: its flows are allowed by the NSG and routed out. Look at what the inputs do not show (a firewall or appliance beyond the next hop, DNS, the dependency itself).",
    evidence: [...evidence, ...why.allowed],
    changes: [],
  };
}
