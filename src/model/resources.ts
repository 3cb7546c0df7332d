/**
 * @module model/resources
 * Azure networking resources as plain typed data, in Azure's own vocabulary: field names and enum strings
 * are those of the REST API (api-version 2023-05-01 and later), so that users can diff what we print against
 * `az` and the portal. Nothing here computes; the engine does.
 *
 * Strings may be unknown placeholders (see model/unknown.ts); numbers we could not resolve are NaN.
 */
import type { SourceRef } from "./source.js";

/** A reference to another resource by id, as ARM writes it (`{ "id": "..." }`). */
export interface ResourceRef {
  id: string;
}

/** Fields every top-level resource and child resource has. */
export interface ResourceBase {
  /** The ARM resource id as written or computed (case kept; compare with model/ids.ts). */
  id: string;
  name: string;
  /** `Microsoft.Network/virtualNetworks`, ... as ARM spells it. */
  type: string;
  location?: string;
  src: SourceRef;
  /**
   * Set on a resource no input declares, made up to hold children declared on their own (a VNet for a
   * standalone subnet): what it holds beyond those children is not known.
   */
  madeUp?: true;
  /**
   * Set when the resource is deployed only if a condition holds that no input decides (an ARM `condition` on a
   * parameter with no value): the checks evaluate the network with and without it.
   */
  deployedIf?: { condition: string; src: SourceRef };
}

export type SecurityRuleAccess = "Allow" | "Deny";
export type SecurityRuleDirection = "Inbound" | "Outbound";
/** `KnownSecurityRuleProtocol` in the REST spec. */
export type SecurityRuleProtocol = "Tcp" | "Udp" | "Icmp" | "Esp" | "Ah" | "*";

export interface SecurityRule extends ResourceBase {
  description?: string;
  /** As written; validation reports anything outside SecurityRuleProtocol. */
  protocol: string;
  sourcePortRange?: string;
  sourcePortRanges?: string[];
  destinationPortRange?: string;
  destinationPortRanges?: string[];
  sourceAddressPrefix?: string;
  sourceAddressPrefixes?: string[];
  destinationAddressPrefix?: string;
  destinationAddressPrefixes?: string[];
  sourceApplicationSecurityGroups?: ResourceRef[];
  destinationApplicationSecurityGroups?: ResourceRef[];
  access: string;
  /** 100-4096 for user rules, 65000+ for default rules; NaN when unresolved. */
  priority: number;
  direction: string;
  /** True for the six `defaultSecurityRules`. */
  isDefault: boolean;
}

export interface NetworkSecurityGroup extends ResourceBase {
  securityRules: SecurityRule[];
  /** Always the six default rules (from the input when it lists them, otherwise built in). */
  defaultSecurityRules: SecurityRule[];
  flushConnection?: boolean;
}

export interface ApplicationSecurityGroup extends ResourceBase {}

/** `RouteNextHopType` for user routes. */
export type RouteNextHopType =
  | "VirtualNetworkGateway"
  | "VnetLocal"
  | "Internet"
  | "VirtualAppliance"
  | "VirtualApplianceEcmp"
  | "None";

export interface Route extends ResourceBase {
  /** A CIDR or a service tag (`Storage`, `ApiManagement.WestEurope`). */
  addressPrefix: string;
  nextHopType: string;
  nextHopIpAddress?: string;
  hasBgpOverride?: boolean;
}

export interface RouteTable extends ResourceBase {
  routes: Route[];
  /** Portal "Propagate gateway routes" = !disableBgpRoutePropagation. */
  disableBgpRoutePropagation: boolean;
}

export interface ServiceEndpoint {
  service: string;
  locations?: string[];
}

export interface Delegation {
  name: string;
  serviceName: string;
}

export interface Subnet extends ResourceBase {
  /** Id of the virtual network that holds this subnet. */
  virtualNetworkId: string;
  addressPrefix?: string;
  addressPrefixes?: string[];
  networkSecurityGroup?: ResourceRef;
  routeTable?: ResourceRef;
  natGateway?: ResourceRef;
  serviceEndpoints: ServiceEndpoint[];
  delegations: Delegation[];
  privateEndpointNetworkPolicies?: string;
  /**
   * False makes the subnet private: no default outbound access (reference part 2 §11.3). Absent when the input
   * does not say; what Azure then does depends on the api-version and the VNet's age (see `declaredApiVersion`).
   */
  defaultOutboundAccess?: boolean;
  /** The api-version of the template resource that declares the subnet (ARM, Bicep); absent in exports. */
  declaredApiVersion?: string;
  /** `Tenant` | `DelegatedServices`: Azure allows it only with `defaultOutboundAccess: false` (§11.3). */
  sharingScope?: string;
}

export type PeeringState = "Initiated" | "Connected" | "Disconnected";

export interface VirtualNetworkPeering extends ResourceBase {
  /** Id of the virtual network this half belongs to. */
  virtualNetworkId: string;
  remoteVirtualNetwork?: ResourceRef;
  allowVirtualNetworkAccess: boolean;
  allowForwardedTraffic: boolean;
  allowGatewayTransit: boolean;
  useRemoteGateways: boolean;
  /** What the input says the remote space is (exports carry it); the engine prefers the remote VNet itself. */
  remoteAddressSpace?: { addressPrefixes: string[] };
  /** State as reported by an export; the engine derives its own (engine/peering). */
  peeringState?: string;
}

export interface VirtualNetwork extends ResourceBase {
  addressSpace: { addressPrefixes: string[] };
  dhcpOptions?: { dnsServers: string[] };
  subnets: Subnet[];
  virtualNetworkPeerings: VirtualNetworkPeering[];
}

export interface NetworkInterfaceIPConfiguration extends ResourceBase {
  subnet?: ResourceRef;
  privateIPAddress?: string;
  privateIPAllocationMethod?: string;
  publicIPAddress?: ResourceRef;
  applicationSecurityGroups: ResourceRef[];
  primary?: boolean;
}

export interface NetworkInterface extends ResourceBase {
  ipConfigurations: NetworkInterfaceIPConfiguration[];
  networkSecurityGroup?: ResourceRef;
  enableIPForwarding: boolean;
}

export interface VirtualNetworkGatewayIPConfiguration {
  name: string;
  subnet?: ResourceRef;
  publicIPAddress?: ResourceRef;
  privateIPAddress?: string;
}

export interface VirtualNetworkGateway extends ResourceBase {
  /** `Vpn` | `ExpressRoute` | `LocalGateway`. */
  gatewayType: string;
  vpnType?: string;
  activeActive: boolean;
  enableBgp: boolean;
  ipConfigurations: VirtualNetworkGatewayIPConfiguration[];
  bgpSettings?: {
    asn?: number;
    bgpPeeringAddress?: string;
    /** One per instance (read-only in a GET): its default BGP address, custom (APIPA) ones and public tunnel IPs. */
    bgpPeeringAddresses?: BgpPeeringAddress[];
  };
  /** The gateway's private IP is enabled for connections (`enablePrivateIpAddress`). */
  enablePrivateIpAddress?: boolean;
  sku?: { name?: string; tier?: string };
}

/** One gateway instance's BGP addresses, as a virtual network gateway's GET carries them. */
export interface BgpPeeringAddress {
  ipconfigurationId?: string;
  defaultBgpIpAddresses: string[];
  customBgpIpAddresses: string[];
  tunnelIpAddresses: string[];
}

export interface LocalNetworkGateway extends ResourceBase {
  localNetworkAddressSpace: { addressPrefixes: string[] };
  gatewayIpAddress?: string;
  fqdn?: string;
  bgpSettings?: { asn?: number; bgpPeeringAddress?: string };
}

export interface VirtualNetworkGatewayConnection extends ResourceBase {
  /** `IPsec` | `Vnet2Vnet` | `ExpressRoute` | `VPNClient`. */
  connectionType: string;
  virtualNetworkGateway1?: ResourceRef;
  virtualNetworkGateway2?: ResourceRef;
  localNetworkGateway2?: ResourceRef;
  peer?: ResourceRef;
  enableBgp: boolean;
  connectionStatus?: string;
}

export interface PublicIPAddress extends ResourceBase {
  sku?: { name?: string; tier?: string };
  publicIPAllocationMethod?: string;
  publicIPAddressVersion?: string;
  ipAddress?: string;
  dnsSettings?: { domainNameLabel?: string; fqdn?: string };
  zones?: string[];
}

export interface ApiManagementAdditionalLocation {
  location: string;
  sku?: { name: string; capacity: number };
  virtualNetworkConfiguration?: { subnetResourceId?: string };
  publicIpAddressId?: string;
  zones?: string[];
  src: SourceRef;
}

export interface ApiManagementService extends ResourceBase {
  sku: { name: string; capacity: number };
  /** `None` | `External` | `Internal`. */
  virtualNetworkType: string;
  virtualNetworkConfiguration?: { subnetResourceId?: string };
  additionalLocations: ApiManagementAdditionalLocation[];
  publicIpAddressId?: string;
  /** `stv1` | `stv2` | `stv2.1` | `mtv1`; absent in templates (it is read-only), see engine for the default. */
  platformVersion?: string;
  zones?: string[];
  publicNetworkAccess?: string;
  hostnameConfigurations: { type: string; hostName: string }[];
  /** Premium v2 injection vs integration can only be told apart by the subnet delegation; see checks. */
  gatewayUrl?: string;
}

/** `Microsoft.ApiManagement/service/backends`. */
export interface ApiManagementBackend extends ResourceBase {
  serviceId: string;
  url: string;
  protocol?: string;
}

/** `Microsoft.ApiManagement/service/apis` (only what networking needs). */
export interface ApiManagementApi extends ResourceBase {
  serviceId: string;
  serviceUrl?: string;
  path?: string;
}

export interface PrivateDnsRecordSet {
  name: string;
  /** `A`, `AAAA`, `CNAME`, ... */
  recordType: string;
  values: string[];
  src: SourceRef;
}

export interface PrivateDnsZone extends ResourceBase {
  records: PrivateDnsRecordSet[];
  virtualNetworkLinks: { name: string; virtualNetwork?: ResourceRef; src: SourceRef }[];
}

/** One connection of a private endpoint to a service (`privateLinkServiceConnections[]`, manual ones too). */
export interface PrivateLinkServiceConnection {
  name: string;
  /** The resource the endpoint reaches (a Key Vault, a storage account, ...). */
  privateLinkServiceId?: string;
  /** Sub-resources: `vault`, `blob`, `table`, `queue`, `file`, `sqlServer`, `namespace`, ... */
  groupIds: string[];
  /** From `manualPrivateLinkServiceConnections` (awaiting the service owner's approval). */
  manual: boolean;
  /** `privateLinkServiceConnectionState.status` when the input carries it (`Approved`, `Pending`, ...). */
  status?: string;
}

/** `Microsoft.Network/privateEndpoints` (reference part 2 §9). */
export interface PrivateEndpoint extends ResourceBase {
  subnet?: ResourceRef;
  /**
   * The endpoint's private addresses as the input states them (`ipConfigurations[].privateIPAddress`, or an
   * export's `customDnsConfigs[].ipAddresses`); empty when Azure assigns them at deployment.
   */
  privateIPAddresses: string[];
  privateLinkServiceConnections: PrivateLinkServiceConnection[];
}

/** `Microsoft.Network/virtualHubs/bgpConnections` of a Route Server: one NVA peering (reference part 2 §7.1). */
export interface BgpConnection extends ResourceBase {
  peerIp?: string;
  peerAsn?: number;
  /** Read-only state an export may carry (`Connected`, `NotConnected`, ...). */
  connectionState?: string;
}

/**
 * A Route Server: a `Microsoft.Network/virtualHubs` with no `virtualWan` (kind `RouteServer` in a GET), its
 * `ipConfigurations` child in RouteServerSubnet and its `bgpConnections` children (reference part 2 §7.1).
 */
export interface RouteServer extends ResourceBase {
  /** The RouteServerSubnet of its ip configuration; the Route Server's VNet is that subnet's. */
  subnet?: ResourceRef;
  allowBranchToBranchTraffic: boolean;
  /** The two instance addresses a GET or export shows. */
  virtualRouterIps: string[];
  virtualRouterAsn?: number;
  bgpConnections: BgpConnection[];
}

/**
 * `Microsoft.Network/natGateways` (reference part 2 §11.1): the explicit outbound method a subnet's
 * `natGateway` names; its public IPs and prefixes are the subnet's Internet egress addresses.
 */
export interface NatGateway extends ResourceBase {
  /** `Standard` (or `StandardV2`) as written; absent when the input gives no sku. */
  sku?: { name?: string };
  zones?: string[];
  /** TCP idle timeout, 4-120 minutes (4 when not set). */
  idleTimeoutInMinutes?: number;
  publicIpAddresses: ResourceRef[];
  publicIpPrefixes: ResourceRef[];
  /** Read-only: the subnets a GET or export says use it. */
  subnets?: ResourceRef[];
}

/** A resource the input declares that we do not model; always listed in outputs, never dropped silently. */
export interface UnmodeledResource {
  type: string;
  name: string;
  id?: string;
  src: SourceRef;
}
