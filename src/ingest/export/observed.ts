/**
 * @module ingest/export/observed
 * Reading the observed-fact bodies Azure prints (effective routes, effective NSGs, IP flow verify, next hop;
 * reference §4.1–4.4) into the model's observed types, each row located in its file. What the fact was taken
 * from is read only from the input: a REST example's request (`parameters`) or an NSG's `association`. A bare
 * `az` answer names nothing, and the ingester says so, since the checks can then compare it with no subnet.
 */

import type {
  EffectiveRoute,
  IpFlowVerifyRequest,
  ObservedEffectiveNsg,
  ObservedScope,
  ObservedSecurityRule,
} from "../../model/observed.js";
import type { SourceRef } from "../../model/source.js";
import { field, isObject, type Json } from "../resources/fields.js";
import type { IngestContext, InputDocument } from "../types.js";

/** The request of a REST API example (`parameters`), or undefined for a bare answer. */
export function restRequest(input: InputDocument): Json | undefined {
  const value = input.json?.value;
  return isObject(value) && isObject(value.responses) && isObject(value.parameters) ? value.parameters : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== ""
    ? value
    : typeof value === "number"
      ? String(value)
      : undefined;
}

function idOf(value: unknown): string | undefined {
  return isObject(value) ? text(field(value, "id")) : undefined;
}

/**
 * The scope a REST request names: `targetNicResourceId`, the NIC a NIC action is posted on
 * (`networkInterfaceName` with the path's subscription and group), `targetResourceId` and the VM-side address.
 */
export function scopeOfRequest(parameters: Json | undefined): ObservedScope {
  if (!parameters) return {};
  const body = isObject(parameters.parameters) ? parameters.parameters : {};
  const scope: ObservedScope = {};
  const nic = text(field(body, "targetNicResourceId"));
  const nicName = text(field(parameters, "networkInterfaceName"));
  const sub = text(field(parameters, "subscriptionId"));
  const group = text(field(parameters, "resourceGroupName"));
  if (nic) scope.networkInterfaceId = nic;
  else if (nicName && sub && group)
    scope.networkInterfaceId = `/subscriptions/${sub}/resourceGroups/${group}/providers/Microsoft.Network/networkInterfaces/${nicName}`;
  const target = text(field(body, "targetResourceId"));
  if (target && /\/virtualMachines\//i.test(target)) scope.virtualMachineId = target;
  else if (target && /\/networkInterfaces\//i.test(target)) scope.networkInterfaceId ??= target;
  const address = text(field(body, "localIPAddress")) ?? text(field(body, "sourceIPAddress"));
  if (address) scope.address = address;
  return scope;
}

/** The id an observed fact is said to be about (a NIC, else a subnet), for `target` fields. */
export function targetOf(scope: ObservedScope): string | undefined {
  return scope.networkInterfaceId ?? scope.subnetId;
}

/** One effective-route row (flat; arrays for prefixes and next hops; older CLI's `additionalProperties`). */
export function effectiveRouteOf(r: Json): EffectiveRoute {
  const extra = isObject(r.additionalProperties) ? r.additionalProperties : {};
  const flag = field(r, "disableBgpRoutePropagation") ?? field(extra, "disableBgpRoutePropagation");
  const hops = field(r, "nextHopIpAddress");
  return {
    name: typeof r.name === "string" ? r.name : null,
    source: String(field(r, "source") ?? ""),
    state: String(field(r, "state") ?? ""),
    addressPrefix: (field(r, "addressPrefix") as unknown[]).map(String),
    nextHopType: String(field(r, "nextHopType") ?? ""),
    nextHopIpAddress: Array.isArray(hops) ? hops.map(String) : [],
    disableBgpRoutePropagation: typeof flag === "boolean" ? flag : undefined,
  };
}

/** The singular and plural forms of a field together, without repeats (Azure fills both). */
function both(rule: Json, singular: string, plural: string): string[] {
  const one = text(field(rule, singular));
  const many = field(rule, plural);
  const all = [...(one ? [one] : []), ...(Array.isArray(many) ? many.map(String) : [])];
  return [...new Set(all)];
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.map(String) : undefined;
}

/** One effective security rule, as printed. */
export function securityRuleOf(rule: Json, src: SourceRef): ObservedSecurityRule {
  const priority = field(rule, "priority");
  const out: ObservedSecurityRule = {
    name: String(field(rule, "name") ?? ""),
    protocol: String(field(rule, "protocol") ?? ""),
    access: String(field(rule, "access") ?? ""),
    priority: typeof priority === "number" ? priority : null,
    direction: String(field(rule, "direction") ?? ""),
    sourceAddressPrefixes: both(rule, "sourceAddressPrefix", "sourceAddressPrefixes"),
    destinationAddressPrefixes: both(rule, "destinationAddressPrefix", "destinationAddressPrefixes"),
    sourcePortRanges: both(rule, "sourcePortRange", "sourcePortRanges"),
    destinationPortRanges: both(rule, "destinationPortRange", "destinationPortRanges"),
    src,
  };
  const expandedSource = strings(field(rule, "expandedSourceAddressPrefix"));
  const expandedDestination = strings(field(rule, "expandedDestinationAddressPrefix"));
  if (expandedSource) out.expandedSourceAddressPrefix = expandedSource;
  if (expandedDestination) out.expandedDestinationAddressPrefix = expandedDestination;
  return out;
}

/** One entry of an effective-NSG list: the NSG, its association, its rules, each located. */
export function effectiveNsgOf(entry: Json, ctx: IngestContext, fallback: SourceRef): ObservedEffectiveNsg {
  const association = isObject(field(entry, "association")) ? (field(entry, "association") as Json) : {};
  const rules = field(entry, "effectiveSecurityRules");
  const out: ObservedEffectiveNsg = {
    association: {},
    rules: (Array.isArray(rules) ? rules : [])
      .filter(isObject)
      .map((r) => securityRuleOf(r, ctx.sources.lazy(r, fallback))),
    src: ctx.sources.lazy(entry, fallback),
  };
  const nsg = idOf(field(entry, "networkSecurityGroup"));
  if (nsg) out.networkSecurityGroupId = nsg;
  const subnet = idOf(field(association, "subnet"));
  const nic = idOf(field(association, "networkInterface"));
  const manager = idOf(field(association, "networkManager"));
  if (subnet) out.association.subnetId = subnet;
  if (nic) out.association.networkInterfaceId = nic;
  if (manager) out.association.networkManagerId = manager;
  return out;
}

/** IP flow verify's request fields (reference §4.1), when the REST example holds them. */
export function ipFlowRequestOf(parameters: Json | undefined): IpFlowVerifyRequest | undefined {
  const body = parameters && isObject(parameters.parameters) ? parameters.parameters : undefined;
  if (!body) return undefined;
  const direction = text(field(body, "direction"));
  const protocol = text(field(body, "protocol"));
  const localIPAddress = text(field(body, "localIPAddress"));
  const remoteIPAddress = text(field(body, "remoteIPAddress"));
  if (!direction || !protocol || !localIPAddress || !remoteIPAddress) return undefined;
  const localPort = text(field(body, "localPort"));
  const remotePort = text(field(body, "remotePort"));
  return {
    direction,
    protocol,
    localIPAddress,
    remoteIPAddress,
    ...(localPort ? { localPort } : {}),
    ...(remotePort ? { remotePort } : {}),
  };
}

/** Next hop's request fields (reference §4.2), when the REST example holds them. */
export function nextHopRequestOf(
  parameters: Json | undefined,
): { sourceIPAddress: string; destinationIPAddress: string } | undefined {
  const body = parameters && isObject(parameters.parameters) ? parameters.parameters : undefined;
  const sourceIPAddress = body ? text(field(body, "sourceIPAddress")) : undefined;
  const destinationIPAddress = body ? text(field(body, "destinationIPAddress")) : undefined;
  return sourceIPAddress && destinationIPAddress ? { sourceIPAddress, destinationIPAddress } : undefined;
}

/** Optional string field of an answer. */
export function optionalText(value: Json, name: string): string | undefined {
  return text(field(value, name));
}
