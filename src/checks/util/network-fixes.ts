/**
 * @module checks/util/network-fixes
 * Checks layer: fixes that change a subnet, a peering or a private DNS zone, in the four forms (az CLI, Bicep,
 * Terraform azurerm, ARM). A subnet is changed in ARM by a standalone `virtualNetworks/subnets` resource that
 * repeats every property the subnet has now plus the change, appended after the VNet (Azure replaces a subnet's
 * properties as a whole on PUT, so anything left out would be removed). Ids of resources a template declares
 * are written as `resourceId()` calls so that the fix fits the template it is pasted into.
 */
import { DEFAULT_RESOURCE_GROUP, DEFAULT_SUBSCRIPTION, parseResourceId } from "../../model/ids.js";
import type { ServiceEndpoint, Subnet, VirtualNetwork } from "../../model/resources.js";
import type { Fix } from "../types.js";
import { API_VERSION, bicepName, resourceGroupOf, tfName } from "./fixes.js";
/**
 * `[resourceId('type', 'name', ...)]` for an id a template computed (default subscription and resource group),
 * so that the fix reads like the template it goes into; the id itself otherwise.
 */
export function armRef(id: string): string {
  const parsed = parseResourceId(id);
  if (parsed && parsed.subscriptionId === DEFAULT_SUBSCRIPTION && parsed.resourceGroup === DEFAULT_RESOURCE_GROUP) {
    return `[resourceId('${parsed.type}', ${parsed.names.map((n) => `'${n}'`).join(", ")})]`;
  }
  return id;
}

/** The id as a user can paste it: placeholders where the input did not say the subscription or group. */
export function displayId(id: string): string {
  return id
    .replace(DEFAULT_SUBSCRIPTION, "<subscription-id>")
    .replace(/\/resourceGroups\/resourceGroup\//, "/resourceGroups/<resource-group>/");
}

/** A JSON value written as Bicep (ARM expressions `[f(...)]` become plain Bicep expressions). */
export function toBicep(value: unknown, indent = ""): string {
  const inner = `${indent}  `;
  if (typeof value === "string") {
    return value.startsWith("[") && value.endsWith("]") && !value.startsWith("[[")
      ? value.slice(1, -1)
      : `'${value.replace(/'/g, "\\'")}'`;
  }
  if (Array.isArray(value)) {
    return value.length === 0 ? "[]" : `[\n${value.map((v) => `${inner}${toBicep(v, inner)}`).join("\n")}\n${indent}]`;
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{\n${entries.map(([k, v]) => `${inner}${k}: ${toBicep(v, inner)}`).join("\n")}\n${indent}}`;
  }
  return String(value);
}

/** What a fix changes in a subnet; everything else is restated as it is. */
export interface SubnetChange {
  /** Service names the subnet is delegated to (replaces the delegations; empty removes them). */
  delegations?: string[];
  /** Replaces addressPrefix and addressPrefixes. */
  addressPrefix?: string;
  /** ARM reference (id or expression) of the route table to associate. */
  routeTable?: string;
  /** ARM reference (id or expression) of the NSG to associate. */
  networkSecurityGroup?: string;
  serviceEndpoints?: ServiceEndpoint[];
}

/** The subnet's properties as ARM writes them, with `change` applied; undefined when a value is unresolved. */
export function subnetProperties(subnet: Subnet, change: SubnetChange): Record<string, unknown> | undefined {
  const ref = (r: { id: string } | undefined) => (r ? { id: armRef(r.id) } : undefined);
  const endpoints = change.serviceEndpoints ?? subnet.serviceEndpoints;
  const delegations = change.delegations
    ? change.delegations.map((service) => ({ name: service.replace(/\//g, "."), properties: { serviceName: service } }))
    : subnet.delegations.map((d) => ({ name: d.name, properties: { serviceName: d.serviceName } }));
  const props: Record<string, unknown> = {
    addressPrefix: change.addressPrefix ?? subnet.addressPrefix,
    addressPrefixes: change.addressPrefix || subnet.addressPrefix ? undefined : subnet.addressPrefixes,
    networkSecurityGroup: change.networkSecurityGroup
      ? { id: change.networkSecurityGroup }
      : ref(subnet.networkSecurityGroup),
    routeTable: change.routeTable ? { id: change.routeTable } : ref(subnet.routeTable),
    natGateway: ref(subnet.natGateway),
    serviceEndpoints: endpoints.length
      ? endpoints.map((e) => ({ service: e.service, ...(e.locations ? { locations: e.locations } : {}) }))
      : undefined,
    // An empty list is written when the change removes every delegation.
    delegations: delegations.length || change.delegations ? delegations : undefined,
    privateEndpointNetworkPolicies: subnet.privateEndpointNetworkPolicies,
    defaultOutboundAccess: subnet.defaultOutboundAccess,
  };
  for (const key of Object.keys(props)) if (props[key] === undefined) delete props[key];
  return JSON.stringify(props).includes("<unknown:") ? undefined : props;
}

/** The standalone ARM subnet resource that applies `change` (after the VNet, which it depends on). */
export function armSubnet(vnet: VirtualNetwork, subnet: Subnet, change: SubnetChange, dependsOn: string[] = []) {
  const properties = subnetProperties(subnet, change);
  if (!properties) return undefined;
  return {
    type: "Microsoft.Network/virtualNetworks/subnets",
    apiVersion: API_VERSION,
    name: `${vnet.name}/${subnet.name}`,
    // In the VNet's own template the subnet must wait for it; a VNet that is not in the template (an export)
    // cannot be named in dependsOn.
    dependsOn: [...(armRef(vnet.id).startsWith("[") ? [armRef(vnet.id)] : []), ...dependsOn],
    properties,
  };
}

/** The ARM form of a subnet fix; none when the subnet has unresolved values (restating them would be wrong). */
export function subnetArmFix(subnet: Subnet, vnet: VirtualNetwork, change: SubnetChange): Fix[] {
  const resource = armSubnet(vnet, subnet, change);
  return resource ? [{ kind: "arm", text: JSON.stringify([resource], null, 2) }] : [];
}

/** The Bicep form of a subnet change: the subnet declared again with all its properties. */
export function bicepSubnet(vnet: VirtualNetwork, subnet: Subnet, properties: Record<string, unknown>): string {
  const v = bicepName(vnet.name);
  return [
    `resource ${v} 'Microsoft.Network/virtualNetworks@${API_VERSION}' existing = {`,
    `  name: '${vnet.name}'`,
    "}",
    "",
    "// Declares the subnet again with every property it has now, plus the change.",
    `resource ${bicepName(subnet.name)} 'Microsoft.Network/virtualNetworks/subnets@${API_VERSION}' = {`,
    `  parent: ${v}`,
    `  name: '${subnet.name}'`,
    `  properties: ${toBicep(properties, "  ")}`,
    "}",
  ].join("\n");
}

/** `current` with `services` added for `location` (a service already there gains the location). */
export function withEndpoints(current: ServiceEndpoint[], services: string[], location: string): ServiceEndpoint[] {
  const out = current.map((e) => ({ ...e }));
  for (const service of services) {
    const have = out.find((e) => e.service.toLowerCase() === service.toLowerCase());
    if (!have) out.push({ service, locations: [location] });
    else if (
      have.locations?.length &&
      !have.locations.some((l) => l === "*" || l.toLowerCase() === location.toLowerCase())
    ) {
      have.locations = [...have.locations, location];
    }
  }
  return out;
}

/**
 * Fixes that set the service endpoints of a subnet to `endpoints` (the whole list: az and ARM replace it).
 * Undefined when the subnet's properties are not all known (the ARM form could not repeat them).
 */
export function serviceEndpointFixes(vnet: VirtualNetwork, subnet: Subnet, endpoints: ServiceEndpoint[]): Fix[] {
  const arm = armSubnet(vnet, subnet, { serviceEndpoints: endpoints });
  const services = endpoints.map((e) => e.service);
  const fixes: Fix[] = [
    {
      kind: "az-cli",
      text:
        `az network vnet subnet update --resource-group ${resourceGroupOf(subnet.id)} --vnet-name ${vnet.name}` +
        ` --name ${subnet.name} --service-endpoints ${services.join(" ")}`,
    },
    {
      kind: "terraform",
      text: [
        `# in the azurerm_subnet resource of ${vnet.name}/${subnet.name}:`,
        `service_endpoints = [${services.map((s) => `"${s}"`).join(", ")}]`,
      ].join("\n"),
    },
  ];
  if (!arm) return fixes;
  return [
    fixes[0]!,
    { kind: "bicep", text: bicepSubnet(vnet, subnet, arm.properties) },
    fixes[1]!,
    { kind: "arm", text: JSON.stringify([arm], null, 2) },
  ];
}

export interface NewRouteTable {
  name: string;
  location: string;
  routes: { name: string; addressPrefix: string; nextHopType: string }[];
}

/** Fixes that create a route table with `table.routes` and associate it with the subnet. */
export function newRouteTableFixes(vnet: VirtualNetwork, subnet: Subnet, table: NewRouteTable): Fix[] {
  const rg = resourceGroupOf(subnet.id);
  const tableRef = `[resourceId('Microsoft.Network/routeTables', '${table.name}')]`;
  const routes = table.routes.map((r) => ({
    name: r.name,
    properties: { addressPrefix: r.addressPrefix, nextHopType: r.nextHopType },
  }));
  const tableResource = {
    type: "Microsoft.Network/routeTables",
    apiVersion: API_VERSION,
    name: table.name,
    location: table.location,
    properties: { disableBgpRoutePropagation: false, routes },
  };
  const arm = armSubnet(vnet, subnet, { routeTable: tableRef }, [tableRef]);
  const tableSym = bicepName(table.name);
  const fixes: Fix[] = [
    {
      kind: "az-cli",
      text: [
        `az network route-table create --resource-group ${rg} --name ${table.name} --location ${table.location}`,
        ...table.routes.map(
          (r) =>
            `az network route-table route create --resource-group ${rg} --route-table-name ${table.name} --name ${r.name} --address-prefix ${r.addressPrefix} --next-hop-type ${r.nextHopType}`,
        ),
        `az network vnet subnet update --resource-group ${rg} --vnet-name ${vnet.name} --name ${subnet.name} --route-table ${table.name}`,
      ].join("\n"),
    },
  ];
  const bicepTable = [
    `resource ${tableSym} 'Microsoft.Network/routeTables@${API_VERSION}' = {`,
    `  name: '${table.name}'`,
    `  location: '${table.location}'`,
    `  properties: ${toBicep({ disableBgpRoutePropagation: false, routes }, "  ")}`,
    "}",
  ].join("\n");
  if (arm) {
    const props = { ...arm.properties, routeTable: { id: `[${tableSym}.id]` } };
    fixes.push({ kind: "bicep", text: `${bicepTable}\n\n${bicepSubnet(vnet, subnet, props)}` });
  }
  const tf = tfName(table.name);
  fixes.push({
    kind: "terraform",
    text: [
      `resource "azurerm_route_table" "${tf}" {`,
      `  name                = "${table.name}"`,
      `  location            = "${table.location}"`,
      `  resource_group_name = "${rg}"`,
      ...table.routes.flatMap((r) => [
        "  route {",
        `    name           = "${r.name}"`,
        `    address_prefix = "${r.addressPrefix}"`,
        `    next_hop_type  = "${r.nextHopType}"`,
        "  }",
      ]),
      "}",
      "",
      `resource "azurerm_subnet_route_table_association" "${tf}" {`,
      `  subnet_id      = "${displayId(subnet.id)}"`,
      `  route_table_id = azurerm_route_table.${tf}.id`,
      "}",
    ].join("\n"),
  });
  if (arm) fixes.push({ kind: "arm", text: JSON.stringify([tableResource, arm], null, 2) });
  return fixes;
}

/** Fixes that add the missing half of a peering: `vnet` peers back to `remote`. */
export function peeringHalfFixes(vnet: VirtualNetwork, remote: VirtualNetwork, name: string): Fix[] {
  const properties = {
    remoteVirtualNetwork: { id: armRef(remote.id) },
    allowVirtualNetworkAccess: true,
    allowForwardedTraffic: false,
    allowGatewayTransit: false,
    useRemoteGateways: false,
  };
  const v = bicepName(vnet.name);
  return [
    {
      kind: "az-cli",
      text:
        `az network vnet peering create --resource-group ${resourceGroupOf(vnet.id)} --vnet-name ${vnet.name} --name ${name}` +
        ` --remote-vnet ${displayId(remote.id)} --allow-vnet-access`,
    },
    {
      kind: "bicep",
      text: [
        `resource ${v} 'Microsoft.Network/virtualNetworks@${API_VERSION}' existing = {`,
        `  name: '${vnet.name}'`,
        "}",
        "",
        `resource ${bicepName(name)} 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings@${API_VERSION}' = {`,
        `  parent: ${v}`,
        `  name: '${name}'`,
        `  properties: ${toBicep(properties, "  ")}`,
        "}",
      ].join("\n"),
    },
    {
      kind: "terraform",
      text: [
        `resource "azurerm_virtual_network_peering" "${tfName(name)}" {`,
        `  name                         = "${name}"`,
        `  resource_group_name          = "${resourceGroupOf(vnet.id)}"`,
        `  virtual_network_name         = "${vnet.name}"`,
        `  remote_virtual_network_id    = "${displayId(remote.id)}"`,
        "  allow_virtual_network_access = true",
        "}",
      ].join("\n"),
    },
    {
      kind: "arm",
      text: JSON.stringify(
        [
          {
            type: "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
            apiVersion: API_VERSION,
            name: `${vnet.name}/${name}`,
            dependsOn: [armRef(vnet.id)],
            properties,
          },
        ],
        null,
        2,
      ),
    },
  ];
}
