import { isUnknown, unknownReason, unknownValue } from "../../../model/unknown.js";
import { sortedKeys } from "./evaluator.js";
import { arity, type Fn, flattenInto, list, num, obj, pending, pendingDeep, str } from "./fn-helpers.js";
import { LIMITS } from "./limits.js";
import {
  asSet,
  isObjectValue,
  isUndecided,
  memberPlace,
  newObject,
  reasonsOf,
  setMemberPlace,
  toBoolValue,
  typeName,
  Unknown,
  unknown,
  type Value,
  valuesEqual,
} from "./values.js";

export const COLLECTION_FUNCTIONS: Record<string, Fn> = {
  // collections
  length: (a, c) => {
    arity(a, c, 1);
    const v = a[0]!;
    if (v instanceof Unknown) return v;
    const undecided = pending([v]);
    if (undecided) return undecided;
    if (typeof v === "string") return isUnknown(v) ? unknown(unknownReason(v)) : [...v].length;
    if (Array.isArray(v)) return v.length;
    if (isObjectValue(v)) return Object.keys(v).length;
    return c.fail(`cannot take the length of a ${typeName(v)}`);
  },
  keys: (a, c) => {
    arity(a, c, 1);
    return a[0] instanceof Unknown ? a[0] : sortedKeys(obj(a[0]!, c));
  },
  values: (a, c) => {
    arity(a, c, 1);
    if (a[0] instanceof Unknown) return a[0];
    const o = obj(a[0]!, c);
    const out = sortedKeys(o).map((k) => o[k]!);
    sortedKeys(o).forEach((k, i) => {
      setMemberPlace(out, i, memberPlace(o, k));
    });
    return out;
  },
  lookup: (a, c) => {
    arity(a, c, 2, 3);
    if (a[0] instanceof Unknown) return a[0];
    const u = pending([a[1]!]);
    if (u) return u;
    const o = obj(a[0]!, c);
    const k = str(a[1]!, c, "key");
    if (Object.hasOwn(o, k)) return o[k]!;
    if (a.length === 3) return a[2]!;
    return c.fail(`the map has no key "${k}" and no default was given`);
  },
  merge: (a, c) => {
    const out = newObject();
    for (const v of a) {
      if (v === null) continue;
      if (v instanceof Unknown) return v;
      const o = obj(v, c);
      for (const k of Object.keys(o)) {
        out[k] = o[k]!;
        setMemberPlace(out, k, memberPlace(o, k));
      }
    }
    return out;
  },
  concat: (a, c) => {
    const out: Value[] = [];
    for (const v of a) {
      if (v instanceof Unknown) return v;
      list(v, c).forEach((x, i) => {
        out.push(x);
        setMemberPlace(out, out.length - 1, memberPlace(v, i));
      });
    }
    return out;
  },
  flatten: (a, c) => {
    arity(a, c, 1);
    if (a[0] instanceof Unknown) return a[0];
    const out: Value[] = [];
    return flattenInto(a[0]!, out, c, 0) ?? out;
  },
  contains: (a, c) => {
    arity(a, c, 2);
    if (a[0] instanceof Unknown) return a[0];
    const items = Array.isArray(a[0])
      ? a[0]
      : isObjectValue(a[0])
        ? Object.values(a[0])
        : c.fail("the first argument must be a list or set");
    let u: Unknown | undefined;
    for (const x of items) {
      const eq = valuesEqual(x, a[1]!);
      if (eq === true) return true;
      if (eq instanceof Unknown) u = eq;
    }
    return u ?? false;
  },
  index: (a, c) => {
    arity(a, c, 2);
    const u = pending(a);
    if (u) return u;
    const i = list(a[0]!, c).findIndex((x) => valuesEqual(x, a[1]!) === true);
    if (i < 0) c.fail("the value is not in the list");
    return i;
  },
  element: (a, c) => {
    arity(a, c, 2);
    const u = pending(a);
    if (u) return u;
    const l = list(a[0]!, c);
    if (l.length === 0) c.fail("cannot take an element of an empty list");
    const i = num(a[1]!, c);
    return l[((Math.floor(i) % l.length) + l.length) % l.length]!;
  },
  slice: (a, c) => {
    arity(a, c, 3);
    const u = pending(a);
    if (u) return u;
    const l = list(a[0]!, c);
    const from = num(a[1]!, c);
    const to = num(a[2]!, c);
    if (from < 0 || to > l.length || from > to) c.fail(`the range ${from}..${to} is not inside a list of ${l.length}`);
    return l.slice(from, to);
  },
  reverse: (a, c) => {
    arity(a, c, 1);
    return a[0] instanceof Unknown ? a[0] : [...list(a[0]!, c)].reverse();
  },
  distinct: (a, c) => {
    arity(a, c, 1);
    if (a[0] instanceof Unknown) return a[0];
    const out: Value[] = [];
    for (const x of list(a[0]!, c)) if (!out.some((y) => valuesEqual(x, y) === true)) out.push(x);
    return out;
  },
  compact: (a, c) => {
    arity(a, c, 1);
    if (a[0] instanceof Unknown) return a[0];
    return list(a[0]!, c).filter((x) => x !== null && x !== "");
  },
  coalesce: (a, c) => {
    for (const v of a) {
      if (v instanceof Unknown) return v;
      if (v !== null && v !== "") return v;
    }
    return c.fail("no argument is neither null nor an empty string");
  },
  coalescelist: (a, c) => {
    for (const v of a) {
      if (v instanceof Unknown) return v;
      if (list(v, c).length > 0) return v;
    }
    return c.fail("every list is empty");
  },
  one: (a, c) => {
    arity(a, c, 1);
    if (a[0] instanceof Unknown || a[0] === null) return a[0]!;
    const l = list(a[0]!, c);
    if (l.length > 1) c.fail(`the list has ${l.length} elements, not one or none`);
    return l[0] ?? null;
  },
  alltrue: (a, c) => {
    arity(a, c, 1);
    if (a[0] instanceof Unknown) return a[0];
    let u: Unknown | undefined;
    for (const x of list(a[0]!, c)) {
      const b = toBoolValue(x);
      if (b === false) return false;
      if (b instanceof Unknown) u = b;
    }
    return u ?? true;
  },
  anytrue: (a, c) => {
    arity(a, c, 1);
    if (a[0] instanceof Unknown) return a[0];
    let u: Unknown | undefined;
    for (const x of list(a[0]!, c)) {
      const b = toBoolValue(x);
      if (b === true) return true;
      if (b instanceof Unknown) u = b;
    }
    return u ?? false;
  },
  range: (a, c) => {
    arity(a, c, 1, 3);
    const u = pending(a);
    if (u) return u;
    const n = a.map((x) => num(x, c));
    const [start, end, step] = n.length === 1 ? [0, n[0]!, 1] : [n[0]!, n[1]!, n[2] ?? (n[1]! >= n[0]! ? 1 : -1)];
    if (step === 0) c.fail("the step cannot be zero");
    const count = Math.ceil((end - start) / step);
    if (count > LIMITS.maxElements) c.fail(`the range has more than ${LIMITS.maxElements} elements`);
    return Array.from({ length: Math.max(0, count) }, (_, i) => start + i * step);
  },
  chunklist: (a, c) => {
    arity(a, c, 2);
    const u = pending(a);
    if (u) return u;
    const l = list(a[0]!, c);
    const size = num(a[1]!, c);
    if (size <= 0) return [l];
    const out: Value[] = [];
    for (let i = 0; i < l.length; i += size) out.push(l.slice(i, i + size));
    return out;
  },
  zipmap: (a, c) => {
    arity(a, c, 2);
    const u = pending(a);
    if (u) return u;
    const ks = list(a[0]!, c);
    const vs = list(a[1]!, c);
    if (ks.length !== vs.length) c.fail(`${ks.length} keys and ${vs.length} values`);
    const out = newObject();
    ks.forEach((k, i) => {
      const key = isUndecided(k) ? unknownValue(reasonsOf(k)[0]!) : str(k, c, "key");
      out[key] = vs[i]!;
      setMemberPlace(out, key, memberPlace(vs, i));
    });
    return out;
  },
  matchkeys: (a, c) => {
    arity(a, c, 3);
    const u = pending(a);
    if (u) return u;
    const vals = list(a[0]!, c);
    const ks = list(a[1]!, c);
    const search = list(a[2]!, c);
    return vals.filter((_, i) => search.some((s) => valuesEqual(ks[i] ?? null, s) === true));
  },
  transpose: (a, c) => {
    arity(a, c, 1);
    const u = pendingDeep(a);
    if (u) return u;
    const out = newObject();
    for (const [k, vs] of Object.entries(obj(a[0]!, c))) {
      for (const v of list(vs, c)) {
        const key = str(v, c);
        out[key] = [...((out[key] as Value[] | undefined) ?? []), k];
      }
    }
    return out;
  },
  sort: (a, c) => {
    arity(a, c, 1);
    const u = pendingDeep(a);
    if (u) return u;
    return list(a[0]!, c)
      .map((x) => str(x, c, "element"))
      .sort();
  },
  setunion: (a, c) => {
    const u = a.find((x) => x instanceof Unknown);
    if (u) return u;
    return asSet(a.flatMap((x) => list(x, c)));
  },
  setintersection: (a, c) => {
    arity(a, c, 1, Number.POSITIVE_INFINITY);
    const u = pendingDeep(a);
    if (u) return u;
    const [first, ...rest] = a.map((x) => list(x, c));
    return asSet(first!.filter((x) => rest.every((r) => r.some((y) => valuesEqual(x, y) === true))));
  },
  setsubtract: (a, c) => {
    arity(a, c, 2);
    const u = pendingDeep(a);
    if (u) return u;
    const b = list(a[1]!, c);
    return asSet(list(a[0]!, c).filter((x) => !b.some((y) => valuesEqual(x, y) === true)));
  },
  setproduct: (a, c) => {
    const u = a.find((x) => x instanceof Unknown);
    if (u) return u;
    let out: Value[][] = [[]];
    for (const l of a.map((x) => list(x, c))) {
      out = out.flatMap((p) => l.map((x) => [...p, x]));
      if (out.length > LIMITS.maxElements) c.fail(`the product has more than ${LIMITS.maxElements} elements`);
    }
    return out;
  },
};
