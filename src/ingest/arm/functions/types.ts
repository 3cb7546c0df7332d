/**
 * @module ingest/arm/functions/types
 * The contract between the expression evaluator and the ARM template functions: what a function receives
 * (its evaluated arguments, or the raw ones for the lazy `if` and the lambda functions) and what it may ask
 * of the template being evaluated (parameters, variables, copy indexes, the deployment scope, references).
 */
import type { Expr } from "../expression/parse.js";
import type { Json } from "../expression/values.js";

/** Where the deployment goes. Offline we do not know it, so these are placeholders (see scope.ts). */
export interface DeploymentScope {
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  /** True when `location` is the assumption (no `--location` given): reading it then warns. */
  locationAssumed?: boolean;
  tenantId: string;
  /** The deployment's name (`az deployment group create` uses the template file's base name). */
  deploymentName: string;
}

export interface FunctionContext {
  /** Evaluates an argument expression (lazy functions only). */
  evaluate(expr: Expr): unknown;
  parameter(name: string): unknown;
  variable(name: string): unknown;
  /** The current iteration of the named copy loop (or the innermost one). */
  copyIndex(loop: string | undefined): number;
  /** `reference(resourceIdOrName, apiVersion?, 'Full'?)` */
  reference(target: string, full: boolean): unknown;
  readonly scope: DeploymentScope;
  /** The `deployment()` object. */
  deployment(): Json;
  /** The `resourceGroup()` object. */
  resourceGroup(): Json;
  /** Values bound by the enclosing lambdas (`lambdaVariables('x')`). */
  lambdaVariable(name: string): unknown;
  /** Runs `fn` with extra lambda variables bound. */
  withLambda<T>(bindings: Record<string, unknown>, fn: () => T): T;
  /** A user-defined function (`namespace.name`); undefined when the template declares none by that name. */
  userFunction(name: string, args: unknown[]): { value: unknown } | undefined;
  /** Reports a function we do not evaluate offline (a warning) and returns an Unknown placeholder. */
  unsupported(what: string, why: string): string;
  /**
   * The ARM evaluator's budget (ingest/arm/limits): one step per expression node, and what a function call
   * built. Absent where the caller keeps its own budget (the Bicep evaluator calls the functions directly).
   */
  step?(): void;
  produced?(name: string, value: unknown): void;
}

export type CallExpr = Extract<Expr, { kind: "call" }>;

export interface FunctionSpec {
  /** The function body; `args` are evaluated unless `lazy`. */
  fn(args: unknown[], ctx: FunctionContext, call: CallExpr): unknown;
  /** Receives unevaluated arguments through `call.args` (`if`, lambdas). */
  lazy?: boolean;
  /**
   * Handles unknown arguments itself (string building keeps the placeholders inside the text). Otherwise
   * any unknown argument makes the result Unknown without calling the function.
   */
  unknownAware?: boolean;
}

export type FunctionTable = Record<string, FunctionSpec>;
