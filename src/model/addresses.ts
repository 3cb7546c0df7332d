/**
 * @module model/addresses
 * The address fields of the model as typed values, parsed once: a VNet's address space and DNS servers, a
 * subnet's prefixes (singular and plural together), a local network gateway's space, a route's destination and
 * next hop IP. Each text becomes a parsed prefix (or address), Unknown (a value no input gives, with the reason
 * the placeholder carries) or invalid (the text and what is wrong with it), with the place it is written. Every
 * check, report and command reads addresses through these accessors, so that all of them treat an unreadable
 * value alike: never skipped, always Unknown for what depends on it (issue "Never a silent pass (I)").
 *
 * The values are computed on first read and kept per model object and field (a WeakMap), together with the
 * texts they were read from: the same string is never parsed twice, and an object whose field was changed in
 * place (a what-if overlay, a test) is read again.
 */
import { type ParsedPrefix, parsePrefix } from "./ip.js";
import type { LocalNetworkGateway, Route, Subnet, VirtualNetwork, VirtualNetworkPeering } from "./resources.js";
import { type SourceRef, valueSource } from "./source.js";
import { isUnknown, unknownReason } from "./unknown.js";

/** One address text of the model, read. */
export type AddressValue =
  | { kind: "prefix"; text: string; prefix: ParsedPrefix; src: SourceRef }
  | { kind: "unknown"; text: string; reason: string; src: SourceRef }
  | { kind: "invalid"; text: string; problem: string; src: SourceRef };

/** A list of address values (a VNet's space, a subnet's prefixes) with its parts sorted out. */
export interface AddressList {
  values: readonly AddressValue[];
  /** The values that parsed. */
  prefixes: readonly ParsedPrefix[];
  /** The values that are Unknown or invalid: the list may hold any address they could stand for. */
  unreadable: readonly Exclude<AddressValue, { kind: "prefix" }>[];
  /**
   * Set when the list as a whole is not known: the resource is not in the inputs, or the list is absent or
   * empty (Azure refuses an empty one; validation says so). The reason, as a clause.
   */
  missing?: string;
  /** True when every address the list holds is known: no unreadable value and nothing missing. */
  complete: boolean;
}

/**
 * How a text is read: a CIDR prefix (an address alone is its /32 or /128); a network prefix, where host bits
 * must be clear (VNet and subnet prefixes: Azure refuses `10.10.10.0/16` with InvalidCIDRNotation, reference
 * part 2 §12); or one address.
 */
export type AddressForm = "prefix" | "network" | "address";

/** Reads one address text. */
export function readAddress(text: string, src: SourceRef, form: AddressForm = "prefix"): AddressValue {
  if (isUnknown(text)) return { kind: "unknown", text, reason: unknownReason(text), src };
  const trimmed = text.trim();
  if (trimmed === "") return { kind: "invalid", text, problem: "it is empty", src };
  if (form === "address" && trimmed.includes("/"))
    return { kind: "invalid", text, problem: "it is a prefix, not one IP address", src };
  const prefix = parsePrefix(trimmed);
  if (prefix && form === "network" && prefix.hostBitsSet)
    return {
      kind: "invalid",
      text,
      problem: `host bits are set (for /${prefix.length} it should be ${prefix.canonical})`,
      src,
    };
  if (prefix) return { kind: "prefix", text, prefix, src };
  return { kind: "invalid", text, problem: invalidReason(trimmed, form), src };
}

/** Why `text` (not a prefix) cannot be read, in a clause. */
function invalidReason(text: string, form: AddressForm): string {
  const slash = text.indexOf("/");
  if (form !== "address" && slash >= 0) {
    const length = text.slice(slash + 1);
    const v6 = text.includes(":");
    if (/^\d+$/.test(length) && Number(length) > (v6 ? 128 : 32))
      return `the prefix length /${length} is longer than ${v6 ? 128 : 32}`;
    if (!/^\d{1,3}$/.test(length)) return `'${length}' after the slash is not a prefix length`;
  }
  return form === "address" ? "it is not an IP address" : "it is not a CIDR prefix (a.b.c.d/n) or an IP address";
}

/** A list of values (exported for texts that are not model fields: `--assume` prefixes, constants, tests). */
export function listOf(values: AddressValue[], missing?: string): AddressList {
  const prefixes: ParsedPrefix[] = [];
  const unreadable: Exclude<AddressValue, { kind: "prefix" }>[] = [];
  for (const v of values) {
    if (v.kind === "prefix") prefixes.push(v.prefix);
    else unreadable.push(v);
  }
  return {
    values,
    prefixes,
    unreadable,
    ...(missing !== undefined ? { missing } : {}),
    complete: missing === undefined && unreadable.length === 0,
  };
}

type Field = "space" | "prefixes" | "dns" | "remote" | "route";

interface Entry<T> {
  texts: readonly (string | undefined)[];
  value: T;
}

const cache = new WeakMap<object, Map<Field, Entry<unknown>>>();

function sameTexts(a: readonly (string | undefined)[], b: readonly (string | undefined)[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `make()` for `owner`'s `field`, computed again only when the texts it reads have changed. */
function cached<T>(owner: object, field: Field, texts: readonly (string | undefined)[], make: () => T): T {
  let fields = cache.get(owner);
  if (!fields) {
    fields = new Map();
    cache.set(owner, fields);
  }
  const entry = fields.get(field);
  if (entry && sameTexts(entry.texts, texts)) return entry.value as T;
  const value = make();
  fields.set(field, { texts: [...texts], value });
  return value;
}

/** A list read from plain texts, all placed at `src`. */
export function textList(texts: readonly string[], src: SourceRef, form: AddressForm = "prefix"): AddressList {
  return listOf(texts.map((text) => readAddress(text, src, form)));
}

/** Values of `texts`, each located at its element of the field at `path` below `src`. */
function valuesAt(texts: readonly string[], src: SourceRef, path: (string | number)[], form: AddressForm) {
  return texts.map((text, i) => readAddress(text, valueSource(src, [...path, i]), form));
}

/** A subnet's prefixes: `addressPrefix` and then `addressPrefixes` (Azure takes one or the other). */
export function subnetPrefixes(subnet: Subnet): AddressList {
  const texts = [subnet.addressPrefix, ...(subnet.addressPrefixes ?? []), subnet.addressPrefixes ? "[]" : ""];
  return cached(subnet, "prefixes", texts, () => {
    const values: AddressValue[] = [];
    if (subnet.addressPrefix !== undefined)
      values.push(readAddress(subnet.addressPrefix, valueSource(subnet.src, ["addressPrefix"]), "network"));
    values.push(...valuesAt(subnet.addressPrefixes ?? [], subnet.src, ["addressPrefixes"], "network"));
    const missing = values.length === 0 ? `subnet ${subnet.name} has no address prefix` : undefined;
    return listOf(values, missing);
  });
}

/** A VNet's address space; missing when the VNet is not in the inputs or the list is empty. */
export function vnetAddressSpace(vnet: VirtualNetwork): AddressList {
  return cached(vnet, "space", [vnet.madeUp ? "?" : "", ...vnet.addressSpace.addressPrefixes], () => {
    if (vnet.madeUp) return listOf([], `virtual network ${vnet.name} is not in the inputs`);
    const values = valuesAt(
      vnet.addressSpace.addressPrefixes,
      vnet.src,
      ["addressSpace", "addressPrefixes"],
      "network",
    );
    return listOf(values, values.length === 0 ? `virtual network ${vnet.name} has no address space` : undefined);
  });
}

/** A local network gateway's address space (the on-premises prefixes it stands for). */
export function localGatewaySpace(gateway: LocalNetworkGateway): AddressList {
  return cached(gateway, "space", gateway.localNetworkAddressSpace.addressPrefixes, () =>
    listOf(
      valuesAt(
        gateway.localNetworkAddressSpace.addressPrefixes,
        gateway.src,
        ["localNetworkAddressSpace", "addressPrefixes"],
        "prefix",
      ),
    ),
  );
}

/**
 * The remote address space a peering routes to: the remote VNet's own when the inputs declare it (the engine
 * prefers it), else what the peering itself reports (`remoteAddressSpace`, exports carry it).
 */
export function peeringRemoteSpace(peering: VirtualNetworkPeering, remote: VirtualNetwork | undefined): AddressList {
  if (remote) return vnetAddressSpace(remote);
  const reported = peering.remoteAddressSpace?.addressPrefixes;
  return cached(peering, "remote", reported ?? ["?"], () => {
    if (!reported) return listOf([], `the remote address space of peering ${peering.name} is not in the inputs`);
    return listOf(valuesAt(reported, peering.src, ["remoteAddressSpace", "addressPrefixes"], "network"));
  });
}

/** A VNet's custom DNS servers (`dhcpOptions.dnsServers`), each one IP address; empty: Azure-provided DNS. */
export function vnetDnsServers(vnet: VirtualNetwork): AddressList {
  const servers = vnet.dhcpOptions?.dnsServers ?? [];
  return cached(vnet, "dns", servers, () =>
    listOf(valuesAt(servers, vnet.src, ["dhcpOptions", "dnsServers"], "address")),
  );
}

/** A route's destination: a prefix, a service tag, Unknown, or invalid. */
export type RouteDestination = AddressValue | { kind: "tag"; text: string; tag: string; src: SourceRef };

function routeValues(route: Route): { destination: RouteDestination; nextHop?: AddressValue } {
  return cached(route, "route", [route.addressPrefix, route.nextHopIpAddress], () => {
    const src = valueSource(route.src, ["addressPrefix"]);
    const read = readAddress(route.addressPrefix, src);
    const text = route.addressPrefix.trim();
    // A text that is not address-shaped is a service tag (reference §2.4); validation judges the name.
    const tagShaped = read.kind === "invalid" && text !== "" && !/[/:]/.test(text) && !/^\d/.test(text);
    const destination: RouteDestination = tagShaped ? { kind: "tag", text: route.addressPrefix, tag: text, src } : read;
    const ip = route.nextHopIpAddress;
    return {
      destination,
      ...(ip !== undefined && ip !== ""
        ? { nextHop: readAddress(ip, valueSource(route.src, ["nextHopIpAddress"]), "address") }
        : {}),
    };
  });
}

/**
 * What two routes of one table must not share (RouteConflict): the canonical prefix, or the tag (case ignored);
 * undefined for a destination that is Unknown or invalid.
 */
export function routeDestinationKey(route: Route): string | undefined {
  const destination = routeDestination(route);
  if (destination.kind === "prefix") return destination.prefix.canonical;
  return destination.kind === "tag" ? destination.tag.toLowerCase() : undefined;
}

/** Where a user route sends traffic to: its `addressPrefix` read. */
export function routeDestination(route: Route): RouteDestination {
  return routeValues(route).destination;
}

/** A user route's `nextHopIpAddress` read as one IP address; undefined when the route has none. */
export function routeNextHopIp(route: Route): AddressValue | undefined {
  return routeValues(route).nextHop;
}

/**
 * One unreadable value in a clause about `what`: `the prefix 'banana' cannot be read: ...` or `the prefix is
 * Unknown (parameters('x'))`.
 */
export function describeUnreadable(what: string, value: Exclude<AddressValue, { kind: "prefix" }>): string {
  return value.kind === "unknown"
    ? `${what} is Unknown (${value.reason})`
    : `${what} '${value.text}' cannot be read: ${value.problem}`;
}

/**
 * The clause that says why a list is not wholly known, starting with `what` (`the address space of vnet is
 * Unknown (parameters('space'))`); undefined when it is known.
 */
export function incompleteReason(list: AddressList, what: string): string | undefined {
  if (list.missing !== undefined) return list.missing;
  const [bad] = list.unreadable;
  if (!bad) return undefined;
  const more = list.unreadable.length > 1 ? ` (and ${list.unreadable.length - 1} more)` : "";
  return `${describeUnreadable(what, bad)}${more}`;
}
