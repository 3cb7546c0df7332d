/**
 * @module checks/fix/build
 * Checks layer, fix engine: the changes checks ask for, made from model objects: a rule added, restated or
 * deleted; a route added; an NSG or route table created and associated with a subnet; a subnet restated with a
 * change (a PUT replaces a subnet whole, so every property it has now is kept); a peering half; a private DNS
 * link or record; a property of the API Management service or a public IP set. Each returns data
 * (checks/fix/changes); `fixes()` renders it in every form.
 */

import {
  type Change,
  childId,
  type Declaration,
  type RefValue,
  type Target,
  targetOf,
  type Value,
} from "../../model/change.js";
import { DEFAULT_RESOURCE_GROUP, DEFAULT_SUBSCRIPTION, parseResourceId } from "../../model/ids.js";
import type {
  ApiManagementService,
  NetworkSecurityGroup,
  PrivateDnsZone,
  PublicIPAddress,
  ResourceRef,
  SecurityRule,
  ServiceEndpoint,
  Subnet,
  VirtualNetwork,
} from "../../model/resources.js";
import { unknownValue } from "../../model/unknown.js";
import type { Fix } from "../types.js";
import { renderFix } from "./render.js";

/** Every form of the fix `changes` make (checks/fix/render). */
export function fixes(changes: Change[]): Fix[] {
  return renderFix(changes);
}

/** A reference to the resource `id` names. */
export function ref(id: string): RefValue {
  const t = targetOf(id);
  return { $ref: { type: t.type, names: t.names, id } };
}

/** `{ id: ref }`: a reference as ARM properties hold it. */
function idRef(r: ResourceRef | undefined): Value | undefined {
  return r ? { id: ref(r.id) } : undefined;
}

/** An object without its undefined entries (a property left out is not written). */
function defined(o: Record<string, Value | undefined>): Record<string, Value> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, Value>;
}

const nonEmpty = <T>(list: T[] | undefined) => (list && list.length > 0 ? list : undefined);

/** The id of a new resource in the same scope as `beside` (same subscription and resource group). */
function siblingId(beside: string, type: string, name: string): string {
  const p = parseResourceId(beside);
  const [namespace, ...types] = type.split("/");
  return `/subscriptions/${p?.subscriptionId ?? DEFAULT_SUBSCRIPTION}/resourceGroups/${p?.resourceGroup ?? DEFAULT_RESOURCE_GROUP}/providers/${namespace}/${types[0]}/${name}`;
}

// ---- NSG rules -------------------------------------------------------------------------------------------

/** A security rule's properties as ARM writes them. */
export type RuleProperties = Record<string, Value>;

/** A rule's properties from the model, with `change` applied; undefined when a value a form needs is unresolved. */
export function ruleProperties(rule: SecurityRule, change: Partial<SecurityRule> = {}): RuleProperties | undefined {
  const r = { ...rule, ...change };
  if (!Number.isFinite(r.priority)) return undefined;
  return defined({
    description: r.description,
    protocol: r.protocol,
    sourcePortRange: r.sourcePortRange,
    sourcePortRanges: nonEmpty(r.sourcePortRanges),
    destinationPortRange: r.destinationPortRange,
    destinationPortRanges: nonEmpty(r.destinationPortRanges),
    sourceAddressPrefix: r.sourceAddressPrefix,
    sourceAddressPrefixes: nonEmpty(r.sourceAddressPrefixes),
    sourceApplicationSecurityGroups: nonEmpty(r.sourceApplicationSecurityGroups)?.map((a) => ({ id: ref(a.id) })),
    destinationAddressPrefix: r.destinationAddressPrefix,
    destinationAddressPrefixes: nonEmpty(r.destinationAddressPrefixes),
    destinationApplicationSecurityGroups: nonEmpty(r.destinationApplicationSecurityGroups)?.map((a) => ({
      id: ref(a.id),
    })),
    access: r.access,
    priority: r.priority,
    direction: r.direction,
  });
}

/** A new rule of `nsg`. */
export function addRule(nsg: { id: string }, name: string, properties: RuleProperties): Change {
  return { op: "create", resource: { ...childId(targetOf(nsg.id), "securityRules", name), properties } };
}

/** `rule` declared again with `change`; undefined when the rule cannot be restated (an unresolved value). */
export function restateRule(
  nsg: NetworkSecurityGroup,
  rule: SecurityRule,
  change: Partial<SecurityRule>,
): Change | undefined {
  const properties = ruleProperties(rule, change);
  if (!properties) return undefined;
  return {
    op: "restate",
    resource: { ...childId(targetOf(nsg.id), "securityRules", rule.name), properties },
    changed: Object.keys(change),
  };
}

/** `rule` deleted. */
export function deleteRule(nsg: NetworkSecurityGroup, rule: SecurityRule): Change {
  return { op: "delete", target: childId(targetOf(nsg.id), "securityRules", rule.name) };
}

// ---- routes and tables -----------------------------------------------------------------------------------

export interface RouteProperties {
  name: string;
  addressPrefix: string;
  nextHopType: string;
  nextHopIpAddress?: string;
}

function routeBody(r: RouteProperties): Record<string, Value> {
  return defined({ addressPrefix: r.addressPrefix, nextHopType: r.nextHopType, nextHopIpAddress: r.nextHopIpAddress });
}

/** A new route of `table`. */
export function addRoute(table: { id: string }, route: RouteProperties): Change {
  return {
    op: "create",
    resource: { ...childId(targetOf(table.id), "routes", route.name), properties: routeBody(route) },
  };
}

// ---- subnets ---------------------------------------------------------------------------------------------

/** What a change does to a subnet; everything else is restated as it is. */
export interface SubnetChange {
  /** Services the subnet is delegated to (replaces the delegations; empty removes them). */
  delegations?: string[];
  /** Replaces addressPrefix and addressPrefixes. */
  addressPrefix?: string;
  /** The id of the route table to associate. */
  routeTable?: string;
  /** The id of the NSG to associate. */
  networkSecurityGroup?: string;
  serviceEndpoints?: ServiceEndpoint[];
  /** Sets `defaultOutboundAccess` (false makes the subnet private; reference part 2 §11.3). */
  defaultOutboundAccess?: boolean;
}

/** The subnet's properties with `change` applied. */
function subnetProperties(subnet: Subnet, change: SubnetChange): Record<string, Value> {
  const endpoints = change.serviceEndpoints ?? subnet.serviceEndpoints;
  const delegations = change.delegations
    ? change.delegations.map((service) => ({ name: service.replace(/\//g, "."), properties: { serviceName: service } }))
    : subnet.delegations.map((d) => ({ name: d.name, properties: { serviceName: d.serviceName } }));
  const prefixes = change.addressPrefix || subnet.addressPrefix ? undefined : subnet.addressPrefixes;
  return defined({
    addressPrefix: change.addressPrefix ?? subnet.addressPrefix,
    addressPrefixes: prefixes,
    networkSecurityGroup: change.networkSecurityGroup
      ? { id: ref(change.networkSecurityGroup) }
      : idRef(subnet.networkSecurityGroup),
    routeTable: change.routeTable ? { id: ref(change.routeTable) } : idRef(subnet.routeTable),
    natGateway: idRef(subnet.natGateway),
    serviceEndpoints: endpoints.length
      ? endpoints.map((e) => defined({ service: e.service, locations: e.locations }))
      : undefined,
    // An empty list is written when the change removes every delegation.
    delegations: delegations.length || change.delegations ? delegations : undefined,
    privateEndpointNetworkPolicies: subnet.privateEndpointNetworkPolicies,
    defaultOutboundAccess: change.defaultOutboundAccess ?? subnet.defaultOutboundAccess,
    sharingScope: subnet.sharingScope,
  });
}

/** The subnet declared again with `change`. */
export function restateSubnet(vnet: VirtualNetwork, subnet: Subnet, change: SubnetChange): Change {
  const target: Target = { ...childId(targetOf(vnet.id), "subnets", subnet.name), id: subnet.id };
  return {
    op: "restate",
    resource: { ...target, properties: subnetProperties(subnet, change) },
    changed: Object.keys(change).filter((k) => change[k as keyof SubnetChange] !== undefined),
  };
}

/** A new NSG `name` with `rules` (name and ARM properties each), associated with the subnet. */
export function newNsgForSubnet(
  vnet: VirtualNetwork,
  subnet: Subnet,
  name: string,
  rules: { name: string; properties: RuleProperties }[],
): Change[] {
  const id = siblingId(subnet.id, "Microsoft.Network/networkSecurityGroups", name);
  const nsg: Declaration = {
    ...targetOf(id),
    location: vnet.location ?? unknownValue("resourceGroup().location"),
    properties: { securityRules: rules.map((r) => ({ name: r.name, properties: r.properties })) },
  };
  return [{ op: "create", resource: nsg }, restateSubnet(vnet, subnet, { networkSecurityGroup: id })];
}

/** A new route table `name` with `routes`, associated with the subnet. */
export function newRouteTableForSubnet(
  vnet: VirtualNetwork,
  subnet: Subnet,
  table: { name: string; location: string; routes: RouteProperties[] },
): Change[] {
  const id = siblingId(subnet.id, "Microsoft.Network/routeTables", table.name);
  const resource: Declaration = {
    ...targetOf(id),
    location: table.location,
    properties: {
      disableBgpRoutePropagation: false,
      routes: table.routes.map((r) => ({ name: r.name, properties: routeBody(r) })),
    },
  };
  return [{ op: "create", resource }, restateSubnet(vnet, subnet, { routeTable: id })];
}

// ---- peerings, DNS ---------------------------------------------------------------------------------------

/** The half of a peering `vnet` lacks: `vnet` peers to `remote`. */
export function addPeeringHalf(vnet: VirtualNetwork, remote: VirtualNetwork, name: string): Change {
  return {
    op: "create",
    resource: {
      ...childId(targetOf(vnet.id), "virtualNetworkPeerings", name),
      properties: {
        remoteVirtualNetwork: { id: ref(remote.id) },
        allowVirtualNetworkAccess: true,
        allowForwardedTraffic: false,
        allowGatewayTransit: false,
        useRemoteGateways: false,
      },
    },
  };
}

/** A link of `zone` to `vnet` (resolution only, no auto-registration). */
export function linkZone(zone: PrivateDnsZone, vnet: VirtualNetwork): Change {
  return {
    op: "create",
    resource: {
      ...childId(targetOf(zone.id), "virtualNetworkLinks", `link-${vnet.name}`),
      location: "global",
      properties: { virtualNetwork: { id: ref(vnet.id) }, registrationEnabled: false },
    },
  };
}

/** The A record `relative` of `zone` pointing at the private address of the API Management instance. */
export function addGatewayRecord(zone: PrivateDnsZone, relative: string, serviceName: string): Change {
  const vip = {
    $expr: {
      arm: `[reference(resourceId('Microsoft.ApiManagement/service', '${serviceName.replace(/'/g, "''")}'), '2023-05-01-preview').privateIPAddresses[0]]`,
      bicep: `reference(resourceId('Microsoft.ApiManagement/service', '${serviceName.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'), '2023-05-01-preview').privateIPAddresses[0]`,
      terraform: `azurerm_api_management.${serviceName.replace(/[^A-Za-z0-9_]/g, "_").toLowerCase()}.private_ip_addresses`,
      az: `"$(az apim show --name ${shellSafe(serviceName)} --resource-group "\${RESOURCE_GROUP_NAME:?}" --query 'privateIpAddresses[0]' --output tsv)"`,
    },
  };
  return {
    op: "create",
    resource: {
      ...childId(targetOf(zone.id), "A", relative),
      properties: { ttl: 3600, aRecords: [{ ipv4Address: vip }] },
    },
  };
}

/** A name inside a command substitution: single-quoted. */
function shellSafe(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

// ---- service properties ----------------------------------------------------------------------------------

/** Properties of the API Management service set (`virtualNetworkType`, `publicIpAddressId`). */
export function setServiceProperties(service: ApiManagementService, set: Record<string, Value>): Change {
  return { op: "patch", target: targetOf(service.id), set };
}

/** The DNS name label of a public IP set. */
export function setPublicIpLabel(ip: PublicIPAddress, label: string): Change {
  return { op: "patch", target: targetOf(ip.id), set: { "dnsSettings.domainNameLabel": label } };
}

/** A new Standard static IPv4 address `name` for an instance, beside `beside`. */
export function newPublicIp(
  beside: string,
  name: string,
  location: string,
  label: string,
  zones: string[] | undefined,
): Change {
  const id = siblingId(beside, "Microsoft.Network/publicIPAddresses", name);
  return {
    op: "create",
    resource: {
      ...targetOf(id),
      location,
      sku: { name: "Standard" },
      ...(zones?.length ? { zones } : {}),
      properties: {
        publicIPAllocationMethod: "Static",
        publicIPAddressVersion: "IPv4",
        dnsSettings: { domainNameLabel: label },
      },
    },
  };
}
