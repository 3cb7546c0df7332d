/**
 * @module engine/servicetags/prefix-list
 * Engine layer: turns a tag's list of CIDR prefixes into one AddressSet. Service tags hold up to tens of
 * thousands of prefixes (AzureCloud has about 16 000), so the usual forms (`a.b.c.d/n`, `x:x::/n`) take a
 * fast path; anything else goes through the general parser of engine/ip, which also rejects what is not a
 * prefix.
 */

import { parseIpv4, parsePrefix } from "../../model/ip.js";
import { AddressSet } from "../ip/address-set.js";
import { bigintOps, normalize, numberOps } from "../ip/intervals.js";

/** The union of `prefixes`, or the index of the first entry that is not an address or CIDR prefix. */
export function parsePrefixList(prefixes: readonly string[]): AddressSet | number {
  const v4: [number, number][] = [];
  const v6: [bigint, bigint][] = [];
  for (let i = 0; i < prefixes.length; i++) {
    const text = prefixes[i]!;
    if (!addIpv4(text, v4) && !addIpv6(text, v6)) {
      const p = parsePrefix(text);
      if (!p) return i;
      if (p.version === 4) v4.push([Number(p.first), Number(p.last)]);
      else v6.push([p.first, p.last]);
    }
  }
  return AddressSet.fromIntervals(normalize(v4, numberOps), normalize(v6, bigintOps));
}

/** `a.b.c.d/n` on the fast path; false when the text has another form (left to the general parser). */
function addIpv4(text: string, out: [number, number][]): boolean {
  const slash = text.indexOf("/");
  if (slash < 0 || text.length - slash > 3 || slash === text.length - 1) return false;
  const address = parseIpv4(text.slice(0, slash));
  if (address < 0) return false;
  let length = 0;
  for (let i = slash + 1; i < text.length; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return false;
    length = length * 10 + c;
  }
  if (length > 32) return false;
  const size = 2 ** (32 - length);
  const first = address - (address % size);
  out.push([first, first + size - 1]);
  return true;
}

const HEXTET = /^[0-9a-fA-F]{1,4}$/;

/** `x:x::x/n` on the fast path (no embedded IPv4); false when the text has another form. */
function addIpv6(text: string, out: [bigint, bigint][]): boolean {
  const slash = text.indexOf("/");
  const address = slash < 0 ? text : text.slice(0, slash);
  const lengthText = slash < 0 ? "128" : text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(lengthText) || address.includes(".")) return false;
  const length = Number(lengthText);
  if (length > 128) return false;
  const halves = address.split("::");
  if (halves.length > 2) return false;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return false;
  let hex = "";
  for (const group of head) {
    if (!HEXTET.test(group)) return false;
    hex += group.padStart(4, "0");
  }
  hex += "0000".repeat(halves.length === 2 ? missing : 0);
  for (const group of tail) {
    if (!HEXTET.test(group)) return false;
    hex += group.padStart(4, "0");
  }
  const value = BigInt(`0x${hex}`);
  const mask = (1n << BigInt(128 - length)) - 1n;
  const first = value & ~mask;
  out.push([first, first | mask]);
  return true;
}
