/**
 * @module engine/servicetags/non-public-ranges
 * Engine data: the address ranges that are never on the public Internet (private, shared, loopback,
 * link-local, multicast, reserved), each with the RFC that sets it aside. The `Internet` virtual tag is
 * computed as everything outside these ranges and outside the VNet (reference §1.4, which marks Azure's own
 * list as curated and UNCERTAIN; see virtual.ts).
 */
import { AddressSet } from "../ip/address-set.js";

export interface NonPublicRange {
  prefix: string;
  /** What the range is, as its RFC names it. */
  purpose: string;
  /** The RFC that reserves it. */
  rfc: string;
}

/** IPv4 and IPv6 ranges outside the public address space. */
export const NON_PUBLIC_RANGES: readonly NonPublicRange[] = [
  { prefix: "0.0.0.0/8", purpose: "this network", rfc: "RFC 1122 §3.2.1.3" },
  { prefix: "10.0.0.0/8", purpose: "private address space", rfc: "RFC 1918" },
  { prefix: "100.64.0.0/10", purpose: "shared address space (carrier-grade NAT)", rfc: "RFC 6598" },
  { prefix: "127.0.0.0/8", purpose: "loopback", rfc: "RFC 1122 §3.2.1.3" },
  { prefix: "169.254.0.0/16", purpose: "link-local", rfc: "RFC 3927" },
  { prefix: "172.16.0.0/12", purpose: "private address space", rfc: "RFC 1918" },
  { prefix: "192.168.0.0/16", purpose: "private address space", rfc: "RFC 1918" },
  { prefix: "224.0.0.0/4", purpose: "multicast", rfc: "RFC 5771" },
  {
    prefix: "240.0.0.0/4",
    purpose: "reserved for future use (with the limited broadcast address)",
    rfc: "RFC 1112 §4, RFC 919",
  },
  { prefix: "::/128", purpose: "unspecified address", rfc: "RFC 4291 §2.5.2" },
  { prefix: "::1/128", purpose: "loopback", rfc: "RFC 4291 §2.5.3" },
  { prefix: "fc00::/7", purpose: "unique local addresses", rfc: "RFC 4193" },
  { prefix: "fe80::/10", purpose: "link-local unicast", rfc: "RFC 4291 §2.5.6" },
  { prefix: "ff00::/8", purpose: "multicast", rfc: "RFC 4291 §2.7" },
];

let cached: AddressSet | undefined;

/** The union of NON_PUBLIC_RANGES. */
export function nonPublicSet(): AddressSet {
  cached ??= AddressSet.parse(...NON_PUBLIC_RANGES.map((r) => r.prefix));
  return cached;
}
