/**
 * @module ingest/terraform/avm/route-table
 * Ingest layer, Terraform: the built-in description of `Azure/avm-res-network-routetable/azurerm`: an
 * `azurerm_route_table`, one standalone `azurerm_route` per entry of `var.routes`, and one
 * `azurerm_subnet_route_table_association` per entry of `var.subnet_resource_ids`. Versions 0.3.0 to 0.4.1
 * take `bgp_route_propagation_enabled` (default true); 0.2.x took `disable_bgp_route_propagation` (default
 * true, so BGP routes were not propagated unless said). Compared across those tags.
 */
import type { BuiltinModule } from "./index.js";
import { passThrough } from "./pass-through.js";

function main(propagation: string): string {
  return `
variable "name" { type = string }
variable "location" { type = string }
variable "resource_group_name" { type = string }
${propagation}
variable "routes" {
  type = map(object({
    name = string
    address_prefix = string
    next_hop_type = string
    next_hop_in_ip_address = optional(string)
  }))
  default = {}
}
variable "subnet_resource_ids" {
  type = map(string)
  default = {}
}
${passThrough(["enable_telemetry", "lock", "role_assignments", "tags"])}

resource "azurerm_route_table" "this" {
  name = var.name
  location = var.location
  resource_group_name = var.resource_group_name
  bgp_route_propagation_enabled = local.propagation
}

resource "azurerm_route" "this" {
  for_each = var.routes
  name = each.value.name
  resource_group_name = var.resource_group_name
  route_table_name = azurerm_route_table.this.name
  address_prefix = each.value.address_prefix
  next_hop_type = each.value.next_hop_type
  next_hop_in_ip_address = each.value.next_hop_in_ip_address
}

resource "azurerm_subnet_route_table_association" "this" {
  for_each = var.subnet_resource_ids
  route_table_id = azurerm_route_table.this.id
  subnet_id = each.value
}

output "resource_id" { value = azurerm_route_table.this.id }
output "name" { value = azurerm_route_table.this.name }
output "resource" { value = azurerm_route_table.this }
output "routes" { value = azurerm_route.this }
`;
}

export const routeTableModule: BuiltinModule[] = [
  {
    source: "Azure/avm-res-network-routetable/azurerm",
    versions: ["0.3.0", "0.3.1", "0.4.0", "0.4.1"],
    files: [
      {
        name: "main.tf",
        text: main(`variable "bgp_route_propagation_enabled" {
  type = bool
  default = true
}
locals {
  propagation = var.bgp_route_propagation_enabled
}`),
      },
    ],
  },
  {
    source: "Azure/avm-res-network-routetable/azurerm",
    versions: ["0.2.0", "0.2.1", "0.2.2"],
    files: [
      {
        name: "main.tf",
        text: main(`variable "disable_bgp_route_propagation" {
  type = bool
  default = true
}
locals {
  propagation = !var.disable_bgp_route_propagation
}`),
      },
    ],
  },
];
