/**
 * @module ingest/terraform/eval/constructors
 * Ingest layer, Terraform: object constructors and `for` expressions
 * (developer.hashicorp.com/terraform/language/expressions/for). Each built object records where it and each of
 * its members were written, and a `for` element keeps the place of the element it came from, so a rule built
 * by a `for` over a map of rules is located at that rule. Keys are iterated in lexical order, as Terraform
 * does; two elements with one key are refused unless grouped with `...`; the size is bounded (eval/limits).
 */
import { unknownValue } from "../../../model/unknown.js";
import type { Expr } from "../hcl/ast.js";
import { type Evaluator, iterate } from "./evaluator.js";
import {
  memberPlace,
  newObject,
  placeOf,
  setMemberPlace,
  setPlace,
  toBoolValue,
  toStringValue,
  typeName,
  Unknown,
  undecidedCollectionReason,
  unknown,
  type Value,
} from "./values.js";

export function objectValue(ev: Evaluator, expr: Extract<Expr, { kind: "Object" }>): Value {
  const out = newObject();
  setPlace(out, ev.place(expr));
  for (const item of expr.items) {
    const keyValue = item.keyIsName ? (item.key as { value: string }).value : ev.eval(item.key);
    const key = toStringValue(keyValue);
    if (key === undefined) ev.error(`an object key must be a string, found ${typeName(keyValue)}`, item.key);
    const k = key instanceof Unknown ? unknownValue(key.reason) : key;
    const value = ev.eval(item.value);
    out[k] = value;
    setMemberPlace(out, k, placeOf(value) ?? ev.placeOfExpr(item.value));
  }
  return out;
}

export function forValue(ev: Evaluator, expr: Extract<Expr, { kind: "For" }>): Value {
  const coll = ev.eval(expr.coll);
  if (coll instanceof Unknown) return coll;
  const undecided = undecidedCollectionReason(coll);
  if (undecided !== undefined) return unknown(undecided);
  if (coll === null) ev.error("a for expression cannot iterate over null", expr.coll);
  const pairs = iterate(coll);
  if (!pairs) ev.error(`a for expression needs a collection, found ${typeName(coll)}`, expr.coll);
  ev.checkSize(pairs.length, expr);
  const inner = ev.derive(ev.file, new Map(ev.scope));
  const isObject = expr.keyExpr !== undefined;
  const list: Value[] = [];
  const map = newObject();
  setPlace(isObject ? map : list, ev.place(expr));
  for (const [k, v] of pairs) {
    if (expr.keyVar !== undefined) inner.scope.set(expr.keyVar, k);
    inner.scope.set(expr.valueVar, v);
    if (expr.cond) {
      const keep = toBoolValue(inner.eval(expr.cond));
      if (keep instanceof Unknown) return keep;
      if (keep === undefined) ev.error("the condition of a for expression must be a boolean", expr.cond);
      if (!keep) continue;
    }
    const value = inner.eval(expr.valueExpr);
    if (!isObject) {
      list.push(value);
      setMemberPlace(
        list,
        list.length - 1,
        placeOf(value) ?? memberPlace(coll, k as string | number) ?? ev.place(expr.valueExpr),
      );
      continue;
    }
    const keyValue = toStringValue(inner.eval(expr.keyExpr!));
    if (keyValue === undefined) ev.error("a for expression key must be a string", expr.keyExpr!);
    const key = keyValue instanceof Unknown ? unknownValue(keyValue.reason) : keyValue;
    const at = placeOf(value) ?? memberPlace(coll, k as string | number) ?? ev.place(expr.valueExpr);
    if (expr.group) {
      const group = (map[key] as Value[] | undefined) ?? [];
      group.push(value);
      map[key] = group;
    } else {
      if (Object.hasOwn(map, key))
        ev.error(`two elements of the for expression give the key "${key}" (use '...' to group them)`, expr.keyExpr!);
      map[key] = value;
    }
    setMemberPlace(map, key, at);
  }
  return isObject ? map : list;
}
