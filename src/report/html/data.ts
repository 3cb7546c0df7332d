/**
 * @module report/html/data
 * Report layer: everything the HTML report shows besides the findings, computed once from the engine:
 * the diagram graph, each subnet's effective routes (in `az network nic show-effective-route-table`'s shape,
 * engine/routes, reference §4.3) and NSG rules (user and default, as written, with file:line), and the flow
 * tester's data (flow-data.ts). Route rows, rule tables and notes are interned, so the page stays small when
 * many subnets share a route table or an NSG. The diagram is the summary view above its threshold
 * (diagram/summary) unless asked in full; the subnet keys come from the full graph either way, so the page's
 * subnet list and flow tester hold every subnet. Pure: (engine, findings) => data.
 */

import type { Finding } from "../../checks/types.js";
import type { EngineContext } from "../../engine/reach/context.js";
import type { ComputedRoute } from "../../engine/routes/index.js";
import { subnetPrefixes } from "../../model/addresses.js";
import type { NetworkSecurityGroup, SecurityRule, Subnet } from "../../model/resources.js";
import { formatSource } from "../../model/source.js";
import { buildDiagram, type DiagramGraph } from "../diagram/graph.js";
import { summarizeGraph } from "../diagram/summary.js";
import { boundPage, FINDINGS_PER_CHECK, type PageBounds, type PageSummary, RULE_BUDGET } from "./budget.js";
import type { ClientFlowData, ClientVnetFlow } from "./client/types.js";
import { buildFlowData, nicConfigsBySubnet } from "./flow-data.js";

/** One effective route row: Azure's fields plus where it came from. */
export interface RouteRow {
  source: string;
  state: string;
  addressPrefix: string[];
  nextHopType: string;
  nextHopIpAddress: string[];
  /** Where the row came from, with file:line for user routes. */
  from: string;
}

/** One NSG rule as written, for the rules table. */
export interface RuleRow {
  name: string;
  priority: number | null;
  direction: string;
  access: string;
  protocol: string;
  source: string;
  sourcePorts: string;
  destination: string;
  destinationPorts: string;
  isDefault: boolean;
  description?: string;
  where: string;
}

export interface NsgTable {
  name: string;
  id: string;
  where: string;
  rules: RuleRow[];
}

export interface SubnetView {
  key: string;
  label: string;
  prefixes: string[];
  /** Index into the NSG tables; null when none is associated; a string when the NSG is not in the inputs. */
  nsg: number | null | string;
  routeTable?: string;
  nics: { name: string; address: string; nsg: number | null | string }[];
  /** Indices into `routeRows`. */
  routes: number[];
  /** Indices into `notes`: what the route table rests on and what stayed unknown. */
  notes: number[];
}

/** The data the page script reads (embedded as JSON). */
export interface PageData {
  subnets: SubnetView[];
  routeRows: RouteRow[];
  notes: string[];
  flow: ClientFlowData;
}

export interface ReportView {
  graph: DiagramGraph;
  data: PageData;
  /** The flow tester's VNet parts, each embedded in a script element of its own (`flow-vnet-<n>`). */
  flowParts: ClientVnetFlow[];
  /** The NSGs' rule tables, each in a script element of its own (`nsg-table-<n>`), read when a subnet is shown. */
  nsgTables: NsgTable[];
  /** What the page holds in full: the findings shown, the VNets whose rules it has, what it summarised (budget). */
  page: PageSummary;
}

export interface ReportViewOptions {
  /** Draw every subnet even above the summary threshold, and hold every finding and rule (no page bounds). */
  fullDiagram?: boolean;
  /** The page's bounds (budget.ts); the defaults unless given. */
  bounds?: PageBounds;
}

function list(single: string | undefined, plural: string[] | undefined, asgs?: { id: string }[]): string {
  const parts = [...(single !== undefined && single !== "" ? [single] : []), ...(plural ?? [])];
  for (const a of asgs ?? []) parts.push(`ASG ${a.id.split("/").pop()}`);
  return parts.join(", ") || "(none)";
}

function ruleRow(rule: SecurityRule): RuleRow {
  return {
    name: rule.name,
    priority: Number.isFinite(rule.priority) ? rule.priority : null,
    direction: rule.direction,
    access: rule.access,
    protocol: rule.protocol,
    source: list(rule.sourceAddressPrefix, rule.sourceAddressPrefixes, rule.sourceApplicationSecurityGroups),
    sourcePorts: list(rule.sourcePortRange, rule.sourcePortRanges),
    destination: list(
      rule.destinationAddressPrefix,
      rule.destinationAddressPrefixes,
      rule.destinationApplicationSecurityGroups,
    ),
    destinationPorts: list(rule.destinationPortRange, rule.destinationPortRanges),
    isDefault: rule.isDefault,
    ...(rule.description ? { description: rule.description } : {}),
    where: formatSource(rule.src),
  };
}

/** Rules in the order Azure evaluates each direction: user rules by priority, then the defaults (§1.3.2). */
function nsgTable(nsg: NetworkSecurityGroup): NsgTable {
  const byPriority = (a: SecurityRule, b: SecurityRule) =>
    a.direction.localeCompare(b.direction) || (a.priority || 0) - (b.priority || 0);
  return {
    name: nsg.name,
    id: nsg.id,
    where: formatSource(nsg.src),
    rules: [...[...nsg.securityRules].sort(byPriority), ...[...nsg.defaultSecurityRules].sort(byPriority)].map(ruleRow),
  };
}

function routeOrigin(row: ComputedRoute): string {
  const o = row.origin;
  switch (o.kind) {
    case "user":
      return `route ${o.route.name} of ${o.routeTable.name} (${formatSource(o.route.src)})`;
    case "gateway":
      return `gateway ${o.gateway.name}${o.connection ? `, connection ${o.connection.name}` : ""}${o.transit ? `, via peering ${o.transit.name}` : ""}`;
    case "assumption":
      return `--assume (${formatSource(o.assumption.src)})`;
    case "peering":
      return `peering ${o.peering.name} to ${o.remoteVnet.name}`;
    case "serviceEndpoint":
      return `service endpoint ${o.service}`;
    case "reserved":
      return `reserved prefix (${o.profile})`;
    case "vnet":
      return `address space of ${o.vnet.name}`;
    default:
      return "system route";
  }
}

class Interner<T> {
  readonly items: T[] = [];
  private readonly index = new Map<string, number>();
  add(item: T): number {
    const key = JSON.stringify(item);
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.items.length;
      this.items.push(item);
      this.index.set(key, i);
    }
    return i;
  }
}

/** The diagram and the page data of a report. */
export function buildReportView(
  engine: EngineContext,
  findings: readonly Finding[],
  options: ReportViewOptions = {},
): ReportView {
  const topology = engine.topology;
  const full = buildDiagram(topology, findings);
  const graph = options.fullDiagram ? full : summarizeGraph(full);
  const nicsIn = nicConfigsBySubnet(topology);
  const keys = new Map<Subnet, string>();
  for (const node of full.nodes) {
    const subnet = node.kind === "subnet" && node.resourceId ? topology.subnets.get(node.resourceId) : undefined;
    if (subnet && !keys.has(subnet)) keys.set(subnet, node.id);
  }
  const rows = new Interner<RouteRow>();
  const notes = new Interner<string>();
  const nsgTables: NsgTable[] = [];
  const nsgIndex = new Map<NetworkSecurityGroup, number>();
  const page = boundPage(
    topology,
    full,
    findings,
    options.fullDiagram
      ? undefined
      : (options.bounds ?? { findingsPerCheck: FINDINGS_PER_CHECK, ruleBudget: RULE_BUDGET }),
    nicsIn,
  );
  const nsgRef = (id: string | undefined, inFull: boolean): number | null | string => {
    if (!id) return null;
    const nsg = topology.nsgs.get(id);
    if (!nsg) return `${id} (not in the inputs)`;
    if (!inFull && !page.nsgsInFull.has(nsg))
      return `NSG ${nsg.name} (${formatSource(nsg.src)}): its rules are not in this page (summary view, at the top)`;
    let i = nsgIndex.get(nsg);
    if (i === undefined) {
      i = nsgTables.length;
      nsgTables.push(nsgTable(nsg));
      nsgIndex.set(nsg, i);
    }
    return i;
  };
  const subnets: SubnetView[] = [];
  for (const subnet of topology.subnets.values()) {
    const table = engine.routes(subnet);
    const vnet = topology.vnetOf(subnet);
    const inFull = vnet === undefined || page.vnetsInFull.has(vnet);
    subnets.push({
      key: keys.get(subnet) ?? subnet.id,
      label: `${vnet?.name ?? "?"}/${subnet.name}`,
      prefixes: subnetPrefixes(subnet).values.map((v) => v.text),
      nsg: nsgRef(subnet.networkSecurityGroup?.id, inFull),
      ...(table.routeTable ? { routeTable: table.routeTable.name } : {}),
      nics: nicsIn(subnet).map(({ nic, ipConfiguration }) => ({
        name: nic.name,
        address: ipConfiguration.privateIPAddress ?? "",
        nsg: nsgRef(nic.networkSecurityGroup?.id, inFull),
      })),
      routes: table.routes.map(({ route, ...rest }) =>
        rows.add({
          source: route.source,
          state: route.state,
          addressPrefix: route.addressPrefix,
          nextHopType: route.nextHopType,
          nextHopIpAddress: route.nextHopIpAddress,
          from: routeOrigin({ route, ...rest }),
        }),
      ),
      notes: [...table.assumptions.map((a) => `Assumed: ${a}`), ...table.unknowns.map((u) => `Unknown: ${u}`)].map(
        (n) => notes.add(n),
      ),
    });
  }
  // NIC look-ups once for the page, the bounds and the flow tester.
  const flow = buildFlowData(engine, keys, page.vnetsInFull, nicsIn);
  return {
    graph,
    data: { subnets, routeRows: rows.items, notes: notes.items, flow: flow.index },
    flowParts: flow.parts,
    nsgTables,
    page,
  };
}
