/**
 * @module ingest/terraform/avm/nsg
 * Ingest layer, Terraform: the built-in description of `Azure/avm-res-network-networksecuritygroup/azurerm`,
 * versions 0.2.0 to 0.5.1: an `azurerm_network_security_group` with no inline rules, and one standalone
 * `azurerm_network_security_rule` per entry of `var.security_rules` (a map of objects; every field but access,
 * direction, name, priority and protocol optional), linked by the NSG's name. The variable list and the rule
 * fields were compared across those tags (0.1.x took `nsgrules` and is not covered).
 */
import type { BuiltinModule } from "./index.js";
import { passThrough } from "./pass-through.js";

const MAIN = `
variable "name" { type = string }
variable "location" { type = string }
variable "resource_group_name" { type = string }
variable "security_rules" {
  type = map(object({
    access = string
    description = optional(string)
    destination_address_prefix = optional(string)
    destination_address_prefixes = optional(set(string))
    destination_application_security_group_ids = optional(set(string))
    destination_port_range = optional(string)
    destination_port_ranges = optional(set(string))
    direction = string
    name = string
    priority = number
    protocol = string
    source_address_prefix = optional(string)
    source_address_prefixes = optional(set(string))
    source_application_security_group_ids = optional(set(string))
    source_port_range = optional(string)
    source_port_ranges = optional(set(string))
    timeouts = optional(any)
  }))
  default = {}
  nullable = false
}
${passThrough(["diagnostic_settings", "enable_telemetry", "lock", "role_assignments", "tags", "timeouts"])}

resource "azurerm_network_security_group" "this" {
  name = var.name
  location = var.location
  resource_group_name = var.resource_group_name
}

resource "azurerm_network_security_rule" "this" {
  for_each = var.security_rules
  name = each.value.name
  network_security_group_name = azurerm_network_security_group.this.name
  resource_group_name = azurerm_network_security_group.this.resource_group_name
  access = each.value.access
  direction = each.value.direction
  priority = each.value.priority
  protocol = each.value.protocol
  description = each.value.description
  destination_address_prefix = each.value.destination_address_prefix
  destination_address_prefixes = each.value.destination_address_prefixes
  destination_application_security_group_ids = each.value.destination_application_security_group_ids
  destination_port_range = each.value.destination_port_range
  destination_port_ranges = each.value.destination_port_ranges
  source_address_prefix = each.value.source_address_prefix
  source_address_prefixes = each.value.source_address_prefixes
  source_application_security_group_ids = each.value.source_application_security_group_ids
  source_port_range = each.value.source_port_range
  source_port_ranges = each.value.source_port_ranges
}

output "resource_id" { value = azurerm_network_security_group.this.id }
output "name" { value = azurerm_network_security_group.this.name }
output "resource" { value = azurerm_network_security_group.this }
`;

export const nsgModule: BuiltinModule[] = [
  {
    source: "Azure/avm-res-network-networksecuritygroup/azurerm",
    versions: ["0.2.0", "0.3.0", "0.4.0", "0.5.0", "0.5.1"],
    files: [{ name: "main.tf", text: MAIN }],
  },
];
