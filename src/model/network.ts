/**
 * @module model/network
 * The one normalized model every ingester produces and every engine query reads: all resources of all
 * inputs, merged, plus what was observed (exports of effective routes / NSGs, APIM network status) and
 * what the user told us to assume (BGP routes no template shows).
 */
import type { Diagnostic } from "./diagnostics.js";
import type {
  ApiManagementApi,
  ApiManagementBackend,
  ApiManagementService,
  ApplicationSecurityGroup,
  LocalNetworkGateway,
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

/** One row of `az network nic show-effective-route-table` (flat, arrays for prefixes and next hops). */
export interface EffectiveRoute {
  name: string | null;
  source: string;
  state: string;
  addressPrefix: string[];
  nextHopType: string;
  nextHopIpAddress: string[];
  disableBgpRoutePropagation?: boolean;
}

/** An effective-route export given as observed fact, to be compared with what we compute. */
export interface ObservedEffectiveRoutes {
  /** NIC or subnet it was taken from when the input says (often it does not). */
  target?: string;
  routes: EffectiveRoute[];
  src: SourceRef;
}

/** An `az network nic list-effective-nsg` export, kept as observed fact. */
export interface ObservedEffectiveNsgs {
  target?: string;
  value: unknown[];
  src: SourceRef;
}

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
  /** Next hop IPs to print; defaults to the gateway's own address. */
  nextHopIpAddress?: string[];
  src: SourceRef;
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
}

/** An input file as we understood it. */
export interface InputSummary {
  file: string;
  /** `arm-template`, `arm-parameters`, `rest-resource`, `az-export`, `resource-graph`, `terraform-plan`, ... */
  format: string;
  status: "parsed" | "partial" | "failed" | "ignored";
  resources: number;
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
  unmodeled: UnmodeledResource[];
  observed: {
    effectiveRoutes: ObservedEffectiveRoutes[];
    effectiveNsgs: ObservedEffectiveNsgs[];
    networkStatus: ObservedNetworkStatus[];
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
  );
  for (const r of model.routeServers) out.push(r, ...r.bgpConnections);
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
    unmodeled: [],
    observed: { effectiveRoutes: [], effectiveNsgs: [], networkStatus: [] },
    assumptions: { gatewayRoutes: [] },
    inputs: [],
    diagnostics: [],
  };
}
