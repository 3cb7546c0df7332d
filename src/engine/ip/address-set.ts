/**
 * @module engine/ip/address-set
 * Sets of IPv4 and IPv6 addresses with union, intersection, difference and containment. These are the values
 * service tags, NSG prefixes, route prefixes and flows are made of. Immutable; every operation returns a new
 * set. IPv4 intervals are plain numbers, which keeps the hot path free of bigint arithmetic.
 */

import { formatAddress, type ParsedPrefix, parseAddress, parsePrefix } from "../../model/ip.js";
import { bigintOps, covers, equal, find, intersect, normalize, numberOps, subtract, union } from "./intervals.js";

const V4_MAX = 0xffffffff;
const V6_MAX = (1n << 128n) - 1n;

export class AddressSet {
  private constructor(
    /** Flat `[lo, hi, ...]` IPv4 intervals. */
    readonly v4: readonly number[],
    /** Flat `[lo, hi, ...]` IPv6 intervals. */
    readonly v6: readonly bigint[],
  ) {}

  static readonly EMPTY = new AddressSet([], []);
  /** Every IPv4 and IPv6 address: what `*` and `0.0.0.0/0` mean in a rule. */
  static readonly ALL = new AddressSet([0, V4_MAX], [0n, V6_MAX]);
  static readonly ALL_V4 = new AddressSet([0, V4_MAX], []);

  static fromIntervals(v4: number[], v6: bigint[]): AddressSet {
    return new AddressSet(v4, v6);
  }

  static fromPrefixes(prefixes: readonly ParsedPrefix[]): AddressSet {
    const v4: [number, number][] = [];
    const v6: [bigint, bigint][] = [];
    for (const p of prefixes) {
      if (p.version === 4) v4.push([Number(p.first), Number(p.last)]);
      else v6.push([p.first, p.last]);
    }
    return new AddressSet(normalize(v4, numberOps), normalize(v6, bigintOps));
  }

  /** Parses CIDRs and addresses; throws on text that is neither (callers validate first). */
  static parse(...texts: string[]): AddressSet {
    const prefixes: ParsedPrefix[] = [];
    for (const text of texts) {
      const p = parsePrefix(text);
      if (!p) throw new Error(`not an IP address or CIDR prefix: ${text}`);
      prefixes.push(p);
    }
    return AddressSet.fromPrefixes(prefixes);
  }

  static ipv4Range(lo: number, hi: number): AddressSet {
    return new AddressSet([lo, hi], []);
  }

  union(other: AddressSet): AddressSet {
    if (other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    return new AddressSet(
      union(this.v4 as number[], other.v4 as number[], numberOps),
      union(this.v6 as bigint[], other.v6 as bigint[], bigintOps),
    );
  }

  intersect(other: AddressSet): AddressSet {
    return new AddressSet(
      intersect(this.v4 as number[], other.v4 as number[]),
      intersect(this.v6 as bigint[], other.v6 as bigint[]),
    );
  }

  subtract(other: AddressSet): AddressSet {
    return new AddressSet(
      subtract(this.v4 as number[], other.v4 as number[], numberOps),
      subtract(this.v6 as bigint[], other.v6 as bigint[], bigintOps),
    );
  }

  /** The addresses not in this set. */
  complement(): AddressSet {
    return AddressSet.ALL.subtract(this);
  }

  isEmpty(): boolean {
    return this.v4.length === 0 && this.v6.length === 0;
  }

  /** True when `other` is a subset of this set. */
  covers(other: AddressSet): boolean {
    return covers(this.v4 as number[], other.v4 as number[]) && covers(this.v6 as bigint[], other.v6 as bigint[]);
  }

  overlaps(other: AddressSet): boolean {
    return !this.intersect(other).isEmpty();
  }

  equals(other: AddressSet): boolean {
    return equal(this.v4 as number[], other.v4 as number[]) && equal(this.v6 as bigint[], other.v6 as bigint[]);
  }

  /** Membership of one IPv4 address given as a number (the hot path). */
  hasV4(value: number): boolean {
    return find(this.v4 as number[], value) >= 0;
  }

  /** Membership of one address given as text. */
  has(address: string): boolean {
    const parsed = parseAddress(address);
    if (!parsed) return false;
    return parsed.version === 4 ? this.hasV4(Number(parsed.value)) : find(this.v6 as bigint[], parsed.value) >= 0;
  }

  /** Number of IPv4 addresses (IPv6 is not counted). */
  sizeV4(): number {
    let n = 0;
    for (let i = 0; i < this.v4.length; i += 2) n += this.v4[i + 1]! - this.v4[i]! + 1;
    return n;
  }

  /** The lowest address, as text (IPv4 first). */
  firstAddress(): string | undefined {
    if (this.v4.length > 0) return formatAddress(4, BigInt(this.v4[0]!));
    if (this.v6.length > 0) return formatAddress(6, this.v6[0]!);
    return undefined;
  }

  /** The smallest list of CIDR prefixes that covers exactly this set, IPv4 then IPv6. */
  toCidrs(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.v4.length; i += 2) rangeToCidrs(4, BigInt(this.v4[i]!), BigInt(this.v4[i + 1]!), out);
    for (let i = 0; i < this.v6.length; i += 2) rangeToCidrs(6, this.v6[i]!, this.v6[i + 1]!, out);
    return out;
  }

  toString(): string {
    const cidrs = this.toCidrs();
    return cidrs.length > 6 ? `${cidrs.slice(0, 6).join(", ")}, … (${cidrs.length} prefixes)` : cidrs.join(", ");
  }
}

function rangeToCidrs(version: 4 | 6, lo: bigint, hi: bigint, out: string[]): void {
  const bits = version === 4 ? 32 : 128;
  let start = lo;
  while (start <= hi) {
    // The largest block that starts at `start` (alignment) and fits before `hi`.
    let size = 0;
    while (size < bits) {
      const block = 1n << BigInt(size + 1);
      if (start % block !== 0n || start + block - 1n > hi) break;
      size++;
    }
    out.push(`${formatAddress(version, start)}/${bits - size}`);
    start += 1n << BigInt(size);
  }
}

/** Re-exported so callers need one import for addresses. */
export { parseAddress, parsePrefix };
