/**
 * Test helper: applies the NSG rule changes of a fix (a rule created, restated or deleted) to a loaded model, so
 * a test can evaluate an NSG as the fix leaves it, deletes included (the ARM form cannot say a delete), and the
 * allowed flows of an NSG at a place, to compare before and after.
 */
import { subnetsWhereNsgApplies } from "../../src/checks/util/rule-shadowing.js";
import { AddressSet } from "../../src/engine/ip/address-set.js";
import {
  ALL_PORTS,
  ALL_PROTOCOLS,
  type CompiledNsg,
  evaluateSet,
  type FlowBox,
  formatBox,
  PORTLESS_PROTOCOLS,
} from "../../src/engine/nsg/index.js";
import { EngineContext } from "../../src/engine/reach/context.js";
import { loadServiceTagCatalog } from "../../src/ingest/servicetags/load.js";
import { type Change, isRef, type Value } from "../../src/model/change.js";
import type { NetworkModel } from "../../src/model/network.js";
import type { NetworkSecurityGroup, ResourceRef, SecurityRule } from "../../src/model/resources.js";
import { Topology } from "../../src/model/topology.js";

const text = (v: Value | undefined) => (v === undefined ? undefined : String(v));
const texts = (v: Value | undefined) => (Array.isArray(v) ? v.map(String) : undefined);
const refs = (v: Value | undefined): ResourceRef[] | undefined =>
  Array.isArray(v)
    ? v.map((x) => {
        const id = (x as Record<string, Value>).id;
        return { id: isRef(id) ? (id.$ref.id ?? "") : String(id) };
      })
    : undefined;

/** A model rule from ARM rule properties, keeping the identity (id, place) of `old` when there is one. */
function ruleFrom(nsg: NetworkSecurityGroup, name: string, p: Record<string, Value>, old?: SecurityRule): SecurityRule {
  return {
    id: old?.id ?? `${nsg.id}/securityRules/${name}`,
    name,
    type: "Microsoft.Network/networkSecurityGroups/securityRules",
    src: old?.src ?? nsg.src,
    isDefault: false,
    description: text(p.description),
    protocol: String(p.protocol),
    sourcePortRange: text(p.sourcePortRange),
    sourcePortRanges: texts(p.sourcePortRanges),
    destinationPortRange: text(p.destinationPortRange),
    destinationPortRanges: texts(p.destinationPortRanges),
    sourceAddressPrefix: text(p.sourceAddressPrefix),
    sourceAddressPrefixes: texts(p.sourceAddressPrefixes),
    destinationAddressPrefix: text(p.destinationAddressPrefix),
    destinationAddressPrefixes: texts(p.destinationAddressPrefixes),
    sourceApplicationSecurityGroups: refs(p.sourceApplicationSecurityGroups),
    destinationApplicationSecurityGroups: refs(p.destinationApplicationSecurityGroups),
    access: String(p.access),
    priority: Number(p.priority),
    direction: String(p.direction),
  };
}

/** The model with every security-rule change of `changes` applied (other changes are left out). */
export function withRuleChanges(model: NetworkModel, changes: readonly Change[]): NetworkModel {
  const nsgs = model.networkSecurityGroups.map((nsg) => {
    let rules = nsg.securityRules;
    for (const c of changes) {
      const target = c.op === "create" || c.op === "restate" ? c.resource : c.op === "delete" ? c.target : undefined;
      if (!target?.type.toLowerCase().endsWith("/securityrules") || target.names[0] !== nsg.name) continue;
      const name = target.names.at(-1)!;
      const old = rules.find((r) => r.name === name);
      rules = rules.filter((r) => r.name !== name);
      if (c.op === "create" || c.op === "restate") rules = [...rules, ruleFrom(nsg, name, c.resource.properties, old)];
    }
    return rules === nsg.securityRules ? nsg : { ...nsg, securityRules: rules };
  });
  return { ...model, networkSecurityGroups: nsgs };
}

/** Every flow of one direction, as a box; `PORTED_FLOWS`: every TCP and UDP one. */
export const EVERY_FLOW: FlowBox = {
  protocols: ALL_PROTOCOLS,
  sourceAddresses: AddressSet.ALL,
  sourcePorts: ALL_PORTS,
  destinationAddresses: AddressSet.ALL,
  destinationPorts: ALL_PORTS,
};
export const PORTED_FLOWS: FlowBox = { ...EVERY_FLOW, protocols: ALL_PROTOCOLS & ~PORTLESS_PROTOCOLS };

/**
 * The flows of `boxes` that `nsg` allows (every rule that may decide them allows), as boxes. Flows left Unknown
 * (the ICMP, ESP and AH flows of rules that name ports, whose matching Azure does not document) are not counted.
 */
export function allowedFlows(nsg: CompiledNsg, direction: "Inbound" | "Outbound", boxes = [EVERY_FLOW]): FlowBox[] {
  return evaluateSet(nsg, direction, boxes).parts.flatMap((p) => (p.decision.access === "Allow" ? p.boxes : []));
}

const catalog = loadServiceTagCatalog();

/** One NSG of `after` where it applies, with the same NSG of `before` at the same place. */
export interface NsgAtPlace {
  name: string;
  place: string;
  direction: "Inbound" | "Outbound";
  before: CompiledNsg;
  after: CompiledNsg;
}

/** Every NSG of `after` at every place it applies (attached nowhere: once, without a place), beside `before`'s. */
export function nsgsAtPlaces(before: NetworkModel, after: NetworkModel): NsgAtPlace[] {
  const engines = [before, after].map((m) => new EngineContext(new Topology(m), catalog));
  const [old, now] = engines as [EngineContext, EngineContext];
  const out: NsgAtPlace[] = [];
  for (const nsg of after.networkSecurityGroups) {
    const was = before.networkSecurityGroups.find((n) => n.id === nsg.id);
    if (!was) continue;
    const places = subnetsWhereNsgApplies(now.topology, nsg);
    for (const place of places.length ? places : [undefined]) {
      const oldPlace = place && old.topology.subnets.get(place.id);
      for (const direction of ["Inbound", "Outbound"] as const) {
        out.push({
          name: nsg.name,
          place: place?.name ?? "(nowhere)",
          direction,
          before: old.compileNsg(was, oldPlace ?? undefined),
          after: now.compileNsg(nsg, place),
        });
      }
    }
  }
  return out;
}

/**
 * The flows an NSG of `after` allows that the same NSG of `before` does not (denies, or leaves Unknown), at each
 * place, in words, among `flows` (every flow by default); `allowed(box)` may excuse some (a required rule's
 * traffic). Empty: the change opened nothing.
 */
export function openedFlows(
  before: NetworkModel,
  after: NetworkModel,
  allowed: (at: NsgAtPlace, box: FlowBox) => boolean = () => false,
  flows: FlowBox = EVERY_FLOW,
): string[] {
  return nsgsAtPlaces(before, after).flatMap((at) =>
    evaluateSet(at.before, at.direction, allowedFlows(at.after, at.direction, [flows]))
      .parts.filter((p) => p.decision.access !== "Allow")
      .flatMap((p) => p.boxes)
      .filter((box) => !allowed(at, box))
      .map((box) => `${at.name} at ${at.place}, ${at.direction}: ${formatBox(box)}`),
  );
}
