import { maxOf, minOf } from "../../../model/arrays.js";
import { isUnknown, unknownReason, unknownValue } from "../../../model/unknown.js";
import { arity, type Fn, formatString, list, mapKnownText, num, pending, regexOf, str } from "./fn-helpers.js";
import { LIMITS } from "./limits.js";
import { isUndecided, newObject, reasonsOf, Unknown, unknown, type Value } from "./values.js";

export const STRING_FUNCTIONS: Record<string, Fn> = {
  // numbers
  abs: (a, c) => {
    arity(a, c, 1);
    return pending(a) ?? Math.abs(num(a[0]!, c));
  },
  ceil: (a, c) => {
    arity(a, c, 1);
    return pending(a) ?? Math.ceil(num(a[0]!, c));
  },
  floor: (a, c) => {
    arity(a, c, 1);
    return pending(a) ?? Math.floor(num(a[0]!, c));
  },
  signum: (a, c) => {
    arity(a, c, 1);
    return pending(a) ?? Math.sign(num(a[0]!, c));
  },
  log: (a, c) => {
    arity(a, c, 2);
    return pending(a) ?? Math.log(num(a[0]!, c)) / Math.log(num(a[1]!, c));
  },
  pow: (a, c) => {
    arity(a, c, 2);
    return pending(a) ?? num(a[0]!, c) ** num(a[1]!, c);
  },
  max: (a, c) => {
    arity(a, c, 1, Number.POSITIVE_INFINITY);
    return pending(a) ?? maxOf(a.map((x) => num(x, c)));
  },
  min: (a, c) => {
    arity(a, c, 1, Number.POSITIVE_INFINITY);
    return pending(a) ?? minOf(a.map((x) => num(x, c)));
  },
  parseint: (a, c) => {
    arity(a, c, 2);
    const u = pending(a);
    if (u) return u;
    const base = num(a[1]!, c);
    const text = str(a[0]!, c);
    const n = Number.parseInt(text, base);
    if (Number.isNaN(n) || !/^-?[0-9a-z]+$/i.test(text)) c.fail(`cannot parse "${text}" in base ${base}`);
    return n;
  },
  sum: (a, c) => {
    arity(a, c, 1);
    const u = pending(a) ?? pending(list(a[0]!, c));
    if (u) return u;
    return list(a[0]!, c).reduce<number>((s, x) => s + num(x, c), 0);
  },
  // strings
  chomp: (a, c) => {
    arity(a, c, 1);
    return pending(a) ?? str(a[0]!, c).replace(/(\r\n|\n)+$/, "");
  },
  lower: (a, c) => {
    arity(a, c, 1);
    return a[0] instanceof Unknown ? a[0] : mapKnownText(str(a[0]!, c), (t) => t.toLowerCase());
  },
  upper: (a, c) => {
    arity(a, c, 1);
    return a[0] instanceof Unknown ? a[0] : mapKnownText(str(a[0]!, c), (t) => t.toUpperCase());
  },
  title: (a, c) => {
    arity(a, c, 1);
    return pending(a) ?? str(a[0]!, c).replace(/\b\w/g, (m) => m.toUpperCase());
  },
  trimspace: (a, c) => {
    arity(a, c, 1);
    return pending(a) ?? str(a[0]!, c).trim();
  },
  trim: (a, c) => {
    arity(a, c, 2);
    const u = pending(a);
    if (u) return u;
    const chars = new Set(str(a[1]!, c));
    const s = [...str(a[0]!, c)];
    let i = 0;
    let j = s.length;
    while (i < j && chars.has(s[i]!)) i++;
    while (j > i && chars.has(s[j - 1]!)) j--;
    return s.slice(i, j).join("");
  },
  trimprefix: (a, c) => {
    arity(a, c, 2);
    const u = pending(a);
    if (u) return u;
    const s = str(a[0]!, c);
    const p = str(a[1]!, c);
    return s.startsWith(p) ? s.slice(p.length) : s;
  },
  trimsuffix: (a, c) => {
    arity(a, c, 2);
    const u = pending(a);
    if (u) return u;
    const s = str(a[0]!, c);
    const p = str(a[1]!, c);
    return p.length > 0 && s.endsWith(p) ? s.slice(0, -p.length) : s;
  },
  startswith: (a, c) => {
    arity(a, c, 2);
    return pending(a) ?? str(a[0]!, c).startsWith(str(a[1]!, c));
  },
  endswith: (a, c) => {
    arity(a, c, 2);
    return pending(a) ?? str(a[0]!, c).endsWith(str(a[1]!, c));
  },
  strcontains: (a, c) => {
    arity(a, c, 2);
    return pending(a) ?? str(a[0]!, c).includes(str(a[1]!, c));
  },
  strrev: (a, c) => {
    arity(a, c, 1);
    return pending(a) ?? [...str(a[0]!, c)].reverse().join("");
  },
  substr: (a, c) => {
    arity(a, c, 3);
    const u = pending(a);
    if (u) return u;
    const chars = [...str(a[0]!, c)];
    let offset = num(a[1]!, c);
    const length = num(a[2]!, c);
    if (offset < 0) offset = Math.max(0, chars.length + offset);
    return chars.slice(offset, length < 0 ? undefined : offset + length).join("");
  },
  indent: (a, c) => {
    arity(a, c, 2);
    const u = pending(a);
    if (u) return u;
    const pad = " ".repeat(Math.min(1000, Math.max(0, num(a[0]!, c))));
    return str(a[1]!, c).replace(/\n/g, `\n${pad}`);
  },
  format: (a, c) => {
    arity(a, c, 1, Number.POSITIVE_INFINITY);
    if (isUndecided(a[0]!)) return unknown(reasonsOf(a[0]!)[0]!);
    return formatString(str(a[0]!, c, "format"), a.slice(1), c);
  },
  formatlist: (a, c) => {
    arity(a, c, 1, Number.POSITIVE_INFINITY);
    const u = pending(a.filter((x) => !Array.isArray(x)));
    if (u && isUndecided(a[0]!)) return u;
    const lists = a.slice(1).filter((x) => Array.isArray(x)) as Value[][];
    const n = lists.length === 0 ? 1 : minOf(lists.map((l) => l.length));
    return Array.from({ length: n }, (_, i) =>
      formatString(
        str(a[0]!, c),
        a.slice(1).map((x) => (Array.isArray(x) ? x[i]! : x)),
        c,
      ),
    );
  },
  join: (a, c) => {
    arity(a, c, 2, Number.POSITIVE_INFINITY);
    if (isUndecided(a[0]!)) return unknown(reasonsOf(a[0]!)[0]!);
    const sep = str(a[0]!, c);
    const parts: string[] = [];
    for (const l of a.slice(1)) {
      if (l instanceof Unknown) return l;
      for (const x of list(l, c)) {
        if (x instanceof Unknown) parts.push(unknownValue(x.reason));
        else parts.push(str(x, c, "element"));
      }
    }
    return parts.join(sep);
  },
  split: (a, c) => {
    arity(a, c, 2);
    const u = pending(a);
    if (u) return u;
    return str(a[1]!, c).split(str(a[0]!, c));
  },
  replace: (a, c) => {
    arity(a, c, 3);
    if (a[0] instanceof Unknown) return a[0];
    const u = pending(a.slice(1));
    if (u) return u;
    const s = str(a[0]!, c);
    const search = str(a[1]!, c);
    const repl = str(a[2]!, c);
    if (search.length > 2 && search.startsWith("/") && search.endsWith("/")) {
      if (isUnknown(s)) return unknown(unknownReason(s));
      if (s.length > LIMITS.maxRegexInput) c.fail("the string is too long for a regular expression");
      return s.replace(regexOf(search.slice(1, -1), c, "g"), repl.replace(/\$\{(\w+)\}/g, "$<$1>"));
    }
    if (search.length === 0) return s;
    return mapKnownText(s, (t) => t.split(search).join(repl));
  },
  regex: (a, c) => {
    arity(a, c, 2);
    const u = pending(a);
    if (u) return u;
    const s = str(a[1]!, c);
    if (s.length > LIMITS.maxRegexInput) c.fail("the string is too long for a regular expression");
    const m = regexOf(str(a[0]!, c), c).exec(s);
    if (m === null) return c.fail("the pattern does not match");
    if (m.groups) {
      const out = newObject();
      for (const [k, v] of Object.entries(m.groups)) out[k] = v ?? null;
      return out;
    }
    return m.length > 1 ? m.slice(1).map((x) => x ?? null) : m[0];
  },
  regexall: (a, c) => {
    arity(a, c, 2);
    const u = pending(a);
    if (u) return u;
    const s = str(a[1]!, c);
    if (s.length > LIMITS.maxRegexInput) c.fail("the string is too long for a regular expression");
    const out: Value[] = [];
    for (const m of s.matchAll(regexOf(str(a[0]!, c), c, "g"))) {
      out.push(m.length > 1 ? m.slice(1).map((x) => x ?? null) : m[0]);
      if (out.length > LIMITS.maxElements) c.fail("too many matches");
    }
    return out;
  },
};
