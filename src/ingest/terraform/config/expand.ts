/**
 * @module ingest/terraform/config/expand
 * Ingest layer, Terraform: a resource, data or module block made into its instances
 * (developer.hashicorp.com/terraform/language/meta-arguments/count, .../for_each): `count` gives instances
 * 0..n-1 with `count.index`, `for_each` over a map or a set of strings gives one per key with `each.key` and
 * `each.value`. A `count` no input decides gives one instance, marked undecided (resources/conditions: the
 * checks evaluate the network with and without it); a `for_each` no input decides has no instances we can
 * know, and says so. The instance body is evaluated here: arguments, nested blocks (each a list of objects,
 * as the provider schema would have them) and `dynamic` blocks, with the place each value was written.
 */

import { azapiId, azapiType, azurermId } from "../azurerm/ids.js";
import { iterate } from "../eval/evaluator.js";
import {
  isObjectValue,
  isSet,
  markComputed,
  markUndecidedCollection,
  memberPlace,
  newObject,
  type Place,
  placeOf,
  setMemberPlace,
  showValue,
  toNumberValue,
  Unknown,
  unknown,
  type Value,
  type ValueObject,
} from "../eval/values.js";
import { attributeOf, type Block, type Expr } from "../hcl/ast.js";
import { evalBody } from "./body.js";
import type { TfFile } from "./files.js";
import { type Declared, fileOfItem } from "./module-config.js";
import { combine, type ModuleRun } from "./module-run.js";
import type { Instance, Undecided } from "./run.js";

export interface Expansion {
  kind: "single" | "count" | "for_each";
  /** Managed resource instances (none for data sources and module calls). */
  instances: Instance[];
  /** What a reference to the block gives: the instance, a list (count) or a map (for_each) of them. */
  value: Value;
  instanceKeys: (string | number | undefined)[];
  scopes: Map<string, Value>[];
  undecided?: Undecided;
  /** The reference value from the values of the instances (for module calls). */
  collect(values: Value[]): Value;
}

/** Expands a block (resource, data source or module call) into its instances. */
export function expandBlock(run: ModuleRun, mode: "managed" | "data" | "module", decl: Declared<Block>): Expansion {
  const block = decl.node;
  const local =
    mode === "module"
      ? `module.${block.labels[0]!.value}`
      : `${mode === "data" ? "data." : ""}${block.labels[0]!.value}.${block.labels[1]!.value}`;
  const address = run.addressOf(local);
  const blockPlace = run.mapPlace({ file: decl.file.index, offset: block.start });
  const keys = instanceKeys(run, decl, address);
  const scopes = keys.keys.map((k) => scopeFor(keys.kind, k, keys.collection));
  const collect = (values: Value[]): Value => {
    if (keys.kind === "single") return values[0] ?? unknown(address);
    if (keys.kind === "count") {
      const list = [...values];
      if (keys.undecided) markUndecidedCollection(list, keys.undecided.reason);
      return list;
    }
    if (keys.unknown) return keys.unknown;
    const map = newObject();
    keys.keys.forEach((k, i) => {
      map[String(k)] = values[i]!;
    });
    return map;
  };
  if (mode === "module")
    return {
      kind: keys.kind,
      instances: [],
      value: null,
      instanceKeys: keys.keys,
      scopes,
      undecided: keys.undecided,
      collect,
    };
  if (mode === "data")
    run.run.report(
      "warning",
      "terraform/data-source",
      `${address} is read from Azure when Terraform plans: its attributes are Unknown here (only its arguments, and an id built from them, are known)`,
      blockPlace,
    );
  run.run.countResourceInstances(keys.keys.length);
  const type = block.labels[0]!.value;
  const instances: Instance[] = [];
  const values = keys.keys.map((k, i) => {
    const instanceAddress =
      k === undefined
        ? address
        : k === UNKNOWN_KEY
          ? `${address}[(unknown)]`
          : `${address}[${typeof k === "number" ? k : JSON.stringify(k)}]`;
    const scope = scopes[i]!;
    const value = evalBody(run, block.body, decl.file, scope, instanceAddress, true);
    addComputedId(type, value);
    markComputed(
      value,
      instanceAddress,
      mode === "data" ? "read from Azure when Terraform plans" : "known after apply",
    );
    const each = scope.get("each");
    const element = isObjectValue(each) ? placeOf(each.value) : undefined;
    const place = run.mapPlace(element ?? blockPlace);
    if (mode === "managed")
      instances.push({
        address: instanceAddress,
        mode,
        type,
        name: block.labels[1]!.value,
        value,
        place,
        undecided: combine(run.init.undecided, keys.undecided),
        builtin: run.builtin,
      });
    return value;
  });
  return {
    kind: keys.kind,
    instances,
    value: collect(values),
    instanceKeys: keys.keys,
    scopes,
    undecided: keys.undecided,
    collect,
  };
}

interface Keys {
  kind: "single" | "count" | "for_each";
  keys: (string | number | undefined)[];
  collection?: Value;
  undecided?: Undecided;
  /** A for_each no input decides: the reference value. */
  unknown?: Unknown;
}

function instanceKeys(run: ModuleRun, decl: Declared<Block>, address: string): Keys {
  const body = decl.node.body;
  const count = attributeOf(body, "count");
  const forEach = attributeOf(body, "for_each");
  if (count && forEach) {
    run.run.report(
      "error",
      "terraform/count-and-for_each",
      `${address} has both count and for_each; Terraform refuses it`,
      { file: decl.file.index, offset: count.start },
    );
    return { kind: "single", keys: [] };
  }
  if (count) {
    const file = fileOfItem(count, decl.file);
    const { value, place } = run.evalTop(count.expr, file, new Map(), `${address} count`);
    const n = toNumberValue(value);
    if (n instanceof Unknown) {
      const reason = exprText(file, count.expr);
      run.run.report(
        "info",
        "terraform/undecided-count",
        `${address}: count = ${reason} is not decided by the inputs (${n.reason}); one instance is read and checked both with and without it`,
        place,
      );
      return { kind: "count", keys: [0], undecided: { reason, place } };
    }
    if (n === undefined || !Number.isInteger(n) || n < 0) {
      run.run.report(
        "error",
        "terraform/invalid-count",
        `${address}: count must be a whole number, 0 or more, found ${showValue(value)}`,
        place,
      );
      return { kind: "count", keys: [] };
    }
    if (n > 10_000) {
      run.run.report(
        "error",
        "terraform/limit",
        `${address}: count ${n} is more than 10000 instances; none are read`,
        place,
      );
      return { kind: "count", keys: [] };
    }
    return { kind: "count", keys: Array.from({ length: n }, (_, i) => i) };
  }
  if (forEach) {
    const file = fileOfItem(forEach, decl.file);
    const { value, place } = run.evalTop(forEach.expr, file, new Map(), `${address} for_each`);
    if (value instanceof Unknown) {
      // Rules and routes no input decides stand as one instance of Unknown fields, so that no verdict through
      // their NSG or route table is decided without them; other instances are left out.
      const standIn = standsInForUnknown(decl);
      run.run.report(
        "warning",
        "terraform/unknown-for_each",
        `${address}: for_each is not known from the inputs (${value.reason}), so its instances are not known; ${standIn ? "they are read as one rule or route of Unknown fields, and verdicts through them are Unknown" : "they are not in the model"}`,
        place,
      );
      if (standIn) return { kind: "for_each", keys: [UNKNOWN_KEY], collection: value, unknown: value };
      return { kind: "for_each", keys: [], unknown: value };
    }
    if (value === null) {
      run.run.report(
        "error",
        "terraform/invalid-for_each",
        `${address}: for_each is null; Terraform refuses it`,
        place,
      );
      return { kind: "for_each", keys: [] };
    }
    if (Array.isArray(value) && !isSet(value)) {
      run.run.report(
        "error",
        "terraform/invalid-for_each",
        `${address}: for_each needs a map or a set of strings, found a list (convert it with toset()); Terraform refuses it`,
        place,
      );
      return { kind: "for_each", keys: [] };
    }
    const pairs = iterate(value);
    if (!pairs) {
      run.run.report(
        "error",
        "terraform/invalid-for_each",
        `${address}: for_each needs a map or a set, found ${showValue(value)}`,
        place,
      );
      return { kind: "for_each", keys: [] };
    }
    if (pairs.length > 10_000) {
      run.run.report(
        "error",
        "terraform/limit",
        `${address}: for_each of ${pairs.length} elements is more than 10000; none are read`,
        place,
      );
      return { kind: "for_each", keys: [] };
    }
    const keys: string[] = [];
    for (const [k] of pairs) {
      if (typeof k !== "string" || k.includes("<unknown:")) {
        run.run.report(
          "warning",
          "terraform/unknown-for_each",
          `${address}: a for_each key is not known from the inputs; that instance is not in the model`,
          place,
        );
        continue;
      }
      keys.push(k);
    }
    return { kind: "for_each", keys, collection: value };
  }
  return { kind: "single", keys: [undefined] };
}

/** The key of the stand-in instance of a for_each no input decides. */
const UNKNOWN_KEY = "\u0000unknown";

/** Rule and route resources: those whose unknown for_each stands as one Unknown instance. */
function standsInForUnknown(decl: Declared<Block>): boolean {
  const type = decl.node.labels[0]?.value;
  if (type === "azurerm_network_security_rule" || type === "azurerm_route") return true;
  if (type !== "azapi_resource") return false;
  const armType = attributeOf(decl.node.body, "type")?.expr;
  const text =
    armType?.kind === "Template" ? armType.parts.map((p) => (p.kind === "text" ? p.value : "")).join("") : "";
  return /\/(securityRules|routes)@/i.test(text) || armType?.kind !== "Template";
}

function scopeFor(
  kind: Keys["kind"],
  key: string | number | undefined,
  collection: Value | undefined,
): Map<string, Value> {
  const scope = new Map<string, Value>();
  if (kind === "count") {
    const count = newObject();
    count.index = key as number;
    scope.set("count", count);
  } else if (kind === "for_each" && collection instanceof Unknown) {
    const each = newObject();
    each.key = collection;
    each.value = collection;
    scope.set("each", each);
  } else if (kind === "for_each" && collection !== undefined) {
    const each = newObject();
    const value = isSet(collection) ? key! : (collection as ValueObject)[key as string]!;
    each.key = key!;
    each.value = value;
    setMemberPlace(each, "value", memberPlace(collection, key as string));
    scope.set("each", each);
  }
  return scope;
}

/** Adds the `id` Azure would give, built from the arguments (azurerm/ids), when the type has a known shape. */
function addComputedId(type: string, value: ValueObject): void {
  if (Object.hasOwn(value, "id")) return;
  let id: string | undefined;
  if (type === "azapi_resource" || type === "azapi_update_resource") {
    const armType = azapiType(value.type ?? null);
    if (typeof value.resource_id === "string") id = value.resource_id;
    else if (armType) id = azapiId(armType, value.parent_id ?? null, value.name ?? null);
  } else {
    id = azurermId(type, value);
  }
  if (id !== undefined) value.id = id;
}

/** The source text of an expression (for a condition's name), short. */
export function exprText(file: TfFile, expr: Expr): string {
  const text = file.text.slice(expr.start, expr.end).replace(/\s+/g, " ").trim();
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

export type { Place };
