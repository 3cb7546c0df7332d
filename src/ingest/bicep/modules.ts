/**
 * @module ingest/bicep/modules
 * Ingest layer, Bicep evaluation: module declarations. A `module` becomes one deployment, or one per loop item,
 * each with its condition, its scope (`scope: resourceGroup('rg')`, else its caller's), its deployment name and
 * the parameters its caller gives (`params: {…}`). A local `.bicep` module is evaluated recursively (file.ts),
 * with cycle detection and at most 16 levels (ARM's nested deployments); a local `.json` module, or a registry
 * module or template spec restored by `bicep restore`, is evaluated as ARM (arm-module.ts). A registry module
 * that is not in the cache, or a module file that is missing, is a warning naming it: what it would deploy is
 * Unknown (one placeholder deployment stands for it in the inventory), and so are its outputs.
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/modules
 */

import { unknownReason } from "../../model/unknown.js";
import { markUndecided } from "../resources/conditions.js";
import { compiledOutput, type EvaluatedModule, evaluateCompiled, readCompiled, unreadOutput } from "./arm-module.js";
import type { Program } from "./ast.js";
import { type Expr, findProperty, type ModuleDecl, type ObjectExpr, stringValue } from "./ast.js";
import type { Env } from "./env.js";
import { evaluateJson } from "./evaluate.js";
import { expandBody } from "./instances.js";
import { sourceAt } from "./locator.js";
import {
  declaredLevel,
  levelFromSchema,
  ModuleCollection,
  ModuleOutputs,
  moduleParams,
  moduleScopeTarget,
  quietly,
} from "./module-values.js";
import type { Supplied } from "./params.js";
import type { Undecided } from "./resources.js";
import { modulePath } from "./restore-cache.js";
import { MAX_MODULE_DEPTH } from "./run.js";
import { type BicepScope, moduleScope, resourceIdAt, type ScopeLevel, type ScopeTarget } from "./scope.js";
import { BicepError, isPlainObject, type Json, SymbolValue } from "./values.js";

/** A Bicep module file opened for evaluation (file.ts's FileEval). */
export interface ModuleTarget {
  output(name: string, at: Expr): unknown;
  outputs(): Json;
  /** Expands every declaration (so that `existing` resources elsewhere find what this deploys). */
  expand(): void;
  collect(out: Json[]): void;
}

/** What a module needs from the file that declares it. */
export interface ModuleHost {
  readonly env: Env;
  readonly deployed: boolean;
  readonly undecided: Undecided | undefined;
  /** Absolute paths of the files being evaluated, outermost first (a module among them is a cycle). */
  readonly stack: readonly string[];
  guard<T>(at: Expr | ModuleDecl, fn: () => T, fallback: T): T;
  open(request: OpenRequest): ModuleTarget;
}

export interface OpenRequest {
  program: Program;
  shown: string;
  path: string;
  scope: BicepScope;
  supplied: Map<string, Supplied>;
  /** False when the caller's `params` could not be read in full (a spread of an Unknown value). */
  paramsComplete: boolean;
  deployed: boolean;
  undecided: Undecided | undefined;
  stack: readonly string[];
}

/** A `module` declaration, expanded into instances once, on first use. */
export class ModuleSymbol {
  private expanded: ModuleInstance[] | "expanding" | undefined;
  /** The placeholder of an Unknown loop list (then `mods[i]` is Unknown). */
  private unknownList: string | undefined;

  constructor(
    readonly decl: ModuleDecl,
    private readonly host: ModuleHost,
  ) {}

  value(): SymbolValue {
    const instances = this.instances();
    if (this.decl.value.kind === "ForExpr")
      return new ModuleCollection(this.decl.name.name, instances, this.unknownList);
    const [only] = instances;
    if (!only) throw new BicepError(`the module '${this.decl.name.name}' could not be evaluated`);
    return only;
  }

  instances(): ModuleInstance[] {
    if (this.expanded === "expanding")
      throw new BicepError(`the module '${this.decl.name.name}' refers to itself`, "bicep/circular-reference");
    if (this.expanded) return this.expanded;
    this.expanded = "expanding";
    const out: ModuleInstance[] = [];
    const env = this.host.env;
    this.host.guard(
      this.decl,
      () => {
        this.unknownList = expandBody(
          this.decl.value,
          env,
          `module '${this.decl.name.name}'`,
          (body, itemEnv, condition, at) => {
            let undecided = this.host.undecided;
            if (typeof condition === "string" && at) {
              env.scope.run.report(
                "warning",
                "bicep/unknown-condition",
                `the condition is Unknown (${condition}); the network is checked both with and without what the module deploys`,
                env.scope.file,
                at.range,
              );
              undecided = { reason: unknownReason(condition), src: sourceAt(env.scope.file, at.range) };
            }
            out.push(
              new ModuleInstance(
                this.decl,
                this.host,
                itemEnv,
                body,
                this.host.deployed && condition !== false,
                undecided,
              ),
            );
          },
        );
      },
      undefined,
    );
    this.expanded = out;
    return out;
  }
}

type Target =
  | { kind: "bicep"; target: ModuleTarget }
  | { kind: "arm"; module: EvaluatedModule }
  | { kind: "unread"; why: string };

/** One module deployment. */
export class ModuleInstance extends SymbolValue {
  private target: Target | "opening" | undefined;
  readonly deploymentName: string;

  constructor(
    readonly decl: ModuleDecl,
    private readonly host: ModuleHost,
    readonly env: Env,
    readonly body: ObjectExpr,
    readonly deployed: boolean,
    readonly undecided: Undecided | undefined,
  ) {
    super();
    const nameExpr = findProperty(body, "name")?.value;
    let name: unknown = decl.name.name;
    if (nameExpr && deployed) name = host.guard(nameExpr, () => evaluateJson(nameExpr, env), decl.name.name);
    else if (nameExpr) name = quietly(() => evaluateJson(nameExpr, env), decl.name.name);
    this.deploymentName = typeof name === "string" ? name : decl.name.name;
  }

  describe(): string {
    return `module '${this.decl.name.name}'`;
  }

  toJson(): unknown {
    return this.deploymentId();
  }

  override member(name: string, _safe: boolean, _at: Expr): unknown {
    if (name === "outputs") return new ModuleOutputs(this);
    if (name === "name") return this.deploymentName;
    if (name === "id") return this.deploymentId();
    throw new BicepError(`${this.describe()} has no property '${name}' (only name and outputs)`);
  }

  private deploymentId(): string {
    return resourceIdAt(this.env.scope.deployment, "Microsoft.Resources/deployments", [this.deploymentName]);
  }

  output(name: string, at: Expr): unknown {
    if (!this.deployed)
      return unreadOutput(this.decl.name.name, name, "the module is not deployed (its condition is false)");
    const target = this.open();
    switch (target.kind) {
      case "bicep":
        return target.target.output(name, at);
      case "arm": {
        const found = compiledOutput(target.module.outputs, name);
        if (!found) throw new BicepError(`${this.describe()} has no output '${name}'`);
        return found.value;
      }
      case "unread":
        return unreadOutput(this.decl.name.name, name, target.why);
    }
  }

  outputs(): Json {
    if (!this.deployed) return {};
    const target = this.open();
    if (target.kind === "bicep") return target.target.outputs();
    if (target.kind === "arm") {
      const out: Json = {};
      for (const [k, v] of Object.entries(target.module.outputs)) out[k] = isPlainObject(v) ? v.value : v;
      return out;
    }
    return {};
  }

  expand(): void {
    if (!this.deployed) return;
    const target = this.open();
    if (target.kind === "bicep") target.target.expand();
  }

  collect(out: Json[]): void {
    if (!this.deployed) return;
    const target = this.open();
    if (target.kind === "bicep") {
      target.target.collect(out);
    } else if (target.kind === "arm") {
      for (const node of target.module.resources) {
        const undecided = target.module.undecided(node) ?? this.undecided;
        if (undecided) markUndecided(node, undecided);
        out.push(node);
      }
    } else {
      // What an unread module deploys is Unknown: one deployment node stands for it, so it is listed.
      const node: Json = {
        id: this.deploymentId(),
        name: this.deploymentName,
        type: "Microsoft.Resources/deployments",
      };
      this.env.scope.run.locator.recordResource(node, this.env, this.decl, this.body);
      out.push(node);
    }
  }

  private open(): Target {
    if (this.target === "opening")
      throw new BicepError(`${this.describe()} depends on its own outputs`, "bicep/circular-reference");
    if (this.target) return this.target;
    this.target = "opening";
    const unread: Target = { kind: "unread", why: "the module could not be evaluated" };
    this.target = this.host.guard(this.decl, () => this.resolve(), unread);
    return this.target;
  }

  private resolve(): Target {
    const run = this.env.scope.run;
    const file = this.env.scope.file;
    const text = stringValue(this.decl.path);
    if (text === undefined) throw new BicepError("a module path cannot be interpolated");
    const where = modulePath(text, this.env.scope.path, file, run.host.cacheRoot);
    if (where.kind === "invalid") throw new BicepError(where.reason, "bicep/invalid-module-path");
    if (--run.modules < 0) throw new BicepError("the evaluation makes too many module deployments", "bicep/limit");
    const { supplied, complete } = moduleParams(this.body, this.env, this.host);
    const targetScope = moduleScopeTarget(this.body, this.env);
    if (where.kind === "registry") {
      const compiled = where.cache
        ? readCompiled(run, where.cache, where.cache)
        : { ok: false as const, reason: where.why ?? "no restore cache" };
      if (!compiled.ok) {
        const why = `a registry module, version ${where.version || "unknown"}, not in the restore cache`;
        run.report(
          "warning",
          "bicep/registry-module-not-cached",
          `${this.describe()}: the registry module ${where.reference} (version ${where.version || "unknown"}) is not in the local restore cache${where.cache ? ` (${where.cache})` : ""}${where.why ? `: ${where.why}` : ""}; run \`bicep restore\` to read it. What it deploys is Unknown, and so are its outputs`,
          file,
          this.decl.path.range,
        );
        return { kind: "unread", why };
      }
      const scope = this.scopeFor(targetScope, levelFromSchema(compiled.template.$schema));
      return { kind: "arm", module: evaluateCompiled(run, compiled, scope, supplied) };
    }
    const shown = run.shown(where.path, where.shown);
    if (this.host.stack.includes(where.path))
      throw new BicepError(
        `module '${this.decl.name.name}' makes a cycle: ${[...this.host.stack, where.path].map((p) => p.split(/[\\/]/).pop()).join(" → ")}`,
        "bicep/module-cycle",
      );
    if (this.host.stack.length >= MAX_MODULE_DEPTH)
      throw new BicepError(`modules nest deeper than ${MAX_MODULE_DEPTH}`, "bicep/limit");
    if (where.json) {
      const compiled = readCompiled(run, where.path, shown);
      if (!compiled.ok) return this.missing(shown, compiled.reason);
      const scope = this.scopeFor(targetScope, levelFromSchema(compiled.template.$schema));
      return { kind: "arm", module: evaluateCompiled(run, compiled, scope, supplied) };
    }
    const parsed = run.parse(where.path, shown);
    if (!parsed.ok) return this.missing(shown, parsed.reason);
    const scope = this.scopeFor(targetScope, declaredLevel(parsed.program));
    const target = this.host.open({
      program: parsed.program,
      shown,
      path: where.path,
      scope,
      supplied,
      paramsComplete: complete,
      deployed: this.deployed,
      undecided: this.undecided,
      stack: [...this.host.stack, where.path],
    });
    return { kind: "bicep", target };
  }

  private missing(shown: string, reason: string): Target {
    this.env.scope.run.report(
      "warning",
      "bicep/module-not-found",
      `${this.describe()}: the module file ${shown} cannot be read (${reason}); what it deploys is Unknown, and so are its outputs`,
      this.env.scope.file,
      this.decl.path.range,
    );
    // The reason of the Unknown outputs names no path: placeholders end up inside resource ids.
    return { kind: "unread", why: `its file cannot be read (${reason})` };
  }

  private scopeFor(target: ScopeTarget | undefined, level: ScopeLevel): BicepScope {
    return moduleScope(this.env.scope.deployment, target, level, this.deploymentName);
  }
}
