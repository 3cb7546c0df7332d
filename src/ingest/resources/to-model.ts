/**
 * @module ingest/resources/to-model
 * Turns resource JSON in Azure's REST shape (what `az ... show`, the REST API, Resource Graph and an evaluated
 * ARM template all give) into the normalized model. Child resources declared on their own
 * (`virtualNetworks/subnets`, `networkSecurityGroups/securityRules`, `routeTables/routes`, peerings,
 * APIM backends and APIs, private DNS records) are merged into their parents. Types we do not model are
 * listed in `model.unmodeled`, never dropped.
 */

import { appendAll } from "../../model/arrays.js";
import { defaultSecurityRules } from "../../model/default-rules.js";
import type { DiagnosticBag } from "../../model/diagnostics.js";
import {
  buildResourceId,
  DEFAULT_RESOURCE_GROUP,
  DEFAULT_SUBSCRIPTION,
  idKey,
  parseResourceId,
} from "../../model/ids.js";
import type { NetworkModel } from "../../model/network.js";
import type {
  ApiManagementService,
  NatGateway,
  NetworkSecurityGroup,
  PrivateDnsZone,
  PrivateEndpoint,
  PrivateLinkServiceConnection,
  ResourceBase,
  Route,
  RouteServer,
  RouteTable,
  SecurityRule,
  Subnet,
  VirtualNetwork,
  VirtualNetworkPeering,
} from "../../model/resources.js";
import { formatSource, type SourceRef } from "../../model/source.js";
import { isUnknown, unknownValue } from "../../model/unknown.js";
import type { Locator } from "../locator.js";
import { addAvnmResource, addMembershipPolicy } from "./avnm.js";
import { undecidedConditionOf } from "./conditions.js";
import { FieldReader, field, isObject, type Json, propsOf } from "./fields.js";

export interface ResourceDefaults {
  subscriptionId?: string;
  resourceGroup?: string;
  /** Location of the file, cited when a node has no location of its own. */
  fileSrc: SourceRef;
}

type Handler = (ctx: Conversion, node: Json, base: ResourceBase) => void;

/** Adds the resources `nodes` (REST-shaped objects) to `model`. */
export function addResources(
  model: NetworkModel,
  nodes: Json[],
  locator: Locator,
  diags: DiagnosticBag,
  defaults: ResourceDefaults,
): number {
  const ctx = new Conversion(model, new FieldReader(locator, diags), diags, defaults);
  // Parents before children, so that a standalone subnet finds the VNet declared beside it.
  const ordered = nodes
    .map((node, index) => ({ node, index, depth: String(field(node, "type") ?? "").split("/").length }))
    .sort((a, b) => a.depth - b.depth || a.index - b.index);
  let count = 0;
  for (const { node } of ordered) if (ctx.add(node)) count++;
  return count;
}

const HANDLERS: Record<string, Handler> = {
  "microsoft.network/virtualnetworks": (c, n, b) => c.vnet(n, b),
  "microsoft.network/virtualnetworks/subnets": (c, n, b) => c.standaloneSubnet(n, b),
  "microsoft.network/virtualnetworks/virtualnetworkpeerings": (c, n, b) => c.standalonePeering(n, b),
  "microsoft.network/networksecuritygroups": (c, n, b) => c.nsg(n, b),
  "microsoft.network/networksecuritygroups/securityrules": (c, n, b) => c.standaloneRule(n, b),
  "microsoft.network/applicationsecuritygroups": (c, _n, b) =>
    c.placeById(c.model.applicationSecurityGroups, b, "application security group"),
  "microsoft.network/routetables": (c, n, b) => c.routeTable(n, b),
  "microsoft.network/routetables/routes": (c, n, b) => c.standaloneRoute(n, b),
  "microsoft.network/networkinterfaces": (c, n, b) => c.nic(n, b),
  "microsoft.network/virtualnetworkgateways": (c, n, b) => c.gateway(n, b),
  "microsoft.network/localnetworkgateways": (c, n, b) => c.localGateway(n, b),
  "microsoft.network/connections": (c, n, b) => c.connection(n, b),
  "microsoft.network/publicipaddresses": (c, n, b) => c.publicIp(n, b),
  "microsoft.apimanagement/service": (c, n, b) => c.apim(n, b),
  "microsoft.apimanagement/service/backends": (c, n, b) => c.apimBackend(n, b),
  "microsoft.apimanagement/service/apis": (c, n, b) => c.apimApi(n, b),
  "microsoft.network/privatednszones": (c, n, b) => c.privateDnsZone(n, b),
  "microsoft.network/privatednszones/virtualnetworklinks": (c, n, b) => c.privateDnsLink(n, b),
  "microsoft.network/privateendpoints": (c, n, b) => c.privateEndpoint(n, b),
  "microsoft.network/virtualhubs": (c, n, b) => c.routeServer(n, b),
  "microsoft.network/virtualhubs/ipconfigurations": (c, n, b) => c.routeServerChild(n, b, "ipConfigurations"),
  "microsoft.network/virtualhubs/bgpconnections": (c, n, b) => c.routeServerChild(n, b, "bgpConnections"),
  "microsoft.network/natgateways": (c, n, b) => c.natGateway(n, b),
};

const DNS_RECORD_TYPES = ["a", "aaaa", "cname"];
const RULE_TYPE = "Microsoft.Network/networkSecurityGroups/securityRules";
const DEFAULT_RULE_TYPE = "Microsoft.Network/networkSecurityGroups/defaultSecurityRules";

/**
 * True for a resource the ingest made up only to hold children declared on their own (a VNet for a standalone
 * subnet, an NSG for a standalone rule, ...) and that no input declared since. The what-if overlay uses it to
 * merge such children into the inputs' resource instead of replacing that resource.
 */
export function isMadeUpParent(resource: object): boolean {
  return (resource as ResourceBase).madeUp === true;
}

/** Children declared as resources of their own (not inline in their parent): a later parent declaration keeps them. */
const standalone = new WeakSet<object>();

/** The standalone children of `old` that `next` does not declare itself (by name, as Azure compares them). */
function standaloneNotIn<T extends { name: string }>(old: T[], next: T[]): T[] {
  const names = new Set(next.map((c) => c.name.toLowerCase()));
  return old.filter((c) => standalone.has(c) && !names.has(c.name.toLowerCase()));
}

/**
 * A resource's definition without where it is written, to tell a repeated declaration from a different one. The
 * api-version a template declared a subnet with is not part of it: the same subnet written against two versions is
 * the same subnet.
 */
function definitionOf(resource: object): string {
  return JSON.stringify(resource, (key, value) => (key === "src" || key === "declaredApiVersion" ? undefined : value));
}

class Conversion {
  private readonly vnetsById = new Map<string, VirtualNetwork>();
  private readonly nsgsById = new Map<string, NetworkSecurityGroup>();
  private readonly tablesById = new Map<string, RouteTable>();
  private readonly zonesById = new Map<string, PrivateDnsZone>();
  private readonly routeServersById = new Map<string, RouteServer>();
  /** Virtual WAN hubs (virtualHubs with a virtualWan): not modelled, and neither are their children. */
  private readonly wanHubs = new Set<string>();
  /** Other top-level lists by id, made on first use (from what the model already holds). */
  private readonly byId = new Map<unknown[], Map<string, ResourceBase>>();

  constructor(
    readonly model: NetworkModel,
    readonly read: FieldReader,
    readonly diags: DiagnosticBag,
    readonly defaults: ResourceDefaults,
  ) {
    // Resources already in the model (from other inputs) can take children from this one.
    for (const v of model.virtualNetworks) this.vnetsById.set(idKey(v.id), v);
    for (const n of model.networkSecurityGroups) this.nsgsById.set(idKey(n.id), n);
    for (const t of model.routeTables) this.tablesById.set(idKey(t.id), t);
    for (const z of model.privateDnsZones) this.zonesById.set(idKey(z.id), z);
    for (const r of model.routeServers) this.routeServersById.set(idKey(r.id), r);
  }

  add(node: Json): boolean {
    const src = this.read.where(node, this.defaults.fileSrc);
    const type = field(node, "type");
    const name = field(node, "name");
    if (typeof type !== "string" || typeof name !== "string") {
      this.diags.error("input/not-a-resource", "a resource needs a string 'type' and 'name'", src);
      return false;
    }
    const rawId = field(node, "id");
    const id =
      typeof rawId === "string" && rawId.length > 0
        ? rawId
        : buildResourceId(
            type,
            name.split("/"),
            this.defaults.subscriptionId ?? DEFAULT_SUBSCRIPTION,
            this.defaults.resourceGroup ?? DEFAULT_RESOURCE_GROUP,
          );
    const location = field(node, "location");
    const base: ResourceBase = {
      id,
      name: name.split("/").pop() ?? name,
      type,
      location: typeof location === "string" ? location : undefined,
      src,
    };
    const undecided = undecidedConditionOf(node);
    if (undecided) base.deployedIf = { condition: undecided.reason, src: undecided.src };
    const lowerType = type.toLowerCase();
    // Virtual Network Manager resources and the policies that fill its groups (ingest/resources/avnm.ts).
    if (lowerType.startsWith("microsoft.network/networkmanagers/") || lowerType === "microsoft.network/networkmanagers")
      if (addAvnmResource(this.model, this.read, lowerType, node, base)) return true;
    if (
      lowerType === "microsoft.authorization/policydefinitions" &&
      addMembershipPolicy(this.model, this.read, node, base)
    )
      return true;
    const handler = HANDLERS[lowerType];
    if (handler) {
      handler(this, node, base);
      return true;
    }
    const parts = lowerType.split("/");
    if (
      parts[0] === "microsoft.network" &&
      parts[1] === "privatednszones" &&
      DNS_RECORD_TYPES.includes(parts[2] ?? "")
    ) {
      this.privateDnsRecord(node, base, parts[2]!.toUpperCase());
      return true;
    }
    this.model.unmodeled.push({ type, name, id, src });
    return false;
  }

  // ---- virtual networks, subnets, peerings --------------------------------------------------------

  vnet(node: Json, base: ResourceBase): void {
    const p = propsOf(node);
    const space = this.read.object(p, "addressSpace", base.src);
    const dhcp = this.read.object(p, "dhcpOptions", base.src);
    const vnet: VirtualNetwork = {
      ...base,
      addressSpace: { addressPrefixes: (space && this.read.stringArray(space, "addressPrefixes", base.src)) ?? [] },
      dhcpOptions: dhcp ? { dnsServers: this.read.stringArray(dhcp, "dnsServers", base.src) ?? [] } : undefined,
      subnets: [],
      virtualNetworkPeerings: [],
    };
    const apiVersion = field(node, "apiVersion");
    for (const s of this.read.objectArray(p, "subnets", base.src))
      vnet.subnets.push(this.subnet(s, vnet, undefined, apiVersion));
    for (const s of this.read.objectArray(p, "virtualNetworkPeerings", base.src)) {
      vnet.virtualNetworkPeerings.push(this.peering(s, vnet));
    }
    const existing = this.vnetsById.get(idKey(vnet.id));
    if (existing?.madeUp) {
      // A stub made for a child seen earlier: fill it in, keeping the children it collected.
      const names = new Set(vnet.subnets.map((s) => s.name.toLowerCase()));
      Object.assign(existing, {
        ...vnet,
        subnets: [...vnet.subnets, ...existing.subnets.filter((s) => !names.has(s.name.toLowerCase()))],
      });
      delete existing.madeUp;
      return;
    }
    const kept = this.place(this.model.virtualNetworks, existing, vnet, "virtual network", (old, next) => {
      appendAll(next.subnets, standaloneNotIn(old.subnets, next.subnets));
      appendAll(next.virtualNetworkPeerings, standaloneNotIn(old.virtualNetworkPeerings, next.virtualNetworkPeerings));
    });
    this.vnetsById.set(idKey(vnet.id), kept);
  }

  /** `place` for a list without children: the earlier declaration of the same id is looked up here. */
  placeById<T extends ResourceBase>(list: T[], next: T, kind: string): void {
    let index = this.byId.get(list);
    if (!index) {
      index = new Map(list.map((r) => [idKey(r.id), r as ResourceBase]));
      this.byId.set(list, index);
    }
    const key = idKey(next.id);
    index.set(key, this.place(list, index.get(key) as T | undefined, next, kind));
  }

  /**
   * Puts `next` in `list`, where `existing` (the same id) may already be: a declaration that repeats an earlier
   * one exactly is kept once (the same network written twice never doubles findings); one that differs is a
   * conflict, named with both places, and the later declaration is used, as deploying the two in order would
   * leave it. `keep` moves over what the earlier one collected from standalone children. Returns what is kept.
   */
  private place<T extends ResourceBase>(
    list: T[],
    existing: T | undefined,
    next: T,
    kind: string,
    keep?: (old: T, next: T) => void,
  ): T {
    if (!existing) {
      list.push(next);
      return next;
    }
    if (definitionOf(existing) === definitionOf(next)) {
      this.diags.info(
        "input/duplicate-resource",
        `${kind} ${next.name} is declared again, identically; read once`,
        next.src,
      );
      return existing;
    }
    this.diags.warning(
      "input/conflicting-definition",
      `${kind} ${next.name} is declared twice, differently: at ${formatSource(existing.src)} and here; the later one is used (Azure keeps the one deployed last)`,
      next.src,
    );
    keep?.(existing, next);
    list.splice(list.indexOf(existing), 1, next);
    return next;
  }

  /** `apiVersion`: the declaring template resource's (the VNet's, for an inline subnet). */
  private subnet(node: Json, vnet: VirtualNetwork, base?: ResourceBase, apiVersion?: unknown): Subnet {
    const src = base?.src ?? this.read.where(node, vnet.src);
    const p = propsOf(node);
    const name = base?.name ?? String(field(node, "name") ?? "");
    const id =
      base?.id ?? (typeof field(node, "id") === "string" ? String(field(node, "id")) : `${vnet.id}/subnets/${name}`);
    return {
      id,
      name,
      type: "Microsoft.Network/virtualNetworks/subnets",
      src,
      virtualNetworkId: vnet.id,
      addressPrefix: this.read.string(p, "addressPrefix", src),
      addressPrefixes: this.read.stringArray(p, "addressPrefixes", src),
      networkSecurityGroup: this.read.ref(p, "networkSecurityGroup", src),
      routeTable: this.read.ref(p, "routeTable", src),
      natGateway: this.read.ref(p, "natGateway", src),
      serviceEndpoints: this.read.objectArray(p, "serviceEndpoints", src).map((e) => ({
        service: this.read.string(e, "service", src) ?? "",
        locations: this.read.stringArray(e, "locations", src),
      })),
      delegations: this.read.objectArray(p, "delegations", src).map((d) => ({
        name: String(field(d, "name") ?? ""),
        serviceName: this.read.string(propsOf(d), "serviceName", src) ?? "",
      })),
      privateEndpointNetworkPolicies: this.read.string(p, "privateEndpointNetworkPolicies", src),
      defaultOutboundAccess: this.read.boolean(p, "defaultOutboundAccess", src),
      sharingScope: this.read.string(p, "sharingScope", src),
      ...apiVersionOf(node, apiVersion),
    };
  }

  private peering(node: Json, vnet: VirtualNetwork, base?: ResourceBase): VirtualNetworkPeering {
    const src = base?.src ?? this.read.where(node, vnet.src);
    const p = propsOf(node);
    const name = base?.name ?? String(field(node, "name") ?? "");
    const remoteSpace = this.read.object(p, "remoteAddressSpace", src);
    return {
      id: base?.id ?? `${vnet.id}/virtualNetworkPeerings/${name}`,
      name,
      type: "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
      src,
      virtualNetworkId: vnet.id,
      remoteVirtualNetwork: this.read.ref(p, "remoteVirtualNetwork", src),
      // Defaults as the REST API applies them: access on, the other three off.
      allowVirtualNetworkAccess: this.read.boolean(p, "allowVirtualNetworkAccess", src) ?? true,
      allowForwardedTraffic: this.read.boolean(p, "allowForwardedTraffic", src) ?? false,
      allowGatewayTransit: this.read.boolean(p, "allowGatewayTransit", src) ?? false,
      useRemoteGateways: this.read.boolean(p, "useRemoteGateways", src) ?? false,
      remoteAddressSpace: remoteSpace
        ? { addressPrefixes: this.read.stringArray(remoteSpace, "addressPrefixes", src) ?? [] }
        : undefined,
      peeringState: this.read.string(p, "peeringState", src),
    };
  }

  /** The VNet a child id belongs to; a stub (with a warning) when no input declares it. */
  private parentVnet(childId: string, src: SourceRef): VirtualNetwork {
    const parsed = parseResourceId(childId);
    const parentId =
      childId.slice(0, childId.toLowerCase().lastIndexOf("/virtualnetworks/") + 1) +
      `virtualNetworks/${parsed?.names[0] ?? ""}`;
    const key = idKey(parentId);
    let vnet = this.vnetsById.get(key);
    if (!vnet) {
      vnet = {
        id: parentId,
        name: parsed?.names[0] ?? "",
        type: "Microsoft.Network/virtualNetworks",
        src,
        addressSpace: { addressPrefixes: [] },
        subnets: [],
        virtualNetworkPeerings: [],
        madeUp: true,
      };
      this.diags.warning(
        "input/missing-parent",
        `virtual network ${vnet.name} is not in the inputs; its address space is unknown`,
        src,
      );
      this.model.virtualNetworks.push(vnet);
      this.vnetsById.set(key, vnet);
    }
    return vnet;
  }

  standaloneSubnet(node: Json, base: ResourceBase): void {
    const vnet = this.parentVnet(base.id, base.src);
    const subnet = this.subnet(node, vnet, base, field(node, "apiVersion"));
    standalone.add(subnet);
    if (base.deployedIf) subnet.deployedIf = base.deployedIf;
    const at = vnet.subnets.findIndex((s) => s.name.toLowerCase() === subnet.name.toLowerCase());
    if (at >= 0) vnet.subnets[at] = subnet;
    else vnet.subnets.push(subnet);
  }

  standalonePeering(node: Json, base: ResourceBase): void {
    const vnet = this.parentVnet(base.id, base.src);
    const peering = this.peering(node, vnet, base);
    standalone.add(peering);
    if (base.deployedIf) peering.deployedIf = base.deployedIf;
    const at = vnet.virtualNetworkPeerings.findIndex((s) => s.name.toLowerCase() === peering.name.toLowerCase());
    if (at >= 0) vnet.virtualNetworkPeerings[at] = peering;
    else vnet.virtualNetworkPeerings.push(peering);
  }

  // ---- NSGs ------------------------------------------------------------------------------------------

  nsg(node: Json, base: ResourceBase): void {
    const p = propsOf(node);
    const prefix = `${base.id}/securityRules/`;
    const nsg: NetworkSecurityGroup = {
      ...base,
      securityRules: this.read
        .objectArray(p, "securityRules", base.src)
        .map((r) => this.rule(r, prefix, false, base.src)),
      defaultSecurityRules: [],
      flushConnection: this.read.boolean(p, "flushConnection", base.src),
    };
    const rulesUnknown = this.read.unknownOf(p, "securityRules");
    if (rulesUnknown) nsg.securityRules.push(this.unknownRule(rulesUnknown, prefix, base.src));
    const declaredDefaults = this.read.objectArray(p, "defaultSecurityRules", base.src);
    nsg.defaultSecurityRules =
      declaredDefaults.length > 0
        ? declaredDefaults.map((r) => this.rule(r, `${base.id}/defaultSecurityRules/`, true, base.src))
        : defaultSecurityRules(base.id, base.src);
    const existing = this.nsgsById.get(idKey(nsg.id));
    if (existing?.madeUp) {
      // Standalone rules arrived first (from this input or another): the declaration takes them.
      appendAll(nsg.securityRules, standaloneNotIn(existing.securityRules, nsg.securityRules));
      this.model.networkSecurityGroups.splice(this.model.networkSecurityGroups.indexOf(existing), 1, nsg);
      this.nsgsById.set(idKey(nsg.id), nsg);
      return;
    }
    const kept = this.place(this.model.networkSecurityGroups, existing, nsg, "network security group", (old, next) =>
      appendAll(next.securityRules, standaloneNotIn(old.securityRules, next.securityRules)),
    );
    this.nsgsById.set(idKey(nsg.id), kept);
  }

  /**
   * A security rule. `idPrefix` (`<nsg id>/securityRules/`) is made once per NSG: an id built from the NSG id
   * for each rule would be several string pieces per rule, which a large template pays for in memory and GC.
   */
  private rule(
    node: Json,
    idPrefix: string,
    isDefault: boolean,
    fallback: SourceRef,
    base?: ResourceBase,
  ): SecurityRule {
    const src = base?.src ?? this.read.where(node, fallback);
    const p = propsOf(node);
    const name = base?.name ?? String(field(node, "name") ?? "");
    const r = this.read;
    return {
      id: base?.id ?? idPrefix + name,
      name,
      type: isDefault ? DEFAULT_RULE_TYPE : RULE_TYPE,
      src,
      description: r.string(p, "description", src),
      protocol: r.string(p, "protocol", src) ?? "",
      sourcePortRange: r.string(p, "sourcePortRange", src),
      sourcePortRanges: r.stringArray(p, "sourcePortRanges", src),
      destinationPortRange: r.string(p, "destinationPortRange", src),
      destinationPortRanges: r.stringArray(p, "destinationPortRanges", src),
      sourceAddressPrefix: r.string(p, "sourceAddressPrefix", src),
      sourceAddressPrefixes: r.stringArray(p, "sourceAddressPrefixes", src),
      destinationAddressPrefix: r.string(p, "destinationAddressPrefix", src),
      destinationAddressPrefixes: r.stringArray(p, "destinationAddressPrefixes", src),
      sourceApplicationSecurityGroups: r.refArray(p, "sourceApplicationSecurityGroups", src),
      destinationApplicationSecurityGroups: r.refArray(p, "destinationApplicationSecurityGroups", src),
      access: r.string(p, "access", src) ?? "",
      priority: r.number(p, "priority", src) ?? Number.NaN,
      direction: r.string(p, "direction", src) ?? "",
      isDefault,
    };
  }

  /**
   * The stand-in for a rule list that is Unknown: one rule every field of which is Unknown. The engine puts a
   * rule of unresolved priority first and lets it only "maybe" match, with an Unknown access, so every verdict
   * through this NSG is Unknown with the list's reason — never decided by the default rules alone.
   */
  private unknownRule(reason: string, idPrefix: string, src: SourceRef): SecurityRule {
    const u = unknownValue(reason);
    const fields = ["priority", "direction", "access", "protocol", "sourceAddressPrefix", "destinationAddressPrefix"];
    const node: Json = {
      name: "(Unknown rules)",
      properties: {
        ...Object.fromEntries(fields.map((f) => [f, u])),
        sourcePortRange: u,
        destinationPortRange: u,
      },
    };
    return { ...this.rule(node, idPrefix, false, src), src, madeUp: true };
  }

  standaloneRule(node: Json, base: ResourceBase): void {
    const nsgId = base.id.slice(0, base.id.toLowerCase().lastIndexOf("/securityrules/"));
    let nsg = this.nsgsById.get(idKey(nsgId));
    if (!nsg) {
      const parsed = parseResourceId(nsgId);
      nsg = {
        id: nsgId,
        name: parsed?.names[0] ?? nsgId,
        type: "Microsoft.Network/networkSecurityGroups",
        src: base.src,
        securityRules: [],
        defaultSecurityRules: defaultSecurityRules(nsgId, base.src),
        madeUp: true,
      };
      this.model.networkSecurityGroups.push(nsg);
      this.nsgsById.set(idKey(nsgId), nsg);
    }
    const rule = this.rule(node, "", false, base.src, base);
    standalone.add(rule);
    if (base.deployedIf) rule.deployedIf = base.deployedIf;
    const at = nsg.securityRules.findIndex((r) => r.name.toLowerCase() === rule.name.toLowerCase());
    if (at >= 0) nsg.securityRules[at] = rule;
    else nsg.securityRules.push(rule);
  }

  // ---- routes ----------------------------------------------------------------------------------------

  routeTable(node: Json, base: ResourceBase): void {
    const p = propsOf(node);
    const prefix = `${base.id}/routes/`;
    const table: RouteTable = {
      ...base,
      routes: this.read.objectArray(p, "routes", base.src).map((r) => this.route(r, prefix, base.src)),
      disableBgpRoutePropagation: this.read.boolean(p, "disableBgpRoutePropagation", base.src) ?? false,
    };
    // An Unknown route list stands as one route whose prefix and next hop are Unknown: every lookup through the
    // table is then uncertain, with the list's reason, rather than decided by the system routes alone.
    const routesUnknown = this.read.unknownOf(p, "routes");
    if (routesUnknown) {
      const u = unknownValue(routesUnknown);
      const node = { name: "(Unknown routes)", properties: { addressPrefix: u, nextHopType: u } };
      table.routes.push({ ...this.route(node, prefix, base.src), src: base.src, madeUp: true });
    }
    const existing = this.tablesById.get(idKey(table.id));
    if (existing?.madeUp) {
      appendAll(table.routes, standaloneNotIn(existing.routes, table.routes));
      this.model.routeTables.splice(this.model.routeTables.indexOf(existing), 1, table);
      this.tablesById.set(idKey(table.id), table);
      return;
    }
    const kept = this.place(this.model.routeTables, existing, table, "route table", (old, next) =>
      appendAll(next.routes, standaloneNotIn(old.routes, next.routes)),
    );
    this.tablesById.set(idKey(table.id), kept);
  }

  /** A route; `idPrefix` (`<route table id>/routes/`) is made once per table, as for rules. */
  private route(node: Json, idPrefix: string, fallback: SourceRef, base?: ResourceBase): Route {
    const src = base?.src ?? this.read.where(node, fallback);
    const p = propsOf(node);
    const name = base?.name ?? String(field(node, "name") ?? "");
    return {
      id: base?.id ?? idPrefix + name,
      name,
      type: "Microsoft.Network/routeTables/routes",
      src,
      addressPrefix: this.read.string(p, "addressPrefix", src) ?? "",
      nextHopType: this.read.string(p, "nextHopType", src) ?? "",
      nextHopIpAddress: this.read.string(p, "nextHopIpAddress", src),
      hasBgpOverride: this.read.boolean(p, "hasBgpOverride", src),
    };
  }

  standaloneRoute(node: Json, base: ResourceBase): void {
    const tableId = base.id.slice(0, base.id.toLowerCase().lastIndexOf("/routes/"));
    let table = this.tablesById.get(idKey(tableId));
    if (!table) {
      table = {
        id: tableId,
        name: parseResourceId(tableId)?.names[0] ?? tableId,
        type: "Microsoft.Network/routeTables",
        src: base.src,
        routes: [],
        disableBgpRoutePropagation: false,
        madeUp: true,
      };
      this.model.routeTables.push(table);
      this.tablesById.set(idKey(tableId), table);
    }
    const route = this.route(node, "", base.src, base);
    standalone.add(route);
    if (base.deployedIf) route.deployedIf = base.deployedIf;
    const at = table.routes.findIndex((r) => r.name.toLowerCase() === route.name.toLowerCase());
    if (at >= 0) table.routes[at] = route;
    else table.routes.push(route);
  }

  // ---- NICs, gateways, public IPs -------------------------------------------------------------------

  nic(node: Json, base: ResourceBase): void {
    const p = propsOf(node);
    const r = this.read;
    this.placeById(
      this.model.networkInterfaces,
      {
        ...base,
        networkSecurityGroup: r.ref(p, "networkSecurityGroup", base.src),
        enableIPForwarding: r.boolean(p, "enableIPForwarding", base.src) ?? false,
        ipConfigurations: r.objectArray(p, "ipConfigurations", base.src).map((c) => {
          const src = r.where(c, base.src);
          const cp = propsOf(c);
          const name = String(field(c, "name") ?? "");
          return {
            id: typeof field(c, "id") === "string" ? String(field(c, "id")) : `${base.id}/ipConfigurations/${name}`,
            name,
            type: "Microsoft.Network/networkInterfaces/ipConfigurations",
            src,
            subnet: r.ref(cp, "subnet", src),
            privateIPAddress: r.string(cp, "privateIPAddress", src),
            privateIPAllocationMethod: r.string(cp, "privateIPAllocationMethod", src),
            publicIPAddress: r.ref(cp, "publicIPAddress", src),
            applicationSecurityGroups: r.refArray(cp, "applicationSecurityGroups", src),
            primary: r.boolean(cp, "primary", src),
          };
        }),
      },
      "network interface",
    );
  }

  gateway(node: Json, base: ResourceBase): void {
    const p = propsOf(node);
    const r = this.read;
    const bgp = r.object(p, "bgpSettings", base.src);
    const sku = r.object(p, "sku", base.src);
    this.placeById(
      this.model.virtualNetworkGateways,
      {
        ...base,
        gatewayType: r.string(p, "gatewayType", base.src) ?? "Vpn",
        vpnType: r.string(p, "vpnType", base.src),
        activeActive: r.boolean(p, "activeActive", base.src) ?? false,
        enableBgp: r.boolean(p, "enableBgp", base.src) ?? false,
        ipConfigurations: r.objectArray(p, "ipConfigurations", base.src).map((c) => {
          const cp = propsOf(c);
          return {
            name: String(field(c, "name") ?? ""),
            subnet: r.ref(cp, "subnet", base.src),
            publicIPAddress: r.ref(cp, "publicIPAddress", base.src),
            privateIPAddress: r.string(cp, "privateIPAddress", base.src),
          };
        }),
        bgpSettings: bgp
          ? {
              asn: r.number(bgp, "asn", base.src),
              bgpPeeringAddress: r.string(bgp, "bgpPeeringAddress", base.src),
              ...(field(bgp, "bgpPeeringAddresses") !== undefined
                ? {
                    bgpPeeringAddresses: r.objectArray(bgp, "bgpPeeringAddresses", base.src).map((a) => ({
                      ipconfigurationId: r.string(a, "ipconfigurationId", base.src),
                      defaultBgpIpAddresses: r.stringArray(a, "defaultBgpIpAddresses", base.src) ?? [],
                      customBgpIpAddresses: r.stringArray(a, "customBgpIpAddresses", base.src) ?? [],
                      tunnelIpAddresses: r.stringArray(a, "tunnelIpAddresses", base.src) ?? [],
                    })),
                  }
                : {}),
            }
          : undefined,
        enablePrivateIpAddress: r.boolean(p, "enablePrivateIpAddress", base.src),
        sku: sku ? { name: r.string(sku, "name", base.src), tier: r.string(sku, "tier", base.src) } : undefined,
      },
      "virtual network gateway",
    );
  }

  /**
   * A private endpoint: its subnet, the addresses the input states (static ip configurations, or an export's
   * customDnsConfigs), and what it connects to (reference part 2 §9).
   */
  privateEndpoint(node: Json, base: ResourceBase): void {
    const p = propsOf(node);
    const r = this.read;
    const connections = (key: string, manual: boolean): PrivateLinkServiceConnection[] =>
      r.objectArray(p, key, base.src).map((c) => {
        const src = r.where(c, base.src);
        const cp = propsOf(c);
        const state = r.object(cp, "privateLinkServiceConnectionState", src);
        return {
          name: String(field(c, "name") ?? ""),
          privateLinkServiceId: r.string(cp, "privateLinkServiceId", src),
          groupIds: r.stringArray(cp, "groupIds", src) ?? [],
          manual,
          status: state ? r.string(state, "status", src) : undefined,
        };
      });
    const addresses: string[] = [];
    for (const c of r.objectArray(p, "ipConfigurations", base.src)) {
      const ip = r.string(propsOf(c), "privateIPAddress", r.where(c, base.src));
      if (ip !== undefined && !addresses.includes(ip)) addresses.push(ip);
    }
    for (const c of r.objectArray(p, "customDnsConfigs", base.src)) {
      for (const ip of r.stringArray(c, "ipAddresses", base.src) ?? []) if (!addresses.includes(ip)) addresses.push(ip);
    }
    const endpoint: PrivateEndpoint = {
      ...base,
      subnet: r.ref(p, "subnet", base.src),
      privateIPAddresses: addresses,
      privateLinkServiceConnections: [
        ...connections("privateLinkServiceConnections", false),
        ...connections("manualPrivateLinkServiceConnections", true),
      ],
    };
    this.placeById(this.model.privateEndpoints, endpoint, "private endpoint");
  }

  /**
   * A virtual hub: a Route Server when it has no `virtualWan` (reference part 2 §7.1 detection rule); a
   * Virtual WAN hub is listed as unmodelled. A GET lists its children as ids only; they come as resources.
   */
  routeServer(node: Json, base: ResourceBase): void {
    const p = propsOf(node);
    const r = this.read;
    if (r.ref(p, "virtualWan", base.src)) {
      this.wanHubs.add(idKey(base.id));
      this.model.unmodeled.push({ type: base.type, name: base.name, id: base.id, src: base.src });
      return;
    }
    const next: RouteServer = {
      ...base,
      allowBranchToBranchTraffic: r.boolean(p, "allowBranchToBranchTraffic", base.src) ?? false,
      virtualRouterIps: r.stringArray(p, "virtualRouterIps", base.src) ?? [],
      virtualRouterAsn: r.number(p, "virtualRouterAsn", base.src),
      bgpConnections: [],
    };
    const existing = this.routeServersById.get(idKey(base.id));
    if (existing?.madeUp) {
      // Children declared before their hub: the declaration takes them.
      next.subnet = existing.subnet;
      next.bgpConnections = existing.bgpConnections;
      this.model.routeServers.splice(this.model.routeServers.indexOf(existing), 1, next);
    } else if (existing) {
      Object.assign(existing, { ...next, subnet: existing.subnet, bgpConnections: existing.bgpConnections });
      return;
    } else {
      this.model.routeServers.push(next);
    }
    this.routeServersById.set(idKey(base.id), next);
  }

  /** An ip configuration (its subnet) or a BGP connection (peer IP and ASN) of a Route Server. */
  routeServerChild(node: Json, base: ResourceBase, kind: "ipConfigurations" | "bgpConnections"): void {
    const at = base.id.toLowerCase().lastIndexOf(`/${kind.toLowerCase()}/`);
    const hubId = at < 0 ? base.id : base.id.slice(0, at);
    if (this.wanHubs.has(idKey(hubId))) {
      this.model.unmodeled.push({ type: base.type, name: base.name, id: base.id, src: base.src });
      return;
    }
    let hub = this.routeServersById.get(idKey(hubId));
    if (!hub) {
      hub = {
        id: hubId,
        name: hubId.split("/").pop() ?? hubId,
        type: "Microsoft.Network/virtualHubs",
        src: base.src,
        madeUp: true,
        allowBranchToBranchTraffic: false,
        virtualRouterIps: [],
        bgpConnections: [],
      };
      this.model.routeServers.push(hub);
      this.routeServersById.set(idKey(hubId), hub);
    }
    const p = propsOf(node);
    if (kind === "ipConfigurations") {
      hub.subnet = this.read.ref(p, "subnet", base.src) ?? hub.subnet;
      return;
    }
    const connection = {
      ...base,
      peerIp: this.read.string(p, "peerIp", base.src),
      peerAsn: this.read.number(p, "peerAsn", base.src),
      connectionState: this.read.string(p, "connectionState", base.src),
    };
    const same = hub.bgpConnections.findIndex((c) => c.name.toLowerCase() === connection.name.toLowerCase());
    if (same >= 0) hub.bgpConnections[same] = connection;
    else hub.bgpConnections.push(connection);
  }

  /**
   * A NAT gateway (reference part 2 §11.1): sku, zones, idle timeout, and its public IPs and prefixes, which are
   * the egress addresses of the subnets that name it.
   */
  natGateway(node: Json, base: ResourceBase): void {
    const p = propsOf(node);
    const r = this.read;
    const sku = r.object(node, "sku", base.src);
    const subnets = field(p, "subnets") !== undefined ? r.refArray(p, "subnets", base.src) : undefined;
    const nat: NatGateway = {
      ...base,
      ...(sku ? { sku: { name: r.string(sku, "name", base.src) } } : {}),
      zones: r.stringArray(node, "zones", base.src),
      idleTimeoutInMinutes: r.number(p, "idleTimeoutInMinutes", base.src),
      publicIpAddresses: r.refArray(p, "publicIpAddresses", base.src),
      publicIpPrefixes: r.refArray(p, "publicIpPrefixes", base.src),
      ...(subnets ? { subnets } : {}),
    };
    this.placeById(this.model.natGateways, nat, "NAT gateway");
  }

  localGateway(node: Json, base: ResourceBase): void {
    const p = propsOf(node);
    const r = this.read;
    const space = r.object(p, "localNetworkAddressSpace", base.src);
    const bgp = r.object(p, "bgpSettings", base.src);
    this.placeById(
      this.model.localNetworkGateways,
      {
        ...base,
        localNetworkAddressSpace: {
          addressPrefixes: (space && r.stringArray(space, "addressPrefixes", base.src)) ?? [],
        },
        gatewayIpAddress: r.string(p, "gatewayIpAddress", base.src),
        fqdn: r.string(p, "fqdn", base.src),
        bgpSettings: bgp
          ? { asn: r.number(bgp, "asn", base.src), bgpPeeringAddress: r.string(bgp, "bgpPeeringAddress", base.src) }
          : undefined,
      },
      "local network gateway",
    );
  }

  connection(node: Json, base: ResourceBase): void {
    const p = propsOf(node);
    const r = this.read;
    this.placeById(
      this.model.connections,
      {
        ...base,
        connectionType: r.string(p, "connectionType", base.src) ?? "",
        virtualNetworkGateway1: r.ref(p, "virtualNetworkGateway1", base.src),
        virtualNetworkGateway2: r.ref(p, "virtualNetworkGateway2", base.src),
        localNetworkGateway2: r.ref(p, "localNetworkGateway2", base.src),
        peer: r.ref(p, "peer", base.src),
        enableBgp: r.boolean(p, "enableBgp", base.src) ?? false,
        connectionStatus: r.string(p, "connectionStatus", base.src),
      },
      "connection",
    );
  }

  publicIp(node: Json, base: ResourceBase): void {
    const p = propsOf(node);
    const r = this.read;
    const sku = r.object(node, "sku", base.src);
    const dns = r.object(p, "dnsSettings", base.src);
    this.placeById(
      this.model.publicIPAddresses,
      {
        ...base,
        sku: sku ? { name: r.string(sku, "name", base.src), tier: r.string(sku, "tier", base.src) } : undefined,
        publicIPAllocationMethod: r.string(p, "publicIPAllocationMethod", base.src),
        publicIPAddressVersion: r.string(p, "publicIPAddressVersion", base.src),
        ipAddress: r.string(p, "ipAddress", base.src),
        dnsSettings: dns
          ? { domainNameLabel: r.string(dns, "domainNameLabel", base.src), fqdn: r.string(dns, "fqdn", base.src) }
          : undefined,
        zones: r.stringArray(node, "zones", base.src),
      },
      "public IP address",
    );
  }

  // ---- API Management ----------------------------------------------------------------------------------

  apim(node: Json, base: ResourceBase): void {
    const p = propsOf(node);
    const r = this.read;
    const sku = r.object(node, "sku", base.src);
    const vnetConfig = r.object(p, "virtualNetworkConfiguration", base.src);
    const service: ApiManagementService = {
      ...base,
      sku: {
        name: (sku && r.string(sku, "name", base.src)) ?? "",
        capacity: (sku && r.number(sku, "capacity", base.src)) ?? 1,
      },
      virtualNetworkType: r.string(p, "virtualNetworkType", base.src) ?? "None",
      virtualNetworkConfiguration: vnetConfig
        ? { subnetResourceId: r.string(vnetConfig, "subnetResourceId", base.src) }
        : undefined,
      additionalLocations: r.objectArray(p, "additionalLocations", base.src).map((l) => {
        const src = r.where(l, base.src);
        const lsku = r.object(l, "sku", src);
        const lvnet = r.object(l, "virtualNetworkConfiguration", src);
        return {
          location: r.string(l, "location", src) ?? "",
          sku: lsku
            ? { name: r.string(lsku, "name", src) ?? "", capacity: r.number(lsku, "capacity", src) ?? 1 }
            : undefined,
          virtualNetworkConfiguration: lvnet
            ? { subnetResourceId: r.string(lvnet, "subnetResourceId", src) }
            : undefined,
          publicIpAddressId: r.string(l, "publicIpAddressId", src),
          zones: r.stringArray(l, "zones", src),
          src,
        };
      }),
      publicIpAddressId: r.string(p, "publicIpAddressId", base.src),
      platformVersion: r.string(p, "platformVersion", base.src),
      zones: r.stringArray(node, "zones", base.src),
      publicNetworkAccess: r.string(p, "publicNetworkAccess", base.src),
      hostnameConfigurations: r.objectArray(p, "hostnameConfigurations", base.src).map((h) => ({
        type: r.string(h, "type", base.src) ?? "",
        hostName: r.string(h, "hostName", base.src) ?? "",
      })),
      gatewayUrl: r.string(p, "gatewayUrl", base.src),
    };
    this.placeById(this.model.apiManagementServices, service, "API Management service");
  }

  private serviceIdOf(childId: string): string {
    const at = childId.toLowerCase().lastIndexOf("/", childId.toLowerCase().lastIndexOf("/") - 1);
    return childId.slice(0, at);
  }

  apimBackend(node: Json, base: ResourceBase): void {
    const p = propsOf(node);
    this.placeById(
      this.model.apimBackends,
      {
        ...base,
        serviceId: this.serviceIdOf(base.id),
        url: this.read.string(p, "url", base.src) ?? "",
        protocol: this.read.string(p, "protocol", base.src),
      },
      "API Management backend",
    );
  }

  apimApi(node: Json, base: ResourceBase): void {
    const p = propsOf(node);
    this.placeById(
      this.model.apimApis,
      {
        ...base,
        serviceId: this.serviceIdOf(base.id),
        serviceUrl: this.read.string(p, "serviceUrl", base.src),
        path: this.read.string(p, "path", base.src),
      },
      "API Management API",
    );
  }

  // ---- private DNS ---------------------------------------------------------------------------------------

  privateDnsZone(_node: Json, base: ResourceBase, stub = false): PrivateDnsZone {
    const existing = this.zonesById.get(idKey(base.id));
    if (existing) {
      if (existing.madeUp && !stub) {
        existing.src = base.src;
        delete existing.madeUp;
      }
      return existing;
    }
    const zone: PrivateDnsZone = {
      ...base,
      records: [],
      virtualNetworkLinks: [],
      ...(stub ? { madeUp: true as const } : {}),
    };
    this.model.privateDnsZones.push(zone);
    this.zonesById.set(idKey(base.id), zone);
    return zone;
  }

  private zoneOf(childId: string, src: SourceRef): PrivateDnsZone {
    const lower = childId.toLowerCase();
    const at = lower.indexOf("/", lower.indexOf("/privatednszones/") + "/privatednszones/".length);
    const zoneId = childId.slice(0, at);
    const name = parseResourceId(zoneId)?.names[0] ?? zoneId;
    return this.privateDnsZone({}, { id: zoneId, name, type: "Microsoft.Network/privateDnsZones", src }, true);
  }

  privateDnsLink(node: Json, base: ResourceBase): void {
    const zone = this.zoneOf(base.id, base.src);
    zone.virtualNetworkLinks.push({
      name: base.name,
      virtualNetwork: this.read.ref(propsOf(node), "virtualNetwork", base.src),
      src: base.src,
    });
  }

  privateDnsRecord(node: Json, base: ResourceBase, recordType: string): void {
    const zone = this.zoneOf(base.id, base.src);
    const p = propsOf(node);
    const values: string[] = [];
    for (const a of this.read.objectArray(p, "aRecords", base.src)) values.push(String(field(a, "ipv4Address") ?? ""));
    for (const a of this.read.objectArray(p, "aaaaRecords", base.src))
      values.push(String(field(a, "ipv6Address") ?? ""));
    const cname = this.read.object(p, "cnameRecord", base.src);
    if (cname) values.push(String(field(cname, "cname") ?? ""));
    zone.records.push({ name: base.name, recordType, values, src: base.src });
  }
}

/** `{ declaredApiVersion }` when the declaring resource gives a plain api-version string, else nothing. */
function apiVersionOf(node: Json, inherited: unknown): { declaredApiVersion?: string } {
  const own = field(node, "apiVersion");
  const v = typeof own === "string" ? own : inherited;
  return typeof v === "string" && v.length > 0 && !isUnknown(v) ? { declaredApiVersion: v } : {};
}

export { isObject };
