/**
 * @module ingest/bicep/compiled-inputs
 * Ingest layer, Bicep: `--bicep-cli`, the ground truth. Instead of our own evaluator, the Bicep compiler the user
 * has (`bicep` or `az bicep`, run by the CLI layer and handed in as a function) compiles each root of the run:
 * a `.bicep` file that no other input uses as a module or names in `using` is built (`bicep build --stdout`), a
 * `.bicepparam` file is built with its template (`bicep build-params --stdout`, which prints both the
 * parameters and the template it uses: https://github.com/Azure/bicep/issues/14186). The compiled template is
 * then read by the ARM reader like any template: modules become nested deployments, as Azure deploys them.
 *
 * What this changes, said in one info per file: findings are located in the compiled template (named
 * `<file> (bicep build)`), not on the `.bicep` lines, since the compiler writes no source map. A `.bicepparam`
 * file's values become the template's parameter defaults, so `-p` still overrides them (the same precedence as
 * ARM: default < parameters file < name=value). A compiler error is an error at the file, in the compiler's words.
 */
import type { Diagnostic } from "../../model/diagnostics.js";
import { parseJson } from "../json/parse.js";
import type { InputDocument } from "../types.js";
import { isBicep, isBicepparam, makePlan } from "./plan.js";

/** What the compiler gave for one file: the JSON it printed, or its error in its own words. */
export type CompileOutcome = { ok: true; json: string; compiler: string } | { ok: false; reason: string };

/** Compiles one file (an absolute path): `build` for `.bicep`, `build-params` for `.bicepparam`. */
export type BicepCompiler = (path: string, command: "build" | "build-params") => CompileOutcome;

type Note = Pick<Diagnostic, "severity" | "code" | "message"> & { file: string };

/** The documents of the run with each Bicep root replaced by its compiled template; notes say what was done. */
export function compileBicepInputs(
  docs: readonly InputDocument[],
  compile: BicepCompiler,
): { docs: InputDocument[]; notes: Note[] } {
  const plan = makePlan(docs);
  const out: InputDocument[] = [];
  const notes: Note[] = [];
  const inputOf = new Map([...plan.inputs.values()].map((i) => [i.doc, i]));
  for (const doc of docs) {
    const input = inputOf.get(doc);
    if (!input || !(isBicep(doc) || isBicepparam(doc))) {
      out.push(doc);
      continue;
    }
    const through = plan.modules.get(input.path) ?? plan.usedBy.get(input.path)?.map((u) => u.doc.file);
    if (isBicep(doc) && through) {
      notes.push({
        severity: "info",
        code: "bicep/compiled-through-caller",
        file: doc.file,
        message: `compiled as part of ${through.join(", ")}; not on its own`,
      });
      continue;
    }
    const command = isBicepparam(doc) ? "build-params" : "build";
    const result = compile(input.path, command);
    if (!result.ok) {
      notes.push({
        severity: "error",
        code: "bicep/compiler-error",
        file: doc.file,
        message: `bicep ${command} refuses it: ${result.reason}`,
      });
      continue;
    }
    const template = command === "build" ? result.json : templateOfParams(result.json);
    if (template === undefined) {
      notes.push({
        severity: "error",
        code: "bicep/compiler-output",
        file: doc.file,
        message: `bicep ${command} printed no template with parameters (expected parametersJson and templateJson); not read`,
      });
      continue;
    }
    const file = `${doc.file} (bicep ${command})`;
    const parsed = parseJson(template, file);
    if (!parsed.ok) {
      notes.push({
        severity: "error",
        code: "bicep/compiler-output",
        file: doc.file,
        message: `bicep ${command} printed invalid JSON: ${parsed.error.message}`,
      });
      continue;
    }
    out.push({ file, text: template, json: parsed.doc });
    notes.push({
      severity: "info",
      code: "bicep/compiled-by-cli",
      file: doc.file,
      message: `compiled by ${result.compiler} and read as ARM (${file}); findings are located in the compiled template, which has no .bicep lines`,
    });
  }
  return { docs: out, notes };
}

/**
 * The template of `build-params --stdout` output with the parameters' values as its defaults, as one
 * template text; undefined when the output is not of that shape.
 */
function templateOfParams(output: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(output);
  } catch {
    return undefined;
  }
  const { parametersJson, templateJson } = (value ?? {}) as { parametersJson?: unknown; templateJson?: unknown };
  if (typeof parametersJson !== "string" || typeof templateJson !== "string") return undefined;
  try {
    const template = JSON.parse(templateJson) as { parameters?: Record<string, Record<string, unknown>> };
    const values =
      (JSON.parse(parametersJson) as { parameters?: Record<string, { value?: unknown }> }).parameters ?? {};
    for (const [name, given] of Object.entries(values)) {
      const declared = template.parameters?.[name];
      if (declared && given && "value" in given) declared.defaultValue = given.value;
    }
    return JSON.stringify(template, null, 2);
  } catch {
    return undefined;
  }
}
