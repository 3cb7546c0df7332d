/**
 * @module report/html/client/addresses
 * Report layer, page code: IPv4/IPv6 addresses and interval sets for the HTML report's flow tester. Like
 * everything under client/, `createAddressTools` is embedded in the page by its source text, so it uses
 * nothing from outside its body. Parsing follows model/ip.ts (four-part decimal IPv4 without leading
 * zeros; IPv6 with `::` and an embedded IPv4 tail); intervals are flat sorted `[lo, hi, ...]` arrays.
 */
import type { Addr, Ip } from "./types.js";

/** Address parsing, formatting and interval helpers. */
export function createAddressTools() {
  /** Membership of `v` in flat sorted disjoint intervals (binary search). */
  function find(flat: readonly Ip[], v: Ip): boolean {
    let lo = 0;
    let hi = flat.length / 2 - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (flat[mid * 2 + 1]! < v) lo = mid + 1;
      else if (flat[mid * 2]! > v) hi = mid - 1;
      else return true;
    }
    return false;
  }
  function parseV4(text: string): number | undefined {
    if (!/^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/.test(text)) return undefined;
    const parts = text.split(".").map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
  }
  function parseV6(text: string): bigint | undefined {
    if (!text.includes(":") || !/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
    let rest = text;
    const tail: number[] = [];
    const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(rest);
    if (dotted) {
      const v4 = parseV4(dotted[1]!);
      if (v4 === undefined) return undefined;
      tail.push(v4 >>> 16, v4 & 0xffff);
      rest = rest.slice(0, -dotted[1]!.length);
      if (rest.endsWith(":") && !rest.endsWith("::")) rest = rest.slice(0, -1);
    }
    const halves = rest.split("::");
    if (halves.length > 2) return undefined;
    const group = (s: string) => (s === "" ? [] : s.split(":"));
    const head = group(halves[0]!);
    const back = halves.length === 2 ? group(halves[1]!) : [];
    if ([...head, ...back].some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
    const total = head.length + back.length + tail.length;
    if (halves.length === 1 ? total !== 8 : total > 7) return undefined;
    const words = [
      ...head.map((g) => parseInt(g, 16)),
      ...new Array<number>(8 - total).fill(0),
      ...back.map((g) => parseInt(g, 16)),
      ...tail,
    ];
    return words.reduce((acc, w) => (acc << 16n) | BigInt(w), 0n);
  }
  function parseAddress(text: string): Addr | undefined {
    const v4 = parseV4(text);
    if (v4 !== undefined) return { version: 4, value: v4 };
    const v6 = parseV6(text);
    return v6 === undefined ? undefined : { version: 6, value: v6 };
  }
  function parseCidr(text: string): { version: 4 | 6; first: bigint; last: bigint } | undefined {
    const slash = text.indexOf("/");
    const a = parseAddress(slash < 0 ? text : text.slice(0, slash));
    if (!a) return undefined;
    const bits = a.version === 4 ? 32 : 128;
    let length = bits;
    if (slash >= 0) {
      const l = text.slice(slash + 1);
      if (!/^\d{1,3}$/.test(l) || Number(l) > bits) return undefined;
      length = Number(l);
    }
    const mask = (1n << BigInt(bits - length)) - 1n;
    const first = BigInt(a.value) & ~mask;
    return { version: a.version, first, last: first | mask };
  }
  function format(a: Addr): string {
    if (a.version === 4) {
      const n = Number(a.value);
      return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
    }
    const words: string[] = [];
    for (let i = 7; i >= 0; i--) words.push(((BigInt(a.value) >> BigInt(i * 16)) & 0xffffn).toString(16));
    return words
      .join(":")
      .replace(/(^|:)0(:0)+(:|$)/, "::")
      .replace(/:{3,}/, "::");
  }
  /** Adds the bounds of each interval (its start and one past its end) as cut points. */
  function cuts(out: Set<Ip>, flat: readonly Ip[]) {
    for (let i = 0; i < flat.length; i += 2) {
      const hi = flat[i + 1]!;
      out.add(flat[i]!);
      out.add(typeof hi === "bigint" ? hi + 1n : hi + 1);
    }
  }
  function pieces<T extends Ip>(ranges: [T, T][], bounds: Set<T>): [T, T][] {
    const sorted = [...bounds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const out: [T, T][] = [];
    for (const [lo, hi] of ranges) {
      let start = lo;
      for (const b of sorted) {
        if (b <= start || b > hi) continue;
        out.push([start, (typeof b === "bigint" ? b - 1n : (b as number) - 1) as T]);
        start = b;
      }
      out.push([start, hi]);
    }
    return out;
  }
  return { find, parseAddress, parseCidr, format, cuts, pieces };
}

export type AddressTools = ReturnType<typeof createAddressTools>;
