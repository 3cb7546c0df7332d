/**
 * @module ingest/bicep/file
 * Ingest layer, Bicep evaluation: one evaluation of one Bicep file in one deployment scope, with the parameter
 * values given to it (by the command line and parameter files for a root, by its caller for a module). It
 * declares every name of the file and evaluates each lazily and once (cycles are reported, not followed):
 * parameters (a given value, else the default, else null for a nullable type, else Unknown with a warning
 * naming `-p name=…`; then the checks of params.ts), variables, resources (resources.ts), modules
 * (modules.ts), outputs, user-defined functions and imports (imports.ts). `collect()` gives the REST-shaped
 * nodes the file deploys, its modules' included, in declaration order.
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/file
 */
import { providerKey } from "../../model/ids.js";
import type { SourceRef } from "../../model/source.js";
import { unknownValue } from "../../model/unknown.js";
import { markUndecided } from "../resources/conditions.js";
import type {
  CallExpr,
  Expr,
  ImportDecl,
  Node,
  OutputDecl,
  ParamAssignment,
  ParamDecl,
  Program,
  Range,
  TypeDecl,
  VarDecl,
} from "./ast.js";
import { Env, type FileScope, type UserFunction } from "./env.js";
import { evaluateJson } from "./evaluate.js";
import { type ExportingFile, ImportSource, NamespaceValue } from "./imports.js";
import { sourceAt } from "./locator.js";
import { type ModuleHost, ModuleInstance, ModuleSymbol, type ModuleTarget, type OpenRequest } from "./modules.js";
import { type ParamOutcome, resolveParam } from "./param-values.js";
import type { Supplied } from "./params.js";
import { type ResourceHost, type ResourceInstance, ResourceSymbol, type Undecided } from "./resources.js";
import type { Run } from "./run.js";
import type { BicepScope } from "./scope.js";
import { BicepError, type Json, shorten } from "./values.js";

export type { ParamOutcome };

/** How a file is evaluated: what its parameters are given, and whether it is deployed. */
export interface FileInputs {
  supplied: ReadonlyMap<string, Supplied>;
  /** A module: a required parameter its caller does not give is an error (Bicep refuses the call). */
  isModule: boolean;
  /** False when the caller's params could not all be read (then a missing one is only Unknown). */
  paramsComplete: boolean;
  deployed: boolean;
  undecided: Undecided | undefined;
  /** Absolute paths of the files being evaluated, outermost first, this one last. */
  stack: readonly string[];
  /** Declared resources of the whole run by provider key (for `existing` resources). */
  declared: Map<string, ResourceInstance>;
}

type SlotKind = "parameter" | "variable" | "output";
const EVALUATING = "evaluating";
type Slot = { value: unknown } | typeof EVALUATING;

export class FileEval implements FileScope, ResourceHost, ModuleHost, ModuleTarget, ExportingFile {
  readonly env: Env;
  private readonly params = new Map<string, ParamDecl>();
  private readonly vars = new Map<string, VarDecl>();
  /** `param x = …` of a .bicepparam file. */
  private readonly assignments = new Map<string, ParamAssignment>();
  readonly types = new Map<string, TypeDecl>();
  private readonly outputDecls = new Map<string, OutputDecl>();
  private readonly functions = new Map<string, UserFunction>();
  private readonly resources = new Map<string, ResourceSymbol>();
  private readonly modules = new Map<string, ModuleSymbol>();
  private readonly imported = new Map<string, { source: ImportSource; name: string }>();
  private readonly namespaces = new Map<string, ImportSource>();
  private readonly order: (ResourceSymbol | ModuleSymbol)[] = [];
  private readonly slots: Record<SlotKind, Map<string, Slot>> = {
    parameter: new Map(),
    variable: new Map(),
    output: new Map(),
  };
  private readonly outcomes = new Map<string, ParamOutcome>();
  private readonly suppliedByName = new Map<string, Supplied>();

  constructor(
    readonly program: Program,
    readonly file: string,
    readonly path: string,
    readonly run: Run,
    readonly deployment: BicepScope,
    private readonly inputs: FileInputs,
  ) {
    this.env = Env.of(this);
    for (const [name, s] of inputs.supplied) this.suppliedByName.set(name.toLowerCase(), s);
    for (const s of program.statements) this.declareStatement(s);
  }

  get deployed(): boolean {
    return this.inputs.deployed;
  }
  get undecided(): Undecided | undefined {
    return this.inputs.undecided;
  }
  get stack(): readonly string[] {
    return this.inputs.stack;
  }
  get isModule(): boolean {
    return this.inputs.isModule;
  }
  get paramsComplete(): boolean {
    return this.inputs.paramsComplete;
  }

  private declareStatement(s: Program["statements"][number]): void {
    const taken = (name: string, at: Node) => {
      if (
        this.params.has(name) ||
        this.assignments.has(name) ||
        this.vars.has(name) ||
        this.resources.has(name) ||
        this.modules.has(name) ||
        this.imported.has(name) ||
        this.namespaces.has(name) ||
        this.functions.has(name)
      ) {
        this.run.report(
          "error",
          "bicep/duplicate-name",
          `the name '${name}' is declared more than once`,
          this.file,
          at.range,
        );
        return true;
      }
      return false;
    };
    switch (s.kind) {
      case "ParamDecl":
        if (!taken(s.name.name, s.name)) this.params.set(s.name.name, s);
        break;
      case "VarDecl":
        if (!taken(s.name.name, s.name)) this.vars.set(s.name.name, s);
        break;
      case "ParamAssignment":
        if (!taken(s.name.name, s.name)) this.assignments.set(s.name.name, s);
        break;
      case "TypeDecl":
        this.types.set(s.name.name, s);
        break;
      case "OutputDecl":
        this.outputDecls.set(s.name.name, s);
        break;
      case "FuncDecl":
        if (!taken(s.name.name, s.name)) this.functions.set(s.name.name, { decl: s, scope: this });
        break;
      case "ResourceDecl":
        if (!taken(s.name.name, s.name)) {
          const symbol = new ResourceSymbol(s, this, this.env);
          this.resources.set(s.name.name, symbol);
          this.order.push(symbol);
        }
        break;
      case "ModuleDecl":
        if (!taken(s.name.name, s.name)) {
          const symbol = new ModuleSymbol(s, this);
          this.modules.set(s.name.name, symbol);
          this.order.push(symbol);
        }
        break;
      case "ImportDecl":
        this.declareImport(s);
        break;
      case "ExtensionDecl":
        this.run.report(
          "info",
          "bicep/extension-ignored",
          "an extension is not evaluated (it does not concern networking); resources of its types are listed as unmodeled",
          this.file,
          s.range,
        );
        break;
      default:
        // targetScope is read by the caller; metadata, assert, test and the .bicepparam statements decide no value here.
        break;
    }
  }

  private declareImport(s: ImportDecl): void {
    const source = new ImportSource(s, this, (path, shown) => this.openExports(path, shown));
    if (s.wildcard) {
      this.namespaces.set(s.wildcard.name, source);
      return;
    }
    for (const sym of s.symbols) {
      const name = sym.name.kind === "Identifier" ? sym.name.name : (sym.name.parts[0] as string);
      this.imported.set(sym.alias?.name ?? name, { source, name });
    }
  }

  /** Opens a local Bicep file for what it exports: evaluated once per run, deploying nothing. */
  private openExports(path: string, shown: string): ExportingFile | { reason: string } {
    if (this.inputs.stack.includes(path)) return { reason: "imports itself (a cycle)" };
    const parsed = this.run.parse(path, shown);
    if (!parsed.ok) return { reason: parsed.reason };
    return this.run.exported(
      path,
      () =>
        new FileEval(parsed.program, shown, path, this.run, this.deployment, {
          supplied: new Map(),
          isModule: false,
          paramsComplete: false,
          deployed: false,
          undecided: undefined,
          stack: [...this.inputs.stack, path],
          declared: this.inputs.declared,
        }),
    );
  }

  // ---- names --------------------------------------------------------------------------------------

  symbol(name: string, _at: Node): unknown {
    // Values already computed first: most names read are variables and parameters read before.
    const known = this.slots.variable.get(name) ?? this.slots.parameter.get(name);
    if (known !== undefined && known !== EVALUATING) return known.value;
    if (this.params.has(name)) return this.param(name);
    if (this.vars.has(name)) return this.variable(name);
    if (this.assignments.has(name)) return this.assigned(name);
    const resource = this.resources.get(name);
    if (resource) return resource.value();
    const module = this.modules.get(name);
    if (module) return module.value();
    const imported = this.imported.get(name);
    if (imported) return imported.source.value(imported.name);
    const namespace = this.namespaces.get(name);
    if (namespace) return new NamespaceValue(name, namespace);
    if (this.functions.has(name)) throw new BicepError(`'${name}' is a function: call it, as ${name}(…)`);
    throw new BicepError(`the name '${name}' is not declared in ${this.file}`, "bicep/undeclared");
  }

  func(namespace: string | null, name: string): UserFunction | undefined {
    if (namespace === null) {
      const own = this.functions.get(name);
      if (own) return own;
      const imported = this.imported.get(name);
      return imported?.source.func(imported.name);
    }
    return this.namespaces.get(namespace)?.func(name);
  }

  importedCall(
    namespace: string | null,
    name: string,
    args: () => unknown[],
    _at: CallExpr,
  ): { value: unknown } | undefined {
    if (namespace === null) {
      const imported = this.imported.get(name);
      return imported?.source.call(imported.name, args);
    }
    return this.namespaces.get(namespace)?.call(name, args);
  }

  locationRead(at: Expr): void {
    if (this.run.locationSaid) return;
    this.run.locationSaid = true;
    this.run.report(
      "warning",
      "bicep/assumed-location",
      `the deployment region is not known offline; assuming '${this.deployment.location}' (give it with --location <region>, or the template's location parameter with -p location=<region>)`,
      this.file,
      at.range,
    );
  }

  exportedValue(name: string): unknown {
    if (this.vars.has(name)) return this.variable(name);
    if (this.types.has(name)) throw new BicepError(`'${name}' is an imported type, not a value`);
    throw new BicepError(`${this.file} exports no variable '${name}'`);
  }

  exportedFunction(name: string): UserFunction | undefined {
    return this.functions.get(name);
  }

  declaresType(name: string): boolean {
    return this.types.has(name);
  }

  // ---- values -------------------------------------------------------------------------------------

  /** Runs `fn`; a refusal is an error at the expression that raised it, an unsupported construct a warning. */
  guard<T>(at: { range: Range }, fn: () => T, fallback: T): T {
    return this.run.guard(this.file, at.range, fn, fallback);
  }

  /** The value of `name` of one kind, computed once; a value that needs itself is refused. */
  private slot(kind: SlotKind, name: string, compute: () => unknown): unknown {
    const slots = this.slots[kind];
    const slot = slots.get(name);
    if (slot !== undefined) {
      if (slot === EVALUATING) throw new BicepError(`${kind} '${name}' refers to itself`, "bicep/circular-reference");
      return slot.value;
    }
    slots.set(name, EVALUATING);
    let value: unknown;
    try {
      value = compute();
    } finally {
      slots.delete(name);
    }
    slots.set(name, { value });
    return value;
  }

  variable(name: string): unknown {
    const decl = this.vars.get(name)!;
    return this.slot("variable", name, () =>
      this.guard(
        decl.value,
        () => evaluateJson(decl.value, this.env),
        unknownValue(`variable '${name}' (${shorten(this.file)})`),
      ),
    );
  }

  /** The value of `param name = …` in a .bicepparam file. */
  assigned(name: string): unknown {
    const decl = this.assignments.get(name)!;
    return this.slot("parameter", name, () =>
      this.guard(decl.value, () => evaluateJson(decl.value, this.env), unknownValue(`parameters('${name}')`)),
    );
  }

  /** Every `param name = …` of a .bicepparam file with its value and place. */
  assignedValues(): { name: string; value: unknown; src: SourceRef }[] {
    return [...this.assignments.values()].map((a) => ({
      name: a.name.name,
      value: this.assigned(a.name.name),
      src: sourceAt(this.file, a.value.range),
    }));
  }

  given(name: string): Supplied | undefined {
    if (!this.params.has(name)) return undefined;
    const given = this.suppliedByName.get(name.toLowerCase());
    // A null given is the default's (param-values.ts), as ARM does.
    return given && given.value !== null && given.value !== undefined ? given : undefined;
  }

  param(name: string): unknown {
    return this.slot("parameter", name, () => {
      const outcome = resolveParam(this, this.params.get(name)!, this.suppliedByName.get(name.toLowerCase()));
      this.outcomes.set(name, outcome);
      return outcome.value;
    });
  }

  /** Every parameter with its value and origin (evaluating those not used yet), for `inventory`. */
  parameterOutcomes(): ParamOutcome[] {
    for (const name of this.params.keys()) this.param(name);
    return [...this.params.keys()].map((n) => this.outcomes.get(n)).filter((o): o is ParamOutcome => o !== undefined);
  }

  output(name: string, _at: Expr): unknown {
    const decl = this.outputDecls.get(name);
    if (!decl) throw new BicepError(`${this.file} has no output '${name}'`);
    return this.slot("output", name, () =>
      this.guard(
        decl.value,
        () => evaluateJson(decl.value, this.env),
        unknownValue(`output '${name}' of ${shorten(this.file)}`),
      ),
    );
  }

  outputs(): Json {
    const out: Json = {};
    for (const name of this.outputDecls.keys()) out[name] = this.output(name, this.outputDecls.get(name)!.value);
    return out;
  }

  // ---- resources and modules -----------------------------------------------------------------------

  declared(key: string): ResourceInstance | undefined {
    return this.inputs.declared.get(key);
  }

  declare(instance: ResourceInstance): void {
    const key = providerKey(instance.id);
    if (!this.inputs.declared.has(key)) this.inputs.declared.set(key, instance);
  }

  open(request: OpenRequest): ModuleTarget {
    return new FileEval(request.program, request.shown, request.path, this.run, request.scope, {
      supplied: request.supplied,
      isModule: true,
      paramsComplete: request.paramsComplete,
      deployed: request.deployed,
      undecided: request.undecided,
      stack: request.stack,
      declared: this.inputs.declared,
    });
  }

  expand(): void {
    for (const symbol of this.order) {
      for (const inst of symbol.instances())
        this.guard(
          symbol.decl,
          () => (inst instanceof ModuleInstance ? inst.expand() : expandChildren(inst)),
          undefined,
        );
    }
  }

  collect(out: Json[]): void {
    for (const symbol of this.order) {
      for (const inst of symbol.instances()) {
        if (inst instanceof ModuleInstance) this.guard(inst.decl, () => inst.collect(out), undefined);
        else this.collectResource(inst, out);
      }
    }
  }

  private collectResource(inst: ResourceInstance, out: Json[]): void {
    const node = this.guard(inst.decl, () => inst.build(), undefined);
    if (node) {
      if (inst.undecided) markUndecided(node, inst.undecided);
      out.push(node);
    }
    for (const child of inst.childSymbols().values()) for (const c of child.instances()) this.collectResource(c, out);
  }
}

function expandChildren(inst: ResourceInstance): void {
  for (const child of inst.childSymbols().values()) for (const c of child.instances()) expandChildren(c);
}
