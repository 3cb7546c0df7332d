/**
 * @module ingest/terraform/eval/cidr
 * Ingest layer, Terraform: the IP network functions networking code is written with — `cidrsubnet`,
 * `cidrsubnets`, `cidrhost`, `cidrnetmask` — for IPv4 and IPv6, with Terraform's rules
 * (developer.hashicorp.com/terraform/language/functions/cidrsubnet): the prefix's host bits are ignored, a
 * `netnum` or `hostnum` that does not fit is an error, and a negative `hostnum` counts from the end. Addresses
 * are BigInts, so IPv6 needs no special case.
 */

interface Network {
  v6: boolean;
  /** The network address (host bits cleared). */
  base: bigint;
  length: number;
}

const BITS = (v6: boolean) => (v6 ? 128 : 32);

/** Parses `a.b.c.d/n` or an IPv6 CIDR; a string saying what is wrong otherwise. */
export function parseCidr(text: string): Network | string {
  const slash = text.indexOf("/");
  if (slash < 0) return `"${text}" is not a CIDR prefix (no /length)`;
  const address = parseAddress(text.slice(0, slash));
  if (typeof address === "string") return address;
  const lengthText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(lengthText)) return `"${text}": the prefix length is not a number`;
  const length = Number(lengthText);
  const bits = BITS(address.v6);
  if (length > bits) return `"${text}": the prefix length is more than ${bits}`;
  const mask = length === 0 ? 0n : ((1n << BigInt(length)) - 1n) << BigInt(bits - length);
  return { v6: address.v6, base: address.value & mask, length };
}

export function parseAddress(text: string): { v6: boolean; value: bigint } | string {
  if (text.includes(":")) return parseIpv6(text);
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255))
    return `"${text}" is not an IPv4 address`;
  return { v6: false, value: parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n) };
}

function parseIpv6(text: string): { v6: boolean; value: bigint } | string {
  const bad = `"${text}" is not an IPv6 address`;
  const halves = text.split("::");
  if (halves.length > 2) return bad;
  const groups = (s: string) => (s.length === 0 ? [] : s.split(":"));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  // An embedded IPv4 tail (`::ffff:1.2.3.4`) is two groups.
  const last = (halves.length === 2 ? tail : head).at(-1);
  const list = halves.length === 2 ? tail : head;
  if (last?.includes(".")) {
    const v4 = parseAddress(last);
    if (typeof v4 === "string") return bad;
    list.splice(list.length - 1, 1, ((v4.value >> 16n) & 0xffffn).toString(16), (v4.value & 0xffffn).toString(16));
  }
  const count = head.length + tail.length;
  if (halves.length === 1 ? count !== 8 : count > 7) return bad;
  const all = [...head, ...Array(8 - count).fill("0"), ...tail];
  let value = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return bad;
    value = (value << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return { v6: true, value };
}

export function formatAddress(v6: boolean, value: bigint): string {
  if (!v6) return [24n, 16n, 8n, 0n].map((s) => ((value >> s) & 255n).toString()).join(".");
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  // The longest run of two or more zero groups becomes `::` (RFC 5952).
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}

function format(n: Network): string {
  return `${formatAddress(n.v6, n.base)}/${n.length}`;
}

/** `cidrsubnet(prefix, newbits, netnum)`; a string is the error. */
export function cidrsubnet(prefix: string, newbits: number, netnum: number): string {
  const n = parseCidr(prefix);
  if (typeof n === "string") throw new RangeError(n);
  if (!Number.isInteger(newbits) || newbits < 0) throw new RangeError("newbits must be a whole number, 0 or more");
  const length = n.length + newbits;
  const bits = BITS(n.v6);
  if (length > bits)
    throw new RangeError(`${prefix} cannot be extended by ${newbits} bits: only ${bits - n.length} are left`);
  if (!Number.isInteger(netnum) || netnum < 0) throw new RangeError("netnum must be a whole number, 0 or more");
  if (BigInt(netnum) >= 1n << BigInt(newbits))
    throw new RangeError(`netnum ${netnum} does not fit in ${newbits} new bits of ${prefix}`);
  const base = n.base | (BigInt(netnum) << BigInt(bits - length));
  return format({ v6: n.v6, base, length });
}

/** `cidrsubnets(prefix, newbits...)`: consecutive subnets, each aligned to its own size. */
export function cidrsubnets(prefix: string, newbits: number[]): string[] {
  const n = parseCidr(prefix);
  if (typeof n === "string") throw new RangeError(n);
  const bits = BITS(n.v6);
  const end = n.base + (1n << BigInt(bits - n.length));
  let next = n.base;
  return newbits.map((nb) => {
    const length = n.length + nb;
    if (!Number.isInteger(nb) || nb < 1 || length > bits) throw new RangeError(`cannot add ${nb} bits to ${prefix}`);
    const size = 1n << BigInt(bits - length);
    const start = ((next + size - 1n) / size) * size;
    if (start + size > end) throw new RangeError(`not enough space in ${prefix} for a /${length}`);
    next = start + size;
    return format({ v6: n.v6, base: start, length });
  });
}

/** `cidrhost(prefix, hostnum)`: a negative hostnum counts back from the end of the range. */
export function cidrhost(prefix: string, hostnum: number): string {
  const n = parseCidr(prefix);
  if (typeof n === "string") throw new RangeError(n);
  if (!Number.isInteger(hostnum)) throw new RangeError("hostnum must be a whole number");
  const size = 1n << BigInt(BITS(n.v6) - n.length);
  const h = hostnum < 0 ? size + BigInt(hostnum) : BigInt(hostnum);
  if (h < 0n || h >= size) throw new RangeError(`host number ${hostnum} is not in ${prefix}`);
  return formatAddress(n.v6, n.base + h);
}

export function cidrnetmask(prefix: string): string {
  const n = parseCidr(prefix);
  if (typeof n === "string") throw new RangeError(n);
  if (n.v6) throw new RangeError("cidrnetmask works on IPv4 prefixes only");
  const mask = n.length === 0 ? 0n : ((1n << BigInt(n.length)) - 1n) << BigInt(32 - n.length);
  return formatAddress(false, mask);
}
