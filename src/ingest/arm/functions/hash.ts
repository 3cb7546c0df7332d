/**
 * @module ingest/arm/functions/hash
 * The two deterministic name generators of ARM templates, so that evaluated names match what Azure would
 * deploy when the inputs (resource group id, subscription) are the real ones:
 * - `uniqueString(...)`: the arguments joined with `-`, hashed with the 64-bit MurmurHash variant ARM uses
 *   (two 32-bit lanes, its own seeds and mixing constants), printed as 13 lower-case base-32 characters.
 *   Checked against published outputs (`uniqueString('test')` is `rbgf3xv4ufgzg`).
 * - `guid(...)`: an RFC 4122 §4.3 name-based (SHA-1, version 5) UUID of the arguments joined with `-`,
 *   under ARM's namespace id. UNCERTAIN: the namespace id is the one ARM is believed to use; no published
 *   output was available to check it against.
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-string#uniquestring
 */
import { createHash } from "node:crypto";

const C1 = 0xab0e9789;
const C2 = 0x239b961b;
const F1 = 0x85ebca6b;
const F2 = 0xc2b2ae35;
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

function rotl(x: number, r: number): number {
  return ((x << r) | (x >>> (32 - r))) >>> 0;
}

function le32(bytes: Uint8Array, at: number, count = 4): number {
  let v = 0;
  for (let i = 0; i < count; i++) v |= bytes[at + i]! << (8 * i);
  return v >>> 0;
}

function mixLane1(k: number): number {
  return Math.imul(rotl(Math.imul(k, C2) >>> 0, 15), C1) >>> 0;
}

function mixLane2(k: number): number {
  return Math.imul(rotl(Math.imul(k, C1) >>> 0, 17), C2) >>> 0;
}

function finalMix(h: number): number {
  let x = Math.imul(h ^ (h >>> 16), F1) >>> 0;
  x = Math.imul(x ^ (x >>> 13), F2) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** ARM's 64-bit MurmurHash of UTF-8 bytes, as [high, low] 32-bit halves. */
function murmur64(bytes: Uint8Array): [number, number] {
  const length = bytes.length;
  let h1 = 0;
  let h2 = 0;
  let at = 0;
  for (; at + 8 <= length; at += 8) {
    h1 = (rotl((h1 ^ mixLane1(le32(bytes, at))) >>> 0, 19) + h2) >>> 0;
    h1 = (Math.imul(h1, 5) + 0x561ccd1b) >>> 0;
    h2 = (rotl((h2 ^ mixLane2(le32(bytes, at + 4))) >>> 0, 13) + h1) >>> 0;
    h2 = (Math.imul(h2, 5) + 0x0bcaa747) >>> 0;
  }
  const rest = length - at;
  if (rest > 0) {
    h1 = (h1 ^ mixLane1(le32(bytes, at, Math.min(rest, 4)))) >>> 0;
    if (rest > 4) h2 = (h2 ^ mixLane2(le32(bytes, at + 4, rest - 4))) >>> 0;
  }
  const r0 = (h2 ^ length) >>> 0;
  let r1 = (((h1 ^ length) >>> 0) + r0) >>> 0;
  let r2 = (r0 + r1) >>> 0;
  r1 = finalMix(r1);
  r2 = finalMix(r2);
  r1 = (r1 + r2) >>> 0;
  r2 = (r2 + r1) >>> 0;
  return [r2, r1];
}

/** `uniqueString(a, b, ...)`: 13 base-32 characters from the 64-bit hash, most significant bits first. */
export function uniqueString(parts: string[]): string {
  const [high, low] = murmur64(new TextEncoder().encode(parts.join("-")));
  let value = (BigInt(high) << 32n) | BigInt(low);
  let out = "";
  for (let i = 0; i < 13; i++) {
    out += BASE32[Number((value >> 59n) & 31n)];
    value = (value << 5n) & 0xffffffffffffffffn;
  }
  return out;
}

const GUID_NAMESPACE = "11fb06fb-712d-4ddd-98c7-e71bbd588830";

/** `guid(a, b, ...)`: a version-5 UUID of the joined arguments (see the module note on certainty). */
export function armGuid(parts: string[]): string {
  const namespace = Buffer.from(GUID_NAMESPACE.replace(/-/g, ""), "hex");
  const digest = createHash("sha1")
    .update(namespace)
    .update(Buffer.from(parts.join("-"), "utf8"))
    .digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
