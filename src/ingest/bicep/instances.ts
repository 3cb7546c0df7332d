/**
 * @module ingest/bicep/instances
 * Ingest layer, Bicep evaluation: what resource and module declarations share — expanding a body (one object,
 * `if (c) {…}`, or a loop with its filter) into instances — and what a looped resource stands for (`vnets[i]`),
 * and the state Azure returns for a deployed resource's inline children (each with the id Azure gives it).
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/loops
 */
import type { Expr, ObjectExpr, ResourceDecl } from "./ast.js";
import type { Env } from "./env.js";
import { filterCondition, loopItems } from "./evaluate.js";
import type { ResourceInstance } from "./resources.js";
import { BicepError, isPlainObject, isUnknownValue, type Json, markLive, SymbolValue } from "./values.js";

/**
 * Expands the body of a resource or module declaration: one object, `if (c) {…}`, or a loop (`[for …: {…}]`,
 * `[for …: if (c) {…}]`), calling `make` for each instance with its environment and condition (true, false,
 * or the Unknown placeholder, with the condition's expression). A filtered-out loop item is still an instance
 * (not deployed): ARM compiles the filter to a condition per copy, so `xs[i]` keeps its index. An Unknown loop
 * list makes no instances, with a warning (as ARM's Unknown copy count); the placeholder is returned.
 */
export function expandBody(
  value: ResourceDecl["value"],
  env: Env,
  what: string,
  make: (body: ObjectExpr, env: Env, condition: boolean | string, at: Expr | undefined) => void,
): string | undefined {
  if (value.kind === "ForExpr") {
    const items = loopItems(value, env);
    if ("unknown" in items) {
      env.scope.run.report(
        "warning",
        "bicep/unknown-loop",
        `the loop of ${what} goes over an Unknown list (${items.unknown}); it makes no instances`,
        env.scope.file,
        value.iterable.range,
      );
      return items.unknown;
    }
    for (const itemEnv of items.envs) {
      const body = value.body;
      if (body.kind === "IfExpr") make(body.body, itemEnv, filterCondition(body, itemEnv), body.condition);
      else if (body.kind === "ObjectExpr") make(body, itemEnv, true, undefined);
      else throw new BicepError(`the body of a loop of ${what} must be an object`);
    }
  } else if (value.kind === "IfExpr") {
    make(value.body, env, filterCondition(value, env), value.condition);
  } else {
    make(value, env, true, undefined);
  }
  return undefined;
}

/** A looped resource symbol: `vnets[i]` is an instance; as a value, the ids. */
export class ResourceCollection extends SymbolValue {
  constructor(
    private readonly symbol: string,
    private readonly instances: ResourceInstance[],
    private readonly unknownList: string | undefined,
  ) {
    super();
  }
  describe(): string {
    return `the resource loop '${this.symbol}'`;
  }
  override element(index: unknown, safe: boolean): unknown {
    if (isUnknownValue(index)) return index;
    if (this.unknownList !== undefined) return this.unknownList;
    if (typeof index !== "number" || !Number.isInteger(index))
      throw new BicepError(`${this.describe()} is indexed by an integer`);
    const found = this.instances[index];
    if (found) return found;
    if (safe) return null;
    throw new BicepError(`index ${index} is outside ${this.describe()} of ${this.instances.length}`);
  }
  toJson(): unknown {
    return this.instances.map((i) => i.id);
  }
}

/**
 * The properties of a deployed resource as Azure returns them: inline children (subnets, rules, routes,
 * peerings, IP configurations…) carry the id Azure gives them, `{resourceId}/{collection}/{name}`.
 */
export function withChildIds(props: Json, id: string): Json {
  const out: Json = { ...props };
  for (const [key, value] of Object.entries(props)) {
    if (!Array.isArray(value) || !value.some((v) => isPlainObject(v) && typeof v.name === "string" && !("id" in v)))
      continue;
    out[key] = value.map((item) =>
      isPlainObject(item) && typeof item.name === "string" && !("id" in item)
        ? markLive({ id: `${id}/${key}/${item.name}`, ...item })
        : item,
    );
  }
  return markLive(out);
}
