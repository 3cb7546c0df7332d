/**
 * @module checks/util/apim-fixes
 * Checks layer: fixes that change a property of the API Management service itself (its virtualNetworkType).
 * They have no ARM form: an ARM fix is a list of resources appended to a template, and restating the service
 * would need every property the template gives it (publisher, hostnames, ...), which the model does not keep;
 * the docs of the checks that use these say so.
 */
import type { ApiManagementService } from "../../model/resources.js";
import type { Fix } from "../types.js";
import { bicepName, resourceGroupOf, tfName } from "./fixes.js";

/** Fixes that set `virtualNetworkType` of `service` to `value` (`External`, `Internal`, `None`). */
export function virtualNetworkTypeFixes(service: ApiManagementService, value: string): Fix[] {
  return [
    {
      kind: "az-cli",
      text: `az apim update --resource-group ${resourceGroupOf(service.id)} --name ${service.name} --virtual-network ${value}`,
    },
    {
      kind: "bicep",
      text: [
        `// in resource ${bicepName(service.name)} 'Microsoft.ApiManagement/service@...':`,
        "properties: {",
        `  virtualNetworkType: '${value}'`,
        "}",
      ].join("\n"),
    },
    {
      kind: "terraform",
      text: [
        `# in resource "azurerm_api_management" "${tfName(service.name)}" (or the azapi resource for v2 tiers):`,
        `virtual_network_type = "${value}"`,
      ].join("\n"),
    },
  ];
}
