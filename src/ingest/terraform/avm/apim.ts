/**
 * @module ingest/terraform/avm/apim
 * Ingest layer, Terraform: the built-in description of `Azure/avm-res-apimanagement-service/azurerm` 0.0.2: an
 * `azurerm_api_management` whose `virtual_network_configuration` holds `var.virtual_network_subnet_id` when
 * `virtual_network_type` is Internal or External, with `additional_location` blocks (each with its own subnet,
 * public IP and zones), `hostname_configuration`, `public_ip_address_id` and `zones`; and an
 * `azurerm_private_endpoint` (subresource Gateway) per entry of `var.private_endpoints`. Checked against the
 * variables and resources of tag 0.0.2 only (the version the AI landing zone calls).
 */
import type { BuiltinModule } from "./index.js";
import { passThrough } from "./pass-through.js";

const MAIN = `
variable "name" { type = string }
variable "location" { type = string }
variable "resource_group_name" { type = string }
variable "publisher_email" { type = string }
variable "publisher_name" {
  type = string
  default = "Apim Example Publisher"
}
variable "sku_name" {
  type = string
  default = "Developer_1"
}
variable "virtual_network_type" {
  type = string
  default = "None"
}
variable "virtual_network_subnet_id" {
  type = string
  default = null
}
variable "public_ip_address_id" {
  type = string
  default = null
}
variable "public_network_access_enabled" {
  type = bool
  default = true
  nullable = false
}
variable "zones" {
  type = list(string)
  default = null
}
variable "gateway_disabled" {
  type = bool
  default = false
  nullable = false
}
variable "additional_location" {
  type = list(object({
    location = string
    capacity = optional(number, null)
    zones = optional(list(string), null)
    public_ip_address_id = optional(string, null)
    gateway_disabled = optional(bool, null)
    virtual_network_configuration = optional(object({ subnet_id = string }), null)
  }))
  default = []
  nullable = false
}
variable "hostname_configuration" { default = null }
variable "private_endpoints" {
  type = map(object({
    name = optional(string, null)
    subnet_resource_id = string
    location = optional(string, null)
    private_dns_zone_resource_ids = optional(set(string), [])
    private_service_connection_name = optional(string, null)
  }))
  default = {}
  nullable = false
}
variable "private_endpoints_manage_dns_zone_group" {
  type = bool
  default = true
}
${passThrough(["certificate", "client_certificate_enabled", "delegation", "diagnostic_settings", "enable_telemetry", "lock", "managed_identities", "min_api_version", "notification_sender_email", "protocols", "role_assignments", "security", "sign_in", "sign_up", "tags", "tenant_access"])}

resource "azurerm_api_management" "this" {
  name = var.name
  location = var.location
  resource_group_name = var.resource_group_name
  publisher_email = var.publisher_email
  publisher_name = var.publisher_name
  sku_name = var.sku_name
  virtual_network_type = var.virtual_network_type
  public_ip_address_id = var.public_ip_address_id
  public_network_access_enabled = var.public_network_access_enabled
  zones = var.zones
  gateway_disabled = var.gateway_disabled
  dynamic "virtual_network_configuration" {
    for_each = contains(["Internal", "External"], var.virtual_network_type) ? [1] : []
    content {
      subnet_id = var.virtual_network_subnet_id
    }
  }
  dynamic "additional_location" {
    for_each = var.additional_location
    content {
      location = additional_location.value.location
      capacity = additional_location.value.capacity
      zones = additional_location.value.zones
      public_ip_address_id = additional_location.value.public_ip_address_id
      gateway_disabled = additional_location.value.gateway_disabled
      dynamic "virtual_network_configuration" {
        for_each = additional_location.value.virtual_network_configuration != null ? [additional_location.value.virtual_network_configuration] : []
        content {
          subnet_id = virtual_network_configuration.value.subnet_id
        }
      }
    }
  }
  dynamic "hostname_configuration" {
    for_each = var.hostname_configuration != null ? [var.hostname_configuration] : []
    content {
      dynamic "management" {
        for_each = try(hostname_configuration.value.management, [])
        content { host_name = management.value.host_name }
      }
      dynamic "portal" {
        for_each = try(hostname_configuration.value.portal, [])
        content { host_name = portal.value.host_name }
      }
      dynamic "developer_portal" {
        for_each = try(hostname_configuration.value.developer_portal, [])
        content { host_name = developer_portal.value.host_name }
      }
      dynamic "proxy" {
        for_each = try(hostname_configuration.value.proxy, [])
        content { host_name = proxy.value.host_name }
      }
      dynamic "scm" {
        for_each = try(hostname_configuration.value.scm, [])
        content { host_name = scm.value.host_name }
      }
    }
  }
}

resource "azurerm_private_endpoint" "this" {
  for_each = var.private_endpoints
  name = each.value.name != null ? each.value.name : "pe-\${var.name}"
  location = each.value.location != null ? each.value.location : var.location
  resource_group_name = var.resource_group_name
  subnet_id = each.value.subnet_resource_id
  private_service_connection {
    name = each.value.private_service_connection_name != null ? each.value.private_service_connection_name : "psc-\${var.name}"
    is_manual_connection = false
    private_connection_resource_id = azurerm_api_management.this.id
    subresource_names = ["Gateway"]
  }
}

output "resource_id" { value = azurerm_api_management.this.id }
output "name" { value = azurerm_api_management.this.name }
output "resource" { value = azurerm_api_management.this }
output "private_ip_addresses" { value = azurerm_api_management.this.private_ip_addresses }
output "public_ip_addresses" { value = azurerm_api_management.this.public_ip_addresses }
output "apim_gateway_url" { value = azurerm_api_management.this.gateway_url }
output "private_endpoints" { value = azurerm_private_endpoint.this }
`;

export const apimModule: BuiltinModule[] = [
  {
    source: "Azure/avm-res-apimanagement-service/azurerm",
    versions: ["0.0.2"],
    files: [{ name: "main.tf", text: MAIN }],
  },
];
