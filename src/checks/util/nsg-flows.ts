/**
 * @module checks/util/nsg-flows
 * Checks layer, shared by the NSG checks: evaluates one row of the APIM requirements table (a service tag, a
 * port, a direction) against the NSG of an instance's subnet, as a set of flows (every address of the tag to
 * every address of the subnet, since the units' addresses are dynamic: apim-requirements §3.1), and turns a
 * denial into a finding with the deciding rule as evidence and a rule to paste that fixes it.
 */
import { AddressSet } from "../../engine/ip/address-set.js";
import { parseDirection } from "../../engine/nsg/compile.js";
import {
  ALL_PORTS,
  evaluateFlowSetLayers,
  type FlowBox,
  flowBox,
  type LayeredSetDecision,
  type LayeredSetPart,
  type LayerResult,
  parsePortText,
  type Verdict,
} from "../../engine/nsg/index.js";
import { subnetPrefixes, vnetAddressSpace } from "../../model/addresses.js";
import type { Change } from "../../model/change.js";
import type { NetworkSecurityGroup, Subnet, VirtualNetwork } from "../../model/resources.js";
import { type CheckContext, evidenceAt } from "../context.js";
import type { ApimPlacement } from "../placements.js";
import type { NsgRequirement } from "../requirements.js";
import type { Evidence } from "../types.js";
import { adminEvidence } from "./admin-evidence.js";
import { withObservedSubnet } from "./observed-nsg.js";
import { placedRuleChanges } from "./rule-placement.js";
import { unknownValueClause } from "./unknowns.js";

/** Dependencies whose rules may use the tag of the instance's region (apim-requirements §1.4). */
const REGIONAL_TAGS = new Set(["apimanagement", "storage", "sql", "eventhub"]);

export interface RequirementOutcome {
  requirement: NsgRequirement;
  ports: string[];
  verdict: Verdict;
  partial: boolean;
  decision: LayeredSetDecision;
  /** The part that decides the verdict (the first denied part, else the first undecided one). */
  deciding?: LayeredSetPart;
  /** The layer that denied (or could not decide), with its rule. */
  layer?: LayerResult;
  /** What the tag side of the flow was understood as (`ApiManagement.WestEurope`). */
  tagLabel: string;
  unresolved?: string;
  /**
   * Set when the subnet's own addresses are not known (a prefix Unknown or invalid): the flows were evaluated
   * for every address the subnet could have, and the verdict is certain only when it holds for all of them.
   */
  ownAddressesUnknown?: string;
}

/**
 * The subnet's own addresses (where the units get their dynamic IPs), or, when its prefixes are not all known,
 * every address it could have: the space of its VNet (Azure refuses a subnet outside it), or any IPv4 address
 * when that is not known either; `unknown` then says why.
 */
export function subnetAddresses(subnet: Subnet, vnet?: VirtualNetwork): { set: AddressSet; unknown?: string } {
  const list = subnetPrefixes(subnet);
  if (list.complete) return { set: AddressSet.fromPrefixes(list.prefixes) };
  const unknown = unknownValueClause(list, `the address prefix of subnet ${subnet.name}`);
  const space = vnet ? vnetAddressSpace(vnet) : undefined;
  return { set: space?.complete ? AddressSet.fromPrefixes(space.prefixes) : AddressSet.ALL_V4, unknown };
}

/**
 * With the subnet's addresses unknown, the verdict for the real subnet (a part of the set evaluated): Deny only
 * when every address of the set has some denied flow (whatever the subnet is, its traffic is denied in part),
 * Allow only when nothing is denied or undecided, Unknown otherwise.
 */
function verdictForUnknownSubnet(decision: LayeredSetDecision, own: AddressSet, inbound: boolean): Verdict {
  const ownSide = (b: FlowBox) => (inbound ? b.destinationAddresses : b.sourceAddresses);
  let denied = AddressSet.EMPTY;
  for (const part of decision.parts)
    if (part.verdict === "Deny") for (const box of part.boxes) denied = denied.union(ownSide(box));
  if (!denied.isEmpty() && denied.covers(own)) return "Deny";
  return decision.verdict === "Allow" ? "Allow" : "Unknown";
}

/**
 * The addresses of a requirement's tag side, as seen from the instance: the regional form of the tag for the
 * instance's region (and the primary region's, for an additional region) where the docs allow regional tags.
 */
function tagSide(
  ctx: CheckContext,
  p: ApimPlacement,
  tag: string,
): { set: AddressSet; label: string } | { unknown: string } {
  const names = [tag];
  if (REGIONAL_TAGS.has(tag.toLowerCase())) {
    const regional = [p.location, ...(p.isPrimary ? [] : [p.primaryLocation])]
      .map((loc) => ctx.catalog.regionalName(tag, loc))
      .filter((n): n is string => !!n);
    if (regional.length > 0) names.splice(0, 1, ...new Set(regional));
  }
  let set = AddressSet.EMPTY;
  for (const name of names) {
    const lookup = ctx.engine.resolver(p.subnet).resolve(name);
    if (lookup.kind === "unknown") return { unknown: `${name}: ${lookup.reason}` };
    set = set.union(lookup.set);
  }
  // A flow keeps one address family; the units have IPv4 addresses.
  return { set: set.intersect(AddressSet.ALL_V4), label: names.join(" + ") };
}

/** Evaluates one requirement row at a placement; undefined when the placement has no known subnet. */
export function evaluateRequirement(
  ctx: CheckContext,
  p: ApimPlacement,
  requirement: NsgRequirement,
  ports = requirement.ports,
): RequirementOutcome | undefined {
  if (!p.subnet) return undefined;
  const { set: own, unknown: ownUnknown } = subnetAddresses(p.subnet, p.vnet);
  const inbound = parseDirection(requirement.direction) === "Inbound";
  // "VirtualNetwork" on the instance's side of a row means the instance's subnet; on the far side it is the tag.
  const farTag = inbound ? requirement.source : requirement.destination;
  const far =
    farTag.toLowerCase() === "virtualnetwork" &&
    (inbound ? requirement.destination : requirement.source).toLowerCase() === "virtualnetwork"
      ? { set: own, label: "the subnet itself" }
      : tagSide(ctx, p, farTag);
  const empty: LayeredSetDecision = { verdict: "Unknown", partial: false, parts: [] };
  if ("unknown" in far) {
    return {
      requirement,
      ports,
      verdict: "Unknown",
      partial: false,
      decision: empty,
      tagLabel: farTag,
      unresolved: far.unknown,
    };
  }
  let destinationPorts = ALL_PORTS as readonly number[];
  if (!ports.includes("*")) {
    const parsed = ports.map((text) => parsePortText(text));
    destinationPorts = parsed.flatMap((r) => (r.ok ? [...r.set] : []));
  }
  const box = flowBox({
    protocols: [requirement.protocol],
    sourceAddresses: inbound ? far.set : own,
    destinationAddresses: inbound ? own : far.set,
    destinationPorts,
  });
  const decision = evaluateFlowSetLayers(
    { direction: requirement.direction, ...box },
    // An effective-NSG export of the subnet decides in place of the inputs' NSG (util/observed-nsg; DRIFT-NSG).
    withObservedSubnet(ctx, p.subnet, ctx.engine.layersAt({ subnet: p.subnet })),
  );
  const deciding =
    decision.parts.find((part) => part.verdict === "Deny") ?? decision.parts.find((part) => part.verdict === "Unknown");
  const layer = deciding?.layers.find((l) => l.access === deciding.verdict);
  const verdict = ownUnknown ? verdictForUnknownSubnet(decision, own, inbound) : decision.verdict;
  return {
    requirement,
    ports,
    verdict,
    partial: decision.partial,
    decision,
    deciding,
    layer,
    tagLabel: far.label,
    ...(ownUnknown
      ? {
          ownAddressesUnknown: ownUnknown,
          ...(verdict === "Unknown" ? { unresolved: `${ownUnknown}, and the verdict depends on it` } : {}),
        }
      : {}),
  };
}

/** Evidence for an outcome: the flow asked, the deciding rule with its place, and the part it decides. */
export function outcomeEvidence(outcome: RequirementOutcome, p: ApimPlacement): Evidence[] {
  const r = outcome.requirement;
  const flowText = `${r.direction} ${r.protocol} ${outcome.ports.join(",")} ${r.direction === "Inbound" ? `from ${outcome.tagLabel} to subnet ${p.subnet?.name}` : `from subnet ${p.subnet?.name} to ${outcome.tagLabel}`}`;
  const out: Evidence[] = [
    evidenceAt("flow", `flow evaluated: ${flowText}`, undefined, undefined, {
      verdict: outcome.verdict,
      partial: outcome.partial,
    }),
  ];
  const layer = outcome.layer;
  if (layer?.scope === "admin") {
    out.push(...adminEvidence(layer));
  } else if (layer?.ruleName) {
    out.push(
      evidenceAt(
        "nsg-rule",
        `${layer.nsg?.name ?? "NSG"} (${layer.scope}) ${layer.ruleName}, priority ${layer.priority}: ${layer.access}`,
        layer.src,
        layer.nsg?.id,
        { ruleName: layer.ruleName, priority: layer.priority, access: layer.access, direction: layer.direction },
      ),
    );
  } else if (layer?.candidates) {
    for (const c of layer.candidates) {
      out.push(evidenceAt("nsg-rule", `may decide: ${c.ruleName}, priority ${c.priority}: ${c.access}`, c.src, c.id));
    }
    if (layer.detail) out.push(evidenceAt("unknown", layer.detail, undefined));
  } else if (layer?.detail) {
    out.push(evidenceAt("nsg-layer", layer.detail, undefined));
  }
  if (outcome.partial && outcome.deciding) {
    const addresses = outcome.deciding.boxes.reduce(
      (s, b) => s.union(r.direction === "Inbound" ? b.sourceAddresses : b.destinationAddresses),
      AddressSet.EMPTY,
    );
    out.push(
      evidenceAt(
        "addresses",
        `only part of ${outcome.tagLabel} is ${outcome.verdict === "Deny" ? "denied" : "undecided"}: ${addresses.toString()}`,
        undefined,
      ),
    );
  }
  if (outcome.unresolved) out.push(evidenceAt("unknown", outcome.unresolved, undefined));
  else if (outcome.ownAddressesUnknown)
    out.push(
      evidenceAt(
        "unknown",
        `${outcome.ownAddressesUnknown}; the verdict holds for every address the subnet could have`,
        undefined,
      ),
    );
  return out;
}

/** A readable name for a rule that a fix adds (`Allow-ApiManagement-3443-Inbound`). */
export function fixRuleName(r: NsgRequirement, ports: string[]): string {
  const tag = r.direction === "Inbound" ? r.source : r.destination;
  return `Allow-${tag}-${ports.join("-").replace(/\*/g, "Any")}-${r.direction}`;
}

/**
 * Fixes for a denied requirement: a new Allow rule in the NSG that denied, ahead of the deciding deny, with the
 * requirement's tags, protocol and ports, at a priority where it hides no other rule or fix (rule-placement;
 * a rule it must hide whole, which then decides no flow, is deleted with it). Empty when no fix can be placed.
 */
export function requirementFix(ctx: CheckContext, outcome: RequirementOutcome): Change[] {
  const layer = outcome.layer;
  if (!layer?.nsg || outcome.verdict !== "Deny" || layer.priority === undefined) return [];
  const nsg: NetworkSecurityGroup | undefined = ctx.topology.nsgs.get(layer.nsg.id);
  if (!nsg) return [];
  const r = outcome.requirement;
  return placedRuleChanges(
    ctx,
    {
      nsg,
      name: fixRuleName(r, outcome.ports),
      direction: r.direction,
      access: "Allow",
      protocol: r.protocol,
      sourceAddressPrefix: r.source,
      destinationAddressPrefix: r.destination,
      destinationPorts: outcome.ports,
      description: r.purpose.slice(0, 140),
    },
    layer.priority,
  );
}
