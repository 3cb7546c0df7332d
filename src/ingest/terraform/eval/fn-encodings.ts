/**
 * @module ingest/terraform/eval/fn-encodings
 * Ingest layer, Terraform: the type conversions (`tostring`, `tolist`, `toset`, `tomap`, ...), encodings (`jsonencode`, `jsondecode`, `base64*`, hashes), pure path functions (`basename`, `dirname`) and the IP network functions (cidr.ts).
 */
import { createHash } from "node:crypto";
import { cidrhost, cidrnetmask, cidrsubnet, cidrsubnets } from "./cidr.js";
import { arity, type Fn, fromJson, hash, jsonEncode, list, num, obj, pending, str } from "./fn-helpers.js";
import { LIMITS } from "./limits.js";
import {
  asSet,
  copyPlaces,
  newObject,
  showValue,
  toBoolValue,
  toNumberValue,
  toStringValue,
  typeName,
  Unknown,
} from "./values.js";

export const ENCODING_FUNCTIONS: Record<string, Fn> = {
  // conversions
  tostring: (a, c) => {
    arity(a, c, 1);
    const v = a[0]!;
    if (v === null || v instanceof Unknown) return v;
    const s = toStringValue(v);
    if (s === undefined) return c.fail(`cannot convert a ${typeName(v)} to a string`);
    return s;
  },
  tonumber: (a, c) => {
    arity(a, c, 1);
    const v = a[0]!;
    if (v === null) return null;
    const n = toNumberValue(v);
    if (n === undefined) return c.fail(`cannot convert ${showValue(v)} to a number`);
    return n;
  },
  tobool: (a, c) => {
    arity(a, c, 1);
    const v = a[0]!;
    if (v === null) return null;
    const b = toBoolValue(v);
    if (b === undefined) return c.fail(`cannot convert ${showValue(v)} to a boolean`);
    return b;
  },
  tolist: (a, c) => {
    arity(a, c, 1);
    const v = a[0]!;
    if (v === null || v instanceof Unknown) return v;
    const out = [...list(v, c)];
    copyPlaces(v, out);
    return out;
  },
  toset: (a, c) => {
    arity(a, c, 1);
    const v = a[0]!;
    if (v === null || v instanceof Unknown) return v;
    const items = list(v, c);
    const out = asSet(items.map((x) => (typeof x === "number" || typeof x === "boolean" ? String(x) : x)));
    copyPlaces(v, out);
    return out;
  },
  tomap: (a, c) => {
    arity(a, c, 1);
    const v = a[0]!;
    if (v === null || v instanceof Unknown) return v;
    const out = newObject();
    const o = obj(v, c);
    for (const k of Object.keys(o)) out[k] = o[k]!;
    copyPlaces(v, out);
    return out;
  },
  sensitive: (a, c) => {
    arity(a, c, 1);
    return a[0]!;
  },
  nonsensitive: (a, c) => {
    arity(a, c, 1);
    return a[0]!;
  },
  type: (a, c) => {
    arity(a, c, 1);
    return typeName(a[0]!);
  },
  // encodings
  jsonencode: (a, c) => {
    arity(a, c, 1);
    if (a[0] instanceof Unknown) return a[0];
    // Unknowns inside stay as placeholders: the text is then Unknown for every other use, and an azapi body
    // written as `jsonencode({...})` still decodes to its shape.
    return jsonEncode(a[0]!);
  },
  jsondecode: (a, c) => {
    arity(a, c, 1);
    const u = pending(a);
    if (u) return u;
    const text = str(a[0]!, c);
    if (text.length > LIMITS.maxString) c.fail("the JSON is too long");
    try {
      return fromJson(JSON.parse(text));
    } catch (error) {
      if (error instanceof RangeError) throw error;
      return c.fail(`invalid JSON: ${(error as Error).message}`);
    }
  },
  base64encode: (a, c) => {
    arity(a, c, 1);
    return pending(a) ?? Buffer.from(str(a[0]!, c), "utf8").toString("base64");
  },
  base64decode: (a, c) => {
    arity(a, c, 1);
    const u = pending(a);
    if (u) return u;
    const s = str(a[0]!, c);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) c.fail("the string is not base64");
    return Buffer.from(s, "base64").toString("utf8");
  },
  urlencode: (a, c) => {
    arity(a, c, 1);
    return pending(a) ?? encodeURIComponent(str(a[0]!, c));
  },
  md5: hash("md5"),
  sha1: hash("sha1"),
  sha256: hash("sha256"),
  sha512: hash("sha512"),
  base64sha256: (a, c) => {
    arity(a, c, 1);
    return pending(a) ?? createHash("sha256").update(str(a[0]!, c)).digest("base64");
  },
  base64sha512: (a, c) => {
    arity(a, c, 1);
    return pending(a) ?? createHash("sha512").update(str(a[0]!, c)).digest("base64");
  },
  // paths (pure: no file is read)
  basename: (a, c) => {
    arity(a, c, 1);
    return (
      pending(a) ??
      str(a[0]!, c)
        .replace(/[\\/]+$/, "")
        .replace(/^.*[\\/]/, "")
    );
  },
  dirname: (a, c) => {
    arity(a, c, 1);
    const u = pending(a);
    if (u) return u;
    const s = str(a[0]!, c);
    const at = Math.max(s.lastIndexOf("/"), s.lastIndexOf("\\"));
    return at < 0 ? "." : at === 0 ? "/" : s.slice(0, at);
  },
  // IP networks
  cidrsubnet: (a, c) => {
    arity(a, c, 3);
    return pending(a) ?? cidrsubnet(str(a[0]!, c), num(a[1]!, c), num(a[2]!, c));
  },
  cidrsubnets: (a, c) => {
    arity(a, c, 1, Number.POSITIVE_INFINITY);
    return (
      pending(a) ??
      cidrsubnets(
        str(a[0]!, c),
        a.slice(1).map((x) => num(x, c)),
      )
    );
  },
  cidrhost: (a, c) => {
    arity(a, c, 2);
    return pending(a) ?? cidrhost(str(a[0]!, c), num(a[1]!, c));
  },
  cidrnetmask: (a, c) => {
    arity(a, c, 1);
    return pending(a) ?? cidrnetmask(str(a[0]!, c));
  },
};
