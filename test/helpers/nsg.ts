/**
 * Test helpers for the NSG engine: rules and NSGs with Azure-shaped defaults, and a fake TagResolver built
 * from fixed address sets (so NSG tests do not depend on the real service-tag resolver).
 */
import { AddressSet } from "../../src/engine/ip/address-set.js";
import { type AsgLookup, prefixText, type RuleContext } from "../../src/engine/nsg/compile.js";
import type { TagResolver } from "../../src/engine/servicetags/resolver.js";
import { defaultSecurityRules } from "../../src/model/default-rules.js";
import { parsePrefix } from "../../src/model/ip.js";
import type { NetworkSecurityGroup, SecurityRule } from "../../src/model/resources.js";

export const NSG_ID_PREFIX =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups";

let counter = 0;

/** A user rule: `*` everywhere, Allow, Inbound, priority 100, unless overridden. */
export function rule(fields: Partial<SecurityRule> & { name?: string }, nsgName = "nsg1"): SecurityRule {
  const name = fields.name ?? `rule${++counter}`;
  return {
    id: `${NSG_ID_PREFIX}/${nsgName}/securityRules/${name}`,
    name,
    type: "Microsoft.Network/networkSecurityGroups/securityRules",
    src: { file: "test.json", pointer: `/securityRules/${name}`, line: 1, column: 1 },
    protocol: "*",
    sourcePortRange: "*",
    destinationPortRange: "*",
    sourceAddressPrefix: "*",
    destinationAddressPrefix: "*",
    access: "Allow",
    priority: 100,
    direction: "Inbound",
    isDefault: false,
    ...fields,
  };
}

/** An NSG with the given user rules and the six default rules. */
export function nsg(name: string, securityRules: SecurityRule[]): NetworkSecurityGroup {
  const id = `${NSG_ID_PREFIX}/${name}`;
  const src = { file: "test.json", pointer: `/nsg/${name}`, line: 1, column: 1 };
  return {
    id,
    name,
    type: "Microsoft.Network/networkSecurityGroups",
    src,
    securityRules,
    defaultSecurityRules: defaultSecurityRules(id, src),
  };
}

/** Resolves `*`, IPs and CIDRs, and the tags given (case-insensitive); anything else is unknown. */
export function fakeResolver(tags: Record<string, AddressSet>): TagResolver {
  const byLower = new Map(Object.entries(tags).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    resolve(text) {
      if (text === "*") return { kind: "set", set: AddressSet.ALL, as: "any" };
      const prefix = prefixText(text);
      if (prefix) return { kind: "set", set: AddressSet.fromPrefixes([prefix]), as: "cidr" };
      const set = byLower.get(text.toLowerCase());
      if (set) return { kind: "set", set, as: "service-tag" };
      return { kind: "unknown", reason: `'${text}' is not a known tag` };
    },
  };
}

/** A fixed world: VNet 10.0.0.0/16 and a few public tags. */
export const VNET = AddressSet.parse("10.0.0.0/16", "168.63.129.16/32");
export const PRIVATE = AddressSet.parse(
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "100.64.0.0/10",
  "169.254.0.0/16",
);
export const TAGS: Record<string, AddressSet> = {
  VirtualNetwork: VNET,
  AzureLoadBalancer: AddressSet.parse("168.63.129.16/32"),
  Internet: AddressSet.ALL_V4.subtract(PRIVATE).subtract(VNET),
  ApiManagement: AddressSet.parse("13.64.0.0/16", "20.40.0.0/16", "52.10.0.0/16"),
  "ApiManagement.WestEurope": AddressSet.parse("20.40.0.0/16"),
  AzureCloud: AddressSet.parse("13.0.0.0/8", "20.0.0.0/8", "40.0.0.0/8", "52.0.0.0/8"),
  Storage: AddressSet.parse("52.239.0.0/16"),
  AzurePlatformDNS: AddressSet.parse("168.63.129.16/32"),
  AzurePlatformIMDS: AddressSet.parse("169.254.169.254/32"),
};

/** A RuleContext over TAGS and the given ASG memberships (ids not listed are unknown). */
export function context(asgs: Record<string, AddressSet> = {}, tags = TAGS): RuleContext {
  return {
    resolver: fakeResolver(tags),
    asgAddresses: (id): AsgLookup => asgs[id] ?? { unknown: "not in the test's ASG list" },
  };
}

/** An IPv4 address as a number. */
export function ip(text: string): number {
  const p = parsePrefix(text);
  if (p?.version !== 4) throw new Error(`not IPv4: ${text}`);
  return Number(p.first);
}
