/**
 * @module checks/util/requirement-findings
 * Checks layer, shared by the checks that evaluate rows of the APIM requirements table (load balancer, client,
 * Traffic Manager, outbound dependencies): what a requirement outcome (util/nsg-flows) means in words. It
 * lists every rule that denies a part of the flows with the ports and addresses it denies (one requirement row
 * may be denied by several rules, e.g. 5672 by one and 443 by another), the addresses that are allowed (a
 * deliberate restriction of clients), the fix placed ahead of the earliest denying rule, and the one standard
 * finding for a row that is denied or undecided.
 */

import { AddressSet } from "../../engine/ip/address-set.js";
import { formatPortSet, type LayerResult, PLATFORM_ADDRESSES } from "../../engine/nsg/index.js";
import { NO_PORTS, parsePortText, portSetEquals, portUnion } from "../../engine/nsg/ports.js";
import type { PortSet, Verdict } from "../../engine/nsg/types.js";
import type { Change } from "../../model/change.js";
import { type CheckContext, evidenceAt, finding } from "../context.js";
import { type ApimPlacement, platformNote } from "../placements.js";
import type { NsgRequirement } from "../requirements.js";
import type { CheckMeta, Evidence, Finding, Severity } from "../types.js";
import { adminRuleLabel } from "./admin-evidence.js";
import { outcomeEvidence, type RequirementOutcome, requirementFix } from "./nsg-flows.js";

/**
 * The host's platform addresses. They sit in the VirtualNetwork tag and in Internet too (reference §1.4, §1.5),
 * so AllowVnetInBound lets them in; no client or dependency is there, so they never make a denial "partial".
 */
export const HOST_ADDRESSES = AddressSet.parse(...PLATFORM_ADDRESSES.map((a) => a.address));

/** One rule that denies part of a requirement's flows. */
export interface DenyingRule {
  layer: LayerResult;
  /** Destination ports it denies. */
  ports: PortSet;
  /** Addresses on the far side (the tag's side) it denies. */
  addresses: AddressSet;
}

function farSide(r: NsgRequirement, box: { sourceAddresses: AddressSet; destinationAddresses: AddressSet }) {
  return r.direction === "Inbound" ? box.sourceAddresses : box.destinationAddresses;
}

/** Every rule that denies a part of the outcome's flows, earliest priority first. */
export function denyingRules(outcome: RequirementOutcome): DenyingRule[] {
  const byRule = new Map<string, DenyingRule>();
  for (const part of outcome.decision.parts) {
    if (part.verdict !== "Deny") continue;
    const layer = part.layers.find((l) => l.access === "Deny");
    if (!layer) continue;
    const key = `${layer.nsg?.id ?? ""}|${layer.ruleName ?? ""}`;
    const entry = byRule.get(key) ?? { layer, ports: NO_PORTS, addresses: AddressSet.EMPTY };
    for (const box of part.boxes) {
      entry.ports = portUnion(entry.ports, box.destinationPorts);
      entry.addresses = entry.addresses.union(farSide(outcome.requirement, box));
    }
    byRule.set(key, entry);
  }
  return [...byRule.values()].sort((a, b) => (a.layer.priority ?? 0) - (b.layer.priority ?? 0));
}

/**
 * Far-side addresses of the outcome's flows, all of them or only those of parts with `verdict` (with "Allow":
 * the clients a restriction lets in).
 */
export function farAddresses(outcome: RequirementOutcome, verdict?: Verdict): AddressSet {
  let set = AddressSet.EMPTY;
  for (const part of outcome.decision.parts) {
    if (verdict !== undefined && part.verdict !== verdict) continue;
    for (const box of part.boxes) set = set.union(farSide(outcome.requirement, box));
  }
  return set;
}

/** `nsg-apim securityRules/Deny-All (priority 200)`. */
export function ruleLabel(layer: LayerResult): string {
  if (layer.adminRule) return adminRuleLabel(layer.adminRule);
  const priority = layer.priority !== undefined ? ` (priority ${layer.priority})` : "";
  return `${layer.nsg?.name ?? "the NSG"} ${layer.ruleName ?? "(no single rule)"}${priority}`;
}

/** `TCP 443 from Internet to subnet snet-apim` / `TCP 1886, 443 from subnet snet-apim to AzureMonitor`. */
export function flowPhrase(r: NsgRequirement, label: string, subnet: string, ports: string[] = r.ports): string {
  const head = `${r.protocol.toUpperCase()} ${ports.join(", ")}`;
  return r.direction === "Inbound"
    ? `${head} from ${label} to subnet ${subnet}`
    : `${head} from subnet ${subnet} to ${label}`;
}

/** What each denying rule denies, as one clause: `denied by X (ports 5672, 443)`. */
export function denialClause(outcome: RequirementOutcome, rules = denyingRules(outcome)): string {
  const several = rules.length > 1;
  return rules.map((d) => `${ruleLabel(d.layer)}${several ? ` (port ${formatPortSet(d.ports)})` : ""}`).join(" and ");
}

/** Evidence for every denying rule beyond the first (outcomeEvidence names the first). */
export function moreDenyingEvidence(outcome: RequirementOutcome, rules = denyingRules(outcome)): Evidence[] {
  const first = outcome.layer?.ruleName;
  return rules
    .filter((d) => d.layer.ruleName !== first)
    .map((d) =>
      evidenceAt(
        "nsg-rule",
        `${ruleLabel(d.layer)}: Deny, for port ${formatPortSet(d.ports)}`,
        d.layer.src,
        d.layer.nsg?.id,
        { ruleName: d.layer.ruleName, priority: d.layer.priority, access: "Deny" },
      ),
    );
}

/** A fix that adds the row's allow rule ahead of the earliest denying rule (so it beats all of them). */
export function fixAheadOfDenials(ctx: CheckContext, outcome: RequirementOutcome): Change[] {
  const [earliest] = denyingRules(outcome);
  return requirementFix(ctx, earliest ? { ...outcome, layer: earliest.layer } : outcome);
}

/** Why an outcome is Unknown, in a clause. */
export function unknownClause(outcome: RequirementOutcome): string {
  return outcome.unresolved ?? outcome.layer?.detail ?? "the NSG depends on unresolved values";
}

/** True when every address of the tag is denied somewhere (the host's platform addresses aside). */
export function deniesWholeTag(outcome: RequirementOutcome, rules = denyingRules(outcome)): boolean {
  const addresses = rules.reduce((a, d) => a.union(d.addresses), AddressSet.EMPTY);
  return HOST_ADDRESSES.covers(farAddresses(outcome).subtract(addresses));
}

/**
 * The NSG evidence of an outcome: the flow, every denying rule, and the "only part of the tag" line only when
 * part of the addresses is denied (outcomeEvidence writes it for any mixed verdict, ports included).
 */
export function nsgEvidence(outcome: RequirementOutcome, p: ApimPlacement): Evidence[] {
  const rules = denyingRules(outcome);
  const whole = outcome.verdict !== "Deny" || deniesWholeTag(outcome, rules);
  return [
    ...outcomeEvidence(outcome, p).filter((e) => !whole || e.kind !== "addresses"),
    ...moreDenyingEvidence(outcome, rules),
  ];
}

/** `vnet-apim/snet-apim`: the subnet as messages name it. */
export function subnetLabel(p: ApimPlacement): string {
  return p.vnet ? `${p.vnet.name}/${p.subnet?.name}` : (p.subnet?.name ?? "");
}

/**
 * The flows that are denied, as a phrase: the whole tag or the part of it that is denied, and the ports that
 * are denied when only some are. `wholeTag` is true when every address of the tag is denied (the host's
 * platform addresses aside).
 */
export function deniedFlows(
  outcome: RequirementOutcome,
  subnet: string,
  rules = denyingRules(outcome),
): { phrase: string; wholeTag: boolean } {
  const addresses = rules.reduce((a, d) => a.union(d.addresses), AddressSet.EMPTY);
  const ports = rules.reduce((a, d) => portUnion(a, d.ports), NO_PORTS);
  const wholeTag = deniesWholeTag(outcome, rules);
  // A partly denied tag reads best as "the tag except what rule X allows" (Internet less the Entra ID range).
  const allowing = outcome.decision.parts.filter(
    (x) => x.verdict === "Allow" && !x.boxes.every((b) => HOST_ADDRESSES.covers(farSide(outcome.requirement, b))),
  );
  const named = [...new Set(allowing.map((x) => x.ruleName ?? ""))].filter((n) => n !== "");
  const byRules = named.length > 0 && allowing.every((x) => x.ruleName);
  const scope = wholeTag
    ? outcome.tagLabel
    : byRules
      ? `${outcome.tagLabel} except what ${named.join(" and ")} allow${named.length > 1 ? "" : "s"}`
      : `part of ${outcome.tagLabel} (${addresses.toString()})`;
  const asked = outcome.ports.map((t) => parsePortText(t)).reduce((a, q) => (q.ok ? portUnion(a, q.set) : a), NO_PORTS);
  const shownPorts = portSetEquals(asked, ports) ? outcome.ports : [formatPortSet(ports)];
  return { phrase: flowPhrase(outcome.requirement, scope, subnet, shownPorts), wholeTag };
}

/** The messages of rowFinding, which each check that uses it declares (`messages: { ...ROW_MESSAGES }`). */
export const ROW_MESSAGES = {
  flowUnknown: "Cannot tell whether {{flow}} is allowed: {{why}}.",
  flowDenied: "{{flow}} is denied by {{rules}}. {{consequence}}",
};

export interface RowFindingOptions {
  /** Severity when the flows are denied. */
  severity: Severity;
  /** Severity when the verdict is Unknown. */
  unknownSeverity: Severity;
  /** What breaks when the flows are denied, one sentence. */
  consequence: string;
  /** Leave out the fix (a restriction that may be deliberate). */
  noFix?: boolean;
  /** More evidence (the reason for the severity). */
  evidence?: Evidence[];
}

/** The standard finding for a row that is denied or undecided at a placement; undefined when allowed. */
export function rowFinding(
  meta: CheckMeta,
  ctx: CheckContext,
  p: ApimPlacement,
  outcome: RequirementOutcome,
  o: RowFindingOptions,
): Finding | undefined {
  if (outcome.verdict === "Allow") return undefined;
  const r = outcome.requirement;
  const evidence = [
    ...nsgEvidence(outcome, p),
    evidenceAt("assumption", platformNote(p), undefined),
    ...(o.evidence ?? []),
  ];
  const subnet = subnetLabel(p);
  if (outcome.verdict === "Unknown") {
    return finding(meta, {
      severity: o.unknownSeverity,
      cannotTell: `whether ${flowPhrase(r, outcome.tagLabel, subnet, outcome.ports)} is allowed`,
      messageId: "flowUnknown",
      data: { flow: flowPhrase(r, outcome.tagLabel, subnet, outcome.ports), why: unknownClause(outcome) },
      resource: p.nsg?.id ?? p.subnet!.id,
      src: outcome.layer?.src ?? p.nsg?.src ?? p.subnet!.src,
      evidence,
      instance: p.label,
    });
  }
  const rules = denyingRules(outcome);
  const denied = deniedFlows(outcome, subnetLabel(p), rules);
  const [first] = rules;
  return finding(meta, {
    severity: o.severity,
    messageId: "flowDenied",
    data: { flow: denied.phrase, rules: denialClause(outcome, rules), consequence: o.consequence },
    resource: first?.layer.nsg?.id ?? p.subnet!.id,
    src: first?.layer.src ?? p.nsg?.src,
    evidence,
    changes: o.noFix ? [] : fixAheadOfDenials(ctx, outcome),
    instance: p.label,
  });
}
