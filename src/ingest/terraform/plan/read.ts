/**
 * @module ingest/terraform/plan/read
 * Ingest layer, Terraform: a plan as `terraform show -json` writes it (developer.hashicorp.com/terraform/internals/json-format)
 * read into resource instances, the same the static evaluator makes. Each `resource_changes` entry gives one
 * instance (its `change.after`, with `after_unknown` marking what is known only after apply); without
 * `resource_changes`, `planned_values` (with `child_modules`) does. A resource being destroyed is left out
 * (and said); a data source is not a resource. A value unknown at plan time — the id of every resource not yet
 * created — is worked out: an id from the resource's names (azurerm/ids), a reference written in the
 * `configuration` section (`references`: `azurerm_subnet.a.id`, `var.x`, `module.m.out`) from what it
 * refers to, so an association still links its subnet and NSG. An optional-and-computed argument the
 * configuration does not set (an NSG's `security_rule` when its rules are separate resources) is absent,
 * as it is in the `.tf` files.
 */
import type { JsonDocument } from "../../json/parse.js";
import { azapiId, azapiType, azurermId } from "../azurerm/ids.js";
import type { FileTable, TfFile } from "../config/files.js";
import type { Instance, RootValue } from "../config/run.js";
import {
  isObjectValue,
  markComputed,
  newObject,
  type Place,
  setMemberPlace,
  setPlace,
  Unknown,
  unknown,
  type Value,
  type ValueObject,
} from "../eval/values.js";

type J = Record<string, unknown>;
const isJ = (v: unknown): v is J => typeof v === "object" && v !== null && !Array.isArray(v);

export interface PlanRead {
  instances: Instance[];
  destroyed: string[];
  variables: Map<string, RootValue>;
  /** Resources whose change is not a create, update, no-op or replace (an import, a forget, ...). */
  other: string[];
}

interface Entry {
  address: string;
  moduleAddress: string;
  type: string;
  name: string;
  index: unknown;
  after: J;
  afterUnknown: unknown;
  node: J;
  resolved?: ValueObject;
  resolving?: boolean;
}

/** Reads the instances of a plan document. */
export function readPlan(doc: JsonDocument, file: TfFile, files: FileTable): PlanRead {
  const plan = doc.value as J;
  const placeOf = (node: object, key?: string | number): Place | undefined => {
    const src = key === undefined ? doc.locate(node) : doc.locateMember(node, key);
    return src ? { file: file.index, offset: files.offsetOf(file, src.line, src.column) } : undefined;
  };
  const out: PlanRead = { instances: [], destroyed: [], variables: new Map(), other: [] };
  if (isJ(plan.variables)) {
    for (const [name, v] of Object.entries(plan.variables)) {
      if (isJ(v) && "value" in v)
        out.variables.set(name, { value: fromJson(v.value, placeOf), place: placeOf(v), origin: "the plan" });
    }
  }
  const entries: Entry[] = [];
  const changes = Array.isArray(plan.resource_changes) ? (plan.resource_changes as unknown[]) : undefined;
  if (changes) {
    for (const rc of changes) {
      if (!isJ(rc) || rc.mode !== "managed" || !isJ(rc.change)) continue;
      const actions = Array.isArray(rc.change.actions) ? (rc.change.actions as unknown[]).map(String) : [];
      const address = String(rc.address ?? "");
      if (actions.length === 1 && actions[0] === "delete") {
        out.destroyed.push(address);
        continue;
      }
      if (!actions.some((a) => a === "create" || a === "update" || a === "no-op")) {
        out.other.push(`${address} (${actions.join(", ") || "no actions"})`);
        continue;
      }
      if (!isJ(rc.change.after)) continue;
      entries.push({
        address,
        moduleAddress: typeof rc.module_address === "string" ? rc.module_address : "",
        type: String(rc.type ?? ""),
        name: String(rc.name ?? ""),
        index: rc.index,
        after: rc.change.after,
        afterUnknown: rc.change.after_unknown,
        node: rc,
      });
    }
  } else if (isJ(plan.planned_values) && isJ(plan.planned_values.root_module)) {
    const visit = (m: J, moduleAddress: string, depth: number) => {
      if (depth > 32) return;
      for (const r of Array.isArray(m.resources) ? m.resources : []) {
        if (!isJ(r) || r.mode !== "managed" || !isJ(r.values)) continue;
        entries.push({
          address: String(r.address ?? ""),
          moduleAddress,
          type: String(r.type ?? ""),
          name: String(r.name ?? ""),
          index: r.index,
          after: r.values,
          afterUnknown: undefined,
          node: r,
        });
      }
      for (const c of Array.isArray(m.child_modules) ? m.child_modules : [])
        if (isJ(c)) visit(c, String(c.address ?? ""), depth + 1);
    };
    visit(plan.planned_values.root_module, "", 0);
  }
  const config =
    isJ(plan.configuration) && isJ(plan.configuration.root_module) ? plan.configuration.root_module : undefined;
  const resolver = new Resolver(entries, config, out.variables, placeOf);
  for (const e of entries) {
    const value = resolver.value(e);
    out.instances.push({
      address: e.address,
      mode: "managed",
      type: e.type,
      name: e.name,
      value,
      place: placeOf(e.node) ?? { file: file.index, offset: 0 },
      builtin: false,
    });
  }
  return out;
}

type PlaceOf = (node: object, key?: string | number) => Place | undefined;

/** JSON to values, with the places of objects and members. */
function fromJson(v: unknown, placeOf: PlaceOf, depth = 0): Value {
  if (depth > 100) return unknown("a value nested too deeply");
  if (Array.isArray(v)) {
    const out = v.map((x) => fromJson(x, placeOf, depth + 1));
    setPlace(out, placeOf(v));
    v.forEach((_, i) => {
      setMemberPlace(out, i, placeOf(v, i));
    });
    return out;
  }
  if (isJ(v)) {
    const out = newObject();
    setPlace(out, placeOf(v));
    for (const [k, x] of Object.entries(v)) {
      out[k] = fromJson(x, placeOf, depth + 1);
      setMemberPlace(out, k, placeOf(v, k));
    }
    return out;
  }
  return v as Value;
}

/** The module path of a module address (`module.a["x"].module.b` → ["a", "b"]). */
function modulePath(moduleAddress: string): string[] {
  return [...moduleAddress.matchAll(/module\.([\w-]+)/g)].map((m) => m[1]!);
}

class Resolver {
  private readonly byModule = new Map<string, Entry[]>();

  constructor(
    private readonly entries: Entry[],
    private readonly config: J | undefined,
    private readonly variables: Map<string, RootValue>,
    private readonly placeOf: PlaceOf,
  ) {
    for (const e of entries) this.byModule.set(e.moduleAddress, [...(this.byModule.get(e.moduleAddress) ?? []), e]);
  }

  /** The instance's value: `after`, with unknowns resolved or marked, and the id its names give. */
  value(e: Entry): ValueObject {
    if (e.resolved) return e.resolved;
    if (e.resolving) {
      const v = newObject();
      markComputed(v, e.address);
      return v;
    }
    e.resolving = true;
    const value = fromJson(e.after, this.placeOf) as ValueObject;
    const configured = this.resourceConfig(e);
    this.fill(
      e,
      value,
      e.afterUnknown,
      isJ(configured?.expressions) ? configured.expressions : undefined,
      configured !== undefined,
      0,
    );
    if (!Object.hasOwn(value, "id") || value.id instanceof Unknown) {
      const id = synthesizedId(e.type, value);
      if (id !== undefined) value.id = id;
    }
    markComputed(value, e.address);
    e.resolved = value;
    e.resolving = false;
    return value;
  }

  /** Marks or resolves the unknowns of `value` by `unknownMap` (after_unknown), following the expressions. */
  private fill(
    e: Entry,
    value: ValueObject,
    unknownMap: unknown,
    expressions: J | undefined,
    haveConfig: boolean,
    depth: number,
  ): void {
    if (!isJ(unknownMap) || depth > 16) return;
    for (const [key, flag] of Object.entries(unknownMap)) {
      const expr = expressions?.[key];
      if (flag === true) {
        if (key === "id") continue;
        if (haveConfig && expr === undefined) {
          // Optional and computed, and not set here: as absent as in the .tf files.
          delete value[key];
          continue;
        }
        value[key] = this.resolveExpression(e, expr, key, depth) ?? unknown(`${e.address}.${key} (known after apply)`);
      } else if (Array.isArray(flag) && Array.isArray(value[key])) {
        const list = value[key] as Value[];
        flag.forEach((f, i) => {
          const item = list[i];
          const itemExpr = Array.isArray(expr) ? (expr[i] ?? expr[0]) : undefined;
          if (isObjectValue(item)) this.fill(e, item, f, isJ(itemExpr) ? itemExpr : undefined, haveConfig, depth + 1);
        });
      } else if (isJ(flag) && isObjectValue(value[key])) {
        this.fill(e, value[key] as ValueObject, flag, isJ(expr) ? expr : undefined, haveConfig, depth + 1);
      }
    }
  }

  /** The configuration block of an instance (by its module path, type and name). */
  private resourceConfig(e: Entry): J | undefined {
    const mod = this.moduleConfig(modulePath(e.moduleAddress));
    const list = mod && Array.isArray(mod.resources) ? mod.resources : [];
    return list.find((r): r is J => isJ(r) && r.type === e.type && r.name === e.name && r.mode !== "data");
  }

  private moduleConfig(path: string[]): J | undefined {
    let mod = this.config;
    for (const name of path) {
      const call = mod && isJ(mod.module_calls) ? mod.module_calls[name] : undefined;
      mod = isJ(call) && isJ(call.module) ? call.module : undefined;
    }
    return mod;
  }

  /** A value for an unknown argument from its configuration expression, when it names what it comes from. */
  private resolveExpression(e: Entry, expr: unknown, key: string, depth: number): Value | undefined {
    if (!isJ(expr)) return undefined;
    if ("constant_value" in expr) return fromJson(expr.constant_value, this.placeOf);
    const refs = Array.isArray(expr.references) ? expr.references.map(String) : [];
    for (const ref of refs) {
      const v = this.resolveReference(e.moduleAddress, e.index, ref, key, depth + 1);
      if (v !== undefined && acceptable(key, v)) return v;
    }
    return undefined;
  }

  /** `azurerm_subnet.a.id`, `var.x`, `module.m.out` in the module instance `moduleAddress`. */
  private resolveReference(
    moduleAddress: string,
    index: unknown,
    ref: string,
    key: string,
    depth: number,
  ): Value | undefined {
    if (depth > 12) return undefined;
    const parts = ref.split(".");
    if (parts[0] === "var") {
      const name = parts[1]!.replace(/\[.*$/, "");
      if (moduleAddress === "") return this.variables.get(name)?.value;
      const parent = moduleAddress.replace(/\.?module\.[\w-]+(\[[^\]]*\])?$/, "");
      const callName = /module\.([\w-]+)(\[[^\]]*\])?$/.exec(moduleAddress)?.[1];
      const parentConfig = this.moduleConfig(modulePath(parent));
      const call =
        callName && parentConfig && isJ(parentConfig.module_calls) ? parentConfig.module_calls[callName] : undefined;
      const expr = isJ(call) && isJ(call.expressions) ? call.expressions[name] : undefined;
      if (!isJ(expr)) return undefined;
      if ("constant_value" in expr) return fromJson(expr.constant_value, this.placeOf);
      for (const r of Array.isArray(expr.references) ? expr.references.map(String) : []) {
        const v = this.resolveReference(parent, undefined, r, key, depth + 1);
        if (v !== undefined) return v;
      }
      return undefined;
    }
    if (parts[0] === "module") {
      const callName = parts[1]!.replace(/\[.*$/, "");
      const output = parts[2];
      if (!output) return undefined;
      const children = [...this.byModule.keys()].filter(
        (m) =>
          m === `${moduleAddress ? `${moduleAddress}.` : ""}module.${callName}` ||
          m.startsWith(`${moduleAddress ? `${moduleAddress}.` : ""}module.${callName}[`),
      );
      const child = children.length === 1 ? children[0]! : undefined;
      const childConfig = this.moduleConfig([...modulePath(moduleAddress), callName]);
      const out = childConfig && isJ(childConfig.outputs) ? childConfig.outputs[output] : undefined;
      const expr = isJ(out) && isJ(out.expression) ? out.expression : undefined;
      if (!child || !expr) return undefined;
      for (const r of Array.isArray(expr.references) ? expr.references.map(String) : []) {
        const v = this.resolveReference(child, undefined, r, key, depth + 1);
        if (v !== undefined) return v;
      }
      return undefined;
    }
    if (["data", "local", "each", "count", "path", "self", "terraform"].includes(parts[0]!)) return undefined;
    const m = /^([\w-]+)\.([\w-]+)(\[[^\]]*\])?((?:\.[\w-]+)*)$/.exec(ref.replace(/^resource\./, ""));
    if (!m) return undefined;
    const [, type, name, indexText, attrText] = m;
    const candidates = (this.byModule.get(moduleAddress) ?? []).filter((x) => x.type === type && x.name === name);
    let target: Entry | undefined;
    if (indexText) {
      const wanted = JSON.parse(indexText.slice(1, -1).replace(/^'|'$/g, '"')) as unknown;
      target = candidates.find((c) => c.index === wanted);
    } else if (candidates.length === 1) target = candidates[0];
    else target = candidates.find((c) => c.index !== undefined && c.index === index);
    if (!target) return undefined;
    const attrs = attrText ? attrText.slice(1).split(".") : [key.endsWith("_name") || key === "name" ? "name" : "id"];
    let v: Value = this.value(target);
    for (const a of attrs) {
      if (!isObjectValue(v) || !Object.hasOwn(v, a)) return undefined;
      v = v[a]!;
    }
    return v instanceof Unknown ? undefined : v;
  }
}

/** A reference's value is taken for an id argument only when it is an id, for a name only when a string. */
function acceptable(key: string, v: Value): boolean {
  if (key === "id" || key.endsWith("_id")) return typeof v === "string" && /\/providers\//i.test(v);
  if (key.endsWith("_ids"))
    return Array.isArray(v) && v.every((x) => typeof x === "string" && /\/providers\//i.test(x));
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

function synthesizedId(type: string, value: ValueObject): string | undefined {
  if (type === "azapi_resource" || type === "azapi_update_resource") {
    const armType = azapiType(value.type ?? null);
    if (typeof value.resource_id === "string") return value.resource_id;
    return armType ? azapiId(armType, value.parent_id ?? null, value.name ?? null) : undefined;
  }
  return azurermId(type, value);
}
