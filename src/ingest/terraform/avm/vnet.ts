/**
 * @module ingest/terraform/avm/vnet
 * Ingest layer, Terraform: the built-in description of `Azure/avm-res-network-virtualnetwork/azurerm` and its
 * `//modules/subnet` and `//modules/peering` submodules, versions 0.12.0 to 0.16.0. In those versions the
 * module takes `parent_id` (the resource group id), creates the VNet as an `azapi_resource`
 * (Microsoft.Network/virtualNetworks), one subnet module per entry of `var.subnets` and one peering module per
 * entry of `var.peerings`; a subnet is an `azapi_resource` (virtualNetworks/subnets) whose NSG, route table and
 * NAT gateway are `{ id }` objects, and a peering is a virtualNetworkPeerings resource, with its reverse in
 * the remote VNet when `create_reverse_peering`. The variable names were compared for 0.12.0, 0.13.0,
 * 0.15.0 and 0.16.0 (0.10 took `resource_group_name` instead of `parent_id` and is not covered); a subnet's
 * `address_prefixes` output is read back from Azure (`output.properties`) and so is Unknown at plan time, as it
 * is in the real module.
 */
import type { BuiltinModule } from "./index.js";
import { passThrough } from "./pass-through.js";

const VERSIONS = ["0.12.0", "0.13.0", "0.14.0", "0.14.1", "0.15.0", "0.16.0"];
const SOURCE = "Azure/avm-res-network-virtualnetwork/azurerm";

const ROOT = `
variable "name" {
  type = string
  default = null
}
variable "location" { type = string }
variable "parent_id" { type = string }
variable "address_space" {
  type = set(string)
  default = null
}
variable "dns_servers" {
  type = object({ dns_servers = list(string) })
  default = null
}
variable "ipam_pools" { default = null }
variable "subnets" {
  type = map(object({
    name = string
    address_prefix = optional(string)
    address_prefixes = optional(list(string))
    ipam_pools = optional(any)
    nat_gateway = optional(object({ id = string }))
    network_security_group = optional(object({ id = string }))
    route_table = optional(object({ id = string }))
    private_endpoint_network_policies = optional(string, "Enabled")
    private_link_service_network_policies_enabled = optional(bool, true)
    service_endpoints = optional(list(string))
    service_endpoints_with_location = optional(list(object({
      service = string
      locations = optional(list(string), ["*"])
    })))
    service_endpoint_policies = optional(any)
    default_outbound_access_enabled = optional(bool, false)
    sharing_scope = optional(string)
    delegations = optional(list(object({
      name = string
      service_delegation = object({ name = string })
    })))
    timeouts = optional(any)
    retry = optional(any)
    role_assignments = optional(any)
  }))
  default = {}
}
variable "peerings" {
  type = map(object({
    name = string
    remote_virtual_network_resource_id = string
    allow_forwarded_traffic = optional(bool, false)
    allow_gateway_transit = optional(bool, false)
    allow_virtual_network_access = optional(bool, true)
    use_remote_gateways = optional(bool, false)
    create_reverse_peering = optional(bool, false)
    reverse_name = optional(string)
    reverse_allow_forwarded_traffic = optional(bool, false)
    reverse_allow_gateway_transit = optional(bool, false)
    reverse_allow_virtual_network_access = optional(bool, true)
    reverse_use_remote_gateways = optional(bool, false)
    peer_complete_vnets = optional(bool, true)
    local_peered_subnets = optional(list(object({ subnet_name = string })))
    remote_peered_subnets = optional(list(object({ subnet_name = string })))
    reverse_peer_complete_vnets = optional(bool, true)
    reverse_local_peered_subnets = optional(list(object({ subnet_name = string })))
    reverse_remote_peered_subnets = optional(list(object({ subnet_name = string })))
  }))
  default = {}
}
${passThrough(["bgp_community", "ddos_protection_plan", "diagnostic_settings", "enable_telemetry", "enable_vm_protection", "encryption", "extended_location", "flow_timeout_in_minutes", "lock", "retry", "role_assignments", "tags", "timeouts", "subscription_id"])}

resource "azapi_resource" "vnet" {
  type = "Microsoft.Network/virtualNetworks@2024-07-01"
  name = var.name
  parent_id = var.parent_id
  location = var.location
  body = {
    properties = {
      addressSpace = var.ipam_pools == null ? { addressPrefixes = var.address_space != null ? var.address_space : [] } : {}
      dhcpOptions = var.dns_servers != null ? { dnsServers = var.dns_servers.dns_servers } : null
    }
  }
}

module "subnet" {
  source = "${SOURCE}//modules/subnet"
  version = "0.16.0"
  for_each = var.subnets
  name = each.value.name
  parent_id = azapi_resource.vnet.id
  address_prefix = each.value.address_prefix
  address_prefixes = each.value.address_prefixes
  ipam_pools = each.value.ipam_pools
  nat_gateway = each.value.nat_gateway
  network_security_group = each.value.network_security_group
  route_table = each.value.route_table
  private_endpoint_network_policies = each.value.private_endpoint_network_policies
  private_link_service_network_policies_enabled = each.value.private_link_service_network_policies_enabled
  service_endpoints = each.value.service_endpoints
  service_endpoints_with_location = each.value.service_endpoints_with_location
  default_outbound_access_enabled = each.value.default_outbound_access_enabled
  delegations = each.value.delegations
}

module "peering" {
  source = "${SOURCE}//modules/peering"
  version = "0.16.0"
  for_each = var.peerings
  name = each.value.name
  parent_id = azapi_resource.vnet.id
  remote_virtual_network_id = each.value.remote_virtual_network_resource_id
  allow_forwarded_traffic = each.value.allow_forwarded_traffic
  allow_gateway_transit = each.value.allow_gateway_transit
  allow_virtual_network_access = each.value.allow_virtual_network_access
  use_remote_gateways = each.value.use_remote_gateways
  create_reverse_peering = each.value.create_reverse_peering
  reverse_name = each.value.reverse_name
  reverse_allow_forwarded_traffic = each.value.reverse_allow_forwarded_traffic
  reverse_allow_gateway_transit = each.value.reverse_allow_gateway_transit
  reverse_allow_virtual_network_access = each.value.reverse_allow_virtual_network_access
  reverse_use_remote_gateways = each.value.reverse_use_remote_gateways
  peer_complete_vnets = each.value.peer_complete_vnets
  local_peered_subnets = each.value.local_peered_subnets
  remote_peered_subnets = each.value.remote_peered_subnets
}

output "resource_id" { value = azapi_resource.vnet.id }
output "name" { value = azapi_resource.vnet.name }
output "resource" { value = azapi_resource.vnet }
output "address_spaces" { value = var.ipam_pools != null ? azapi_resource.vnet.output.properties.addressSpace.addressPrefixes : var.address_space }
output "subnets" { value = module.subnet }
output "peerings" { value = module.peering }
`;

const SUBNET = `
variable "name" { type = string }
variable "parent_id" { type = string }
variable "address_prefix" {
  type = string
  default = null
}
variable "address_prefixes" {
  type = list(string)
  default = null
}
variable "ipam_pools" { default = null }
variable "nat_gateway" {
  type = object({ id = string })
  default = null
}
variable "network_security_group" {
  type = object({ id = string })
  default = null
}
variable "route_table" {
  type = object({ id = string })
  default = null
}
variable "private_endpoint_network_policies" {
  type = string
  default = "Enabled"
}
variable "private_link_service_network_policies_enabled" {
  type = bool
  default = true
}
variable "default_outbound_access_enabled" {
  type = bool
  default = false
}
variable "service_endpoints" {
  type = list(string)
  default = null
}
variable "service_endpoints_with_location" {
  type = list(object({
    service = string
    locations = optional(list(string), ["*"])
  }))
  default = null
}
variable "delegation" {
  type = list(object({
    name = string
    service_delegation = object({ name = string })
  }))
  default = null
}
variable "delegations" {
  type = list(object({
    name = string
    service_delegation = object({ name = string })
  }))
  default = null
}
${passThrough(["retry", "role_assignments", "service_endpoint_policies", "sharing_scope", "timeouts", "subscription_id", "virtual_network"])}

locals {
  delegations = var.delegations != null ? var.delegations : (var.delegation != null ? var.delegation : [])
  endpoints = var.service_endpoints_with_location != null ? var.service_endpoints_with_location : (var.service_endpoints != null ? [for s in var.service_endpoints : { service = s, locations = ["*"] }] : null)
}

resource "azapi_resource" "subnet" {
  type = "Microsoft.Network/virtualNetworks/subnets@2024-07-01"
  name = var.name
  parent_id = var.parent_id
  body = {
    properties = {
      addressPrefix = var.ipam_pools == null ? var.address_prefix : null
      addressPrefixes = var.ipam_pools == null ? var.address_prefixes : null
      delegations = [for d in local.delegations : { name = d.name, properties = { serviceName = d.service_delegation.name } }]
      defaultOutboundAccess = var.default_outbound_access_enabled
      natGateway = var.nat_gateway != null ? { id = var.nat_gateway.id } : null
      networkSecurityGroup = var.network_security_group != null ? { id = var.network_security_group.id } : null
      routeTable = var.route_table != null ? { id = var.route_table.id } : null
      privateEndpointNetworkPolicies = var.private_endpoint_network_policies
      privateLinkServiceNetworkPolicies = var.private_link_service_network_policies_enabled == false ? "Disabled" : "Enabled"
      serviceEndpoints = local.endpoints != null ? [for e in local.endpoints : { service = e.service, locations = e.locations }] : null
    }
  }
}

output "resource_id" { value = azapi_resource.subnet.id }
output "name" { value = azapi_resource.subnet.name }
output "resource" { value = azapi_resource.subnet }
output "address_prefixes" { value = azapi_resource.subnet.output.properties.addressPrefixes }
output "application_gateway_ip_configuration_resource_id" { value = null }
`;

const PEERING = `
variable "name" { type = string }
variable "parent_id" { type = string }
variable "remote_virtual_network_id" { type = string }
variable "allow_forwarded_traffic" {
  type = bool
  default = false
}
variable "allow_gateway_transit" {
  type = bool
  default = false
}
variable "allow_virtual_network_access" {
  type = bool
  default = true
}
variable "use_remote_gateways" {
  type = bool
  default = false
}
variable "create_reverse_peering" {
  type = bool
  default = false
}
variable "reverse_name" {
  type = string
  default = null
}
variable "reverse_allow_forwarded_traffic" {
  type = bool
  default = false
}
variable "reverse_allow_gateway_transit" {
  type = bool
  default = false
}
variable "reverse_allow_virtual_network_access" {
  type = bool
  default = true
}
variable "reverse_use_remote_gateways" {
  type = bool
  default = false
}
variable "peer_complete_vnets" {
  type = bool
  default = true
}
variable "local_peered_subnets" { default = null }
variable "remote_peered_subnets" { default = null }
variable "reverse_peer_complete_vnets" {
  type = bool
  default = true
}
variable "reverse_local_peered_subnets" { default = null }
variable "reverse_remote_peered_subnets" { default = null }
${passThrough(["do_not_verify_remote_gateways", "enable_only_ipv6_peering", "local_peered_address_spaces", "remote_peered_address_spaces", "retry", "reverse_do_not_verify_remote_gateways", "reverse_enable_only_ipv6_peering", "reverse_local_peered_address_spaces", "reverse_remote_peered_address_spaces", "sync_remote_address_space_enabled", "sync_remote_address_space_triggers", "timeouts"])}

resource "azapi_resource" "this" {
  type = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings@2024-07-01"
  name = var.name
  parent_id = var.parent_id
  body = {
    properties = {
      remoteVirtualNetwork = { id = var.remote_virtual_network_id }
      allowForwardedTraffic = var.allow_forwarded_traffic
      allowGatewayTransit = var.allow_gateway_transit
      allowVirtualNetworkAccess = var.allow_virtual_network_access
      useRemoteGateways = var.use_remote_gateways
      peerCompleteVnets = var.peer_complete_vnets
      localSubnetNames = var.peer_complete_vnets ? null : [for s in var.local_peered_subnets : s.subnet_name]
      remoteSubnetNames = var.peer_complete_vnets ? null : [for s in var.remote_peered_subnets : s.subnet_name]
    }
  }
}

resource "azapi_resource" "reverse" {
  count = var.create_reverse_peering ? 1 : 0
  type = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings@2024-07-01"
  name = var.reverse_name
  parent_id = var.remote_virtual_network_id
  body = {
    properties = {
      remoteVirtualNetwork = { id = var.parent_id }
      allowForwardedTraffic = var.reverse_allow_forwarded_traffic
      allowGatewayTransit = var.reverse_allow_gateway_transit
      allowVirtualNetworkAccess = var.reverse_allow_virtual_network_access
      useRemoteGateways = var.reverse_use_remote_gateways
      peerCompleteVnets = var.reverse_peer_complete_vnets
      localSubnetNames = var.reverse_peer_complete_vnets ? null : [for s in var.reverse_local_peered_subnets : s.subnet_name]
      remoteSubnetNames = var.reverse_peer_complete_vnets ? null : [for s in var.reverse_remote_peered_subnets : s.subnet_name]
    }
  }
}

output "resource_id" { value = azapi_resource.this.id }
output "name" { value = azapi_resource.this.name }
output "reverse_resource_id" { value = var.create_reverse_peering ? azapi_resource.reverse[0].id : null }
`;

export const vnetModule: BuiltinModule[] = [
  { source: SOURCE, versions: VERSIONS, files: [{ name: "main.tf", text: ROOT }] },
];
export const subnetModule: BuiltinModule[] = [
  { source: `${SOURCE}//modules/subnet`, versions: VERSIONS, files: [{ name: "main.tf", text: SUBNET }] },
];
export const peeringModule: BuiltinModule[] = [
  { source: `${SOURCE}//modules/peering`, versions: VERSIONS, files: [{ name: "main.tf", text: PEERING }] },
];
