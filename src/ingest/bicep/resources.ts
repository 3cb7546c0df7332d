/**
 * @module ingest/bicep/resources
 * Ingest layer, Bicep evaluation: resource declarations. A `resource` becomes one instance, or one per loop item
 * (`[for …]`, with its `if` filter), each with its condition (`= if (c)`), its parent (`parent: vnet`, or the
 * resource whose body declares it: a child's type is joined to its parent's, `subnets` under a VNet is
 * `Microsoft.Network/virtualNetworks/subnets` named `vnet/subnet`), its scope (an extension resource's
 * `scope: vnet`, an existing resource's `scope: resourceGroup('rg')`), and the id ARM gives it (resourceId()
 * semantics, scope.ts). Its body is evaluated once, on demand, into the REST-shaped node the model is built from;
 * `vnet.id`, `vnet.name`, `vnet.properties.subnets[0].id` and `vnet::subnet.id` read the instance, and what only
 * Azure knows (an assigned address, an existing resource's properties) is Unknown.
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/child-resource-name-type
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/existing-resource
 */

import { providerKey } from "../../model/ids.js";
import type { SourceRef } from "../../model/source.js";
import { unknownReason, unknownValue } from "../../model/unknown.js";
import { ArmEvalError, boundedSize, setOwn } from "../arm/expression/values.js";
import { type Expr, findProperty, type ObjectExpr, type ResourceDecl, stringValue } from "./ast.js";
import type { Env } from "./env.js";
import { evaluate, evaluateJson, object } from "./evaluate.js";
import { expandBody, ResourceCollection, withChildIds } from "./instances.js";
import { sourceAt } from "./locator.js";
import { nameSegments, resourceIdAt, type ScopeTarget, scopeOf } from "./scope.js";
import {
  access,
  BicepError,
  BicepLimit,
  isPlainObject,
  type Json,
  markLive,
  SymbolValue,
  shorten,
  Unsupported,
} from "./values.js";

/** A condition no input decides (its own, a parent's, an enclosing module's): deployed only if it holds. */
export interface Undecided {
  reason: string;
  src: SourceRef;
}

/** What a resource needs from the file evaluation it belongs to. */
export interface ResourceHost {
  readonly env: Env;
  /** Whether the file's deployment itself is deployed, and its undecided condition. */
  readonly deployed: boolean;
  readonly undecided: Undecided | undefined;
  /** Runs `fn`, reporting a refusal at `at` and returning `fallback` instead. */
  guard<T>(at: Expr | ResourceDecl, fn: () => T, fallback: T): T;
  /** Declared instances of the whole run by id (for `existing` resources deployed by another file). */
  declared(key: string): ResourceInstance | undefined;
  declare(instance: ResourceInstance): void;
}

/** Body keys that instruct Bicep rather than describe the resource. */
const CONTROL = new Set(["name", "parent", "scope", "dependsOn"]);

/** A top-level or nested `resource` declaration: expanded into instances once, on first use. */
export class ResourceSymbol {
  private expanded: ResourceInstance[] | "expanding" | undefined;
  private looped: boolean;
  /** The placeholder of an Unknown loop list (then `xs[i]` is Unknown). */
  private unknownList: string | undefined;

  constructor(
    readonly decl: ResourceDecl,
    private readonly host: ResourceHost,
    private readonly env: Env,
    private readonly parent?: ResourceInstance,
  ) {
    this.looped = decl.value.kind === "ForExpr";
  }

  /** The value the symbol's name stands for: one instance, or the loop's collection. */
  value(): SymbolValue {
    const instances = this.instances();
    if (this.looped) return new ResourceCollection(this.decl.name.name, instances, this.unknownList);
    const [only] = instances;
    if (!only) throw new BicepError(`the resource '${this.decl.name.name}' could not be evaluated`);
    return only;
  }

  instances(): ResourceInstance[] {
    if (this.expanded === "expanding")
      throw new BicepError(
        `the resource '${this.decl.name.name}' refers to itself in its name, parent or loop`,
        "bicep/circular-reference",
      );
    if (this.expanded) return this.expanded;
    this.expanded = "expanding";
    const out: ResourceInstance[] = [];
    this.host.guard(this.decl, () => this.expand(out), undefined);
    this.expanded = out;
    return out;
  }

  private expand(out: ResourceInstance[]): void {
    this.unknownList = expandBody(
      this.decl.value,
      this.env,
      `resource '${this.decl.name.name}'`,
      (body, env, condition, at) => {
        const undecided = typeof condition === "string" && at ? this.undecided(condition, at) : undefined;
        out.push(this.instance(body, env, undecided, condition === false));
      },
    );
  }

  private undecided(condition: string, at: Expr): Undecided {
    const src = sourceAt(this.env.scope.file, at.range);
    this.env.scope.run.report(
      "warning",
      "bicep/unknown-condition",
      `the condition is Unknown (${condition}); the network is checked both with and without the resource`,
      src.file,
      at.range,
    );
    return { reason: unknownReason(condition), src };
  }

  private instance(body: ObjectExpr, env: Env, undecided: Undecided | undefined, skipped = false): ResourceInstance {
    if (!skipped) return this.describeInstance(body, env, undecided, false);
    // Azure does not deploy a resource whose condition is false, nor evaluate what it would be named.
    const depth = env.scope.run.depth;
    try {
      return this.describeInstance(body, env, undecided, true);
    } catch (error) {
      if (error instanceof BicepLimit || !(error instanceof ArmEvalError || error instanceof Unsupported)) throw error;
      env.scope.run.depth = depth;
      return this.describeInstance(body, env, undecided, true, true);
    }
  }

  private describeInstance(
    body: ObjectExpr,
    env: Env,
    undecided: Undecided | undefined,
    skipped: boolean,
    unnamed = false,
  ): ResourceInstance {
    const typeText = stringValue(this.decl.typeRef);
    if (typeText === undefined) throw new BicepError("a resource type cannot be interpolated");
    const at = typeText.indexOf("@");
    let type = at < 0 ? typeText : typeText.slice(0, at);
    const apiVersion = at < 0 ? undefined : typeText.slice(at + 1);
    const nameExpr = findProperty(body, "name")?.value;
    if (!nameExpr) throw new BicepError(`the resource '${this.decl.name.name}' has no name`);
    const name = unnamed
      ? unknownValue(`the name of ${this.decl.name.name} (not deployed)`)
      : evaluateJson(nameExpr, env);
    if (typeof name !== "string")
      throw new BicepError(`a resource name must be a string, found ${JSON.stringify(name)}`);
    let parent = this.parent;
    const parentExpr = unnamed ? undefined : findProperty(body, "parent")?.value;
    if (parentExpr) {
      const value = evaluate(parentExpr, env);
      if (!(value instanceof ResourceInstance)) throw new BicepError("'parent' must name a resource (one instance)");
      parent = value;
    }
    if (parent && !type.toLowerCase().startsWith(`${parent.type.toLowerCase()}/`)) {
      if (type.includes("/") && this.parent === undefined)
        throw new BicepError(`the type '${type}' is not a child type of its parent's '${parent.type}'`);
      type = `${parent.type}/${type}`;
    }
    const scopeExpr = unnamed ? undefined : findProperty(body, "scope")?.value;
    const scope = scopeExpr ? evaluate(scopeExpr, env) : undefined;
    const fullName = parent ? `${parent.fullName}/${name}` : name;
    const id = this.idOf(type, fullName, name, parent, scope);
    const deployed = !skipped && this.host.deployed && (parent ? parent.deployed : true);
    const inst = new ResourceInstance(this.decl, this.host, env, body, {
      type,
      apiVersion,
      name,
      fullName,
      id,
      parent,
      deployed,
      undecided: undecided ?? parent?.undecided ?? this.host.undecided,
      existing: this.decl.existing,
    });
    if (deployed && !this.decl.existing) this.host.declare(inst);
    return inst;
  }

  private idOf(
    type: string,
    fullName: string,
    name: string,
    parent: ResourceInstance | undefined,
    scope: unknown,
  ): string {
    if (parent) return `${parent.id}/${type.split("/").pop()}/${name}`;
    const deployment = this.env.scope.deployment;
    if (scope instanceof ResourceInstance) {
      // An extension resource (a lock, a diagnostic setting, a role assignment) lives under its scope.
      const [namespace, ...types] = type.split("/");
      const names = nameSegments(fullName);
      return `${scope.id}/providers/${namespace}${types.map((t, i) => `/${t}/${names[i] ?? ""}`).join("")}`;
    }
    const target: ScopeTarget = scopeOf(scope) ?? deployment;
    const at = { ...deployment, ...target, level: target.level };
    return resourceIdAt(at, type, nameSegments(fullName));
  }
}

interface InstanceFacts {
  type: string;
  apiVersion: string | undefined;
  /** The name as written (a child's own name). */
  name: string;
  /** The REST name (`vnet/subnet` for a child). */
  fullName: string;
  id: string;
  parent: ResourceInstance | undefined;
  deployed: boolean;
  undecided: Undecided | undefined;
  existing: boolean;
}

/** One deployed (or existing) resource: what its symbol stands for in expressions, and its REST node. */
export class ResourceInstance extends SymbolValue {
  readonly type: string;
  readonly apiVersion: string | undefined;
  readonly name: string;
  readonly fullName: string;
  readonly id: string;
  readonly parent: ResourceInstance | undefined;
  readonly deployed: boolean;
  readonly undecided: Undecided | undefined;
  readonly existing: boolean;
  private node: Json | "building" | undefined;
  private view: Json | undefined;
  private children: Map<string, ResourceSymbol> | undefined;
  private externalSaid = false;

  constructor(
    readonly decl: ResourceDecl,
    private readonly host: ResourceHost,
    readonly env: Env,
    readonly body: ObjectExpr,
    facts: InstanceFacts,
  ) {
    super();
    this.type = facts.type;
    this.apiVersion = facts.apiVersion;
    this.name = facts.name;
    this.fullName = facts.fullName;
    this.id = facts.id;
    this.parent = facts.parent;
    this.deployed = facts.deployed;
    this.undecided = facts.undecided;
    this.existing = facts.existing;
  }

  describe(): string {
    return `resource '${this.decl.name.name}'`;
  }

  toJson(): unknown {
    return this.id;
  }

  /** `vnet.id`, `vnet.name`, `vnet.properties…`: known facts first, then the (live) state. */
  override member(name: string, safe: boolean, at: Expr): unknown {
    switch (name) {
      case "id":
        return this.id;
      case "name":
        return this.name;
      case "type":
        return this.type;
      case "apiVersion":
        return this.apiVersion ?? null;
    }
    return access(this.state(at), name, safe, at);
  }

  override child(name: string, at: Expr): unknown {
    const symbol = this.childSymbols().get(name);
    if (!symbol) return super.child(name, at);
    return symbol.value();
  }

  override method(name: string): unknown {
    if (name === "getSecret") throw new Unsupported("a Key Vault secret is read at deployment");
    if (/^list/i.test(name)) throw new Unsupported("it reads the deployed resource");
    throw new BicepError(`${this.describe()} has no function '${name}'`);
  }

  /** The child resources declared in this instance's body, by symbolic name. */
  childSymbols(): Map<string, ResourceSymbol> {
    if (!this.children) {
      this.children = new Map();
      for (const decl of this.body.resources)
        this.children.set(decl.name.name, new ResourceSymbol(decl, this.host, this.env, this));
    }
    return this.children;
  }

  /** The REST node this instance deploys (evaluated once); undefined for an existing or skipped resource. */
  build(): Json | undefined {
    if (this.existing || !this.deployed) return undefined;
    if (this.node === "building")
      throw new BicepError(`${this.describe()} refers to its own properties`, "bicep/circular-reference");
    if (this.node) return this.node;
    this.node = "building";
    const node: Json = { id: this.id, name: this.fullName, type: this.type };
    if (this.apiVersion) node.apiVersion = this.apiVersion;
    const built = this.host.guard(this.body, () => object(this.body, this.env, CONTROL), {});
    if (typeof built === "string") {
      this.env.scope.run.report(
        "warning",
        "bicep/unknown-body",
        `the body of ${this.describe()} is Unknown (${built})`,
        this.env.scope.file,
        this.body.range,
      );
    } else {
      for (const [k, v] of Object.entries(built)) setOwn(node, k, v);
    }
    this.host.guard(this.decl, () => boundedSize(node), undefined);
    this.env.scope.run.locator.recordResource(node, this.env, this.decl, this.body);
    this.node = node;
    return node;
  }

  /**
   * What reading this resource at deployment gives: its declared body, with the ids Azure gives inline
   * children (`properties.subnets[i].id`), and Unknown for what Azure sets. An existing resource reads the
   * instance another file of the run deploys under the same id, else is Unknown (read from Azure).
   */
  private state(at: Expr): Json {
    if (this.view) return this.view;
    if (this.existing || !this.deployed) {
      const found = this.existing ? this.host.declared(providerKey(this.id)) : undefined;
      if (found && found !== this) {
        this.view = found.state(at);
        return this.view;
      }
      const why = this.existing
        ? `the existing resource '${shorten(this.fullName, 80)}' is read from Azure at deployment`
        : `${this.describe()} is not deployed (its condition is false)`;
      if (!this.externalSaid) {
        this.externalSaid = true;
        this.env.scope.run.report(
          "warning",
          "bicep/external-reference",
          `${why}; what is read from it is Unknown`,
          this.env.scope.file,
          at.range,
        );
      }
      this.view = markLive({ id: this.id, name: this.name, type: this.type, properties: markLive({}, why) }, why);
      return this.view;
    }
    const node = this.build() ?? {};
    const view: Json = { ...node, name: this.name };
    const props = node.properties;
    view.properties = isPlainObject(props) ? withChildIds(props, this.id) : markLive({});
    this.view = markLive(view);
    return this.view;
  }
}
