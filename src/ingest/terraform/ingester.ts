/**
 * @module ingest/terraform/ingester
 * Ingest layer, Terraform: the ingesters of Terraform inputs, read without Terraform. A root module directory
 * (roots.ts) is evaluated statically (config/run) with its variables' values — `terraform.tfvars`,
 * `*.auto.tfvars`, `--var-file`, `--var` — and every resource instance of it and of the modules it calls is
 * mapped to the REST shapes (azurerm/rest) and added as one input, located on its `.tf` line. The other `.tf`
 * files of the directory, module directories, and `.tfvars` files say how they were read. A plan JSON is read
 * by plan/ingester. A syntax error is one error at its `file:line:col`, and the rest is still read.
 */
import { join, resolve } from "node:path";
import type { SourceRef } from "../../model/source.js";
import { markUndecided } from "../resources/conditions.js";
import type { IngestContext, Ingester } from "../types.js";
import { allows } from "./avm/versions.js";
import { toRest } from "./azurerm/rest.js";
import type { FileTable } from "./config/files.js";
import { type ConfigRun, type RootValue, ConfigRun as Run, type RunHost } from "./config/run.js";
import { rootValues } from "./config/vars.js";
import { nodeHost } from "./host.js";
import { TerraformLocator } from "./locator.js";
import { planIngester } from "./plan/ingester.js";
import {
  dirTfvars,
  isTerraformConfig,
  isTfvars,
  type RootPlan,
  relativeName,
  rootFiles,
  rootPlanFor,
} from "./roots.js";

const located = new WeakMap<object, true>();

function fileSrc(file: string): SourceRef {
  return { file, pointer: "", line: 1, column: 1 };
}

/** The run's file table is located by one locator; syntax errors are said once, by whichever input reads them. */
function prepare(ctx: IngestContext, host: RunHost): RootPlan {
  const plan = rootPlanFor(ctx, host);
  if (!located.has(plan)) {
    located.set(plan, true);
    ctx.sources.addLocator(new TerraformLocator(plan.files));
  }
  return plan;
}

export function drainSyntax(ctx: IngestContext, files: FileTable): void {
  for (const s of files.syntax.splice(0)) ctx.diags.error("terraform/syntax", s.message, s.src);
}

/** Reports of a run as diagnostics, each at its place (or the root's first file). */
export function reportRun(ctx: IngestContext, run: ConfigRun, fallback: string): void {
  for (const r of run.reports)
    ctx.diags[r.severity](r.code, r.message, r.place ? run.files.sourceOf(r.place) : fileSrc(fallback));
}

/** The azurerm major version the configuration is evaluated for: the lock file, else a constraint naming one. */
function azurermMajor(plan: RootPlan, dir: string, constraint: string | undefined): number | undefined {
  const lock = plan.host.readFile(join(dir, ".terraform.lock.hcl"));
  const locked = lock
    ? /provider\s+"registry\.(?:terraform|opentofu)\.org\/hashicorp\/azurerm"\s*\{[^}]*?version\s*=\s*"(\d+)\./.exec(
        lock,
      )
    : null;
  if (locked) return Number(locked[1]);
  if (!constraint) return undefined;
  const majors = [2, 3, 4, 5].filter((m) => allows(constraint, `${m}.0.0`) || allows(constraint, `${m}.99.0`));
  return majors.length === 1 ? majors[0] : undefined;
}

/**
 * Evaluates the root module in `dir` with the variables' values of the run (or `given`, a plan's); the run and
 * the instances of every resource.
 */
export function evaluateRoot(
  ctx: IngestContext,
  plan: RootPlan,
  dir: string,
  given?: Map<string, RootValue>,
): { run: ConfigRun; instances: ReturnType<ConfigRun["evaluate"]> } {
  const { files, fromDisk } = rootFiles(plan, dir);
  const first = files[0]!;
  if (fromDisk.length > 0)
    ctx.diags.info(
      "terraform/directory-files",
      `the configuration in ${relativeName(dir)} also has ${fromDisk.length} .tf file(s) not named as inputs, which Terraform reads too; they are read`,
      fileSrc(first.name),
    );
  const run0 = new Run(plan.files, plan.host, dir, files, new Map());
  const config = run0.root.config;
  const varFiles = (ctx.options.varFiles ?? []).map((name) => {
    const text = plan.host.readFile(resolve(name));
    return { name, file: text === undefined ? undefined : plan.files.add(name, resolve(name), text) };
  });
  const reports: ConfigRun["reports"] = [];
  const values =
    given ??
    rootValues(
      config,
      plan.files,
      { dirFiles: dirTfvars(plan, dir, ctx.documents ?? []), varFiles, pairs: ctx.options.vars ?? [] },
      (r) => reports.push(r),
    );
  const run = new Run(plan.files, plan.host, dir, files, values, {
    azurermMajor: azurermMajor(plan, dir, config.azurermVersion),
  });
  run.reports.push(...reports);
  return { run, instances: run.evaluate() };
}

/** Adds a run's resources: mapped to REST nodes, undecided ones marked. */
export function addRun(
  ctx: IngestContext,
  run: ConfigRun,
  instances: ReturnType<ConfigRun["evaluate"]>,
  fallback: string,
): number {
  const rest = toRest(instances, {
    report: (severity, code, message, place) => run.report(severity, code, message, place),
    azurermMajor: run.options.azurermMajor,
  });
  for (const [node, u] of rest.undecided) markUndecided(node, { reason: u.reason, src: run.files.sourceOf(u.place) });
  drainSyntax(ctx, run.files);
  reportRun(ctx, run, fallback);
  return ctx.addResources(rest.nodes, { fileSrc: fileSrc(fallback) });
}

export function createTerraformIngesters(host: RunHost = nodeHost()): Ingester[] {
  const moduleIngester: Ingester = {
    format: "terraform-module",
    detect(input, ctx) {
      return ctx !== undefined && isTerraformConfig(input) && prepare(ctx, host).modules.has(dirOf(input.file));
    },
    load(input, ctx) {
      const plan = prepare(ctx, host);
      drainSyntax(ctx, plan.files);
      const callers = plan.modules.get(dirOf(input.file)) ?? [];
      ctx.diags.info(
        "terraform/read-as-module",
        `read as a module of ${callers.map(relativeName).join(", ")}, with the arguments it gives; not analysed on its own`,
        fileSrc(input.file),
      );
      return 0;
    },
  };
  const configIngester: Ingester = {
    format: "terraform",
    detect: (input) => isTerraformConfig(input),
    load(input, ctx) {
      const plan = prepare(ctx, host);
      const dir = dirOf(input.file);
      if (plan.planned.has(dir)) {
        drainSyntax(ctx, plan.files);
        ctx.diags.info(
          "terraform/read-with-plan",
          `the plan ${plan.planned.get(dir)!.file} beside it is read; this file gives its places`,
          fileSrc(input.file),
        );
        return 0;
      }
      if (plan.loaded.has(dir)) {
        drainSyntax(ctx, plan.files);
        const leader = plan.dirs.get(dir)?.[0]?.file ?? input.file;
        ctx.diags.info(
          "terraform/read-with-directory",
          `read as part of the configuration in its directory (its resources are listed under ${leader})`,
          fileSrc(input.file),
        );
        return 0;
      }
      plan.loaded.add(dir);
      const { run, instances } = evaluateRoot(ctx, plan, dir);
      return addRun(ctx, run, instances, input.file);
    },
  };
  const varsIngester: Ingester = {
    format: "terraform-vars",
    detect: (input) => isTfvars(input),
    load(input, ctx) {
      const base = input.file.replace(/^.*[\\/]/, "");
      if (base === "terraform.tfvars" || base.endsWith(".auto.tfvars")) {
        ctx.diags.info(
          "terraform/vars-applied",
          "applied to the configuration in its directory, as Terraform loads it",
          fileSrc(input.file),
        );
      } else if ((ctx.options.varFiles ?? []).some((f) => resolve(f) === resolve(input.file))) {
        ctx.diags.info("terraform/vars-applied", "applied with --var-file", fileSrc(input.file));
      } else {
        ctx.diags.warning(
          "terraform/vars-not-applied",
          `Terraform does not load this file by itself; give it with --var-file ${input.file}`,
          fileSrc(input.file),
        );
      }
      return 0;
    },
  };
  return [moduleIngester, configIngester, varsIngester, planIngester(host, prepare)];
}

function dirOf(file: string): string {
  return resolve(file, "..");
}

/** The ingesters of a real run (files from disk). */
export const terraformIngesters: Ingester[] = createTerraformIngesters();
