/**
 * @module report/diagram/graph
 * Report layer: the diagram as data, before any syntax. VNets are groups holding their subnets, gateways and
 * API Management instances; NSGs and route tables hang off the subnets they are attached to; peerings join
 * VNets with their state (engine/peering, reference §3.2) and flags; connections lead from gateways to
 * on-premises (local network gateways); backends lead from an instance to the subnet that holds their address,
 * or to an external node. Findings are marked on the objects they concern. The Mermaid and SVG printers read
 * this graph only, so the two pictures cannot disagree.
 */

import type { Finding, Severity } from "../../checks/types.js";
import { peeringStatus } from "../../engine/peering/state.js";
import { localGatewaySpace, subnetPrefixes, vnetAddressSpace } from "../../model/addresses.js";
import { idKey, providerKey, shortName } from "../../model/ids.js";
import { parseAddress } from "../../model/ip.js";
import type { Subnet, VirtualNetwork, VirtualNetworkPeering } from "../../model/resources.js";
import type { Topology } from "../../model/topology.js";
import { isUnknown } from "../../model/unknown.js";
import { markFindings } from "./marks.js";
import type { DiagramSummary } from "./summary.js";

export type NodeKind = "subnet" | "nsg" | "routeTable" | "gateway" | "onPremises" | "apim" | "external" | "vnet";

/** A finding as the diagram marks it. */
export interface NodeMark {
  checkId: string;
  severity: Severity;
}

export interface DiagramNode {
  /** Sanitized id (`[A-Za-z0-9_]`, starting with the kind), unique in the graph. */
  id: string;
  kind: NodeKind;
  /** First line: the resource's name. */
  title: string;
  /** Further lines (prefixes, mode, SKU). */
  lines: string[];
  /** The VNet group holding the node, when it has one. */
  group?: string;
  /** The ARM id the node stands for (absent for external backends). */
  resourceId?: string;
  marks: NodeMark[];
}

export interface DiagramGroup {
  id: string;
  title: string;
  lines: string[];
  resourceId: string;
  marks: NodeMark[];
}

export type EdgeKind = "peering" | "nsg" | "routeTable" | "apim" | "backend" | "connection" | "gateway";

export interface DiagramEdge {
  id: string;
  kind: EdgeKind;
  /** Node or group ids. */
  from: string;
  to: string;
  label: string;
  /** Dashed: a peering that is not Connected, or an attachment (NSG, route table). */
  dashed: boolean;
  /** Arrow at the target (peerings are drawn both ways when both halves exist). */
  arrow: "none" | "forward" | "both";
  resourceIds: string[];
  marks: NodeMark[];
}

export interface DiagramGraph {
  groups: DiagramGroup[];
  nodes: DiagramNode[];
  edges: DiagramEdge[];
  /** Set when this is the summary view of a larger graph (diagram/summary): what it left out. */
  summary?: DiagramSummary;
}

/** The most severe of some marks (undefined when there are none). */
export function worstSeverity(marks: readonly NodeMark[]): Severity | undefined {
  const order: Severity[] = ["error", "warning", "info"];
  return order.find((s) => marks.some((m) => m.severity === s));
}

/** `[A-Za-z0-9_]` only, so the id is safe in Mermaid, SVG ids and CSS selectors. */
export function sanitizeId(text: string): string {
  return text.replace(/[^A-Za-z0-9_]+/g, "_").replace(/^_+|_+$/g, "") || "x";
}

class Ids {
  private readonly used = new Set<string>();
  take(prefix: string, name: string): string {
    const base = `${prefix}_${sanitizeId(name)}`;
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}_${n}`;
    this.used.add(id);
    return id;
  }
}

/** The subnet's prefixes as written (an Unknown or invalid one too: the diagram shows what the inputs say). */
function prefixesOf(subnet: Subnet): string[] {
  return subnetPrefixes(subnet).values.map((v) => v.text);
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** The flags of one peering half, in Azure's portal words. */
export function peeringFlags(p: VirtualNetworkPeering): string[] {
  const flags = [p.allowVirtualNetworkAccess ? "access" : "no access"];
  if (p.allowForwardedTraffic) flags.push("forwarded");
  if (p.allowGatewayTransit) flags.push("gateway transit");
  if (p.useRemoteGateways) flags.push("use remote gateways");
  return flags;
}

/** The host of a backend URL, or undefined when the URL is not absolute or not resolved. */
function urlHost(url: string): string | undefined {
  if (isUnknown(url)) return undefined;
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, "") || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Which subnet holds an address (the longest prefix, as engine/reach/endpoint subnetHolding decides, first in
 * model order on a tie), from a table of every subnet prefix built once: a look-up tries each prefix length
 * instead of scanning every subnet, so leading every backend to its subnet stays linear in the estate.
 */
function subnetLookup(topology: Topology): (address: string) => Subnet | undefined {
  const byPrefix = new Map<string, Subnet>();
  for (const subnet of topology.subnets.values())
    for (const p of subnetPrefixes(subnet).prefixes) {
      const key = `${p.version}/${p.length}/${p.first}`;
      if (!byPrefix.has(key)) byPrefix.set(key, subnet);
    }
  return (address) => {
    const a = parseAddress(address);
    if (!a) return undefined;
    const bits = a.version === 4 ? 32 : 128;
    for (let length = bits; length >= 0; length--) {
      const first = (a.value >> BigInt(bits - length)) << BigInt(bits - length);
      const hit = byPrefix.get(`${a.version}/${length}/${first}`);
      if (hit) return hit;
    }
    return undefined;
  };
}

/** Builds the diagram of a topology with `findings` marked on what they concern. */
export function buildDiagram(topology: Topology, findings: readonly Finding[] = []): DiagramGraph {
  const ids = new Ids();
  const graph: DiagramGraph = { groups: [], nodes: [], edges: [] };
  const groupOf = new Map<VirtualNetwork, string>();
  const subnetNode = new Map<Subnet, string>();
  const model = topology.model;

  for (const vnet of model.virtualNetworks) {
    const id = ids.take("vnet", vnet.name);
    groupOf.set(vnet, id);
    const where = vnet.location ? [vnet.location] : [];
    graph.groups.push({
      id,
      title: vnet.name,
      lines: [
        vnetAddressSpace(vnet)
          .values.map((v) => v.text)
          .join(", "),
        ...where,
      ].filter((l) => l !== ""),
      resourceId: vnet.id,
      marks: [],
    });
    for (const subnet of vnet.subnets) {
      const node = ids.take("subnet", `${vnet.name}_${subnet.name}`);
      subnetNode.set(subnet, node);
      graph.nodes.push({
        id: node,
        kind: "subnet",
        title: subnet.name,
        lines: [prefixesOf(subnet).join(", ")].filter((l) => l !== ""),
        group: id,
        resourceId: subnet.id,
        marks: [],
      });
    }
  }

  // Who uses each NSG and route table, in one pass (Topology's per-resource look-up scans every subnet).
  const byNsg = new Map<object, Subnet[]>();
  const byRouteTable = new Map<object, Subnet[]>();
  const add = (map: Map<object, Subnet[]>, key: object | undefined, subnet: Subnet) => {
    if (!key) return;
    const list = map.get(key);
    if (list) list.push(subnet);
    else map.set(key, [subnet]);
  };
  for (const subnet of topology.subnets.values()) {
    add(byNsg, topology.nsgs.get(subnet.networkSecurityGroup?.id), subnet);
    add(byRouteTable, topology.routeTables.get(subnet.routeTable?.id), subnet);
  }
  // NSGs and route tables sit in the VNet of their subnets when they all share one, otherwise at the top.
  const attach = (
    kind: "nsg" | "routeTable",
    resources: typeof model.networkSecurityGroups | typeof model.routeTables,
  ) => {
    for (const resource of resources) {
      const subnets = (kind === "nsg" ? byNsg : byRouteTable).get(resource) ?? [];
      const vnets = new Set(subnets.map((s) => topology.vnetOf(s)).filter((v) => v !== undefined));
      const group = vnets.size === 1 ? groupOf.get([...vnets][0]!) : undefined;
      const id = ids.take(kind === "nsg" ? "nsg" : "rt", resource.name);
      const lines =
        kind === "nsg"
          ? [`NSG, ${count((resource as (typeof model.networkSecurityGroups)[number]).securityRules.length, "rule")}`]
          : [`route table, ${count((resource as (typeof model.routeTables)[number]).routes.length, "route")}`];
      graph.nodes.push({ id, kind, title: resource.name, lines, group, resourceId: resource.id, marks: [] });
      for (const subnet of subnets) {
        const from = subnetNode.get(subnet);
        if (!from) continue;
        graph.edges.push({
          id: `e${graph.edges.length}`,
          kind,
          from,
          to: id,
          label: kind === "nsg" ? "NSG" : "routes",
          dashed: true,
          arrow: "none",
          resourceIds: [],
          marks: [],
        });
      }
    }
  };
  attach("nsg", model.networkSecurityGroups);
  attach("routeTable", model.routeTables);

  addPeerings(topology, graph, ids, groupOf);
  addGateways(topology, graph, ids, groupOf, subnetNode);
  addApim(topology, graph, ids, groupOf, subnetNode);
  markFindings(graph, findings);
  return graph;
}

function addPeerings(topology: Topology, graph: DiagramGraph, ids: Ids, groupOf: Map<VirtualNetwork, string>): void {
  const drawn = new Set<VirtualNetworkPeering>();
  const externals = new Map<string, string>();
  for (const vnet of topology.model.virtualNetworks) {
    for (const peering of vnet.virtualNetworkPeerings) {
      if (drawn.has(peering)) continue;
      const status = peeringStatus(topology, vnet, peering);
      drawn.add(peering);
      if (status.remoteHalf) drawn.add(status.remoteHalf);
      let to = status.remote ? groupOf.get(status.remote) : undefined;
      if (!to) {
        const remoteId = peering.remoteVirtualNetwork?.id ?? "unknown remote";
        to = externals.get(idKey(remoteId));
        if (!to) {
          to = ids.take("external", shortName(remoteId));
          externals.set(idKey(remoteId), to);
          graph.nodes.push({
            id: to,
            kind: "external",
            title: shortName(remoteId),
            lines: ["virtual network not in the inputs"],
            resourceId: peering.remoteVirtualNetwork?.id,
            marks: [],
          });
        }
      }
      const halves = [`${peering.name}: ${peeringFlags(peering).join(", ")}`];
      if (status.remoteHalf) halves.push(`${status.remoteHalf.name}: ${peeringFlags(status.remoteHalf).join(", ")}`);
      graph.edges.push({
        id: `e${graph.edges.length}`,
        kind: "peering",
        from: groupOf.get(vnet)!,
        to,
        label: [`${status.state}${status.global ? " (global)" : ""}`, ...halves].join("\n"),
        dashed: status.state !== "Connected",
        arrow: status.remoteHalf ? "both" : "forward",
        resourceIds: [peering.id, ...(status.remoteHalf ? [status.remoteHalf.id] : [])],
        marks: [],
      });
    }
  }
}

function addGateways(
  topology: Topology,
  graph: DiagramGraph,
  ids: Ids,
  groupOf: Map<VirtualNetwork, string>,
  subnetNode: Map<Subnet, string>,
): void {
  const gatewayNode = new Map<string, string>();
  for (const gateway of topology.model.virtualNetworkGateways) {
    const subnet = gateway.ipConfigurations.map((c) => topology.subnets.get(c.subnet?.id)).find((s) => s);
    const vnet = subnet ? topology.vnetOf(subnet) : undefined;
    const id = ids.take("gw", gateway.name);
    gatewayNode.set(idKey(gateway.id), id);
    const sku = gateway.sku?.name ? `, ${gateway.sku.name}` : "";
    graph.nodes.push({
      id,
      kind: "gateway",
      title: gateway.name,
      lines: [`${gateway.gatewayType} gateway${sku}${gateway.enableBgp ? ", BGP" : ""}`],
      group: vnet ? groupOf.get(vnet) : undefined,
      resourceId: gateway.id,
      marks: [],
    });
    const at = subnet ? subnetNode.get(subnet) : undefined;
    if (at) edge(graph, "gateway", id, at, "in", false, "none", []);
  }
  const localNode = new Map<string, string>();
  for (const local of topology.model.localNetworkGateways) {
    const id = ids.take("onprem", local.name);
    localNode.set(providerKey(local.id), id);
    graph.nodes.push({
      id,
      kind: "onPremises",
      title: local.name,
      lines: [
        "on-premises",
        localGatewaySpace(local)
          .values.map((v) => v.text)
          .join(", "),
      ].filter((l) => l !== ""),
      resourceId: local.id,
      marks: [],
    });
  }
  for (const c of topology.model.connections) {
    const from = c.virtualNetworkGateway1
      ? gatewayNode.get(idKey(topology.gateways.get(c.virtualNetworkGateway1.id)?.id ?? ""))
      : undefined;
    const remote = c.localNetworkGateway2 ?? c.virtualNetworkGateway2 ?? c.peer;
    if (!from || !remote) continue;
    let to =
      localNode.get(providerKey(topology.localGateways.get(remote.id)?.id ?? remote.id)) ??
      gatewayNode.get(idKey(topology.gateways.get(remote.id)?.id ?? ""));
    if (!to) {
      to = ids.take("external", shortName(remote.id));
      graph.nodes.push({
        id: to,
        kind: "onPremises",
        title: shortName(remote.id),
        lines: [c.connectionType === "ExpressRoute" ? "ExpressRoute circuit" : "remote end not in the inputs"],
        resourceId: remote.id,
        marks: [],
      });
    }
    const status = c.connectionStatus ? `, ${c.connectionStatus}` : "";
    edge(graph, "connection", from, to, `${c.name} (${c.connectionType}${status})`, false, "both", [c.id]);
  }
}

function addApim(
  topology: Topology,
  graph: DiagramGraph,
  ids: Ids,
  groupOf: Map<VirtualNetwork, string>,
  subnetNode: Map<Subnet, string>,
): void {
  const model = topology.model;
  const externals = new Map<string, string>();
  const holding = subnetLookup(topology);
  // Backends and APIs by their service, once (filtering the lists for every service was quadratic).
  type Target = { name: string; url: string; id: string };
  const targetsOf = new Map<string, { backends: Target[]; apis: Target[] }>();
  const entry = (serviceId: string) => {
    const key = providerKey(serviceId);
    let e = targetsOf.get(key);
    if (!e) {
      e = { backends: [], apis: [] };
      targetsOf.set(key, e);
    }
    return e;
  };
  for (const b of model.apimBackends) entry(b.serviceId).backends.push({ name: b.name, url: b.url, id: b.id });
  for (const a of model.apimApis)
    if (a.serviceUrl) entry(a.serviceId).apis.push({ name: `api ${a.name}`, url: a.serviceUrl, id: a.id });
  for (const service of model.apiManagementServices) {
    const places = [
      { location: service.location ?? "", subnetId: service.virtualNetworkConfiguration?.subnetResourceId },
      ...service.additionalLocations.map((l) => ({
        location: l.location,
        subnetId: l.virtualNetworkConfiguration?.subnetResourceId,
      })),
    ];
    const nodesOfService: string[] = [];
    for (const place of places) {
      const subnet = place.subnetId ? topology.subnets.get(place.subnetId) : undefined;
      const vnet = subnet ? topology.vnetOf(subnet) : undefined;
      const id = ids.take("apim", `${service.name}_${place.location}`);
      nodesOfService.push(id);
      graph.nodes.push({
        id,
        kind: "apim",
        title: service.name,
        lines: [
          `API Management ${service.sku.name} x${Number.isNaN(service.sku.capacity) ? "?" : service.sku.capacity}`,
          `${service.virtualNetworkType} mode${place.location ? `, ${place.location}` : ""}`,
        ],
        group: vnet ? groupOf.get(vnet) : undefined,
        resourceId: service.id,
        marks: [],
      });
      const at = subnet ? subnetNode.get(subnet) : undefined;
      if (at) edge(graph, "apim", id, at, "in subnet", false, "none", []);
    }
    const from = nodesOfService[0]!;
    const listed = targetsOf.get(providerKey(service.id));
    const targets = listed ? [...listed.backends, ...listed.apis] : [];
    for (const target of targets) {
      const host = urlHost(target.url);
      const subnet = host ? holding(host) : undefined;
      let to = subnet ? subnetNode.get(subnet) : undefined;
      if (!to) {
        const key = (host ?? target.url).toLowerCase();
        to = externals.get(key);
        if (!to) {
          to = ids.take("backend", host ?? target.name);
          externals.set(key, to);
          graph.nodes.push({
            id: to,
            kind: "external",
            title: host ?? target.url,
            lines: [host ? "backend outside the inputs' subnets" : "backend URL not resolved"],
            marks: [],
          });
        }
      }
      edge(graph, "backend", from, to, `backend ${target.name}: ${target.url}`, false, "forward", [target.id]);
    }
  }
}

function edge(
  graph: DiagramGraph,
  kind: EdgeKind,
  from: string,
  to: string,
  label: string,
  dashed: boolean,
  arrow: DiagramEdge["arrow"],
  resourceIds: string[],
): void {
  graph.edges.push({ id: `e${graph.edges.length}`, kind, from, to, label, dashed, arrow, resourceIds, marks: [] });
}

/**
 * The diagrams of several deployment units in one picture: each unit's ids get a prefix of their own (the units
 * may use the same names, which is why they are apart) and its VNet groups say which unit they belong to.
 */
export function joinGraphs(units: { label: string; graph: DiagramGraph }[]): DiagramGraph {
  const out: DiagramGraph = { groups: [], nodes: [], edges: [] };
  units.forEach(({ label, graph }, i) => {
    const id = (x: string) => `u${i + 1}_${x}`;
    out.groups.push(...graph.groups.map((g) => ({ ...g, id: id(g.id), lines: [...g.lines, `unit ${label}`] })));
    out.nodes.push(...graph.nodes.map((n) => ({ ...n, id: id(n.id), ...(n.group ? { group: id(n.group) } : {}) })));
    out.edges.push(...graph.edges.map((e) => ({ ...e, id: id(e.id), from: id(e.from), to: id(e.to) })));
  });
  return out;
}
