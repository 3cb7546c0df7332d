/**
 * @module model/network
 * The one normalized model every ingester produces and every engine query reads: all resources of all
 * inputs, merged, plus what was observed (exports of effective routes / NSGs, APIM network status) and
 * what the user told us to assume (BGP routes no template shows).
 */
import type { NetworkManager, NetworkManagerCommit } from "./avnm.js";
import type { Diagnostic } from "./diagnostics.js";
import type { ObservedEffectiveNsgs, ObservedEffectiveRoutes, ObservedIpFlow, ObservedNextHop } from "./observed.js";
import type {
  ApiManagementApi,
  ApiManagementBackend,
  ApiManagementService,
  ApplicationSecurityGroup,
  LocalNetworkGateway,
  NatGateway,
  NetworkInterface,
  NetworkSecurityGroup,
  PrivateDnsZone,
  PrivateEndpoint,
  PublicIPAddress,
  ResourceBase,
  RouteServer,
  RouteTable,
  UnmodeledResource,
  VirtualNetwork,
  VirtualNetworkGateway,
  VirtualNetworkGatewayConnection,
} from "./resources.js";
import type { SourceRef } from "./source.js";

export type {
  EffectiveRoute,
  ObservedEffectiveNsg,
  ObservedEffectiveNsgs,
  ObservedEffectiveRoutes,
  ObservedIpFlow,
  ObservedNextHop,
  ObservedScope,
  ObservedSecurityRule,
} from "./observed.js";

/** One dependency row of the APIM `networkstatus` API. */
export interface NetworkStatusEntry {
  name: string;
  status: string;
  error?: string;
  resourceType: string;
  isOptional: boolean;
  lastUpdated?: string;
}

export interface ObservedNetworkStatus {
  location?: string;
  dnsServers: string[];
  connectivityStatus: NetworkStatusEntry[];
  src: SourceRef;
}

/** Routes learned over BGP (ExpressRoute, VPN) that no template shows; declared with `--assume`. */
export interface AssumedGatewayRoutes {
  /** Gateway name or id. */
  gateway: string;
  prefixes: string[];
  /** Next hop IPs to print, one row each; defaults to the gateway's own address. */
  nextHopIpAddress?: string[];
  src: SourceRef;
  /**
   * Set when the routes come from an `az network vnet-gateway list-learned-routes` export, not `--assume`. The
   * export names no gateway: `gateway` is empty and the gateway is the one these instance addresses
   * (`localAddress`) belong to.
   */
  learnedRoutesExport?: {
    localAddresses: string[];
    /** Where each of `prefixes` was read (its first row), in the same order. */
    sources: SourceRef[];
  };
}

/**
 * Routes an NVA advertises to a Route Server over one BGP connection, declared with `--assume` (no template
 * holds BGP advertisements; reference part 2 §7.7).
 */
export interface AssumedRouteServerRoutes {
  /** Route Server (virtual hub) name or id. */
  routeServer: string;
  /** BGP connection name, or its peer IP. */
  bgpConnection: string;
  prefixes: string[];
  /** BGP next hops to print, one row each; defaults to the connection's peerIp. */
  nextHopIpAddress?: string[];
  src: SourceRef;
}

export interface Assumptions {
  gatewayRoutes: AssumedGatewayRoutes[];
  /** Absent when the file declares none. */
  routeServerRoutes?: AssumedRouteServerRoutes[];
  /** AVNM commits the user declares (reference part 2 §10.1); absent when the file declares none. */
  networkManagerCommits?: NetworkManagerCommit[];
}

/** An input file as we understood it. */
export interface InputSummary {
  file: string;
  /** `arm-template`, `arm-parameters`, `rest-resource`, `az-export`, `resource-graph`, `terraform-plan`, ... */
  format: string;
  status: "parsed" | "partial" | "failed" | "ignored";
  resources: number;
  /** Observed facts read from it (an effective route table, an IP flow verify answer, ...); absent when none. */
  observed?: number;
}

export interface NetworkModel {
  virtualNetworks: VirtualNetwork[];
  networkSecurityGroups: NetworkSecurityGroup[];
  applicationSecurityGroups: ApplicationSecurityGroup[];
  routeTables: RouteTable[];
  networkInterfaces: NetworkInterface[];
  virtualNetworkGateways: VirtualNetworkGateway[];
  localNetworkGateways: LocalNetworkGateway[];
  connections: VirtualNetworkGatewayConnection[];
  publicIPAddresses: PublicIPAddress[];
  apiManagementServices: ApiManagementService[];
  apimBackends: ApiManagementBackend[];
  apimApis: ApiManagementApi[];
  privateDnsZones: PrivateDnsZone[];
  privateEndpoints: PrivateEndpoint[];
  routeServers: RouteServer[];
  natGateways: NatGateway[];
  /** Azure Virtual Network Manager instances with their groups and security admin configurations. */
  networkManagers: NetworkManager[];
  unmodeled: UnmodeledResource[];
  observed: {
    effectiveRoutes: ObservedEffectiveRoutes[];
    effectiveNsgs: ObservedEffectiveNsgs[];
    networkStatus: ObservedNetworkStatus[];
    ipFlowVerify: ObservedIpFlow[];
    nextHop: ObservedNextHop[];
    /** AVNM deployment status rows (`az network manager list-deploy-status`); absent when no input has them. */
    networkManagerCommits?: NetworkManagerCommit[];
  };
  assumptions: Assumptions;
  inputs: InputSummary[];
  diagnostics: Diagnostic[];
}

/** The model's lists of top-level resources, in the order outputs list them. */
export const RESOURCE_LISTS = [
  "virtualNetworks",
  "networkSecurityGroups",
  "applicationSecurityGroups",
  "routeTables",
  "networkInterfaces",
  "virtualNetworkGateways",
  "localNetworkGateways",
  "connections",
  "publicIPAddresses",
  "apiManagementServices",
  "apimBackends",
  "apimApis",
  "privateDnsZones",
  "privateEndpoints",
  "routeServers",
  "natGateways",
  "networkManagers",
] as const satisfies readonly (keyof NetworkModel)[];

export type ResourceList = (typeof RESOURCE_LISTS)[number];

/**
 * Every resource and child resource the model holds, parents before their children (subnets, peerings, NSG
 * rules, routes); the six default rules of each NSG are left out, they are built in.
 */
export function modelResources(model: NetworkModel): ResourceBase[] {
  const out: ResourceBase[] = [];
  for (const v of model.virtualNetworks) out.push(v, ...v.subnets, ...v.virtualNetworkPeerings);
  for (const n of model.networkSecurityGroups) out.push(n, ...n.securityRules);
  for (const t of model.routeTables) out.push(t, ...t.routes);
  out.push(
    ...model.applicationSecurityGroups,
    ...model.networkInterfaces,
    ...model.virtualNetworkGateways,
    ...model.localNetworkGateways,
    ...model.connections,
    ...model.publicIPAddresses,
    ...model.apiManagementServices,
    ...model.apimBackends,
    ...model.apimApis,
    ...model.privateDnsZones,
    ...model.privateEndpoints,
    ...model.natGateways,
  );
  for (const r of model.routeServers) out.push(r, ...r.bgpConnections);
  for (const m of model.networkManagers) {
    out.push(m, ...m.networkGroups);
    for (const c of m.securityAdminConfigurations) {
      out.push(c);
      for (const rc of c.ruleCollections) out.push(rc, ...rc.rules);
    }
  }
  return out;
}

/** A model with nothing in it, to fill. */
export function emptyModel(): NetworkModel {
  return {
    virtualNetworks: [],
    networkSecurityGroups: [],
    applicationSecurityGroups: [],
    routeTables: [],
    networkInterfaces: [],
    virtualNetworkGateways: [],
    localNetworkGateways: [],
    connections: [],
    publicIPAddresses: [],
    apiManagementServices: [],
    apimBackends: [],
    apimApis: [],
    privateDnsZones: [],
    privateEndpoints: [],
    routeServers: [],
    natGateways: [],
    networkManagers: [],
    unmodeled: [],
    observed: { effectiveRoutes: [], effectiveNsgs: [], networkStatus: [], ipFlowVerify: [], nextHop: [] },
    assumptions: { gatewayRoutes: [] },
    inputs: [],
    diagnostics: [],
  };
}
