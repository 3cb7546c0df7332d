/**
 * @module checks/util/nsg-create-fixes
 * Checks layer: the fix for a subnet without an NSG, in the four forms: a new NSG holding the rules the instance
 * needs (the required rows of data/apim/requirements.json for its mode, platform and regions, apim-requirements
 * §1.1-§1.3; for the v2 tiers the outbound Storage rule of §1.5) and its association with the subnet. In ARM the
 * subnet is restated as a standalone `virtualNetworks/subnets` resource with every property it has now
 * (util/network-fixes armSubnet), because a subnet PUT replaces the whole subnet.
 */
import type { Subnet, VirtualNetwork } from "../../model/resources.js";
import { isUnknown } from "../../model/unknown.js";
import type { ApimPlacement } from "../placements.js";
import { type NsgRequirement, REQUIREMENTS } from "../requirements.js";
import type { Fix } from "../types.js";
import { v2OutboundRows } from "./dependency-rows.js";
import { API_VERSION, bicepName, resourceGroupOf, tfName } from "./fixes.js";
import { armSubnet, bicepSubnet, displayId, toBicep } from "./network-fixes.js";
import { fixRuleName } from "./nsg-flows.js";

/** One rule of the new NSG, in ARM's shape. */
export interface NewRule {
  name: string;
  properties: {
    description: string;
    protocol: string;
    sourcePortRange: string;
    destinationPortRange?: string;
    destinationPortRanges?: string[];
    sourceAddressPrefix: string;
    destinationAddressPrefix: string;
    access: "Allow";
    priority: number;
    direction: "Inbound" | "Outbound";
  };
}

/** The rows a new NSG for the placement must allow: required ones for its mode, platform and regions. */
export function requiredRows(p: ApimPlacement): NsgRequirement[] {
  if (p.kind === "v2-injection" || p.kind === "v2-integration") return v2OutboundRows("APIM-SUBNET-NSG-MISSING");
  return REQUIREMENTS.nsgRules.filter(
    (r) =>
      r.need[p.platform] === "required" &&
      r.modes.includes(p.mode as "External" | "Internal") &&
      (!r.multiRegionOnly || p.multiRegion),
  );
}

/** The rows as NSG rules, numbered from 100 by tens in each direction (in the docs' order). */
export function newRules(rows: NsgRequirement[]): NewRule[] {
  const next = { Inbound: 100, Outbound: 100 };
  return rows.map((r) => {
    const priority = next[r.direction];
    next[r.direction] += 10;
    return {
      name: fixRuleName(r, r.ports),
      properties: {
        description: r.purpose.slice(0, 140),
        protocol: r.protocol,
        sourcePortRange: "*",
        ...(r.ports.length === 1 ? { destinationPortRange: r.ports[0] } : { destinationPortRanges: r.ports }),
        sourceAddressPrefix: r.source,
        destinationAddressPrefix: r.destination,
        access: "Allow",
        priority,
        direction: r.direction,
      },
    };
  });
}

function azRule(rg: string, nsg: string, rule: NewRule): string {
  const p = rule.properties;
  const ports = p.destinationPortRanges ?? [p.destinationPortRange];
  return (
    `az network nsg rule create --resource-group ${rg} --nsg-name ${nsg} --name ${rule.name} --priority ${p.priority}` +
    ` --direction ${p.direction} --access Allow --protocol ${p.protocol} --source-address-prefixes ${p.sourceAddressPrefix}` +
    ` --source-port-ranges '*' --destination-address-prefixes ${p.destinationAddressPrefix} --destination-port-ranges ${ports.join(" ")}`
  );
}

function tfRule(rule: NewRule): string[] {
  const p = rule.properties;
  const ports = p.destinationPortRanges
    ? `destination_port_ranges    = [${p.destinationPortRanges.map((x) => `"${x}"`).join(", ")}]`
    : `destination_port_range     = "${p.destinationPortRange}"`;
  return [
    "  security_rule {",
    `    name                       = "${rule.name}"`,
    `    priority                   = ${p.priority}`,
    `    direction                  = "${p.direction}"`,
    `    access                     = "Allow"`,
    `    protocol                   = "${p.protocol}"`,
    `    source_port_range          = "*"`,
    `    ${ports}`,
    `    source_address_prefix      = "${p.sourceAddressPrefix}"`,
    `    destination_address_prefix = "${p.destinationAddressPrefix}"`,
    "  }",
  ];
}

/**
 * Fixes that create the NSG `name` with `rules` and associate it with the subnet. The Bicep and ARM forms are
 * left out when a property of the subnet they must restate is unresolved.
 */
export function newNsgFixes(vnet: VirtualNetwork, subnet: Subnet, name: string, rules: NewRule[]): Fix[] {
  const rg = resourceGroupOf(subnet.id);
  const location = vnet.location && !isUnknown(vnet.location) ? vnet.location : undefined;
  const ref = `[resourceId('Microsoft.Network/networkSecurityGroups', '${name}')]`;
  const arm = armSubnet(vnet, subnet, { networkSecurityGroup: ref }, [ref]);
  const sym = bicepName(name);
  const fixes: Fix[] = [
    {
      kind: "az-cli",
      text: [
        `az network nsg create --resource-group ${rg} --name ${name}${location ? ` --location ${location}` : ""}`,
        ...rules.map((r) => azRule(rg, name, r)),
        `az network vnet subnet update --resource-group ${rg} --vnet-name ${vnet.name} --name ${subnet.name} --network-security-group ${name}`,
      ].join("\n"),
    },
  ];
  if (arm) {
    const nsg = [
      `resource ${sym} 'Microsoft.Network/networkSecurityGroups@${API_VERSION}' = {`,
      `  name: '${name}'`,
      `  location: ${location ? `'${location}'` : "resourceGroup().location"}`,
      `  properties: ${toBicep({ securityRules: rules }, "  ")}`,
      "}",
    ].join("\n");
    const props = { ...arm.properties, networkSecurityGroup: { id: `[${sym}.id]` } };
    fixes.push({ kind: "bicep", text: `${nsg}\n\n${bicepSubnet(vnet, subnet, props)}` });
  }
  const tf = tfName(name);
  fixes.push({
    kind: "terraform",
    text: [
      `resource "azurerm_network_security_group" "${tf}" {`,
      `  name                = "${name}"`,
      `  location            = "${location ?? "<location>"}"`,
      `  resource_group_name = "${rg}"`,
      ...rules.flatMap(tfRule),
      "}",
      "",
      `resource "azurerm_subnet_network_security_group_association" "${tf}" {`,
      `  subnet_id                 = "${displayId(subnet.id)}"`,
      `  network_security_group_id = azurerm_network_security_group.${tf}.id`,
      "}",
    ].join("\n"),
  });
  if (arm) {
    const resource = {
      type: "Microsoft.Network/networkSecurityGroups",
      apiVersion: API_VERSION,
      name,
      location: location ?? "[resourceGroup().location]",
      properties: { securityRules: rules },
    };
    fixes.push({ kind: "arm", text: JSON.stringify([resource, arm], null, 2) });
  }
  return fixes;
}
