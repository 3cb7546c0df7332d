/**
 * @module checks/util/rule-requirements
 * Checks layer: whether an NSG rule is the one written for a documented requirement (a row of
 * data/nsg/required-rules.json or data/apim/requirements.json), judged from the rule as written: same direction,
 * an allow, a protocol and ports that overlap the row's, and on the far side (the source of an inbound row, the
 * destination of an outbound one) the row's tag itself or its regional form (`Storage.WestEurope`). A rule with
 * `*` or a CIDR there is not taken for the required one: `*` names no service, and the RDP rule `* -> * 3389`
 * must not pass for a platform rule. Also: the traffic of a requirement that such a rule carries (its flow box
 * cut to the row's protocols and ports), and the narrowing that makes the rule carry only that. Shared by
 * NSG-RULE-SHADOWED (a required rule is never deleted) and NSG-RULE-UNMATCHABLE (a required rule written with
 * source and destination reversed).
 */
import { parseRuleProtocol } from "../../engine/nsg/compile.js";
import { formatProtocols } from "../../engine/nsg/flow.js";
import {
  formatPortSet,
  isAllPorts,
  NO_PORTS,
  parsePortText,
  portIntersect,
  portSetEquals,
  portUnion,
} from "../../engine/nsg/ports.js";
import {
  ALL_PROTOCOLS,
  type FlowBox,
  type NormalizedRule,
  PORTLESS_PROTOCOLS,
  type PortSet,
  type ProtocolMask,
} from "../../engine/nsg/types.js";
import type { RuleChange } from "./rule-fixes.js";

/** What a requirement row says about a rule. */
export interface RowShape {
  direction: string;
  source: string;
  destination: string;
  ports: string[];
  protocol: string;
}

/** True when `text` (a rule's address prefix) names `tag`: the same tag, or its regional form. */
export function namesTag(text: string | undefined, tag: string): boolean {
  const t = text?.trim().toLowerCase();
  const want = tag.toLowerCase();
  return t !== undefined && (t === want || t.startsWith(`${want}.`));
}

/** The destination ports of a row as a set (unparseable entries are left out: the data is ours). */
export function rowPorts(row: Pick<RowShape, "ports">): PortSet {
  return row.ports.reduce<PortSet>((set, text) => {
    const parsed = parsePortText(text);
    return parsed.ok ? portUnion(set, parsed.set) : set;
  }, NO_PORTS);
}

function rowProtocols(row: Pick<RowShape, "protocol">): ProtocolMask {
  return parseRuleProtocol(row.protocol) ?? ALL_PROTOCOLS;
}

/**
 * True when `rule` carries some of the row's traffic and names the row's tag on the far side. With `reversed`,
 * it is the row written with source and destination swapped: both sides are compared, crosswise.
 */
export function writtenFor(rule: NormalizedRule, row: RowShape, reversed = false): boolean {
  const r = rule.rule;
  if (rule.access !== "Allow" || rule.direction.toLowerCase() !== row.direction.toLowerCase()) return false;
  if ((rule.protocols.definite & rowProtocols(row)) === 0) return false;
  if (portIntersect(rule.destinationPorts.definite, rowPorts(row)).length === 0) return false;
  if (reversed)
    return namesTag(r.sourceAddressPrefix, row.destination) && namesTag(r.destinationAddressPrefix, row.source);
  return row.direction === "Inbound"
    ? namesTag(r.sourceAddressPrefix, row.source)
    : namesTag(r.destinationAddressPrefix, row.destination);
}

/** The flows of `rule` that the rows need: its box cut to their protocols and ports. */
export function neededBox(rule: NormalizedRule, rows: readonly RowShape[]): FlowBox {
  const ports = portIntersect(
    rule.destinationPorts.definite,
    rows.reduce<PortSet>((set, row) => portUnion(set, rowPorts(row)), NO_PORTS),
  );
  let protocols = rule.protocols.definite & rows.reduce((mask, row) => mask | rowProtocols(row), 0);
  // Named ports: the flows without ports are left out, as NSG-RULE-SHADOWED judges them (util/rule-shadowing).
  if (!isAllPorts(ports) || !isAllPorts(rule.sourcePorts.definite)) protocols &= ~PORTLESS_PROTOCOLS;
  return {
    protocols,
    sourceAddresses: rule.sourceAddresses.definite,
    sourcePorts: rule.sourcePorts.definite,
    destinationAddresses: rule.destinationAddresses.definite,
    destinationPorts: ports,
  };
}

/** `TCP 443 from GatewayManager` / `TCP 1886, 443 to AzureMonitor`: the needed flows, in words. */
export function neededText(rule: NormalizedRule, box: FlowBox): string {
  const inbound = rule.direction === "Inbound";
  const far = (inbound ? rule.rule.sourceAddressPrefix : rule.rule.destinationAddressPrefix) ?? "?";
  const protocols = box.protocols === ALL_PROTOCOLS ? "any protocol" : formatProtocols(box.protocols).toUpperCase();
  const ports = isAllPorts(box.destinationPorts) ? "every port" : formatPortSet(box.destinationPorts);
  return `${protocols} ${ports} ${inbound ? "from" : "to"} ${far}`;
}

/**
 * The change that makes `rule` carry only what the rows need: its destination ports and protocol cut to theirs
 * (empty when it already does). Its addresses are kept: the far side already names the rows' tag.
 */
export function narrowedTo(rule: NormalizedRule, rows: readonly RowShape[]): RuleChange {
  const box = neededBox(rule, rows);
  const change: RuleChange = {};
  if (!portSetEquals(box.destinationPorts, rule.destinationPorts.definite)) {
    const texts = isAllPorts(box.destinationPorts) ? ["*"] : formatPortSet(box.destinationPorts).split(", ");
    if (texts.length === 1) Object.assign(change, { destinationPortRange: texts[0], destinationPortRanges: undefined });
    else Object.assign(change, { destinationPortRange: undefined, destinationPortRanges: texts });
  }
  const wanted = rows.reduce((mask, row) => mask | rowProtocols(row), 0);
  const names = formatProtocols(wanted).split(",");
  if ((rule.protocols.definite & ~wanted) !== 0 && names.length === 1) change.protocol = names[0]!;
  return change;
}
