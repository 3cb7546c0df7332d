/**
 * @module ingest/terraform/config/vars
 * Ingest layer, Terraform: the values of a root module's variables, in Terraform's order of precedence
 * (developer.hashicorp.com/terraform/language/values/variables#variable-definition-precedence): the
 * `terraform.tfvars` of the root directory, then its `*.auto.tfvars` in lexical order, then `--var-file`
 * files in the order given, then `--var name=value` in the order given; a later one wins. (Terraform mixes
 * `-var` and `-var-file` in command-line order; here the files come first, then the pairs.) A `--var` value is
 * taken as a string for a variable of a primitive type, as Terraform does, and parsed as an HCL expression
 * otherwise.
 */
import { basename } from "node:path";
import { Evaluator, type Host, type Namespace, RefusedError } from "../eval/evaluator.js";
import { readType } from "../eval/types.js";
import type { Place, Value } from "../eval/values.js";
import { attributeOf, attributesOf, type Span } from "../hcl/ast.js";
import { parseHclExpression } from "../hcl/parser.js";
import type { FileTable, TfFile } from "./files.js";
import type { ModuleConfig } from "./module-config.js";
import type { RootValue, RunReport } from "./run.js";

export interface VarInputs {
  /** `terraform.tfvars` and `*.auto.tfvars` of the root directory (already in the file table). */
  dirFiles: TfFile[];
  /** `--var-file` files: their name, and their text (undefined when it could not be read). */
  varFiles: { name: string; file?: TfFile }[];
  /** `--var name=value`. */
  pairs: string[];
}

type Report = (r: RunReport) => void;

/** A host for `.tfvars` files, which hold values only. */
const LITERAL_HOST: Host = {
  root(name: string, span: Span): Value | Namespace {
    throw new RefusedError(`a variable definitions file holds values only; it cannot refer to "${name}"`, span, -1);
  },
  member(): Value {
    return null;
  },
  warn(): void {},
};

/** The automatically loaded variable files of a directory, in the order Terraform loads them. */
export function autoLoaded(names: string[]): string[] {
  const base = (n: string) => basename(n);
  const tfvars = names.filter((n) => base(n) === "terraform.tfvars");
  const auto = names.filter((n) => base(n).endsWith(".auto.tfvars")).sort((a, b) => (base(a) < base(b) ? -1 : 1));
  return [...tfvars, ...auto];
}

/** The root variables' values from the files and pairs given. */
export function rootValues(
  config: ModuleConfig,
  _files: FileTable,
  inputs: VarInputs,
  report: Report,
): Map<string, RootValue> {
  const values = new Map<string, RootValue>();
  const fromFile = (file: TfFile, origin: string) => {
    const ev = new Evaluator(LITERAL_HOST, file.index);
    for (const attr of attributesOf(file.body)) {
      const place: Place = { file: file.index, offset: attr.start };
      try {
        values.set(attr.name, { value: ev.eval(attr.expr), place, origin: `${origin} (${file.name})` });
      } catch (error) {
        if (!(error instanceof RefusedError)) throw error;
        report({
          severity: "error",
          code: "terraform/invalid-tfvars",
          message: `${attr.name}: ${error.message}`,
          place,
        });
      }
      if (!config.variables.has(attr.name))
        report({
          severity: "warning",
          code: "terraform/undeclared-variable",
          message: `${file.name} gives "${attr.name}", which no variable block of the configuration declares`,
          place,
        });
    }
  };
  for (const file of inputs.dirFiles) fromFile(file, basename(file.name));
  for (const vf of inputs.varFiles) {
    if (!vf.file) {
      report({
        severity: "error",
        code: "terraform/var-file",
        message: `--var-file ${vf.name}: the file cannot be read`,
      });
      continue;
    }
    fromFile(vf.file, "--var-file");
  }
  for (const pair of inputs.pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) {
      report({ severity: "error", code: "terraform/var", message: `--var ${pair}: expected name=value` });
      continue;
    }
    const name = pair.slice(0, eq).trim();
    const text = pair.slice(eq + 1);
    const decl = config.variables.get(name);
    const typeAttr = decl ? attributeOf(decl.node.body, "type") : undefined;
    const type = typeAttr ? readType(typeAttr.expr, []) : undefined;
    const primitive =
      type === undefined
        ? !/^\s*[[{"]/.test(text)
        : type.kind === "string" || type.kind === "number" || type.kind === "bool";
    if (primitive) {
      values.set(name, { value: text, origin: "--var" });
      continue;
    }
    const parsed = parseHclExpression(text);
    if (!parsed.expr) {
      report({
        severity: "error",
        code: "terraform/var",
        message: `--var ${name}: the value is not an HCL expression (${parsed.problems[0]?.message ?? "syntax error"})`,
      });
      continue;
    }
    try {
      values.set(name, { value: new Evaluator(LITERAL_HOST, -1).eval(parsed.expr), origin: "--var" });
    } catch (error) {
      if (!(error instanceof RefusedError)) throw error;
      report({ severity: "error", code: "terraform/var", message: `--var ${name}: ${error.message}` });
    }
  }
  return values;
}
