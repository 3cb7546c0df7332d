/**
 * @module ingest/bicep/module-values
 * Ingest layer, Bicep evaluation: the parts of a module declaration read in the caller — its `scope:` (a scope
 * function's value, a resource group resource, or the caller's own scope) and its `params:` (each value with the
 * place it is written) — what its symbol stands for (`mod.outputs`, `mods[i]`), and the target scope a module
 * file declares.
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/modules
 */
import { type Expr, findProperty, type ObjectExpr, type Program, stringValue } from "./ast.js";
import type { Env } from "./env.js";
import { evaluate, evaluateJson } from "./evaluate.js";
import { sourceAt } from "./locator.js";
import type { ModuleHost, ModuleInstance } from "./modules.js";
import type { Supplied } from "./params.js";
import { ResourceInstance } from "./resources.js";
import { levelOf, type ScopeLevel, type ScopeTarget, scopeOf } from "./scope.js";
import { BicepError, isPlainObject, isUnknownValue, SymbolValue } from "./values.js";

/** `scope:`: a scope function's value, a resource group or subscription resource, or the caller's scope. */
export function moduleScopeTarget(body: ObjectExpr, env: Env): ScopeTarget | undefined {
  const expr = findProperty(body, "scope")?.value;
  if (!expr) return undefined;
  const value = evaluate(expr, env);
  if (value instanceof ResourceInstance) {
    const type = value.type.toLowerCase();
    if (type === "microsoft.resources/resourcegroups")
      return {
        level: "resourceGroup",
        subscriptionId: env.scope.deployment.subscriptionId,
        resourceGroup: value.name,
      };
    if (type === "microsoft.management/managementgroups")
      return { level: "managementGroup", managementGroup: value.name };
    throw new BicepError(
      `a module's scope is a resource group, subscription, management group or tenant, not ${value.describe()}`,
    );
  }
  if (isUnknownValue(value)) return { level: "resourceGroup", resourceGroup: value };
  const target = scopeOf(value);
  if (!target)
    throw new BicepError("a module's scope must be resourceGroup(…), subscription(…), managementGroup(…) or tenant()");
  return target;
}

/** The caller's `params: {…}`, each with the place its value is written. */
export function moduleParams(
  body: ObjectExpr,
  env: Env,
  host: Pick<ModuleHost, "guard">,
): { supplied: Map<string, Supplied>; complete: boolean } {
  const supplied = new Map<string, Supplied>();
  const expr = findProperty(body, "params")?.value;
  if (!expr) return { supplied, complete: true };
  const file = env.scope.file;
  const { locator } = env.scope.run;
  const give = (name: string, value: unknown, at: Expr, whole = false) =>
    supplied.set(name, {
      value,
      origin: "parent deployment",
      file,
      src: sourceAt(file, at.range),
      // A spread or a whole `params:` value gives many parameters from one expression: no one place to follow.
      ...(whole ? {} : { passedFrom: () => locator.passedFrom(env, at) }),
    });
  if (expr.kind !== "ObjectExpr") {
    const value = host.guard(expr, () => evaluateJson(expr, env), null);
    if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) give(k, v, expr, true);
    return { supplied, complete: isPlainObject(value) };
  }
  let complete = true;
  for (const member of expr.members) {
    if (member.kind === "ObjectProperty") {
      const key = member.key.kind === "Identifier" ? member.key.name : stringValue(member.key);
      if (key === undefined) continue;
      const value = host.guard(member.value, () => evaluateJson(member.value, env), undefined);
      if (value !== undefined) give(key, value, member.value);
    } else if (member.kind === "SpreadExpr") {
      const value = host.guard(member.expr, () => evaluateJson(member.expr, env), undefined);
      if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) give(k, v, member.expr, true);
      else if (value !== null) complete = false;
    }
  }
  return { supplied, complete };
}

/** The `targetScope` a Bicep file declares (resource group when it declares none). */
export function declaredLevel(program: Program): ScopeLevel {
  for (const s of program.statements) {
    if (s.kind === "TargetScopeDecl" && s.value.kind === "StringExpr")
      return levelOf(stringValue(s.value)) ?? "resourceGroup";
  }
  return "resourceGroup";
}

export function levelFromSchema(schema: unknown): ScopeLevel {
  const text = String(schema ?? "").toLowerCase();
  if (text.includes("subscriptiondeploymenttemplate")) return "subscription";
  if (text.includes("managementgroupdeploymenttemplate")) return "managementGroup";
  if (text.includes("tenantdeploymenttemplate")) return "tenant";
  return "resourceGroup";
}

/** `mod.outputs`: each output on demand (`mod.outputs.x`), or all of them as a value. */
export class ModuleOutputs extends SymbolValue {
  constructor(private readonly instance: ModuleInstance) {
    super();
  }
  describe(): string {
    return `the outputs of ${this.instance.describe()}`;
  }
  override member(name: string, safe: boolean, at: Expr): unknown {
    try {
      return this.instance.output(name, at);
    } catch (error) {
      if (safe && error instanceof BicepError && /has no output/.test(error.message)) return null;
      throw error;
    }
  }
  override element(index: unknown, safe: boolean, at: Expr): unknown {
    if (typeof index === "string") return this.member(index, safe, at);
    throw new BicepError(`${this.describe()} are read by name`);
  }
  toJson(): unknown {
    return this.instance.outputs();
  }
}

/** A looped module symbol: `mods[i]` is a deployment. */
export class ModuleCollection extends SymbolValue {
  constructor(
    private readonly symbol: string,
    private readonly instances: ModuleInstance[],
    private readonly unknownList: string | undefined,
  ) {
    super();
  }
  describe(): string {
    return `the module loop '${this.symbol}'`;
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
    return this.instances.map((i) => i.toJson());
  }
}

/** `fn`'s value, or `fallback` where it is refused (what Azure never evaluates, a module whose condition is false). */
export function quietly<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof BicepError && error.code !== "bicep/limit") return fallback;
    throw error;
  }
}
