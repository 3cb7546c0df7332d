/**
 * @module engine/nsg/validate
 * Engine layer: checks an NSG's user rules as Azure does when it accepts or refuses a deployment (reference
 * §1.1, §1.8, §1.9). Severity `error` means Azure would refuse the deployment; `warning` means Azure accepts
 * it (or we cannot tell) but the rule may not mean what it says; `info` marks values left unresolved, which
 * make verdicts Unknown. Codes carry Azure's error code where one is known (`nsg/SecurityRuleConflict`) and a
 * kebab-case name of our own where the reference collected none. Default rules are read-only and not checked.
 */

import type { Diagnostic } from "../../model/diagnostics.js";
import { notAMember, RULE_ACCESS, RULE_DIRECTIONS, RULE_PROTOCOLS } from "../../model/enums.js";
import { parsePrefix } from "../../model/ip.js";
import type { NetworkSecurityGroup, SecurityRule } from "../../model/resources.js";
import { isUnknown, unknownReason } from "../../model/unknown.js";
import { parseAccess, parseDirection, parseRuleProtocol } from "./compile.js";
import { isAllPorts, parsePortText } from "./ports.js";
import { PORTLESS_PROTOCOLS } from "./types.js";

export interface ValidateOptions {
  /** Whether a name is a service tag (from the catalog); undefined when it cannot tell. */
  isServiceTag?: (name: string) => boolean | undefined;
}

/** Limits of reference §1.8 that apply to one NSG or one rule. */
export const NSG_LIMITS = { rulesPerNsg: 1000, prefixesPerSide: 4000, asgsPerRule: 10, asgsPerNsg: 100 } as const;

// Virtual tags are always accepted (reference §1.1); their values depend on the place, not on the catalog.
const VIRTUAL_TAGS = new Set(["virtualnetwork", "azureloadbalancer", "internet"]);
// A rule name: at most 80 characters, starting with a word character and ending with one (reference §1.1).
const NAME = /^[\p{L}\p{N}_](?:[\p{L}\p{N}_.-]*[\p{L}\p{N}_])?$/u;
const TAG_SHAPE = /^[A-Za-z][A-Za-z0-9_.-]*$/;

class Collector {
  readonly items: Diagnostic[] = [];
  constructor(private readonly rule: SecurityRule) {}

  add(severity: Diagnostic["severity"], code: string, message: string): void {
    this.items.push({ severity, code: `nsg/${code}`, message, src: this.rule.src });
  }

  /** True (after an info diagnostic) when `value` is an unresolved placeholder. */
  unresolved(field: string, value: unknown): boolean {
    if (!isUnknown(value)) return false;
    const why = unknownReason(String(value));
    this.add(
      "info",
      "unresolved-value",
      `Security rule ${this.rule.name}: ${field} is unresolved (${why}); verdicts that depend on it are Unknown.`,
    );
    return true;
  }
}

function checkEnum(c: Collector, rule: SecurityRule, field: "protocol" | "access" | "direction", ok: boolean): void {
  const value = rule[field];
  if (c.unresolved(field, value)) return;
  if (value === undefined || value === null || String(value).trim() === "") {
    c.add(
      "error",
      `missing-${field}`,
      `Security rule ${rule.name} has no ${field}; Azure requires it (reference §1.1).`,
    );
  } else if (!ok) {
    const members = field === "protocol" ? RULE_PROTOCOLS : field === "access" ? RULE_ACCESS : RULE_DIRECTIONS;
    c.add(
      "error",
      `invalid-${field}`,
      `Security rule ${rule.name} has invalid ${field}. Value provided: ${value}. (${notAMember(members, String(value))}.)`,
    );
  }
}

function checkPorts(c: Collector, rule: SecurityRule, side: "source" | "destination", portless: boolean): void {
  const singular = side === "source" ? rule.sourcePortRange : rule.destinationPortRange;
  const plural = side === "source" ? rule.sourcePortRanges : rule.destinationPortRanges;
  const hasSingular = typeof singular === "string" && singular.trim() !== "";
  const hasPlural = Array.isArray(plural) && plural.length > 0;
  if (!hasSingular && !hasPlural) {
    c.add("error", "missing-port-range", `Security rule ${rule.name} has no ${side} port range; Azure requires one.`);
    return;
  }
  if (hasSingular && hasPlural) {
    c.add(
      "warning",
      "several-port-forms",
      `Security rule ${rule.name} gives both ${side}PortRange (${singular}) and ${side}PortRanges (${plural!.join(", ")}); Azure documents one or the other. Where they differ the verdict is Unknown.`,
    );
  }
  if (hasSingular) checkPortValue(c, rule, side, portless, singular!, false);
  if (hasPlural) for (const value of plural!) checkPortValue(c, rule, side, portless, value, true);
}

function checkPortValue(
  c: Collector,
  rule: SecurityRule,
  side: "source" | "destination",
  portless: boolean,
  value: string,
  inList: boolean,
): void {
  if (c.unresolved(`${side} port range`, value)) return;
  const parsed = parsePortText(value);
  if (!parsed.ok) {
    // Wire code and message as Azure returns them (Azure/azure-cli#23499, terraform-provider-azurerm#659).
    c.add(
      "error",
      "SecurityRuleInvalidPortRange",
      `Security rule ${rule.name} has invalid Port range. Value provided: ${value}. Value should be an integer OR integer range with '-' delimiter. Valid range 0-65535.`,
    );
  } else if (inList && value.trim() === "*") {
    c.add(
      "warning",
      "star-in-port-list",
      `Security rule ${rule.name} has '*' inside ${side}PortRanges; Azure does not document it. Evaluated as every port.`,
    );
  } else if (portless && !isAllPorts(parsed.set)) {
    c.add(
      "warning",
      "ports-on-portless-protocol",
      `Security rule ${rule.name} names ${side} port ${value} with protocol ${rule.protocol}, which has no ports; how Azure matches it is not documented (MicrosoftDocs/azure-docs#51522). Verdicts for such flows are Unknown where this rule may decide.`,
    );
  }
}

function isTagShaped(text: string): boolean {
  return TAG_SHAPE.test(text) && !/^\d/.test(text);
}

function checkSingularAddress(c: Collector, rule: SecurityRule, side: string, text: string, options: ValidateOptions) {
  if (c.unresolved(`${side} address prefix`, text)) return;
  const value = text.trim();
  if (value === "*") return;
  const parsed = parsePrefix(value);
  if (parsed) return checkHostBits(c, rule, value, parsed.canonical, parsed.hostBitsSet);
  const lower = value.toLowerCase();
  if (lower !== "any" && isTagShaped(value)) {
    if (VIRTUAL_TAGS.has(lower)) return;
    if (options.isServiceTag?.(value) === false) {
      c.add(
        "warning",
        "unknown-service-tag",
        `Security rule ${rule.name}: '${value}' is not a service tag in the catalog used; Azure refuses unknown tags unless the catalog is out of date. Verdicts that depend on it are Unknown.`,
      );
    }
    return;
  }
  // `any` and malformed CIDRs are refused (reference §1.9; Azure/azure-powershell#4557, ernestio/ernest#473).
  c.add(
    "error",
    "SecurityRuleInvalidAddressPrefix",
    `Security rule ${rule.id} has invalid Address prefix. Value provided: ${value}`,
  );
}

function checkHostBits(c: Collector, rule: SecurityRule, value: string, canonical: string, hostBitsSet: boolean): void {
  if (!hostBitsSet) return;
  // Azure refused 50.206.209.68/27 through PowerShell while the portal accepted it (reference §1.9, UNCERTAIN).
  c.add(
    "warning",
    "prefix-host-bits",
    `Security rule ${rule.name}: prefix ${value} has host bits set (the network is ${canonical}); Azure may refuse it with SecurityRuleInvalidAddressPrefix. Evaluated as ${canonical}.`,
  );
}

function checkPluralAddresses(c: Collector, rule: SecurityRule, side: "source" | "destination", items: string[]): void {
  const parameter = side === "source" ? "SourceAddressPrefix" : "DestinationAddressPrefix";
  for (const item of items) {
    if (c.unresolved(`${side} address prefix list entry`, item)) continue;
    const parsed = parsePrefix(item);
    if (parsed) {
      checkHostBits(c, rule, item, parsed.canonical, parsed.hostBitsSet);
    } else if (item.trim() === "*" || isTagShaped(item.trim())) {
      // Plural lists hold IPs and CIDRs only (reference §1.9, hashicorp/terraform-provider-azurerm#5617).
      c.add(
        "error",
        "SecurityRuleParameterContainsUnsupportedValue",
        `Security rule parameter ${parameter} for rule with Id ${rule.id} cannot specify existing VIRTUALNETWORK, INTERNET, AZURELOADBALANCER, '*' or system tags. Unsupported value used: ${item}.`,
      );
    } else {
      c.add(
        "error",
        "SecurityRuleInvalidAddressPrefix",
        `Security rule ${rule.id} has invalid Address prefix. Value provided: ${item}`,
      );
    }
  }
}

function checkAddresses(
  c: Collector,
  rule: SecurityRule,
  side: "source" | "destination",
  options: ValidateOptions,
): void {
  const singular = side === "source" ? rule.sourceAddressPrefix : rule.destinationAddressPrefix;
  const plural = side === "source" ? rule.sourceAddressPrefixes : rule.destinationAddressPrefixes;
  const asgs = side === "source" ? rule.sourceApplicationSecurityGroups : rule.destinationApplicationSecurityGroups;
  const forms = [
    typeof singular === "string" && singular.trim() !== "" ? `${side}AddressPrefix` : "",
    plural && plural.length > 0 ? `${side}AddressPrefixes` : "",
    asgs && asgs.length > 0 ? `${side}ApplicationSecurityGroups` : "",
  ].filter((f) => f !== "");
  if (forms.length === 0) {
    c.add(
      "error",
      "missing-address",
      `Security rule ${rule.name} has no ${side} address: Azure requires a prefix, a prefix list or application security groups.`,
    );
    return;
  }
  if (forms.length > 1) {
    c.add(
      "warning",
      "several-address-forms",
      `Security rule ${rule.name} gives ${forms.join(" and ")}; Azure documents one of them. Where they differ the verdict is Unknown.`,
    );
  }
  if (forms.includes(`${side}AddressPrefix`)) checkSingularAddress(c, rule, side, singular!, options);
  if (plural && plural.length > 0) checkPluralAddresses(c, rule, side, plural);
  if (asgs && asgs.length > NSG_LIMITS.asgsPerRule) {
    c.add(
      "error",
      "too-many-asgs",
      `Security rule ${rule.name} names ${asgs.length} ${side} application security groups; the limit is ${NSG_LIMITS.asgsPerRule} (reference §1.8).`,
    );
  }
}

/**
 * Rule names seen to pass NAME: an estate repeats the same few hundred names across thousands of NSGs, and the
 * Unicode pattern is the costliest test of a rule (issue 17). Bounded like model/ip's prefix memo.
 */
const goodNames = new Set<string>();

function validName(name: string): boolean {
  if (goodNames.has(name)) return true;
  const ok = name.length <= 80 && NAME.test(name);
  if (ok) {
    if (goodNames.size >= 100_000) goodNames.clear();
    goodNames.add(name);
  }
  return ok;
}

/** Checks one user rule on its own (fields, values, names). */
export function validateSecurityRule(rule: SecurityRule, options: ValidateOptions = {}): Diagnostic[] {
  const c = new Collector(rule);
  if (!c.unresolved("name", rule.name) && !validName(rule.name)) {
    c.add(
      "error",
      "InvalidResourceName",
      `Security rule name '${rule.name}' is invalid: at most 80 characters, starting with a word character, ending with a word character or '_', containing only word characters, '.', '-' and '_' (reference §1.1).`,
    );
  }
  if (rule.description !== undefined && rule.description.length > 140) {
    c.add(
      "error",
      "description-too-long",
      `Security rule ${rule.name} has a description of ${rule.description.length} characters; the limit is 140 (reference §1.1).`,
    );
  }
  const protocol = typeof rule.protocol === "string" ? parseRuleProtocol(rule.protocol) : undefined;
  checkEnum(c, rule, "protocol", protocol !== undefined);
  checkEnum(c, rule, "access", typeof rule.access === "string" && parseAccess(rule.access) !== undefined);
  checkEnum(c, rule, "direction", typeof rule.direction === "string" && parseDirection(rule.direction) !== undefined);
  if (Number.isNaN(rule.priority)) {
    c.add(
      "info",
      "unresolved-value",
      `Security rule ${rule.name}: priority is unresolved; its place in the order is unknown.`,
    );
  } else if (!Number.isInteger(rule.priority) || rule.priority < 100 || rule.priority > 4096) {
    // Azure refuses it; the exact wire code was not collected (reference §1.9, §6 item 8).
    c.add(
      "error",
      "priority-out-of-range",
      `Security rule ${rule.name} has priority ${rule.priority}; it must be an integer from 100 to 4096.`,
    );
  }
  const portless = protocol !== undefined && (protocol & ~PORTLESS_PROTOCOLS) === 0;
  checkPorts(c, rule, "source", portless);
  checkPorts(c, rule, "destination", portless);
  checkAddresses(c, rule, "source", options);
  checkAddresses(c, rule, "destination", options);
  return c.items;
}

/** Checks an NSG's user rules, alone and against each other (reference §1.1, §1.8, §1.9). */
export function validateNsg(nsg: NetworkSecurityGroup, options: ValidateOptions = {}): Diagnostic[] {
  const out = nsg.securityRules.flatMap((r) => validateSecurityRule(r, options));
  const nsgError = (code: string, message: string) =>
    out.push({ severity: "error", code: `nsg/${code}`, message, src: nsg.src });
  if (nsg.securityRules.length > NSG_LIMITS.rulesPerNsg) {
    nsgError(
      "too-many-rules",
      `NSG ${nsg.name} has ${nsg.securityRules.length} rules; the limit is ${NSG_LIMITS.rulesPerNsg} (reference §1.8).`,
    );
  }
  const byName = new Map<string, SecurityRule>();
  const byPriority = new Map<string, SecurityRule>();
  const asgs = new Set<string>();
  const prefixes = { source: 0, destination: 0 };
  for (const rule of nsg.securityRules) {
    const nameKey = String(rule.name).toLowerCase();
    const sameName = byName.get(nameKey);
    if (sameName && !isUnknown(rule.name)) {
      out.push({
        severity: "error",
        code: "nsg/duplicate-rule-name",
        message: `NSG ${nsg.name} has two rules named ${rule.name}; names are unique within an NSG (reference §1.1).`,
        src: rule.src,
      });
    } else {
      byName.set(nameKey, rule);
    }
    const direction = typeof rule.direction === "string" ? parseDirection(rule.direction) : undefined;
    if (direction && Number.isFinite(rule.priority)) {
      const key = `${rule.priority}:${direction}`;
      const other = byPriority.get(key);
      // Wire message of reference §1.9 (hashicorp/terraform-provider-azurerm#11137).
      if (other) {
        out.push({
          severity: "error",
          code: "nsg/SecurityRuleConflict",
          message: `Security rule ${rule.name} conflicts with rule ${other.name}. Rules cannot have the same Priority and Direction. (priority ${rule.priority}, ${direction})`,
          src: rule.src,
        });
      } else {
        byPriority.set(key, rule);
      }
    }
    for (const ref of [
      ...(rule.sourceApplicationSecurityGroups ?? []),
      ...(rule.destinationApplicationSecurityGroups ?? []),
    ])
      asgs.add(ref.id.toLowerCase());
    prefixes.source += (rule.sourceAddressPrefix ? 1 : 0) + (rule.sourceAddressPrefixes?.length ?? 0);
    prefixes.destination += (rule.destinationAddressPrefix ? 1 : 0) + (rule.destinationAddressPrefixes?.length ?? 0);
  }
  if (asgs.size > NSG_LIMITS.asgsPerNsg) {
    nsgError(
      "too-many-asgs",
      `NSG ${nsg.name} uses ${asgs.size} application security groups; the limit is ${NSG_LIMITS.asgsPerNsg} (reference §1.8).`,
    );
  }
  for (const side of ["source", "destination"] as const) {
    if (prefixes[side] > NSG_LIMITS.prefixesPerSide) {
      nsgError(
        "too-many-prefixes",
        `NSG ${nsg.name} has ${prefixes[side]} ${side} addresses and ranges; the limit is ${NSG_LIMITS.prefixesPerSide} (reference §1.8).`,
      );
    }
  }
  return out;
}
