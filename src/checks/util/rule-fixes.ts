/**
 * @module checks/util/rule-fixes
 * Checks layer: fixes that change or remove an existing NSG security rule, in the four forms. A changed rule is
 * declared again whole with the change (in ARM a standalone `networkSecurityGroups/securityRules` resource of
 * the same name, which replaces the rule: a PUT of a rule sets all its properties). Used by NSG-RULE-SHADOWED
 * (move a rule ahead of the rules that hide it, or delete a redundant one) and NSG-RULE-INVALID (a priority,
 * prefix or value Azure refuses or reads differently).
 */
import type { NetworkSecurityGroup, SecurityRule } from "../../model/resources.js";
import { isUnknown } from "../../model/unknown.js";
import type { Fix } from "../types.js";
import { API_VERSION, bicepName, resourceGroupOf, tfName } from "./fixes.js";
import { armRef, displayId, toBicep } from "./network-fixes.js";

/** The fields of a rule a fix may change. */
export type RuleChange = Partial<
  Pick<
    SecurityRule,
    | "priority"
    | "description"
    | "sourceAddressPrefix"
    | "destinationAddressPrefix"
    | "sourcePortRange"
    | "sourcePortRanges"
    | "destinationPortRange"
    | "destinationPortRanges"
    | "sourceAddressPrefixes"
    | "destinationAddressPrefixes"
  >
>;

/** A rule's properties as ARM writes them, with `change` applied; undefined when a value is unresolved. */
export function ruleProperties(rule: SecurityRule, change: RuleChange = {}): Record<string, unknown> | undefined {
  const r = { ...rule, ...change };
  const refs = (list: { id: string }[] | undefined) =>
    list?.length ? list.map((a) => ({ id: armRef(a.id) })) : undefined;
  const nonEmpty = (list: string[] | undefined) => (list?.length ? list : undefined);
  const props: Record<string, unknown> = {
    description: r.description,
    protocol: r.protocol,
    sourcePortRange: r.sourcePortRange,
    sourcePortRanges: nonEmpty(r.sourcePortRanges),
    destinationPortRange: r.destinationPortRange,
    destinationPortRanges: nonEmpty(r.destinationPortRanges),
    sourceAddressPrefix: r.sourceAddressPrefix,
    sourceAddressPrefixes: nonEmpty(r.sourceAddressPrefixes),
    sourceApplicationSecurityGroups: refs(r.sourceApplicationSecurityGroups),
    destinationAddressPrefix: r.destinationAddressPrefix,
    destinationAddressPrefixes: nonEmpty(r.destinationAddressPrefixes),
    destinationApplicationSecurityGroups: refs(r.destinationApplicationSecurityGroups),
    access: r.access,
    priority: r.priority,
    direction: r.direction,
  };
  for (const key of Object.keys(props)) if (props[key] === undefined) delete props[key];
  const text = JSON.stringify(props);
  return text.includes("<unknown:") || !Number.isFinite(r.priority) ? undefined : props;
}

const AZ_FLAGS: Record<keyof RuleChange, string> = {
  priority: "--priority",
  description: "--description",
  sourceAddressPrefix: "--source-address-prefixes",
  destinationAddressPrefix: "--destination-address-prefixes",
  sourcePortRange: "--source-port-ranges",
  sourcePortRanges: "--source-port-ranges",
  destinationPortRange: "--destination-port-ranges",
  destinationPortRanges: "--destination-port-ranges",
  sourceAddressPrefixes: "--source-address-prefixes",
  destinationAddressPrefixes: "--destination-address-prefixes",
};

function azValue(value: unknown): string {
  const list = Array.isArray(value) ? value : [value];
  return list
    .map((v) => (typeof v === "string" && /[\s*'"]/.test(v) ? `'${v.replace(/'/g, "'\\''")}'` : String(v)))
    .join(" ");
}

/** Fixes that declare `rule` again with `change` applied. Empty when the rule cannot be restated. */
export function changeRuleFixes(nsg: NetworkSecurityGroup, rule: SecurityRule, change: RuleChange): Fix[] {
  const props = ruleProperties(rule, change);
  if (!props || isUnknown(rule.name)) return [];
  const rg = resourceGroupOf(nsg.id);
  const flags = (Object.keys(change) as (keyof RuleChange)[]).map((k) => `${AZ_FLAGS[k]} ${azValue(change[k])}`);
  const nsgSym = bicepName(nsg.name);
  const r = rule;
  const tf = Object.entries(props)
    .filter(([k]) => !k.endsWith("ApplicationSecurityGroups"))
    .map(([k, v]) => {
      const key = k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      return `  ${key.padEnd(28)} = ${Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(", ")}]` : JSON.stringify(v)}`;
    });
  const asgs = (["source", "destination"] as const).flatMap((side) => {
    const list = side === "source" ? r.sourceApplicationSecurityGroups : r.destinationApplicationSecurityGroups;
    if (!list?.length) return [];
    return [
      `  ${`${side}_application_security_group_ids`.padEnd(28)} = [${list.map((a) => `"${displayId(a.id)}"`).join(", ")}]`,
    ];
  });
  return [
    {
      kind: "az-cli",
      text: `az network nsg rule update --resource-group ${rg} --nsg-name ${nsg.name} --name ${rule.name} ${flags.join(" ")}`,
    },
    {
      kind: "bicep",
      text: [
        `resource ${nsgSym} 'Microsoft.Network/networkSecurityGroups@${API_VERSION}' existing = {`,
        `  name: '${nsg.name}'`,
        "}",
        "",
        "// Declares the rule again with all its properties and the change.",
        `resource ${bicepName(rule.name)} 'Microsoft.Network/networkSecurityGroups/securityRules@${API_VERSION}' = {`,
        `  parent: ${nsgSym}`,
        `  name: '${rule.name}'`,
        `  properties: ${toBicep(props, "  ")}`,
        "}",
      ].join("\n"),
    },
    {
      kind: "terraform",
      text: [
        `resource "azurerm_network_security_rule" "${tfName(rule.name)}" {`,
        `  name                         = "${rule.name}"`,
        `  resource_group_name          = "${rg}"`,
        `  network_security_group_name  = "${nsg.name}"`,
        ...tf,
        ...asgs,
        "}",
      ].join("\n"),
    },
    {
      kind: "arm",
      text: JSON.stringify(
        [
          {
            type: "Microsoft.Network/networkSecurityGroups/securityRules",
            apiVersion: API_VERSION,
            name: `${nsg.name}/${rule.name}`,
            dependsOn: [armRef(nsg.id)],
            properties: props,
          },
        ],
        null,
        2,
      ),
    },
  ];
}

/**
 * The fix that deletes a rule. Only the az CLI form is a command; in a template, deleting is removing the rule's
 * lines, which no text to paste can do, so the other forms are left out (the finding says where the rule is).
 */
export function deleteRuleFixes(nsg: NetworkSecurityGroup, rule: SecurityRule): Fix[] {
  return [
    {
      kind: "az-cli",
      text: `az network nsg rule delete --resource-group ${resourceGroupOf(nsg.id)} --nsg-name ${nsg.name} --name ${rule.name}`,
    },
  ];
}

/**
 * The free priority (100-4096, unique per direction) nearest to `wanted`, the later one on a tie: for a rule
 * whose priority Azure refuses (out of range, or shared with another rule of its direction). Undefined when
 * every priority is taken.
 */
export function nearestFreePriority(taken: Iterable<number>, wanted: number): number | undefined {
  const used = new Set(taken);
  const start = Math.min(4096, Math.max(100, Math.round(Number.isFinite(wanted) ? wanted : 100)));
  for (let d = 0; d <= 3996; d++) {
    for (const p of [start + d, start - d]) if (p >= 100 && p <= 4096 && !used.has(p)) return p;
  }
  return undefined;
}
