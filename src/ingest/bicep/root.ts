/**
 * @module ingest/bicep/root
 * Ingest layer, Bicep evaluation: the entry points. `evaluateRoot` evaluates a template as a deployment of its
 * own (a root: its targetScope, the placeholder subscription and resource group, `--location` or the assumed
 * region) with the parameter values given to it, and returns the REST-shaped resources it and its modules
 * deploy. `readParamsFile` evaluates a `.bicepparam` file's `param x = …` (with `extends`, vars, imports and
 * `readEnvironmentVariable`) into values for its template. Neither throws: an internal failure is reported as
 * `bicep/internal` and what was evaluated is kept.
 */
import { resolve } from "node:path";
import type { Json } from "../arm/expression/values.js";
import { type Program, stringValue } from "./ast.js";
import { FileEval, type ParamOutcome } from "./file.js";
import { sourceAt } from "./locator.js";
import { declaredLevel } from "./module-values.js";
import type { Supplied } from "./params.js";
import type { ResourceInstance } from "./resources.js";
import { modulePath } from "./restore-cache.js";
import type { Run } from "./run.js";
import { rootScope } from "./scope.js";

export interface RootResult {
  resources: Json[];
  parameters: ParamOutcome[];
}

/** Evaluates `program` (the file `shown`, at absolute `path`) as a root deployment. */
export function evaluateRoot(
  run: Run,
  program: Program,
  shown: string,
  path: string,
  supplied: ReadonlyMap<string, Supplied>,
): RootResult {
  const scope = rootScope(shown, declaredLevel(program), run.options.location);
  const declared = new Map<string, ResourceInstance>();
  const resources: Json[] = [];
  let parameters: ParamOutcome[] = [];
  internal(run, shown, () => {
    const file = new FileEval(program, shown, path, run, scope, {
      supplied,
      isModule: false,
      paramsComplete: false,
      deployed: true,
      undecided: undefined,
      stack: [path],
      declared,
    });
    // Declare everything first, so that an `existing` resource finds what another module deploys.
    file.expand();
    file.collect(resources);
    parameters = file.parameterOutcomes();
  });
  return { resources, parameters };
}

/** What a .bicepparam file gives: its values, and the template its `using` names (absolute and as shown). */
export interface ParamsFileResult {
  values: Map<string, Supplied>;
  using: { path: string; shown: string; src: ReturnType<typeof sourceAt> } | undefined;
  /** `using none`: the values apply to no template. */
  none: boolean;
}

const MAX_EXTENDS = 8;

/** Evaluates the `param x = …` of a .bicepparam file (and of the file it `extends`, which it overrides). */
export function readParamsFile(run: Run, program: Program, shown: string, path: string, depth = 0): ParamsFileResult {
  const out: ParamsFileResult = { values: new Map(), using: undefined, none: false };
  internal(run, shown, () => {
    for (const s of program.statements) {
      if (s.kind === "UsingDecl") {
        const text = s.path ? stringValue(s.path) : undefined;
        if (!s.path) out.none = true;
        else if (text !== undefined) {
          const where = modulePath(text, path, shown, undefined);
          if (where.kind === "local")
            out.using = { path: where.path, shown: run.shown(where.path, where.shown), src: sourceAt(shown, s.range) };
          else
            run.report(
              "warning",
              "bicep/using-not-local",
              `using '${text}': only a local template is read`,
              shown,
              s.range,
            );
        }
      } else if (s.kind === "ExtendsDecl") {
        const text = stringValue(s.path);
        if (text === undefined) continue;
        if (depth >= MAX_EXTENDS) {
          run.report("error", "bicep/limit", `extends chains deeper than ${MAX_EXTENDS}`, shown, s.range);
          continue;
        }
        const base = resolve(path, "..", text);
        const parsed = run.parse(base, run.shown(base, text));
        if (!parsed.ok) {
          run.report(
            "warning",
            "bicep/module-not-found",
            `extends '${text}': the file cannot be read (${parsed.reason}); its values are not applied`,
            shown,
            s.range,
          );
          continue;
        }
        for (const [k, v] of readParamsFile(run, parsed.program, run.shown(base, text), base, depth + 1).values)
          out.values.set(k, v);
      }
    }
    const file = new FileEval(program, shown, path, run, rootScope(shown, "resourceGroup", run.options.location), {
      supplied: new Map(),
      isModule: false,
      paramsComplete: false,
      deployed: false,
      undecided: undefined,
      stack: [path],
      declared: new Map(),
    });
    for (const { name, value, src } of file.assignedValues())
      out.values.set(name, { value, origin: "file", file: shown, src });
  });
  return out;
}

/** Runs `fn`; a failure that is not the input's (a bug of ours) is reported, never thrown into the run. */
function internal(run: Run, file: string, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    run.report(
      "error",
      "bicep/internal",
      `internal error while evaluating (please report it): ${(error as Error)?.message ?? String(error)}`,
      file,
      undefined,
    );
  }
}
