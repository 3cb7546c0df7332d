/**
 * @module ingest/arm/evaluator
 * Evaluates one ARM template's values: parameters (with their precedence), variables (lazily, with cycle
 * detection), user-defined functions, property `copy` loops, and every `[expression]` string. Values
 * without expressions are returned as they are (no copy), so they keep their own location; objects built
 * from template nodes are aliased to them, so that everything locates to its declaration.
 * Resources, conditions, resource copies and nested deployments are in resources.ts.
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/syntax
 */
import { unknownValue } from "../../model/unknown.js";
import { buildCopy, countCopies, isCopyList } from "./copy.js";
import { evaluateExpr } from "./expression/evaluate.js";
import { isExpression, parseExpression, unescapeLiteral } from "./expression/parse.js";
import { ArmEvalError, isPlainObject, type Json, setOwn } from "./expression/values.js";
import type { DeploymentScope, FunctionContext } from "./functions/types.js";
import {
  AZURE_LIMITS,
  type Budget,
  BudgetSpent,
  charge,
  type FullBudget,
  fillBudget,
  quoteExpression,
} from "./limits.js";
import { type ParameterReport, ParameterTable } from "./parameter-table.js";
import type { SuppliedParameter } from "./parameters.js";

/** Where a value sits in the template: its containing object or array and its key there. */
export interface Site {
  node: object;
  key?: string | number;
}

/** Receives diagnostics; the ingester turns sites into file:line. */
export interface Sink {
  report(severity: "error" | "warning" | "info", code: string, message: string, site: Site | undefined): void;
  /** Records that `built` was made from `origin` (a template node), for locations. */
  alias(built: object, origin: object): void;
}

export type { Budget } from "./limits.js";

/** Deepest chain of variables referring to variables (or parameters to parameters) we follow. */
const MAX_CHAIN = 200;

/**
 * Functions that hand back a value that exists already (a variable, a parameter, an item of an argument)
 * rather than build one: what they return is not charged to the budget again.
 */
const PASS_THROUGH = new Set([
  "variables",
  "parameters",
  "lambdavariables",
  "first",
  "last",
  "coalesce",
  "tryget",
  "trygetproperty",
  "array",
  "reference",
]);

/** Language version 2.0 (symbolic names), which Bicep emits: its user functions may call each other. */
function isLanguageV2(template: Json): boolean {
  return /^2(\.|$)/.test(String(template.languageVersion ?? ""));
}

interface Frame {
  loops: { name: string; index: number }[];
  lambdas: Record<string, unknown>[];
  functionParams?: Map<string, unknown>;
}

export class TemplateEvaluator implements FunctionContext {
  private readonly parameters: ParameterTable;
  private readonly varDecls = new Map<string, Site & { name: string; copy?: Json }>();
  private readonly varValues = new Map<string, { value: unknown } | "evaluating">();
  private readonly functions = new Map<string, Json>();
  private readonly chain: string[] = [];
  private frame: Frame = { loops: [], lambdas: [] };
  /** The expression being evaluated, for diagnostics. */
  site: Site | undefined;
  /** Set by resources.ts: answers `reference()` and `deployment()`. */
  referenceHandler: ((target: string, full: boolean) => unknown) | undefined;
  private locationWarned = false;
  /**
   * Values of expressions that depend only on the template (no copy index, lambda, reference or function
   * argument) and reported nothing: the same text gives the same value anywhere in this template.
   */
  private readonly memo = new Map<string, unknown>();
  private contextUsed = false;
  private reports = 0;
  readonly sink: Sink;
  /** The shared budget with every counter present. */
  readonly spend: FullBudget;

  constructor(
    readonly template: Json,
    readonly scope: DeploymentScope,
    sink: Sink,
    readonly budget: Budget,
    supplied: SuppliedParameter[],
    /** For `expressionEvaluationOptions.scope: outer`: parameters and variables are the parent's. */
    readonly outer?: TemplateEvaluator,
  ) {
    const vars = template.variables;
    if (isPlainObject(vars)) {
      for (const [name, value] of Object.entries(vars)) {
        if (name.toLowerCase() === "copy" && Array.isArray(value)) {
          for (const spec of value) {
            if (isPlainObject(spec) && typeof spec.name === "string") {
              this.varDecls.set(spec.name.toLowerCase(), { name: spec.name, node: spec, key: "input", copy: spec });
            }
          }
        } else {
          this.varDecls.set(name.toLowerCase(), { name, node: vars, key: name });
        }
      }
    }
    if (Array.isArray(template.functions)) {
      for (const ns of template.functions) {
        if (!isPlainObject(ns) || typeof ns.namespace !== "string" || !isPlainObject(ns.members)) continue;
        for (const [name, member] of Object.entries(ns.members)) {
          if (isPlainObject(member)) this.functions.set(`${ns.namespace}.${name}`.toLowerCase(), member);
        }
      }
    }
    this.sink = {
      report: (severity, code, message, site) => {
        this.reports++;
        sink.report(severity, code, message, site);
      },
      alias: (built, origin) => sink.alias(built, origin),
    };
    this.spend = fillBudget(budget);
    this.parameters = new ParameterTable(template.parameters, supplied, this);
  }

  // ---- budget ----------------------------------------------------------------------------------------

  /** True once a limit has been passed: nothing more is evaluated. */
  get spent(): boolean {
    return this.spend.spent !== undefined;
  }

  /** One evaluation step (an expression node); throws past the budget. */
  step(): void {
    charge(this.spend, "steps");
  }

  /** Charges what the function `name` returned, when it built it (its items, members or characters). */
  produced(name: string, value: unknown): void {
    if (PASS_THROUGH.has(name.toLowerCase())) return;
    if (typeof value === "string") {
      if (value.length > 32) charge(this.spend, "characters", value.length);
    } else if (Array.isArray(value)) {
      charge(this.spend, "items", value.length);
    } else if (isPlainObject(value)) {
      charge(this.spend, "items", Object.keys(value).length);
    }
  }

  /**
   * Takes `n` from the counter `kind` outside any expression (walking a copy's literal input again for every
   * iteration, counting resources). Never throws: past the budget the one diagnostic is given at `site`.
   */
  spendAt(kind: "steps" | "resources", n: number, site: Site): void {
    if (this.spent) return;
    try {
      charge(this.spend, kind, n);
    } catch (error) {
      if (!(error instanceof ArmEvalError)) throw error;
      this.sink.report("error", error.code, error.message, site);
    }
  }

  /** Says that the template passes one of Azure's limits (a refusal; the evaluation goes on). */
  templateLimit(found: string, limit: number, site: Site): void {
    this.sink.report(
      "error",
      "arm/template-limit",
      `the template has ${found}; Azure allows at most ${limit.toLocaleString("en-US")} in one template`,
      site,
    );
  }

  // ---- FunctionContext -------------------------------------------------------------------------------

  evaluate(expr: Parameters<typeof evaluateExpr>[0]): unknown {
    return evaluateExpr(expr, this);
  }

  parameter(name: string): unknown {
    if (this.frame.functionParams) {
      this.contextUsed = true;
      const key = name.toLowerCase();
      if (this.frame.functionParams.has(key)) return this.frame.functionParams.get(key);
      throw new ArmEvalError(`the function has no parameter '${name}'`);
    }
    if (this.outer) return this.outer.parameter(name);
    return this.parameters.value(name);
  }

  variable(name: string): unknown {
    if (this.frame.functionParams) throw new ArmEvalError("a user-defined function cannot read variables");
    if (this.outer) return this.outer.variable(name);
    const key = name.toLowerCase();
    const decl = this.varDecls.get(key);
    if (!decl) throw new ArmEvalError(`the template declares no variable '${name}'`, "arm/undeclared-variable");
    const state = this.varValues.get(key);
    if (state === "evaluating") {
      const from = this.chain.lastIndexOf(`variables('${decl.name}')`);
      const cycle = [...this.chain.slice(from), `variables('${decl.name}')`].join(" → ");
      throw new ArmEvalError(`variable '${decl.name}' refers to itself: ${cycle}`, "arm/circular-reference");
    }
    if (state) return state.value;
    this.varValues.set(key, "evaluating");
    const value = this.isolated(`variables('${decl.name}')`, () =>
      decl.copy
        ? this.copyArray(decl.copy, decl.node)
        : this.resolve((decl.node as Json)[decl.key as string], decl.node, decl.key!),
    );
    this.varValues.set(key, { value });
    return value;
  }

  copyIndex(loop: string | undefined): number {
    this.contextUsed = true;
    const loops = this.frame.loops;
    if (loops.length === 0) throw new ArmEvalError("copyIndex() is used outside a copy loop");
    if (loop === undefined) return loops[loops.length - 1]!.index;
    const found = [...loops].reverse().find((l) => l.name.toLowerCase() === loop.toLowerCase());
    if (!found) throw new ArmEvalError(`copyIndex('${loop}'): there is no copy loop named '${loop}' here`);
    return found.index;
  }

  reference(target: string, full: boolean): unknown {
    this.contextUsed = true;
    if (!this.referenceHandler) return this.unsupported(`reference('${target}')`, "references are not available here");
    return this.referenceHandler(target, full);
  }

  deployment(): Json {
    const location = this.scope.location;
    return this.withLocationWarning({
      name: this.scope.deploymentName,
      properties: {
        template: { contentVersion: String(this.template.contentVersion ?? "1.0.0.0") },
        mode: "Incremental",
      },
      location,
    });
  }

  resourceGroup(): Json {
    const { subscriptionId, resourceGroup, location } = this.scope;
    return this.withLocationWarning({
      id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`,
      name: resourceGroup,
      type: "Microsoft.Resources/resourceGroups",
      location,
      tags: {},
      properties: { provisioningState: "Succeeded" },
    });
  }

  lambdaVariable(name: string): unknown {
    this.contextUsed = true;
    for (let i = this.frame.lambdas.length - 1; i >= 0; i--) {
      const frame = this.frame.lambdas[i]!;
      if (Object.hasOwn(frame, name)) return frame[name];
    }
    throw new ArmEvalError(`lambdaVariables('${name}') is used outside a lambda that declares it`);
  }

  withLambda<T>(bindings: Record<string, unknown>, fn: () => T): T {
    charge(this.spend, "lambdaCalls");
    this.frame.lambdas.push(bindings);
    try {
      return fn();
    } finally {
      this.frame.lambdas.pop();
    }
  }

  userFunction(name: string, args: unknown[]): { value: unknown } | undefined {
    const own = this.functions.get(name.toLowerCase());
    const member = own ?? this.outer?.functions.get(name.toLowerCase());
    if (!member) return undefined;
    // ARM refuses a user function that calls another. Bicep's languageVersion 2.0 output does call its
    // functions from functions (Azure/bicep baselines Functions_LF), so there the calls are followed, within
    // the chain and step limits. https://learn.microsoft.com/azure/azure-resource-manager/templates/user-defined-functions#limitations
    if (this.frame.functionParams && !isLanguageV2((own ? this : this.outer!).template))
      throw new ArmEvalError(
        `the user-defined function ${this.chain[this.chain.length - 1] ?? "?"} calls ${name}(), and ARM refuses a user-defined function that calls another (only Bicep's languageVersion 2.0 templates may)`,
        "arm/user-function-call",
      );
    const declared = Array.isArray(member.parameters) ? member.parameters.filter(isPlainObject) : [];
    if (declared.length !== args.length)
      throw new ArmEvalError(`${name}() takes ${declared.length} arguments, found ${args.length}`);
    const output = isPlainObject(member.output) ? member.output : undefined;
    if (!output || !("value" in output)) throw new ArmEvalError(`function ${name} has no output value`);
    const params = new Map(declared.map((p, i) => [String(p.name).toLowerCase(), args[i]]));
    return { value: this.isolated(`${name}()`, () => this.resolve(output.value, output, "value"), params) };
  }

  unsupported(what: string, why: string): string {
    this.sink.report(
      "warning",
      "arm/unsupported-function",
      `${what} is not evaluated offline (${why}); its value is Unknown`,
      this.site,
    );
    return unknownValue(what);
  }

  // ---- parameters ------------------------------------------------------------------------------------

  /** Every declared parameter with its value and origin (evaluates those not yet used). */
  parameterReports(): ParameterReport[] {
    return this.outer ? [] : this.parameters.reports();
  }

  /** Names given from outside that the template does not declare. */
  unusedSupplied(): SuppliedParameter[] {
    return this.parameters.unused();
  }

  // ---- values ----------------------------------------------------------------------------------------

  /** Evaluates a template value found at `container[key]`. Unchanged values come back as the same object. */
  resolve(value: unknown, container: object, key: string | number): unknown {
    if (typeof value === "string") {
      if (value.charCodeAt(0) !== 91 /* [ */) return value;
      if (!isExpression(value)) return unescapeLiteral(value);
      return this.expression(value, container, key);
    }
    if (typeof value !== "object" || value === null) return value;
    if (Array.isArray(value)) {
      this.spendAt("steps", value.length, { node: container, key });
      return this.resolveArray(value);
    }
    this.spendAt("steps", 1, { node: container, key });
    return this.resolveObject(value as Json);
  }

  /**
   * Built objects that are array items (subnets, rules, routes, IP configurations) are aliased to their
   * declarations: those are what the model cites. Intermediate objects (a `properties` bag, an `{ id }`
   * reference) are not, which keeps the alias table a fraction of the template's size; what the model reads
   * from them is cited at the item or resource that holds them.
   */
  private resolveArray(array: unknown[]): unknown[] {
    let out: unknown[] | undefined;
    for (let i = 0; i < array.length; i++) {
      const item = array[i];
      const result = this.resolve(item, array, i);
      if (result !== item) {
        out ??= array.slice(0, i);
        if (typeof result === "object" && result !== null && typeof item === "object" && item !== null) {
          this.sink.alias(result, item);
        }
      }
      if (out) out.push(result);
    }
    return out ?? array;
  }

  private resolveObject(obj: Json): Json {
    let out: Json | undefined;
    let index = 0;
    for (const key in obj) {
      const item = obj[key];
      if (key === "copy" && isCopyList(item)) {
        out ??= this.copyKeys(obj, index);
        for (const spec of item) setOwn(out, spec.name as string, this.copyArray(spec, spec));
        index++;
        continue;
      }
      const result = this.resolve(item, obj, key);
      if (result !== item && !out) out = this.copyKeys(obj, index);
      if (out) setOwn(out, key, result);
      index++;
    }
    return out ?? obj;
  }

  private copyKeys(obj: Json, count: number): Json {
    const out: Json = {};
    let i = 0;
    for (const key in obj) {
      if (i++ >= count) break;
      setOwn(out, key, obj[key]);
    }
    return out;
  }

  /** A `copy` spec (`{ name, count, input }`) as the array it builds (see copy.ts). */
  copyArray(spec: Json, site: object): unknown[] | string {
    return buildCopy(this, spec, site);
  }

  /** The iteration count of a copy spec (see copy.ts). */
  copyCount(spec: Json, site: object): number | string {
    return countCopies(this, spec, site);
  }

  /** Runs `fn` inside one iteration of the copy loop `name`. */
  inLoop<T>(name: string, index: number, fn: () => T): T {
    this.frame.loops.push({ name, index });
    try {
      return fn();
    } finally {
      this.frame.loops.pop();
    }
  }

  /** Runs `fn` with the loop context of a resource copy (`loops` outermost first). */
  withLoops<T>(loops: { name: string; index: number }[], fn: () => T): T {
    const saved = this.frame;
    this.frame = { loops: [...loops], lambdas: [] };
    try {
      return fn();
    } finally {
      this.frame = saved;
    }
  }

  private expression(text: string, container: object, key: string | number): unknown {
    // Past a limit nothing more is evaluated; the one diagnostic has been given where the limit was passed.
    if (this.spent) return unknownValue(`${quoteExpression(text)}: not evaluated, ${this.spend.spent}`);
    // Inside a user function, parameters() means the function's own: the template-wide memo does not apply.
    const memoize = this.frame.functionParams === undefined;
    if (memoize && this.memo.has(text)) return this.memo.get(text);
    const savedSite = this.site;
    const savedContext = this.contextUsed;
    const reportsBefore = this.reports;
    const site: Site = { node: container, key };
    this.site = site;
    this.contextUsed = false;
    try {
      const parsed = parseExpression(text);
      if (!parsed.ok) {
        this.sink.report(
          "error",
          "arm/invalid-expression",
          `${parsed.message} (at character ${parsed.offset + 1} of ${text})`,
          site,
        );
        return unknownValue(text);
      }
      if (text.length > AZURE_LIMITS.expressionLength) {
        this.sink.report(
          "error",
          "arm/template-limit",
          `the expression is ${text.length.toLocaleString("en-US")} characters long; Azure allows at most ${AZURE_LIMITS.expressionLength.toLocaleString("en-US")} characters in a template expression`,
          site,
        );
        return unknownValue(quoteExpression(text));
      }
      const value = this.guard(() => evaluateExpr(parsed.expr, this), site, unknownValue(text), text);
      if (memoize && !this.contextUsed && this.reports === reportsBefore) this.memo.set(text, value);
      return value;
    } finally {
      this.site = savedSite;
      this.contextUsed ||= savedContext;
    }
  }

  /**
   * Runs `fn`; an ArmEvalError becomes an error diagnostic at `site` and `fallback` is returned. A limit's
   * diagnostic names the expression (`text`) that passed it; once the budget is spent, the evaluations
   * still running unwind without one.
   */
  guard<T>(fn: () => T, site: Site, fallback: T, text?: string): T {
    try {
      return fn();
    } catch (error) {
      // Last line of defence: a RangeError (a stack, string or array past what JavaScript holds) is a bound
      // this reader lacks, said at the expression like the others rather than as an internal error.
      if (error instanceof RangeError && text !== undefined) {
        this.sink.report(
          "error",
          "arm/limit",
          `${quoteExpression(text)}: the evaluation exceeds what this reader can hold (${error.message})`,
          site,
        );
        return fallback;
      }
      if (!(error instanceof ArmEvalError)) throw error;
      if (error instanceof BudgetSpent) return fallback;
      const message =
        error.code === "arm/limit" && text !== undefined ? `${quoteExpression(text)}: ${error.message}` : error.message;
      this.sink.report("error", error.code, message, site);
      return fallback;
    }
  }

  /** Evaluates a parameter, variable or function body on its own (no loops or lambdas of the caller). */
  isolated<T>(label: string, fn: () => T, functionParams?: Map<string, unknown>): T {
    if (this.chain.length >= MAX_CHAIN)
      throw new ArmEvalError(`values refer to each other more than ${MAX_CHAIN} deep`, "arm/limit");
    const saved = this.frame;
    const savedSite = this.site;
    this.frame = { loops: [], lambdas: [], functionParams };
    this.chain.push(label);
    try {
      return fn();
    } finally {
      this.chain.pop();
      this.frame = saved;
      this.site = savedSite;
    }
  }

  /** Wraps a scope object so that reading its `location` names the region assumption once. */
  withLocationWarning(obj: Json): Json {
    const location = obj.location;
    Object.defineProperty(obj, "location", {
      enumerable: true,
      configurable: true,
      get: () => {
        if (!this.locationWarned && this.scope.locationAssumed !== false && this.scope.location === location) {
          this.locationWarned = true;
          this.sink.report(
            "warning",
            "arm/assumed-location",
            `the deployment region is not known offline; assuming '${location}' (give it with --location <region>, or the template's location parameter with --parameters)`,
            this.site,
          );
        }
        return location;
      },
    });
    return obj;
  }
}
