/**
 * @module ingest/bicep/functions
 * Ingest layer, Bicep evaluation: function calls. Bicep's functions are ARM's (`concat`, `format`, `union`,
 * `contains`, `cidrSubnet`, `resourceId`, `uniqueString`, the lambda functions `map`/`filter`/`reduce`/`sort`/
 * `toObject`/`groupBy`, …): those are called through the ARM function library (src/ingest/arm/functions) with a
 * FunctionContext for the file's deployment scope, so both languages compute the same values. Bicep's own are
 * here: the scope functions with arguments (`resourceGroup('rg')`), `any`, `nameof`, `readEnvironmentVariable`,
 * the `load*()` file functions (load.ts), user-defined functions (no recursion, as Bicep), and methods on
 * resources (`kv.getSecret()`, `stg.listKeys()`: read from Azure, Unknown offline). `az.` and `sys.` name the
 * same functions; an `import * as ns` namespace names the imported file's.
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions
 */
import { unknownValue } from "../../model/unknown.js";
import { lookupFunction } from "../arm/functions/index.js";
import type { CallExpr as ArmCallExpr, FunctionContext } from "../arm/functions/types.js";
import type { CallExpr, Expr, MethodCallExpr } from "./ast.js";
import { Env, type FileScope, type UserFunction } from "./env.js";
import { evaluate, evaluateJson } from "./evaluate.js";
import { loadFunction } from "./load.js";
import { printExpr } from "./print.js";
import { managementGroupValue, resourceGroupValue, subscriptionValue, tenantValue } from "./scope.js";
import {
  BicepError,
  BicepLambda,
  isUnknownValue,
  type Json,
  locateError,
  materialize,
  SymbolValue,
  shorten,
  Unsupported,
  unknownFrom,
} from "./values.js";

/** ARM functions that are not Bicep functions (Bicep writes them as operators, or has no such thing). */
const NOT_BICEP = new Set(
  "parameters variables copyindex if lambda lambdavariables add sub mul div mod equals and or not less lessorequals greater greaterorequals createarray createobject true false null providers".split(
    " ",
  ),
);

/** A FunctionContext per file: the ARM functions see the file's deployment scope. */
const bridges = new WeakMap<FileScope, ArmBridge>();

class ArmBridge implements FunctionContext {
  at: Expr | undefined;
  constructor(private readonly file: FileScope) {}

  get scope() {
    return this.file.deployment;
  }
  evaluate(): unknown {
    throw new BicepError("this function is not available in Bicep");
  }
  parameter(): unknown {
    throw new BicepError("parameters() is not a Bicep function: use the parameter's name");
  }
  variable(): unknown {
    throw new BicepError("variables() is not a Bicep function: use the variable's name");
  }
  copyIndex(): number {
    throw new BicepError("copyIndex() is not a Bicep function: use a loop index");
  }
  reference(target: string): unknown {
    return this.unsupported(`reference('${target}')`, "it reads the deployed resource");
  }
  deployment(): Json {
    return deploymentValue(this.file, this.at);
  }
  resourceGroup(): Json {
    return withLocation(resourceGroupValue(this.file.deployment, []), this.file, this.at);
  }
  lambdaVariable(): unknown {
    throw new BicepError("lambdaVariables() is not a Bicep function: use the lambda's parameter");
  }
  withLambda<T>(_bindings: Record<string, unknown>, fn: () => T): T {
    return fn();
  }
  userFunction(): undefined {
    return undefined;
  }
  unsupported(what: string, why: string): string {
    this.file.run.report(
      "warning",
      "bicep/unsupported-function",
      `${what} is not evaluated offline (${why}); its value is Unknown`,
      this.file.file,
      this.at?.range,
    );
    return unknownValue(what);
  }
}

function bridge(file: FileScope): ArmBridge {
  let b = bridges.get(file);
  if (!b) {
    b = new ArmBridge(file);
    bridges.set(file, b);
  }
  return b;
}

/** A placeholder ARM call node, for the ARM functions that read their call (none of the eager ones do). */
const NO_CALL: ArmCallExpr = { kind: "call", name: "", args: [], offset: 0 };

/**
 * Calls the ARM function `name` on evaluated arguments, as the ARM evaluator does: an Unknown argument makes
 * the result Unknown unless the function handles Unknowns itself (string building keeps them in the text).
 * `operator`: the call is an operator's (`==` is `equals`), not a function Bicep code names.
 */
export function armFunction(name: string, args: unknown[], env: Env, at: Expr, operator = false): unknown {
  const spec = lookupFunction(name);
  if (!spec || spec.lazy || (!operator && NOT_BICEP.has(name.toLowerCase())))
    throw new BicepError(`'${name}' is not a Bicep function`, "bicep/unknown-function");
  if (!spec.unknownAware) {
    const unknown = args.find(isUnknownValue);
    if (unknown !== undefined) return unknownFrom(unknown);
  }
  const b = bridge(env.scope);
  const saved = b.at;
  b.at = at;
  try {
    return spec.fn(args, b, NO_CALL);
  } finally {
    b.at = saved;
  }
}

/** Evaluates a call `f(args)` / `ns.f(args)`. */
export function callFunction(expr: CallExpr, env: Env): unknown {
  const ns = expr.namespace?.name ?? null;
  const name = expr.callee.name;
  if (ns !== "az" && ns !== "sys") {
    const fn = env.scope.func(ns, name);
    if (fn) return callUser(fn, expr, env);
    const imported = env.scope.importedCall?.(ns, name, () => expr.args.map((a) => evaluateJson(a, env)), expr);
    if (imported) return imported.value;
    if (ns !== null)
      throw located(env, new BicepError(`'${ns}' has no function '${name}'`, "bicep/unknown-function"), expr);
  }
  try {
    return builtinCall(name, expr, env);
  } catch (error) {
    if (error instanceof Unsupported) return unsupported(env, expr, error.message);
    locateError(error, env.scope.file, expr.range);
    throw error;
  }
}

function builtinCall(name: string, expr: CallExpr, env: Env): unknown {
  switch (name) {
    case "nameof":
      return nameOf(expr);
    case "any":
      if (expr.args.length !== 1) throw new BicepError("any() takes one argument");
      return evaluate(expr.args[0]!, env);
    case "readEnvironmentVariable":
      return readEnvironmentVariable(expr, env);
    case "externalInput":
      throw new Unsupported("externalInput() is given by a tool at deployment");
    case "deployer":
      throw new Unsupported("deployer() is the identity that deploys, known only at deployment");
    case "loadTextContent":
    case "loadJsonContent":
    case "loadYamlContent":
    case "loadFileAsBase64":
    case "loadDirectoryFileInfo":
      return loadFunction(
        name,
        expr,
        expr.args.map((a) => evaluateJson(a, env)),
        env,
      );
  }
  const args = expr.args.map((a) => {
    const value = evaluate(a, env);
    return value instanceof BicepLambda ? value : materialize(value);
  });
  const scope = env.scope.deployment;
  switch (name) {
    case "resourceGroup":
      return withLocation(resourceGroupValue(scope, args), env.scope, expr);
    case "subscription":
      return subscriptionValue(scope, args);
    case "managementGroup":
      return managementGroupValue(scope, args);
    case "tenant":
      return tenantValue(scope);
    case "deployment":
      return deploymentValue(env.scope, expr);
  }
  return armFunction(name, args, env, expr);
}

function located<T extends Error>(env: Env, error: T, at: Expr): T {
  locateError(error, env.scope.file, at.range);
  return error;
}

function unsupported(env: Env, at: Expr, why: string): string {
  const what = shorten(printExpr(at));
  env.scope.run.report(
    "warning",
    "bicep/unsupported-function",
    `${what} is not evaluated offline (${why}); its value is Unknown`,
    env.scope.file,
    at.range,
  );
  return unknownValue(what);
}

/** `nameof(x)`: the name of the symbol or member written, as text. */
function nameOf(expr: CallExpr): string {
  const [arg] = expr.args;
  if (expr.args.length !== 1 || !arg) throw new BicepError("nameof() takes one argument");
  let node: Expr = arg;
  while (node.kind === "ParenExpr" || node.kind === "NonNullExpr") node = node.expr;
  if (node.kind === "IdentExpr") return node.name;
  if (node.kind === "MemberExpr" || node.kind === "ResourceAccessExpr") return node.name.name;
  if (node.kind === "IndexExpr" && node.index.kind === "StringExpr" && node.index.parts.length === 1)
    return node.index.parts[0] as string;
  throw new BicepError("nameof() takes a symbol or a property access");
}

/**
 * `readEnvironmentVariable('NAME', default?)` (in .bicepparam files): the environment handed in by the host.
 * Unset without a default, the value is Unknown (the machine that deploys may set it), with a warning.
 */
function readEnvironmentVariable(expr: CallExpr, env: Env): unknown {
  const args = expr.args.map((a) => evaluateJson(a, env));
  const [name, fallback] = args;
  if (args.length < 1 || args.length > 2 || typeof name !== "string")
    throw new BicepError("readEnvironmentVariable() takes a variable name and an optional default");
  const value = env.scope.run.host.env(name);
  if (value !== undefined) return value;
  const file = env.scope.file;
  if (args.length === 2) {
    env.scope.run.report(
      "info",
      "bicep/environment-variable-unset",
      `the environment variable ${name} is not set; its default is used`,
      file,
      expr.range,
    );
    return fallback;
  }
  env.scope.run.report(
    "warning",
    "bicep/environment-variable-unset",
    `the environment variable ${name} is not set and has no default; the value is Unknown (set it, or give the parameter with -p)`,
    file,
    expr.range,
  );
  return unknownValue(`readEnvironmentVariable('${name}')`);
}

/** A user-defined function's call: arguments bound to its parameters, its body evaluated in its own file. */
function callUser(fn: UserFunction, expr: CallExpr, env: Env): unknown {
  const params = fn.decl.params;
  if (params.length !== expr.args.length)
    throw located(
      env,
      new BicepError(`${fn.decl.name.name}() takes ${params.length} argument(s), found ${expr.args.length}`),
      expr,
    );
  if (env.calls.includes(fn))
    throw located(
      env,
      new BicepError(
        `${fn.decl.name.name}() calls itself; Bicep refuses recursive functions`,
        "bicep/recursive-function",
      ),
      expr,
    );
  const args = expr.args.map((a) => {
    const value = evaluate(a, env);
    return value instanceof BicepLambda ? value : materialize(value);
  });
  const locals = new Map(params.map((p, i) => [p.name.name, args[i]]));
  return evaluateJson(fn.decl.body, Env.call(fn, locals, env));
}

/** `target.method(args)`: functions of resources (`getSecret`, `list*`), read from Azure at deployment. */
export function callMethod(target: unknown, expr: MethodCallExpr, args: unknown[], env: Env): unknown {
  if (target instanceof SymbolValue) {
    try {
      return target.method(expr.method.name, args, expr);
    } catch (error) {
      if (error instanceof Unsupported) return unsupported(env, expr, error.message);
      throw error;
    }
  }
  if (isUnknownValue(target)) return unknownFrom(target);
  throw new BicepError(`'${expr.method.name}()' is called on a value that has no functions`);
}

/** The `deployment()` object of a file's deployment. */
function deploymentValue(file: FileScope, at: Expr | undefined): Json {
  const scope = file.deployment;
  return withLocation(
    {
      name: scope.deploymentName,
      properties: {
        template: { contentVersion: "1.0.0.0" },
        templateHash: unknownValue("deployment().properties.templateHash"),
        mode: "Incremental",
      },
      location: scope.location,
    },
    file,
    at,
  );
}

/** Makes reading `obj.location` say, once, that the region is assumed (when `--location` was not given). */
function withLocation(obj: Json, file: FileScope, at: Expr | undefined): Json {
  if (file.deployment.locationAssumed === false) return obj;
  const location = obj.location;
  Object.defineProperty(obj, "location", {
    enumerable: true,
    configurable: true,
    get: () => {
      if (at) file.locationRead(at);
      return location;
    },
  });
  return obj;
}
