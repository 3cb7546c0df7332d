/**
 * @module model/ip
 * Parsing IP addresses and CIDR prefixes as Azure writes them (`10.0.0.0/16`, `10.0.0.4`, `2001:db8::/32`).
 * Parsing is delegated to ipaddr.js; we keep addresses as numbers (IPv4) and bigints (IPv6) so the
 * set operations of engine/ip/address-set.ts stay plain integer arithmetic.
 */
import ipaddr from "ipaddr.js";

export type IpVersion = 4 | 6;

export interface ParsedPrefix {
  version: IpVersion;
  /** First address of the prefix (host bits cleared). */
  first: bigint;
  /** Last address of the prefix. */
  last: bigint;
  length: number;
  /** True when the text had host bits set (`10.0.0.5/24`): Azure may refuse it, we warn. */
  hostBitsSet: boolean;
  /** Canonical text, `10.0.0.0/24`. */
  canonical: string;
}

const V4_BITS = 32;
const V6_BITS = 128;

/** Parses a dotted-quad or IPv6 address; undefined when it is not one. */
export function parseAddress(text: string): { version: IpVersion; value: bigint } | undefined {
  const trimmed = text.trim();
  // The hand-written parser accepts exactly ipaddr.js's four-part decimal form (no leading zeros, octets to
  // 255) and is about 20x faster; ipaddr.js stays the reader of everything else (profiles: issue 17).
  const v4 = parseIpv4(trimmed);
  if (v4 >= 0) return { version: 4, value: BigInt(v4) };
  if (ipaddr.IPv4.isValidFourPartDecimal(trimmed)) {
    const bytes = ipaddr.IPv4.parse(trimmed).octets;
    return { version: 4, value: BigInt(((bytes[0]! << 24) >>> 0) + (bytes[1]! << 16) + (bytes[2]! << 8) + bytes[3]!) };
  }
  if (trimmed.includes(":") && ipaddr.IPv6.isValid(trimmed)) {
    const parts = ipaddr.IPv6.parse(trimmed).parts;
    let value = 0n;
    for (const part of parts) value = (value << 16n) | BigInt(part);
    return { version: 6, value };
  }
  return undefined;
}

/** Fast path for the hot loop: a dotted quad to an unsigned 32-bit number, or -1. */
export function parseIpv4(text: string): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return -1; // leading zero
      octet = octet * 10 + (c - 48);
      digits++;
      if (octet > 255) return -1;
    } else if (c === 46) {
      if (digits === 0) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

/**
 * Parsed prefixes by text. Estates repeat the same few thousand prefixes across hundreds of thousands of rules,
 * and validation, compilation and the checks each read them: each text is parsed once. The values are frozen
 * (shared by every reader); the memo is emptied when it grows past MEMO_LIMIT so an adversarial input of
 * distinct texts cannot hold memory beyond that.
 */
const prefixMemo = new Map<string, ParsedPrefix | undefined>();
const MEMO_LIMIT = 200_000;

/** Parses `a.b.c.d/len`, `a.b.c.d` (a /32), or the IPv6 forms; undefined when it is neither. */
export function parsePrefix(text: string): ParsedPrefix | undefined {
  const known = prefixMemo.get(text);
  if (known !== undefined || prefixMemo.has(text)) return known;
  const parsed = parsePrefixText(text);
  if (prefixMemo.size >= MEMO_LIMIT) prefixMemo.clear();
  prefixMemo.set(text, parsed ? Object.freeze(parsed) : undefined);
  return parsed;
}

function parsePrefixText(text: string): ParsedPrefix | undefined {
  const trimmed = text.trim();
  const slash = trimmed.indexOf("/");
  const addressText = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const address = parseAddress(addressText);
  if (!address) return undefined;
  const bits = address.version === 4 ? V4_BITS : V6_BITS;
  let length = bits;
  if (slash >= 0) {
    const lengthText = trimmed.slice(slash + 1);
    if (!/^\d{1,3}$/.test(lengthText)) return undefined;
    length = Number(lengthText);
    if (length > bits) return undefined;
  }
  const hostBits = BigInt(bits - length);
  const mask = (1n << hostBits) - 1n;
  const first = address.value & ~mask;
  const last = first | mask;
  return {
    version: address.version,
    first,
    last,
    length,
    hostBitsSet: (address.value & mask) !== 0n,
    canonical: `${formatAddress(address.version, first)}/${length}`,
  };
}

/** Formats an address number as text. */
export function formatAddress(version: IpVersion, value: bigint): string {
  if (version === 4) {
    const n = Number(value);
    return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  const parts: number[] = [];
  let rest = value;
  for (let i = 0; i < 8; i++) {
    parts.unshift(Number(rest & 0xffffn));
    rest >>= 16n;
  }
  return ipaddr.fromByteArray(parts.flatMap((p) => [p >> 8, p & 255])).toString();
}

/** True for text that parses as an address or prefix (the test Azure applies to CIDR fields). */
export function isPrefixText(text: string): boolean {
  return parsePrefix(text) !== undefined;
}
