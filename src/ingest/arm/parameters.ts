/**
 * @module ingest/arm/parameters
 * Parameter values for ARM templates and where each came from. Precedence, lowest first: the template's
 * `defaultValue`, then parameter files in command-line order, then `name=value` pairs in command-line order
 * (a pair always beats a file, whatever the order). A parameters file is the `deploymentParameters.json#`
 * document (or its bare `parameters` object, as `az` also accepts); `@file` is read as `file`.
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/parameter-files
 */
import { existsSync } from "node:fs";
import type { SourceRef } from "../../model/source.js";
import { unknownValue } from "../../model/unknown.js";
import { type JsonDocument, parseJson } from "../json/parse.js";
import { readText } from "../load.js";
import { ArmEvalError, isPlainObject, type Json, typeName } from "./expression/values.js";

export type ParameterOriginKind = "default" | "file" | "command line" | "parent deployment" | "unknown";

/** A value given for a parameter from outside the template. */
export interface SuppliedParameter {
  name: string;
  value: unknown;
  kind: "file" | "command line" | "parent deployment";
  /** The parameters file, for `file`. */
  file?: string;
  /** The node to cite (the `{ "value": ... }` object in a file); undefined for command-line pairs. */
  node?: object;
  /** True for `name=value` text that is converted to the declared type when used. */
  text?: boolean;
}

export interface ParameterProblem {
  severity: "error" | "warning";
  code: string;
  message: string;
  src?: SourceRef;
}

/** What `--parameters` gave: the values in precedence order (later wins) and the files read. */
export interface ParameterArgs {
  values: SuppliedParameter[];
  documents: JsonDocument[];
  problems: ParameterProblem[];
  /** The files given, as written, so that a parameters file also named as an input can say it was applied. */
  files: string[];
}

const PAIR = /^([A-Za-z_$][\w$.-]*)=(.*)$/s;

/** True for a document that is a parameters file (`$schema` ending `deploymentParameters.json#`). */
export function isParametersDocument(value: unknown): value is Json {
  if (!isPlainObject(value) || !isPlainObject(value.parameters)) return false;
  const schema = value.$schema;
  if (typeof schema === "string") return /deploymentparameters\.json#?$/i.test(schema);
  return typeof value.contentVersion === "string" && !("resources" in value);
}

/** Reads the `--parameters` arguments (files and pairs) into supplied values. Never throws. */
export function readParameterArgs(args: readonly string[]): ParameterArgs {
  const files: SuppliedParameter[] = [];
  const pairs: SuppliedParameter[] = [];
  const out: ParameterArgs = { values: [], documents: [], problems: [], files: [] };
  for (const arg of args) {
    const pair = PAIR.exec(arg);
    const path = arg.startsWith("@") ? arg.slice(1) : arg;
    if (pair && !existsSync(path)) {
      pairs.push({ name: pair[1]!, value: pair[2]!, kind: "command line", text: true });
      continue;
    }
    const inline = path.trimStart().startsWith("{");
    let text: string;
    try {
      text = inline ? path : readText(path);
    } catch (error) {
      // Said at the file itself (`<file>: <why>`), as every input that cannot be read is.
      const message = (error as Error).message;
      out.problems.push({
        severity: "error",
        code: "arm/parameters-file",
        message: message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message,
        src: { file: path, pointer: "", line: 0, column: 0 },
      });
      continue;
    }
    const file = inline ? "<--parameters>" : path;
    const parsed = parseJson(text, file);
    if (!parsed.ok) {
      const { line, column, message } = parsed.error;
      out.problems.push({
        severity: "error",
        code: "arm/parameters-file",
        message: `invalid JSON: ${message}`,
        src: { file, pointer: "", line, column },
      });
      continue;
    }
    out.documents.push(parsed.doc);
    if (!inline) out.files.push(path);
    files.push(...parametersOf(parsed.doc, out.problems));
  }
  out.values = [...files, ...pairs];
  return out;
}

/** The values of one parameters document. A Key Vault reference is a secret: Unknown offline. */
export function parametersOf(doc: JsonDocument, problems: ParameterProblem[]): SuppliedParameter[] {
  const root = doc.value;
  const params = isPlainObject(root) && isPlainObject(root.parameters) ? root.parameters : root;
  if (!isPlainObject(params)) {
    problems.push({
      severity: "error",
      code: "arm/parameters-file",
      message: `${doc.file}: not a parameters file (expected { "parameters": { "name": { "value": ... } } })`,
      src: doc.locatePath([]),
    });
    return [];
  }
  const out: SuppliedParameter[] = [];
  for (const [name, entry] of Object.entries(params)) {
    if (isPlainObject(entry) && Object.hasOwn(entry, "value")) {
      out.push({ name, value: entry.value, kind: "file", file: doc.file, node: entry });
    } else if (isPlainObject(entry) && isPlainObject(entry.reference)) {
      out.push({
        name,
        value: unknownValue(`parameters('${name}') is a Key Vault secret`),
        kind: "file",
        file: doc.file,
        node: entry,
      });
    } else {
      problems.push({
        severity: "error",
        code: "arm/parameters-file",
        message: `parameter '${name}' needs { "value": ... } or { "reference": ... }`,
        src: (isPlainObject(entry) && doc.locate(entry)) || doc.locatePath(["parameters"]),
      });
    }
  }
  return out;
}

/**
 * Converts `name=value` text to the declared type as `az` does (`int`, `bool`, JSON for `array` and
 * `object`); throws ArmEvalError when the text does not fit.
 */
export function convertText(name: string, text: string, type: string): unknown {
  switch (type.toLowerCase()) {
    case "int": {
      if (!/^\s*-?\d+\s*$/.test(text))
        throw new ArmEvalError(`parameter '${name}' is an int; '${text}' is not`, "arm/parameter-type");
      return Number(text);
    }
    case "bool":
      if (!/^(true|false)$/i.test(text.trim()))
        throw new ArmEvalError(`parameter '${name}' is a bool; '${text}' is not`, "arm/parameter-type");
      return text.trim().toLowerCase() === "true";
    case "array":
    case "object":
    case "secureobject": {
      try {
        return JSON.parse(text);
      } catch {
        throw new ArmEvalError(`parameter '${name}' is an ${type}; '${text}' is not JSON`, "arm/parameter-type");
      }
    }
    default:
      return text;
  }
}

/** Checks a value against the declared type; the error message names both. */
export function checkType(name: string, value: unknown, type: string): void {
  const want = type.toLowerCase().replace(/^secure/, "");
  const have = typeName(value);
  const ok =
    want === "string"
      ? have === "string"
      : want === "int"
        ? have === "int"
        : want === "bool"
          ? have === "bool"
          : want === "array"
            ? have === "array"
            : want === "object"
              ? have === "object"
              : true;
  if (!ok && have !== "null")
    throw new ArmEvalError(`parameter '${name}' is declared ${type} but its value is ${have}`, "arm/parameter-type");
}
