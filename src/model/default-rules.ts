/**
 * @module model/default-rules
 * The six default security rules every NSG has, with the exact resource names, priorities and descriptions a
 * real GET returns (reference §1.2, OBS-NSG-REST). They cannot be deleted, only overridden by lower priorities.
 */
import type { SecurityRule } from "./resources.js";
import type { SourceRef } from "./source.js";

interface DefaultRuleRow {
  name: string;
  direction: "Inbound" | "Outbound";
  priority: number;
  sourceAddressPrefix: string;
  destinationAddressPrefix: string;
  access: "Allow" | "Deny";
  description: string;
}

const DEFAULT_RULES: readonly DefaultRuleRow[] = [
  {
    name: "AllowVnetInBound",
    direction: "Inbound",
    priority: 65000,
    sourceAddressPrefix: "VirtualNetwork",
    destinationAddressPrefix: "VirtualNetwork",
    access: "Allow",
    description: "Allow inbound traffic from all VMs in VNET",
  },
  {
    name: "AllowAzureLoadBalancerInBound",
    direction: "Inbound",
    priority: 65001,
    sourceAddressPrefix: "AzureLoadBalancer",
    destinationAddressPrefix: "*",
    access: "Allow",
    description: "Allow inbound traffic from azure load balancer",
  },
  {
    name: "DenyAllInBound",
    direction: "Inbound",
    priority: 65500,
    sourceAddressPrefix: "*",
    destinationAddressPrefix: "*",
    access: "Deny",
    description: "Deny all inbound traffic",
  },
  {
    name: "AllowVnetOutBound",
    direction: "Outbound",
    priority: 65000,
    sourceAddressPrefix: "VirtualNetwork",
    destinationAddressPrefix: "VirtualNetwork",
    access: "Allow",
    description: "Allow outbound traffic from all VMs to all VMs in VNET",
  },
  {
    name: "AllowInternetOutBound",
    direction: "Outbound",
    priority: 65001,
    sourceAddressPrefix: "*",
    destinationAddressPrefix: "Internet",
    access: "Allow",
    description: "Allow outbound traffic from all VMs to Internet",
  },
  {
    name: "DenyAllOutBound",
    direction: "Outbound",
    priority: 65500,
    sourceAddressPrefix: "*",
    destinationAddressPrefix: "*",
    access: "Deny",
    description: "Deny all outbound traffic",
  },
];

/** Builds the six default rules of the NSG with id `nsgId`, located at `src` (the NSG's declaration). */
export function defaultSecurityRules(nsgId: string, src: SourceRef): SecurityRule[] {
  return DEFAULT_RULES.map((row) => ({
    id: `${nsgId}/defaultSecurityRules/${row.name}`,
    name: row.name,
    type: "Microsoft.Network/networkSecurityGroups/defaultSecurityRules",
    src,
    description: row.description,
    protocol: "*",
    sourcePortRange: "*",
    destinationPortRange: "*",
    sourceAddressPrefix: row.sourceAddressPrefix,
    destinationAddressPrefix: row.destinationAddressPrefix,
    access: row.access,
    priority: row.priority,
    direction: row.direction,
    isDefault: true,
  }));
}

export const DEFAULT_RULE_NAMES: readonly string[] = DEFAULT_RULES.map((r) => r.name);
