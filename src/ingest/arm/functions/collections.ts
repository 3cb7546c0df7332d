/**
 * @module ingest/arm/functions/collections
 * ARM's array and object functions, and the ones that take strings, arrays and objects alike (`concat`,
 * `contains`, `length`, `first`, `skip`, ...). Comparisons (`contains`, `indexOf`, `intersection`) look into
 * the values, so an unknown placeholder inside makes their answer Unknown rather than a guess.
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-array
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-object
 */
import {
  ArmEvalError,
  boundedArray,
  boundedString,
  deepEquals,
  expectArgs,
  expectArray,
  expectInt,
  expectObject,
  findUnknown,
  getMember,
  hasMember,
  isPlainObject,
  isUnknownValue,
  type Json,
  MAX_ITEMS,
  setOwn,
  toText,
  typeName,
  unknownFrom,
  valueKey,
} from "../expression/values.js";
import type { FunctionTable } from "./types.js";

/** Largest array `range()` or a copy may build (ARM's copy limit is 800; range's is 10000). */
const MAX_RANGE = 10_000;

function sequence(fn: string, value: unknown): string | unknown[] {
  if (typeof value === "string" || Array.isArray(value)) return value;
  throw new ArmEvalError(`${fn}() expects a string or an array, found ${typeName(value)}`);
}

/**
 * Nodes one `union` or `intersection` may read to compare its items, together (items that share a large
 * part read it each time): ten times the largest value an expression may build.
 */
function compareBudget(): { left: number } {
  return { left: 10 * MAX_ITEMS };
}

/** Object union: later objects win; nested objects merge deeply (ARM's union does this since 2023). */
function mergeObjects(objects: Json[]): Json {
  const out: Json = {};
  // The key each lower-case name has in `out` (a look-up, so that merging large objects stays linear).
  const keys = new Map<string, string>();
  for (const obj of objects) {
    for (const key of Object.keys(obj)) {
      const lower = key.toLowerCase();
      const existingKey = keys.get(lower);
      const current = existingKey === undefined ? undefined : out[existingKey];
      const incoming = obj[key];
      if (existingKey !== undefined && existingKey !== key) delete out[existingKey];
      keys.set(lower, existingKey ?? key);
      setOwn(
        out,
        existingKey ?? key,
        isPlainObject(current) && isPlainObject(incoming) ? mergeObjects([current, incoming]) : incoming,
      );
    }
  }
  return out;
}

/** The distinct items of `arrays` in order (deepEquals' equality, found through valueKey: linear, not quadratic). */
function unionArrays(arrays: unknown[][], budget = compareBudget()): unknown[] {
  boundedArray(arrays.flat());
  const out: unknown[] = [];
  const seen = new Set<string>();
  for (const array of arrays) {
    for (const item of array) {
      const key = valueKey(item, budget);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(item);
    }
  }
  return out;
}

function position(fn: string, args: unknown[], last: boolean): unknown {
  expectArgs(fn, args, 2);
  const [container, item] = args;
  const unknown = findUnknown(container) ?? findUnknown(item);
  if (typeof container === "string") {
    if (typeof item !== "string") throw new ArmEvalError(`${fn}() expects a string to look for in a string`);
    if (unknown) return unknownFrom(unknown);
    const hay = container.toLowerCase();
    return last ? hay.lastIndexOf(item.toLowerCase()) : hay.indexOf(item.toLowerCase());
  }
  const array = expectArray(fn, container);
  const indexes = array.map((v, i) => (deepEquals(v, item) ? i : -1)).filter((i) => i >= 0);
  if (indexes.length > 0) return last ? indexes[indexes.length - 1] : indexes[0];
  return unknown ? unknownFrom(unknown) : -1;
}

export const COLLECTION_FUNCTIONS: FunctionTable = {
  array: {
    fn: (args) => {
      expectArgs("array", args, 1);
      return Array.isArray(args[0]) ? args[0] : [args[0]];
    },
  },
  createarray: { unknownAware: true, fn: (args) => [...args] },
  createobject: {
    unknownAware: true,
    fn: (args) => {
      if (args.length % 2 !== 0) throw new ArmEvalError("createObject() takes pairs of key and value");
      const out: Json = {};
      for (let i = 0; i < args.length; i += 2) {
        const key = args[i];
        if (typeof key !== "string") throw new ArmEvalError(`createObject(): key ${i / 2 + 1} must be a string`);
        if (isUnknownValue(key)) return unknownFrom(key);
        setOwn(out, key, args[i + 1]);
      }
      return out;
    },
  },
  concat: {
    unknownAware: true,
    fn: (args) => {
      if (args.length === 0) return "";
      if (Array.isArray(args[0])) {
        const out: unknown[] = [];
        for (const a of args) {
          if (isUnknownValue(a)) return unknownFrom(a);
          if (a === null) continue;
          // One at a time: an array longer than a call's arguments must not be spread into push().
          for (const item of expectArray("concat", a)) out.push(item);
          boundedArray(out);
        }
        boundedArray(out);
        return out;
      }
      return boundedString(
        args.map((a) => (Array.isArray(a) || isPlainObject(a) ? JSON.stringify(a) : toText(a))).join(""),
      );
    },
  },
  contains: {
    fn: (args) => {
      expectArgs("contains", args, 2);
      const [container, item] = args;
      if (isPlainObject(container)) return hasMember(container, String(item));
      if (typeof container === "string") {
        if (isUnknownValue(item)) return unknownFrom(item);
        return container.includes(toText(item));
      }
      const found = expectArray("contains", container).some((v) => deepEquals(v, item));
      const unknown = findUnknown(container) ?? findUnknown(item);
      return found || !unknown ? found : unknownFrom(unknown);
    },
  },
  empty: {
    fn: (args) => {
      expectArgs("empty", args, 1);
      const v = args[0];
      if (v === null || v === undefined) return true;
      if (typeof v === "string" || Array.isArray(v)) return v.length === 0;
      if (isPlainObject(v)) return Object.keys(v).length === 0;
      throw new ArmEvalError(`empty() expects a string, array or object, found ${typeName(v)}`);
    },
  },
  length: {
    fn: (args) => {
      expectArgs("length", args, 1);
      const v = args[0];
      if (isPlainObject(v)) return Object.keys(v).length;
      return sequence("length", v).length;
    },
  },
  first: {
    fn: (args) => {
      expectArgs("first", args, 1);
      const v = sequence("first", args[0]);
      return typeof v === "string" ? v.slice(0, 1) : (v[0] ?? null);
    },
  },
  last: {
    fn: (args) => {
      expectArgs("last", args, 1);
      const v = sequence("last", args[0]);
      return typeof v === "string" ? v.slice(-1) : v.length > 0 ? v[v.length - 1] : null;
    },
  },
  skip: {
    fn: (args) => {
      expectArgs("skip", args, 2);
      return sequence("skip", args[0]).slice(Math.max(0, expectInt("skip", args[1], 2)));
    },
  },
  take: {
    fn: (args) => {
      expectArgs("take", args, 2);
      return sequence("take", args[0]).slice(0, Math.max(0, expectInt("take", args[1], 2)));
    },
  },
  indexof: { fn: (args) => position("indexOf", args, false) },
  lastindexof: { fn: (args) => position("lastIndexOf", args, true) },
  join: {
    fn: (args) => {
      expectArgs("join", args, 2);
      const items = expectArray("join", args[0]);
      const unknown = findUnknown(items);
      if (unknown) return unknownFrom(unknown);
      return boundedString(items.map(toText).join(String(args[1])));
    },
  },
  union: {
    unknownAware: true,
    fn: (args) => {
      expectArgs("union", args, 1, Number.POSITIVE_INFINITY);
      const unknown = args.find(isUnknownValue);
      if (unknown) return unknownFrom(unknown);
      if (args.every(Array.isArray)) return unionArrays(args as unknown[][]);
      return mergeObjects(args.map((a, i) => expectObject("union", a, i + 1)));
    },
  },
  shallowmerge: {
    fn: (args) => {
      expectArgs("shallowMerge", args, 1);
      const out: Json = {};
      for (const o of expectArray("shallowMerge", args[0])) {
        for (const [k, v] of Object.entries(expectObject("shallowMerge", o))) setOwn(out, k, v);
      }
      return out;
    },
  },
  intersection: {
    fn: (args) => {
      expectArgs("intersection", args, 2, Number.POSITIVE_INFINITY);
      const unknown = findUnknown(args);
      if (unknown) return unknownFrom(unknown);
      if (args.every(Array.isArray)) {
        const [head, ...rest] = args as unknown[][];
        const budget = compareBudget();
        const others = rest.map((r) => new Set(boundedArray(r).map((o) => valueKey(o, budget))));
        return unionArrays([head!], budget).filter((item) => others.every((r) => r.has(valueKey(item, budget))));
      }
      const [head, ...rest] = args.map((a, i) => expectObject("intersection", a, i + 1));
      const out: Json = {};
      for (const [k, v] of Object.entries(head!)) {
        if (rest.every((r) => hasMember(r, k) && deepEquals(getMember(r, k), v))) setOwn(out, k, v);
      }
      return out;
    },
  },
  items: {
    fn: (args) => {
      expectArgs("items", args, 1);
      const obj = expectObject("items", args[0]);
      return Object.keys(obj)
        .sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0))
        .map((key) => ({ key, value: obj[key] }));
    },
  },
  objectkeys: {
    fn: (args) => {
      expectArgs("objectKeys", args, 1);
      return Object.keys(expectObject("objectKeys", args[0]));
    },
  },
  range: {
    fn: (args) => {
      expectArgs("range", args, 2);
      const start = expectInt("range", args[0]);
      const count = expectInt("range", args[1], 2);
      if (count < 0 || count > MAX_RANGE)
        throw new ArmEvalError(`range(): count must be 0 to ${MAX_RANGE}`, "arm/limit");
      return Array.from({ length: count }, (_, i) => start + i);
    },
  },
  flatten: {
    fn: (args) => {
      expectArgs("flatten", args, 1);
      return boundedArray(expectArray("flatten", args[0]).flatMap((a, i) => expectArray("flatten", a, i + 1)));
    },
  },
  coalesce: {
    unknownAware: true,
    fn: (args) => {
      for (const a of args) {
        if (isUnknownValue(a)) return a;
        if (a !== null && a !== undefined) return a;
      }
      return null;
    },
  },
  null: { fn: () => null },
  trygetproperty: { unknownAware: true, fn: (args) => tryGet(args) },
  tryget: { unknownAware: true, fn: (args) => tryGet(args) },
};

/** `tryGet(objectOrArray, key...)`: null where the path is absent instead of an error (Bicep's `.?`). */
function tryGet(args: unknown[]): unknown {
  expectArgs("tryGet", args, 2, Number.POSITIVE_INFINITY);
  let current = args[0];
  for (const key of args.slice(1)) {
    if (isUnknownValue(current)) return current;
    if (isPlainObject(current) && typeof key === "string") current = getMember(current, key) ?? null;
    else if (Array.isArray(current) && typeof key === "number") current = current[key] ?? null;
    else return null;
  }
  return current;
}
