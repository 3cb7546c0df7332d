/**
 * @module ingest/terraform/config/run
 * Ingest layer, Terraform: the evaluation of one root module, with every module it calls. It holds what the
 * module instances share: the files, the reports (diagnostics by place, each said once), the step budget and
 * the instance counts (eval/limits), and where module sources come from — a local path read from disk, the
 * directory `terraform init` recorded in `.terraform/modules/modules.json`, a built-in Azure Verified Module
 * (../avm), or nothing: then a warning names the module and its outputs are Unknown. The instances of every
 * resource of every module come out of `evaluate`, in declaration order, each with its place.
 */
import { join, relative, resolve } from "node:path";
import { builtinModule } from "../avm/index.js";
import type { Budget } from "../eval/evaluator.js";
import { LIMITS, LimitExceeded } from "../eval/limits.js";
import type { Place, Value, ValueObject } from "../eval/values.js";
import type { FileTable, TfFile } from "./files.js";
import { type ConfigProblem, type ModuleConfig, moduleConfig } from "./module-config.js";
import { ModuleRun } from "./module-run.js";

/** Reading module sources from disk (tests give another). */
export interface RunHost {
  /** The `.tf` files of a directory, or undefined when it cannot be read. */
  tfFiles(dir: string): { path: string; text: string }[] | undefined;
  readFile(path: string): string | undefined;
}

export interface RunReport {
  severity: "error" | "warning" | "info";
  code: string;
  message: string;
  place?: Place;
}

/** A root variable's value and where it was given (a `.tfvars` line, `--var`, ...). */
export interface RootValue {
  value: Value;
  place?: Place;
  /** `terraform.tfvars`, `--var`, ... for messages. */
  origin: string;
}

/** A `count` or `for_each` no input decides: the instance is evaluated as if deployed, and marked. */
export interface Undecided {
  reason: string;
  place: Place;
}

export interface Instance {
  address: string;
  mode: "managed" | "data";
  type: string;
  name: string;
  /** The evaluated arguments and nested blocks (lists of objects), with `id` where it can be built. */
  value: ValueObject;
  place: Place;
  undecided?: Undecided;
  /** Declared in a built-in module (its places stand for the module call). */
  builtin: boolean;
}

export type ModuleSource =
  | { kind: "config"; config: ModuleConfig; builtin?: { label: string } }
  | { kind: "unresolved"; why: string };

export interface RunOptions {
  /** The azurerm provider's major version, when the configuration says (defaults differ between 3 and 4). */
  azurermMajor?: number;
}

export class ConfigRun {
  readonly reports: RunReport[] = [];
  readonly budget: Budget = { steps: 0, depth: 0 };
  moduleInstances = 0;
  resourceInstances = 0;
  readonly root: ModuleRun;
  private readonly seen = new Set<string>();
  private readonly configs = new Map<string, ModuleConfig>();
  private modulesJson: Map<string, string> | undefined;

  constructor(
    readonly files: FileTable,
    readonly host: RunHost,
    readonly rootDir: string,
    rootFiles: TfFile[],
    readonly rootValues: Map<string, RootValue>,
    readonly options: RunOptions = {},
  ) {
    const config = this.configOf(rootDir, rootFiles);
    this.root = new ModuleRun(this, config, { address: "", keyPath: [], depth: 0 });
  }

  /** Says something once per code, message and place. */
  report(severity: RunReport["severity"], code: string, message: string, place?: Place): void {
    const key = `${code}\u0000${message}\u0000${place?.file}:${place?.offset}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.reports.push({ severity, code, message, place });
  }

  /** Evaluates the root module and every module it calls; the instances of every resource. */
  evaluate(): Instance[] {
    const out: Instance[] = [];
    try {
      this.root.collect(out);
    } catch (error) {
      const what =
        error instanceof LimitExceeded
          ? error.what
          : error instanceof RangeError
            ? "the evaluation nests too deeply"
            : undefined;
      if (what === undefined) throw error;
      this.report("error", "terraform/limit", `evaluation stopped: ${what}; the resources evaluated so far are kept`);
    }
    return out;
  }

  countModuleInstance(): void {
    if (++this.moduleInstances > LIMITS.maxModuleInstances)
      throw new LimitExceeded(`more than ${LIMITS.maxModuleInstances} module instances`);
  }

  countResourceInstances(n: number): void {
    this.resourceInstances += n;
    if (this.resourceInstances > LIMITS.maxResourceInstances)
      throw new LimitExceeded(`more than ${LIMITS.maxResourceInstances} resource instances`);
  }

  configOf(dir: string, files: TfFile[]): ModuleConfig {
    const known = this.configs.get(dir);
    if (known) return known;
    const problems: ConfigProblem[] = [];
    const config = moduleConfig(dir, files, problems);
    for (const p of problems)
      this.report("error", "terraform/duplicate-declaration", p.message, { file: p.file.index, offset: p.span.start });
    this.configs.set(dir, config);
    return config;
  }

  /** `path.module` of a module directory: relative to the root, as Terraform shows it. */
  modulePath(dir: string): string {
    const rel = relative(this.rootDir, dir);
    return rel === "" ? "." : rel.startsWith("..") ? rel : `./${rel}`;
  }

  /**
   * Where a module call's source is: a local path, the directory `terraform init` wrote (modules.json, by the
   * call's key path), a built-in Azure Verified Module, or unresolved (with why).
   */
  resolveModule(callerDir: string, source: string, version: string | undefined, keyPath: string[]): ModuleSource {
    if (source.startsWith("./") || source.startsWith("../") || source === "." || source === "..") {
      return this.fromDir(resolve(callerDir, source), `the local module ${source}`);
    }
    const recorded = this.initDirs().get(keyPath.join("."));
    if (recorded !== undefined)
      return this.fromDir(resolve(this.rootDir, recorded), `${source} (from .terraform/modules)`);
    const builtin = builtinModule(source, version);
    if (builtin.kind === "module") {
      const dir = `<avm:${builtin.label}>`;
      const files = builtin.files.map((f) => this.files.add(`${dir}/${f.name}`, `${dir}/${f.name}`, f.text, true));
      return { kind: "config", config: this.configOf(dir, files), builtin: { label: builtin.label } };
    }
    const init =
      this.modulesJson && this.modulesJson.size > 0
        ? "it is not in .terraform/modules/modules.json"
        : "`terraform init` has not been run here (no .terraform/modules/modules.json)";
    return { kind: "unresolved", why: `${init}${builtin.kind === "refused" ? `, and ${builtin.why}` : ""}` };
  }

  private fromDir(dir: string, what: string): ModuleSource {
    const known = this.configs.get(dir);
    if (known) return { kind: "config", config: known };
    // The directory's files on disk, and those of its inputs held in memory (the same file is read once).
    const files = [...(this.host.tfFiles(dir) ?? []).map((f) => this.files.add(relativeName(f.path), f.path, f.text))];
    for (const f of this.files.inDir(dir)) if (!files.includes(f)) files.push(f);
    if (files.length === 0)
      return { kind: "unresolved", why: `${what} has no .tf files to read (${relativeName(dir)})` };
    return { kind: "config", config: this.configOf(dir, files) };
  }

  /** `.terraform/modules/modules.json` of the root: module key path → directory. */
  private initDirs(): Map<string, string> {
    if (this.modulesJson) return this.modulesJson;
    this.modulesJson = new Map();
    const text = this.host.readFile(join(this.rootDir, ".terraform", "modules", "modules.json"));
    if (text === undefined) return this.modulesJson;
    try {
      const parsed = JSON.parse(text) as { Modules?: { Key?: unknown; Dir?: unknown }[] };
      for (const m of parsed.Modules ?? []) {
        if (typeof m.Key === "string" && typeof m.Dir === "string" && m.Key !== "") this.modulesJson.set(m.Key, m.Dir);
      }
    } catch {
      this.report(
        "warning",
        "terraform/modules-json",
        ".terraform/modules/modules.json is not valid JSON; registry modules are not read from it",
      );
    }
    return this.modulesJson;
  }
}

function relativeName(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.length < path.length && !rel.startsWith("..") ? rel : path;
}
