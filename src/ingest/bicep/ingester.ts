/**
 * @module ingest/bicep/ingester
 * Ingest layer, Bicep: the ingesters of `.bicep` and `.bicepparam` inputs, read directly (no Bicep CLI). A root
 * template is evaluated (root.ts) with its parameters — defaults, then the `.bicepparam` file that names it,
 * then `--parameters` files in order (ARM JSON or `.bicepparam`), then `name=value` pairs, as ARM's precedence —
 * and its resources, its modules' included, are added to the model, each located on its `.bicep` line. Which
 * inputs are roots is the plan's (plan.ts): a module of another input is read through its caller (format
 * `bicep-module`), a template named by a `.bicepparam` input through that file, and a compiled `main.json`
 * beside its source through the source (format `bicep-build-output`); each says so in an info. A syntax
 * error is an error at its file:line:col, and the rest of the file (and the run) is still analysed.
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/parameter-files
 */
import { resolve } from "node:path";
import type { SourceRef } from "../../model/source.js";
import { isPlainObject } from "../arm/expression/values.js";
import { readParameterArgs } from "../arm/parameters.js";
import { addArmReport } from "../arm/report.js";
import type { IngestContext, Ingester, InputDocument } from "../types.js";
import { isTemplate } from "./arm-module.js";
import { type BicepHost, nodeHost } from "./host.js";
import { BicepLocator } from "./locator.js";
import type { Supplied } from "./params.js";
import { type BicepPlan, isBicep, isBicepparam, type ParsedInput, parseInput, planFor } from "./plan.js";
import { evaluateRoot, readParamsFile } from "./root.js";
import { oneLine, Run } from "./run.js";

/** What the Bicep ingesters share within one load: the host, the locator, the plan, the --parameters values. */
interface Shared {
  host: BicepHost;
  locator: BicepLocator;
  plan: BicepPlan;
  documents: Map<string, { file: string; text: string }>;
  preparsed: Map<string, { program: ParsedInput["program"]; text: string }>;
  /** --parameters values (files in order, then pairs), by name. */
  args: Map<string, Supplied> | undefined;
}

const shared = new WeakMap<IngestContext, Shared>();

function sharedFor(ctx: IngestContext, host: BicepHost): Shared {
  let s = shared.get(ctx);
  if (!s) {
    const plan = planFor(ctx);
    const locator = new BicepLocator();
    ctx.sources.addLocator(locator);
    const documents = new Map<string, { file: string; text: string }>();
    for (const doc of ctx.documents ?? []) documents.set(resolve(doc.file), { file: doc.file, text: doc.text });
    const preparsed = new Map<string, { program: ParsedInput["program"]; text: string }>();
    for (const [path, input] of plan.inputs) preparsed.set(path, { program: input.program, text: input.doc.text });
    s = { host, locator, plan, documents, preparsed, args: undefined };
    shared.set(ctx, s);
  }
  return s;
}

/** Reports one diagnostic, on one line. */
function say(
  ctx: IngestContext,
  severity: "error" | "warning" | "info",
  code: string,
  message: string,
  src?: SourceRef,
): void {
  ctx.diags[severity](code, oneLine(message), src);
}

function fileSrc(file: string): SourceRef {
  return { file, pointer: "", line: 1, column: 1 };
}

function newRun(ctx: IngestContext, s: Shared): Run {
  return new Run(
    s.host,
    (r) => say(ctx, r.severity, r.code, r.message, r.src),
    {
      location: ctx.options.location,
      documents: s.documents,
      preparsed: s.preparsed,
      sources: {
        alias: (built, origin) => ctx.sources.alias(built, origin),
        addLocator: (l) => ctx.sources.addLocator(l),
      },
    },
    s.locator,
  );
}

/** The parsed input (from the plan, or parsed now when the run has no document list) with its syntax errors said. */
function parsedInput(ctx: IngestContext, s: Shared, input: InputDocument): ParsedInput {
  const parsed = s.plan.inputs.get(resolve(input.file)) ?? parseInput(input);
  if (!s.preparsed.has(parsed.path)) s.preparsed.set(parsed.path, { program: parsed.program, text: input.text });
  for (const d of parsed.diagnostics) say(ctx, "error", d.code, d.message, d.src);
  return parsed;
}

/**
 * `--parameters` for Bicep templates: `.bicepparam` files and ARM JSON parameter files in order, then
 * `name=value` pairs. Problems with a JSON file are said by the ARM ingester when the run has an ARM template
 * (it reads the same arguments); otherwise here.
 */
function parameterArgs(ctx: IngestContext, s: Shared): Map<string, Supplied> {
  if (s.args) return s.args;
  const files: [string, Supplied][] = [];
  const pairs: [string, Supplied][] = [];
  const armPresent = (ctx.documents ?? []).some((d) => isTemplate(d.json?.value) && !s.plan.compiled.has(d));
  const run = newRun(ctx, s);
  for (const arg of ctx.options.parameters ?? []) {
    if (/\.bicepparam$/i.test(arg)) {
      const path = resolve(arg);
      const parsed = run.parse(path, arg);
      if (!parsed.ok) {
        say(ctx, "error", "bicep/parameters-file", `${arg}: ${parsed.reason}`, fileSrc(arg));
        continue;
      }
      for (const [k, v] of readParamsFile(run, parsed.program, arg, path).values) files.push([k, v]);
      continue;
    }
    const read = readParameterArgs([arg]);
    for (const doc of read.documents) if (!armPresent) ctx.sources.addLocator(doc);
    if (!armPresent) for (const p of read.problems) say(ctx, p.severity, p.code, p.message, p.src);
    for (const v of read.values) {
      const src =
        v.node && read.documents[0] ? (read.documents[0].locate(v.node) ?? fileSrc(v.file ?? arg)) : undefined;
      const entry: [string, Supplied] = [v.name, { value: v.value, origin: v.kind, file: v.file, src, text: v.text }];
      (v.kind === "command line" ? pairs : files).push(entry);
    }
  }
  s.args = new Map([...files, ...pairs]);
  return s.args;
}

/** Evaluates a root template with `values` under the --parameters ones, adds its resources and its report. */
function loadRoot(ctx: IngestContext, s: Shared, input: ParsedInput, values: Map<string, Supplied>): number {
  const run = newRun(ctx, s);
  const args = parameterArgs(ctx, s);
  const supplied = new Map([...values, ...args]);
  const result = evaluateRoot(run, input.program, input.doc.file, input.path, supplied);
  const declared = new Set(result.parameters.map((p) => p.name.toLowerCase()));
  const unused = [...args.keys()].filter((name) => !declared.has(name.toLowerCase()));
  addArmReport(ctx.model, {
    file: input.doc.file,
    parameters: result.parameters.map((p) => ({
      name: p.name,
      type: p.type,
      value: p.secure ? "(secure)" : p.value,
      origin: p.origin,
      file: p.file,
      src: p.src,
      secure: p.secure,
    })),
    unusedParameters: unused,
  });
  for (const name of unused)
    say(
      ctx,
      "info",
      "bicep/unused-parameter",
      `--parameters gives '${name}', which ${input.doc.file} does not declare`,
      fileSrc(input.doc.file),
    );
  return ctx.addResources(result.resources, { fileSrc: fileSrc(input.doc.file) });
}

/** The Bicep ingesters, for the registry (before the ARM ones: a compiled template beside its source is theirs). */
export function createBicepIngesters(host: BicepHost = nodeHost()): Ingester[] {
  const moduleIngester: Ingester = {
    format: "bicep-module",
    detect(input, ctx) {
      return ctx !== undefined && isBicep(input) && planFor(ctx).modules.has(resolve(input.file));
    },
    load(input, ctx) {
      const s = sharedFor(ctx, host);
      parsedInput(ctx, s, input);
      const callers = s.plan.modules.get(resolve(input.file)) ?? [];
      say(
        ctx,
        "info",
        "bicep/read-as-module",
        `read as a module of ${callers.join(", ")}, with the parameters it gives; not analysed on its own`,
        fileSrc(input.file),
      );
      return 0;
    },
  };
  const compiledIngester: Ingester = {
    format: "bicep-build-output",
    detect(input, ctx) {
      return ctx !== undefined && isPlainObject(input.json?.value) && planFor(ctx).compiled.has(input);
    },
    load(input, ctx) {
      const source = sharedFor(ctx, host).plan.compiled.get(input);
      say(
        ctx,
        "info",
        "bicep/compiled-beside-source",
        `the compiled form of ${source}, which is read instead; not analysed on its own`,
        fileSrc(input.file),
      );
      return 0;
    },
  };
  const paramsIngester: Ingester = {
    format: "bicepparam",
    detect: (input) => isBicepparam(input),
    load(input, ctx) {
      const s = sharedFor(ctx, host);
      const parsed = parsedInput(ctx, s, input);
      const run = newRun(ctx, s);
      const file = readParamsFile(run, parsed.program, input.file, parsed.path);
      if (file.none || !file.using) {
        say(
          ctx,
          "info",
          "bicep/parameters-unused",
          file.none ? "`using none`: these values apply to no template" : "names no template (`using`); not applied",
          fileSrc(input.file),
        );
        return 0;
      }
      const template = run.parse(file.using.path, file.using.shown);
      if (!template.ok) {
        say(
          ctx,
          "warning",
          "bicep/module-not-found",
          `using '${file.using.shown}': the template cannot be read (${template.reason}); nothing is evaluated`,
          file.using.src,
        );
        return 0;
      }
      say(
        ctx,
        "info",
        "bicep/parameters-applied",
        `${file.using.shown} is evaluated with these parameters`,
        file.using.src,
      );
      const root: ParsedInput = {
        doc: { file: file.using.shown, text: template.text },
        path: file.using.path,
        program: template.program,
        diagnostics: [],
      };
      return loadRoot(ctx, s, root, file.values);
    },
  };
  const templateIngester: Ingester = {
    format: "bicep",
    detect: (input) => isBicep(input),
    load(input, ctx) {
      const s = sharedFor(ctx, host);
      const parsed = parsedInput(ctx, s, input);
      const users = s.plan.usedBy.get(parsed.path);
      if (users) {
        say(
          ctx,
          "info",
          "bicep/evaluated-with-parameters",
          `evaluated with the parameters of ${users.map((u) => u.doc.file).join(", ")} (its resources are listed under that file)`,
          fileSrc(input.file),
        );
        return 0;
      }
      return loadRoot(ctx, s, parsed, new Map());
    },
  };
  return [moduleIngester, compiledIngester, paramsIngester, templateIngester];
}

/** The ingesters of a real run (files from disk, the process environment, the user's restore cache). */
export const bicepIngesters: Ingester[] = createBicepIngesters();
