/**
 * @module report/html/flow-data
 * Report layer: what the HTML report's flow tester needs, computed in Node by the engine and embedded in the
 * page as data: for every subnet, its NSG (and each NIC's) compiled for that place (tags resolved from the
 * subnet, reference §1.2), in evaluation order per direction (reference §1.3.2), with the platform addresses
 * it does not filter (§1.5); the virtual tags as seen from the subnet; and the service tags a user is likely
 * to ask about. The page code (client/evaluate.ts) then decides flows exactly as engine/reach does.
 * What the NSG layers need is cut into one part per VNet (client/types.ts), so the page parses a VNet's
 * rules only when a flow needs them; the index of subnets and the service tags stay in the page's data.
 */

import type { AddressSet } from "../../engine/ip/address-set.js";
import {
  type CompiledNsg,
  FLOW_PROTOCOLS,
  type NormalizedRule,
  nsgLayersFor,
  PORTLESS_PROTOCOLS,
} from "../../engine/nsg/index.js";
import type { NsgLayerInput } from "../../engine/nsg/layers.js";
import { bypassDetail, bypassedAddresses } from "../../engine/nsg/platform.js";
import type { EngineContext } from "../../engine/reach/context.js";
import { firstUsableAddress } from "../../engine/reach/endpoint.js";
import { describeServiceTags } from "../../engine/servicetags/catalog.js";
import { subnetPrefixes } from "../../model/addresses.js";
import { parsePrefix } from "../../model/ip.js";
import type {
  NetworkInterface,
  NetworkInterfaceIPConfiguration,
  NetworkSecurityGroup,
  Subnet,
  VirtualNetwork,
} from "../../model/resources.js";
import { formatSource } from "../../model/source.js";
import type { Topology } from "../../model/topology.js";
import { isUnknown } from "../../model/unknown.js";
import type {
  ClientFlowData,
  ClientLayer,
  ClientOrdered,
  ClientRule,
  ClientSet,
  ClientSubnet,
  ClientTables,
  ClientTag,
  ClientVnetFlow,
} from "./client/types.js";

/** Tags API Management depends on (apim-requirements), offered even when no rule names them. */
const APIM_TAGS = [
  "ApiManagement",
  "AzureActiveDirectory",
  "AzureConnectors",
  "AzureKeyVault",
  "AzureMonitor",
  "AzureTrafficManager",
  "EventHub",
  "Sql",
  "Storage",
];
/** Tags with regional variants that APIM rules use with the instance's region. */
const REGIONAL = ["ApiManagement", "Storage", "Sql", "EventHub", "AzureConnectors", "AzureMonitor"];
const VIRTUAL = ["VirtualNetwork", "AzureLoadBalancer", "Internet"];

/**
 * Sets of more than this many interval bounds are written once for the whole page (the index's `sets`) and
 * referred to from the VNet parts: a service tag's set (Storage: thousands of intervals) named by rules in
 * every VNet was written into every part (45 of 58 MB of parts at 2,000 subnets, issue 17).
 */
const SHARED_FROM = 16;

/** Each set's interning key, computed once per set object (the engine shares a tag's set across places). */
class SetKeys {
  private readonly keys = new WeakMap<AddressSet, string>();
  of(s: AddressSet): string {
    let key = this.keys.get(s);
    if (key === undefined) {
      key = `${s.v4.join(",")}|${s.v6.map((v) => v.toString(16)).join(",")}`;
      this.keys.set(s, key);
    }
    return key;
  }
}

/**
 * Interns sets, rules and NSGs so each is written once (per VNet part, or for the service tags); a part's large
 * sets are references into `shared` (the index's table).
 */
class Tables {
  readonly data: ClientTables = { sets: [], rules: [], nsgs: [] };
  private readonly setIndex = new Map<string, number>();
  private readonly ruleIndex = new Map<string, number>();
  private readonly nsgIndex = new Map<CompiledNsg, number>();

  constructor(
    private readonly keys: SetKeys,
    private readonly shared?: Tables,
  ) {}

  set(s: AddressSet): number {
    const key = this.keys.of(s);
    let i = this.setIndex.get(key);
    if (i === undefined) {
      i = this.data.sets.length;
      const big = this.shared !== undefined && s.v4.length + s.v6.length > SHARED_FROM;
      this.data.sets.push(
        big ? { shared: this.shared!.set(s) } : { v4: [...s.v4], v6: s.v6.map((v) => `0x${v.toString(16)}`) },
      );
      this.setIndex.set(key, i);
    }
    return i;
  }

  rule(r: NormalizedRule): number {
    const rule: ClientRule = {
      name: r.name,
      ruleName: r.ruleName,
      access: r.access,
      priority: Number.isFinite(r.priority) ? r.priority : null,
      protocols: [r.protocols.definite, r.protocols.possible],
      source: [this.set(r.sourceAddresses.definite), this.set(r.sourceAddresses.possible)],
      destination: [this.set(r.destinationAddresses.definite), this.set(r.destinationAddresses.possible)],
      sourcePorts: [[...r.sourcePorts.definite], [...r.sourcePorts.possible]],
      destinationPorts: [[...r.destinationPorts.definite], [...r.destinationPorts.possible]],
      unresolved: r.unresolved,
      where: formatSource(r.src),
    };
    const key = JSON.stringify(rule);
    let i = this.ruleIndex.get(key);
    if (i === undefined) {
      i = this.data.rules.length;
      this.data.rules.push(rule);
      this.ruleIndex.set(key, i);
    }
    return i;
  }

  nsg(nsg: CompiledNsg): number {
    let i = this.nsgIndex.get(nsg);
    if (i !== undefined) return i;
    // The evaluation order only: the page evaluates the rules itself, so the engine's bitset tables are not built.
    const ordered = (direction: "Inbound" | "Outbound"): ClientOrdered => {
      const o = nsg.ordered(direction);
      const maybeOnly: Record<number, string> = {};
      o.maybeOnly.forEach((maybe, k) => {
        if (maybe) maybeOnly[k] = o.orderNotes[k] ?? "";
      });
      return { rules: o.rules.map((r) => this.rule(r)), maybeOnly };
    };
    const bypass = bypassedAddresses(nsg, "Outbound");
    i = this.data.nsgs.length;
    this.data.nsgs.push({
      name: nsg.name,
      id: nsg.id,
      inbound: ordered("Inbound"),
      outbound: ordered("Outbound"),
      bypass: bypass.which.map((p) => p.value),
      bypassText: bypass.which.length > 0 ? bypassDetail(bypass.which) : "",
    });
    this.nsgIndex.set(nsg, i);
    return i;
  }

  layer(input: NsgLayerInput | undefined, scopeId: string): ClientLayer {
    if (!input) return { scopeId, nsg: null };
    return {
      scopeId: input.scopeId ?? scopeId,
      nsg: input.nsg ? this.nsg(input.nsg) : null,
      ...(input.unknownReason !== undefined ? { unknown: input.unknownReason } : {}),
    };
  }

  tag(engine: EngineContext, subnet: Subnet | undefined, text: string): ClientTag {
    const lookup = engine.resolver(subnet).resolve(text);
    if (lookup.kind === "unknown") return { name: text, unknown: lookup.reason };
    return {
      name: lookup.name ?? text,
      set: this.set(lookup.set),
      ...(lookup.maybe && !lookup.maybe.isEmpty()
        ? { maybe: `${lookup.maybe.toString()}: ${lookup.maybeReason ?? "undecided"}` }
        : {}),
    };
  }
}

/** Tag names written in the inputs' NSG rules (singular and plural prefix fields). */
function tagsInRules(engine: EngineContext): string[] {
  const out = new Set<string>();
  for (const nsg of engine.topology.model.networkSecurityGroups) {
    for (const r of nsg.securityRules) {
      const texts = [
        r.sourceAddressPrefix,
        r.destinationAddressPrefix,
        ...(r.sourceAddressPrefixes ?? []),
        ...(r.destinationAddressPrefixes ?? []),
      ];
      for (const t of texts) {
        if (t && !isUnknown(t) && t !== "*" && !parsePrefix(t) && /^[A-Za-z][A-Za-z0-9.]*$/.test(t)) out.add(t);
      }
    }
  }
  return [...out];
}

/** The service tags the page offers: those the rules name, the APIM ones, and their regional forms. */
function offeredTags(engine: EngineContext): string[] {
  const regions = new Set<string>();
  for (const s of engine.topology.model.apiManagementServices) {
    if (s.location && !isUnknown(s.location)) regions.add(s.location);
    for (const l of s.additionalLocations) if (!isUnknown(l.location)) regions.add(l.location);
  }
  const regional = REGIONAL.flatMap((t) => [...regions].map((r) => `${t}.${r.replace(/\s+/g, "")}`));
  return [...new Set([...tagsInRules(engine), ...APIM_TAGS, ...regional])].filter(
    (t) => !VIRTUAL.some((v) => v.toLowerCase() === t.toLowerCase()),
  );
}

/** Why a subnet of a VNet left out of the page has no NSG side in the flow tester (budget.ts). */
const OMITTED =
  "this page does not hold the NSG rules of this subnet's VNet (see the summary at the top of the page); apim-netcheck flow answers with them";

/** The subnet keys the diagram uses, by subnet (the same ids, so clicks in the SVG find their data). */
export type SubnetKeys = Map<Subnet, string>;

/** A subnet's NIC IP configurations (nicConfigsBySubnet). */
export type NicsIn = (subnet: Subnet) => { nic: NetworkInterface; ipConfiguration: NetworkInterfaceIPConfiguration }[];

/** Each subnet's NIC IP configurations, in one pass over the NICs (Topology's look-up scans them all per subnet). */
export function nicConfigsBySubnet(topology: Topology): NicsIn {
  const bySubnet = new Map<Subnet, { nic: NetworkInterface; ipConfiguration: NetworkInterfaceIPConfiguration }[]>();
  for (const nic of topology.nics.values())
    for (const ipConfiguration of nic.ipConfigurations) {
      const subnet = topology.subnets.get(ipConfiguration.subnet?.id);
      if (!subnet) continue;
      const list = bySubnet.get(subnet);
      if (list) list.push({ nic, ipConfiguration });
      else bySubnet.set(subnet, [{ nic, ipConfiguration }]);
    }
  return (subnet) => bySubnet.get(subnet) ?? [];
}

/** The flow tester's data: the index the page holds, and one part per VNet parsed when a flow needs it. */
export interface FlowData {
  index: ClientFlowData;
  parts: ClientVnetFlow[];
}

/** Builds the flow tester's data for every subnet of the topology. */
export function buildFlowData(
  engine: EngineContext,
  keys: SubnetKeys,
  inFull: ReadonlySet<VirtualNetwork | undefined> = new Set(engine.topology.vnets.values()),
  nicsIn: NicsIn = nicConfigsBySubnet(engine.topology),
): FlowData {
  const setKeys = new SetKeys();
  const tagTables = new Tables(setKeys);
  const index: ClientFlowData = {
    protocols: [...FLOW_PROTOCOLS],
    portlessMask: PORTLESS_PROTOCOLS,
    // The tag tables have no shared parent: every set in them is written out (no ClientSharedSet).
    sets: tagTables.data.sets as ClientSet[],
    subnets: [],
    parts: 0,
    tags: {},
    tagSource: describeServiceTags(engine.catalog.meta),
  };
  // The engine's compilation, once per NSG and distinct reading of its virtual tags (EngineContext.placeKey),
  // shared with the checks that ran before.
  const compile = (nsg: NetworkSecurityGroup, subnet: Subnet) => engine.compileNsg(nsg, subnet);
  for (const tag of offeredTags(engine)) {
    const value = tagTables.tag(engine, undefined, tag);
    if (value.set !== undefined) index.tags[tag.toLowerCase()] = value;
  }
  const parts: { tables: Tables; places: ClientVnetFlow["places"] }[] = [];
  const partOf = new Map<VirtualNetwork | undefined, number>();
  for (const subnet of engine.topology.subnets.values()) {
    const vnet = engine.topology.vnetOf(subnet);
    const prefixes: ClientSubnet["prefixes"] = [];
    for (const p of subnetPrefixes(subnet).prefixes)
      prefixes.push({ version: p.version, first: p.first.toString(), last: p.last.toString(), length: p.length });
    const first = firstUsableAddress(subnet);
    const entry = {
      key: keys.get(subnet) ?? subnet.id,
      label: `${vnet?.name ?? "?"}/${subnet.name}`,
      id: subnet.id,
      prefixes,
      ...(first ? { first } : {}),
    };
    // A VNet the page's bounds leave out (budget.ts): its subnets are ends a flow can name, nothing more; no
    // part, so nothing of its NSGs is compiled or written.
    if (vnet !== undefined && !inFull.has(vnet)) {
      const nics: ClientSubnet["nics"] = [];
      for (const { nic, ipConfiguration } of nicsIn(subnet)) {
        const address = ipConfiguration.privateIPAddress;
        if (address && !isUnknown(address)) nics.push({ nic: nic.name, nicId: nic.id, address });
      }
      index.subnets.push({ ...entry, nics, part: -1, place: -1, omitted: true });
      index.omittedReason = OMITTED;
      continue;
    }
    let part = partOf.get(vnet);
    if (part === undefined) {
      part = parts.length;
      parts.push({ tables: new Tables(setKeys, tagTables), places: [] });
      partOf.set(vnet, part);
    }
    const { tables, places } = parts[part]!;
    const layers = nsgLayersFor(engine.topology, { subnet }, (nsg) => compile(nsg, subnet));
    const nics: ClientSubnet["nics"] = [];
    const nicLayers: ClientLayer[] = [];
    for (const { nic, ipConfiguration } of nicsIn(subnet)) {
      const address = ipConfiguration.privateIPAddress;
      if (!address || isUnknown(address)) continue;
      const nicLayer = nsgLayersFor(engine.topology, { subnet, nic }, (nsg) => compile(nsg, subnet));
      nics.push({ nic: nic.name, nicId: nic.id, address });
      nicLayers.push(tables.layer(nicLayer.nic, nic.id));
    }
    const virtualTags: Record<string, ClientTag> = {};
    for (const tag of VIRTUAL) virtualTags[tag.toLowerCase()] = tables.tag(engine, subnet, tag);
    const admin = (engine.adminAt(subnet)?.rules.length ?? 0) > 0;
    index.subnets.push({ ...entry, nics, part, place: places.length, ...(admin ? { adminRules: true as const } : {}) });
    places.push({ layer: tables.layer(layers.subnet, subnet.id), nics: nicLayers, virtualTags });
  }
  index.parts = parts.length;
  return { index, parts: parts.map(({ tables, places }) => ({ ...tables.data, places })) };
}
