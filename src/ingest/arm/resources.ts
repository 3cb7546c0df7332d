/**
 * @module ingest/arm/resources
 * Expands a template's resources into the REST-shaped objects Azure would deploy: resource `copy` loops,
 * `condition`, child resources nested in their parents (`subnets` under a VNet become
 * `Microsoft.Network/virtualNetworks/subnets` named `vnet/subnet`), ids with `resourceId()` semantics, and
 * nested deployments (`Microsoft.Resources/deployments` with an inline template, in `inner` or `outer`
 * expression scope). `reference()` answers from these objects; what only Azure knows is Unknown.
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/child-resource-name-type
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/linked-templates
 */
import { idKey, providerKey } from "../../model/ids.js";
import { isUnknown, unknownReason, unknownValue } from "../../model/unknown.js";
import { type Budget, type Sink, type Site, TemplateEvaluator } from "./evaluator.js";
import { markLive } from "./expression/evaluate.js";
import { ArmEvalError, isPlainObject, isUnknownValue, type Json, setOwn } from "./expression/values.js";
import type { DeploymentScope } from "./functions/types.js";
import { AZURE_LIMITS, BUDGET_LIMITS } from "./limits.js";
import type { SuppliedParameter } from "./parameters.js";

/** Nested deployments deeper than this are refused (ARM's own limit on nesting is lower). */
const MAX_DEPLOYMENT_DEPTH = 16;
/** Keys of a resource declaration that are instructions to ARM, not part of the deployed resource. */
const CONTROL_KEYS = new Set([
  "copy",
  "condition",
  "dependson",
  "resources",
  "comments",
  "existing",
  "name",
  "type",
  "id",
]);
const DEPLOYMENTS = "microsoft.resources/deployments";

type Loop = { name: string; index: number };

interface Instance {
  decl: Json;
  symbolic?: string;
  loops: Loop[];
  type: string;
  name: string;
  id: string;
  /** false when the condition is false (or the parent's is). */
  deployed: boolean;
  /** The condition no input decides (its own or its parent's): deployed only if it holds. */
  undecided?: { reason: string; site: Site };
  existing: boolean;
  state?: "evaluating" | { node: Json; outputs?: Json; nested?: Json[] };
}

/** The evaluated template: its resources (nested deployments' included) and its outputs. */
export interface EvaluatedTemplate {
  resources: Json[];
  outputs: Json;
  evaluator: TemplateEvaluator;
}

/** Resource nodes whose deployment hangs on a condition no input decides, with that condition. */
const undecidedNodes = new WeakMap<object, { reason: string; site: Site }>();

/** The undecided condition of an evaluated resource node (its own, or that of its parent or deployment). */
export function undecidedConditionSite(node: object): { reason: string; site: Site } | undefined {
  return undecidedNodes.get(node);
}

/** Evaluates a whole template. */
export function evaluateTemplate(
  template: Json,
  scope: DeploymentScope,
  sink: Sink,
  supplied: SuppliedParameter[],
  options: { budget?: Budget; outer?: TemplateEvaluator; parent?: ResourceSet; depth?: number; outputs?: boolean } = {},
): EvaluatedTemplate {
  const budget = options.budget ?? { copies: BUDGET_LIMITS.copies };
  const evaluator = new TemplateEvaluator(template, scope, sink, budget, supplied, options.outer);
  checkSections(evaluator, template);
  const set = new ResourceSet(evaluator, sink, budget, options.depth ?? 0, options.parent);
  evaluator.referenceHandler = (target, full) => set.reference(target, full);
  set.expand(template.resources);
  const resources = set.evaluateAll();
  // Outputs matter to a parent deployment (`reference(...).outputs`); a top-level template's outputs do not
  // change the network, so the ingester skips them (and their live-state functions' warnings).
  const outputs = options.outputs === false ? {} : set.outputs(template.outputs);
  return { resources, outputs, evaluator };
}

/** Azure's limits on the parameters, variables and outputs of one template: refusals, said once each. */
function checkSections(ev: TemplateEvaluator, template: Json): void {
  const count = (section: unknown, copies: boolean): number => {
    if (!isPlainObject(section)) return 0;
    let n = 0;
    for (const key in section) {
      const value = section[key];
      // `variables.copy` declares one variable per loop.
      n += copies && key.toLowerCase() === "copy" && Array.isArray(value) ? value.length : 1;
    }
    return n;
  };
  const sections = [
    ["parameters", "parameters", AZURE_LIMITS.parameters],
    ["variables", "variables", AZURE_LIMITS.variables],
    ["outputs", "outputs", AZURE_LIMITS.outputs],
  ] as const;
  for (const [key, what, limit] of sections) {
    const found = count(template[key], key === "variables");
    if (found > limit) ev.templateLimit(`${found} ${what}`, limit, { node: template, key });
  }
}

/** Splits a resource name at `/`, but never inside an unknown placeholder. */
function nameSegments(name: string): string[] {
  if (!isUnknown(name)) return name.split("/");
  const out: string[] = [];
  let depth = 0;
  let current = "";
  for (let i = 0; i < name.length; i++) {
    if (name.startsWith("<unknown:", i)) depth++;
    else if (name[i] === ">" && depth > 0) depth--;
    if (name[i] === "/" && depth === 0) {
      out.push(current);
      current = "";
    } else {
      current += name[i];
    }
  }
  out.push(current);
  return out;
}

export class ResourceSet {
  private readonly instances: Instance[] = [];
  /** Resources this template deploys (copies counted), against Azure's limit per template. */
  private deployedCount = 0;

  constructor(
    private readonly ev: TemplateEvaluator,
    private readonly sink: Sink,
    private readonly budget: Budget,
    private readonly depth: number,
    private readonly parent?: ResourceSet,
  ) {}

  /** Expands the `resources` of a template (an array, or an object of symbolic names in languageVersion 2.0). */
  expand(resources: unknown): void {
    if (resources === undefined) return;
    if (Array.isArray(resources)) {
      for (const decl of resources) this.declare(decl, undefined, undefined, [], resources);
    } else if (isPlainObject(resources)) {
      for (const [symbolic, decl] of Object.entries(resources)) this.declare(decl, symbolic, undefined, [], resources);
    } else {
      this.sink.report(
        "error",
        "arm/invalid-template",
        "'resources' must be an array (or an object of symbolic names)",
        {
          node: this.ev.template,
          key: "resources",
        },
      );
    }
  }

  private declare(
    decl: unknown,
    symbolic: string | undefined,
    parent: Instance | undefined,
    loops: Loop[],
    holder: object,
  ): void {
    if (!isPlainObject(decl)) {
      this.sink.report("error", "arm/invalid-template", "a resource must be an object", { node: holder });
      return;
    }
    if (this.ev.spent) return;
    const copy = decl.copy;
    if (isPlainObject(copy)) {
      const count = this.ev.withLoops(loops, () => this.ev.copyCount(copy, decl));
      if (typeof count === "string") return;
      for (let index = 0; index < count && !this.ev.spent; index++) {
        this.instance(decl, symbolic, parent, [...loops, { name: String(copy.name ?? ""), index }]);
      }
    } else {
      this.instance(decl, symbolic, parent, loops);
    }
  }

  private instance(decl: Json, symbolic: string | undefined, parent: Instance | undefined, loops: Loop[]): void {
    const ev = this.ev;
    ev.withLoops(loops, () => {
      const condition = "condition" in decl ? ev.resolve(decl.condition, decl, "condition") : true;
      let deployed = parent ? parent.deployed : true;
      let undecided = parent?.undecided;
      if (isUnknownValue(condition)) {
        const site = { node: decl, key: "condition" };
        undecided = { reason: unknownReason(String(condition)), site };
        this.sink.report(
          "warning",
          "arm/unknown-condition",
          `the condition is Unknown (${condition}); the network is checked both with and without the resource`,
          site,
        );
      } else if (typeof condition !== "boolean") {
        this.sink.report("error", "arm/invalid-expression", "a resource condition must be a bool", {
          node: decl,
          key: "condition",
        });
      } else if (!condition) {
        deployed = false;
      }
      const type = ev.resolve(decl.type, decl, "type");
      const name = ev.resolve(decl.name, decl, "name");
      if (typeof type !== "string" || typeof name !== "string") {
        this.sink.report("error", "arm/invalid-template", "a resource needs a string 'type' and 'name'", {
          node: decl,
        });
        return;
      }
      const relative = parent && !type.includes("/");
      const fullType = relative ? `${parent.type}/${type}` : type;
      const fullName = relative ? `${parent.name}/${name}` : name;
      const id = this.resourceIdOf(decl, fullType, fullName);
      const inst: Instance = {
        decl,
        symbolic,
        loops,
        type: fullType,
        name: fullName,
        id,
        deployed,
        ...(undecided ? { undecided } : {}),
        existing: decl.existing === true,
      };
      this.instances.push(inst);
      if (deployed && !inst.existing) this.counted(decl);
      if (Array.isArray(decl.resources)) {
        for (const child of decl.resources) this.declare(child, undefined, inst, loops, decl.resources);
      }
    });
  }

  /**
   * Counts one more deployed resource: past Azure's 800 a template is refused (said once, the evaluation goes
   * on); past our budget for a template and its nested deployments together, the evaluation stops.
   */
  private counted(decl: Json): void {
    if (++this.deployedCount === AZURE_LIMITS.resources + 1)
      this.ev.templateLimit("more than 800 resources (copies counted)", AZURE_LIMITS.resources, { node: decl });
    this.ev.spendAt("resources", 1, { node: decl });
  }

  private resourceIdOf(decl: Json, type: string, name: string): string {
    const [namespace, ...types] = type.split("/");
    const names = nameSegments(name);
    if (names.length !== types.length) {
      this.sink.report(
        "error",
        "arm/invalid-resource-name",
        `the name '${name}' has ${names.length} segment(s) but the type '${type}' needs ${types.length}`,
        { node: decl, key: "name" },
      );
    }
    const path = `/providers/${namespace}${types.map((t, i) => `/${t}/${names[i] ?? ""}`).join("")}`;
    const { subscriptionId, resourceGroup } = this.ev.scope;
    const scope = typeof decl.scope === "string" ? this.ev.resolve(decl.scope, decl, "scope") : undefined;
    if (typeof scope === "string" && scope.length > 0) {
      // An extension resource: under the resource its scope names (Bicep writes it relative to the group).
      const base = scope.startsWith("/")
        ? scope
        : `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${scope}`;
      return `${base.replace(/\/+$/, "")}${path}`;
    }
    const schema = String(this.ev.template.$schema ?? "").toLowerCase();
    if (/(subscription|tenant|managementgroup)deploymenttemplate/.test(schema))
      return `/subscriptions/${subscriptionId}${path}`;
    return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}${path}`;
  }

  /** Every deployed resource, in declaration order, with nested deployments' resources in place. */
  evaluateAll(): Json[] {
    const out: Json[] = [];
    for (const inst of this.instances) {
      if (!inst.deployed || inst.existing) continue;
      const state = this.evaluate(inst);
      if (!state) continue;
      const nodes = state.nested ?? [state.node];
      if (inst.undecided) for (const node of nodes) undecidedNodes.set(node, inst.undecided);
      // One at a time: a nested deployment may hold more resources than a call takes arguments.
      for (const node of nodes) out.push(node);
    }
    return out;
  }

  private evaluate(inst: Instance): { node: Json; outputs?: Json; nested?: Json[] } | undefined {
    if (inst.state === "evaluating") {
      throw new ArmEvalError(`resource '${inst.name}' refers to itself through reference()`, "arm/circular-reference");
    }
    if (inst.state) return inst.state;
    inst.state = "evaluating";
    const state = this.ev.withLoops(inst.loops, () => {
      const node: Json = { id: inst.id, name: inst.name, type: inst.type };
      const isDeployment = inst.type.toLowerCase() === DEPLOYMENTS;
      for (const key of Object.keys(inst.decl)) {
        if (CONTROL_KEYS.has(key.toLowerCase()) || (isDeployment && key === "properties")) continue;
        setOwn(node, key, this.ev.resolve(inst.decl[key], inst.decl, key));
      }
      this.sink.alias(node, inst.decl);
      return isDeployment ? this.deployment(inst, node) : { node };
    });
    inst.state = state;
    return state;
  }

  /** A nested deployment: its inline template evaluated in its own scope (or the parent's, for `outer`). */
  private deployment(inst: Instance, node: Json): { node: Json; outputs?: Json; nested?: Json[] } {
    const decl = inst.decl;
    const props = isPlainObject(decl.properties) ? decl.properties : {};
    const template = props.template;
    if (!isPlainObject(template)) {
      const link = isPlainObject(props.templateLink)
        ? this.ev.resolve(props.templateLink, props, "templateLink")
        : undefined;
      const where = isPlainObject(link) ? String(link.uri ?? link.id ?? link.relativePath ?? "") : "";
      this.sink.report(
        "warning",
        "arm/linked-template",
        `nested deployment '${inst.name}' uses a linked template${where ? ` (${where})` : ""} that is not read offline; its resources are not in the model and its outputs are Unknown`,
        { node: decl },
      );
      setOwn(node, "properties", this.ev.resolve(props, decl, "properties"));
      return { node, outputs: undefined };
    }
    if (this.depth >= MAX_DEPLOYMENT_DEPTH) {
      this.sink.report("error", "arm/limit", `nested deployments deeper than ${MAX_DEPLOYMENT_DEPTH}`, { node: decl });
      return { node, nested: [] };
    }
    const options = isPlainObject(props.expressionEvaluationOptions) ? props.expressionEvaluationOptions : {};
    const inner = String(this.ev.resolve(options.scope, options, "scope") ?? "outer").toLowerCase() === "inner";
    const sub =
      decl.subscriptionId === undefined ? undefined : this.ev.resolve(decl.subscriptionId, decl, "subscriptionId");
    const group =
      decl.resourceGroup === undefined ? undefined : this.ev.resolve(decl.resourceGroup, decl, "resourceGroup");
    const scope: DeploymentScope = {
      ...this.ev.scope,
      subscriptionId: typeof sub === "string" ? sub : this.ev.scope.subscriptionId,
      resourceGroup: typeof group === "string" ? group.split("/").pop()! : this.ev.scope.resourceGroup,
      deploymentName: nameSegments(inst.name).pop() ?? inst.name,
    };
    const supplied: SuppliedParameter[] = [];
    if (inner && isPlainObject(props.parameters)) {
      for (const [name, entry] of Object.entries(props.parameters)) {
        if (isPlainObject(entry) && Object.hasOwn(entry, "value")) {
          supplied.push({
            name,
            value: this.ev.resolve(entry.value, entry, "value"),
            kind: "parent deployment",
            node: entry,
          });
        } else if (isPlainObject(entry) && "reference" in entry) {
          supplied.push({
            name,
            value: unknownValue(`parameters('${name}') is a Key Vault secret`),
            kind: "parent deployment",
            node: entry,
          });
        }
      }
    } else if (!inner && isPlainObject(props.parameters) && Object.keys(props.parameters).length > 0) {
      this.sink.report(
        "warning",
        "arm/outer-scope-parameters",
        "parameters of a nested deployment in outer scope are ignored by ARM",
        {
          node: props,
          key: "parameters",
        },
      );
    }
    const result = evaluateTemplate(template, scope, this.sink, supplied, {
      budget: this.budget,
      outer: inner ? undefined : this.ev,
      parent: this,
      depth: this.depth + 1,
    });
    return { node, outputs: result.outputs, nested: result.resources };
  }

  /** The template's outputs as `{ name: { type, value } }` (what `reference(deployment).outputs` gives). */
  outputs(outputs: unknown): Json {
    const out: Json = {};
    if (!isPlainObject(outputs)) return out;
    for (const [name, decl] of Object.entries(outputs)) {
      if (!isPlainObject(decl)) continue;
      if ("condition" in decl && this.ev.resolve(decl.condition, decl, "condition") === false) continue;
      const value = isPlainObject(decl.copy)
        ? this.ev.copyArray(decl.copy, decl)
        : this.ev.resolve(decl.value, decl, "value");
      setOwn(out, name, { type: decl.type, value });
    }
    return out;
  }

  /** `reference(target, apiVersion?, 'Full'?)`: the evaluated resource, or Unknown when it is not in the template. */
  reference(target: string, full: boolean): unknown {
    if (isUnknownValue(target)) return target;
    const inst = this.find(target);
    if (!inst) {
      if (this.parent) return this.parent.reference(target, full);
      this.sink.report(
        "warning",
        "arm/external-reference",
        `reference('${target}') names a resource outside the template; its state is Unknown offline`,
        this.ev.site,
      );
      return unknownValue(`reference('${target}')`);
    }
    if (inst.existing || !inst.deployed) {
      const why = inst.existing ? "an existing resource, read from Azure" : "not deployed (its condition is false)";
      this.sink.report(
        "warning",
        "arm/external-reference",
        `reference('${target}') is ${why}; its state is Unknown`,
        this.ev.site,
      );
      return full
        ? markLive({ id: inst.id, name: inst.name, type: inst.type, properties: markLive({}) })
        : markLive({});
    }
    const state = this.evaluate(inst);
    if (!state) return unknownValue(`reference('${target}')`);
    const properties = state.nested
      ? markLive({ outputs: state.outputs ?? {}, provisioningState: "Succeeded" })
      : state.outputs === undefined && inst.type.toLowerCase() === DEPLOYMENTS
        ? markLive({ outputs: markLive({}) })
        : markLive(isPlainObject(state.node.properties) ? state.node.properties : {});
    return full ? markLive({ ...state.node, properties }) : properties;
  }

  private find(target: string): Instance | undefined {
    if (target.startsWith("/")) {
      const key = idKey(target);
      return (
        this.instances.find((i) => idKey(i.id) === key) ??
        this.instances.find((i) => providerKey(i.id) === providerKey(target))
      );
    }
    const lower = target.toLowerCase();
    return (
      this.instances.find((i) => i.symbolic !== undefined && i.symbolic.toLowerCase() === lower) ??
      this.instances.find((i) => i.name.toLowerCase() === lower)
    );
  }
}
