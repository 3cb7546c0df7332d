/**
 * @module cli/config
 * CLI layer: the configuration file, so that a repository states once how it is checked (CI, pre-commit and a
 * developer's terminal then agree). `apim-netcheck.config.yaml` (or `.yml`, `.json`, or the same names as
 * `.apim-netcheck.*`), found upward from the working directory up to the repository root (the folder holding
 * `.git`), or named with `--config`. It gives default inputs, parameters, location, assume file, platform,
 * fail-on, checks turned off or given another severity, and suppressions (a finding accepted, with the reason,
 * until a date). The schema is published in data/config.schema.json; this reader checks the same rules and
 * refuses every mistake with one line `file:line:col: what`, since a mistyped key that is ignored would
 * silently change what fails. Paths in the file are relative to the file's folder.
 */
import { existsSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { isMap, isScalar, LineCounter, type Node, parseDocument } from "yaml";
import type { Severity } from "../checks/types.js";
import { readText } from "../ingest/load.js";
import { suggest } from "../ingest/terraform/eval/suggest.js";
import { InputError } from "../model/diagnostics.js";

/** File names looked for in each folder, in this order. */
export const CONFIG_NAMES = [
  "apim-netcheck.config.yaml",
  "apim-netcheck.config.yml",
  "apim-netcheck.config.json",
  ".apim-netcheck.yaml",
  ".apim-netcheck.yml",
  ".apim-netcheck.json",
];

/** Where a value is written in the configuration file (1-based). */
export interface ConfigPlace {
  file: string;
  line: number;
  column: number;
}

/** A finding accepted: by check id, and the resource (glob on its name or id) or the file (glob) it is about. */
export interface Suppression {
  id: string;
  resource?: string;
  file?: string;
  /** Why it is accepted: required, shown with the suppressed finding (SARIF `justification`). */
  reason: string;
  /** `YYYY-MM-DD`: from the day after, the suppression no longer applies and a warning says so. */
  expires?: string;
  at: ConfigPlace;
}

export interface CheckSetting {
  enabled: boolean;
  severity?: Severity;
}

export interface Config {
  /** The file read (absolute). */
  file: string;
  inputs?: string[];
  parameters?: string[];
  location?: string;
  assume?: string;
  platform?: "stv1" | "stv2";
  failOn?: "error" | "warning" | "info" | "never";
  checks: Record<string, CheckSetting>;
  suppressions: Suppression[];
}

const TOP_KEYS = [
  "$schema",
  "inputs",
  "parameters",
  "location",
  "assume",
  "platform",
  "failOn",
  "checks",
  "suppressions",
];
const SUPPRESSION_KEYS = ["id", "resource", "file", "reason", "expires"];
const SEVERITIES = ["error", "warning", "info"];
const FAIL_ON = ["error", "warning", "info", "never"];

/**
 * The configuration file for a run: `explicit` (`--config`) when given, else the first of CONFIG_NAMES found in
 * `cwd` or a folder above it, stopping at the folder that holds `.git`; undefined when there is none.
 */
export function findConfig(cwd: string, explicit?: string): string | undefined {
  if (explicit !== undefined) {
    const file = resolve(cwd, explicit);
    if (!existsSync(file) || !statSync(file).isFile()) throw new InputError(`--config ${explicit}: no such file`);
    return file;
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of CONFIG_NAMES) {
      const file = join(dir, name);
      if (existsSync(file) && statSync(file).isFile()) return file;
    }
    if (existsSync(join(dir, ".git")) || dirname(dir) === dir) return undefined;
  }
}

/** Reads and checks a configuration file; `checkIds` are the checks that exist (for "did you mean"). */
export function readConfig(file: string, checkIds: readonly string[]): Config {
  return parseConfig(readText(file), file, checkIds);
}

/** Parses the text of a configuration file; throws InputError (`file:line:col: what`) on the first mistake. */
export function parseConfig(text: string, file: string, checkIds: readonly string[]): Config {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const place = (node: Node | null | undefined): ConfigPlace => {
    const { line, col } = lines.linePos(node?.range?.[0] ?? 0);
    return { file, line, column: col };
  };
  const fail = (node: Node | null | undefined, message: string): never => {
    const at = place(node);
    throw new InputError(`${at.file}:${at.line}:${at.column}: ${message}`, undefined, "config/invalid");
  };
  const syntax = doc.errors[0];
  if (syntax) {
    const { line, col } = lines.linePos(syntax.pos[0]);
    throw new InputError(`${file}:${line}:${col}: invalid YAML/JSON: ${syntax.message.split("\n")[0]}`);
  }
  const config: Config = { file, checks: {}, suppressions: [] };
  const root = doc.contents as Node | null;
  if (root === null) return config;
  if (!isMap(root)) return fail(root, "expected an object (inputs, checks, suppressions, ...)");
  const base = dirname(file);
  const path = (p: string) => (isAbsolute(p) ? p : join(base, p));

  const str = (node: Node | null, what: string, allowed?: string[]): string => {
    if (!isScalar(node) || typeof node.value !== "string" || node.value.trim() === "")
      return fail(node, `${what} must be a non-empty string`);
    const value = node.value.trim();
    if (allowed && !allowed.includes(value))
      return fail(node, `${what} must be one of ${allowed.join(", ")}, not ${value}${suggest(value, allowed)}`);
    return value;
  };
  const strs = (node: Node | null, what: string): string[] => {
    if (isScalar(node)) return [str(node, what)];
    const items = (node as { items?: unknown[] } | null)?.items;
    if (!Array.isArray(items) || isMap(node)) return fail(node, `${what} must be a list of strings`);
    return items.map((item, i) => str(item as Node, `${what}[${i}]`));
  };

  for (const pair of root.items) {
    const keyNode = pair.key as Node;
    const key = isScalar(keyNode) ? String(keyNode.value) : "";
    const value = (pair.value as Node | null) ?? null;
    switch (key) {
      case "$schema":
        break;
      case "inputs":
        config.inputs = strs(value, "inputs").map(path);
        break;
      case "parameters":
        // A name=value pair stays as written; a file is relative to the configuration file.
        config.parameters = strs(value, "parameters").map((p) => (/^[A-Za-z_][\w-]*=/.test(p) ? p : path(p)));
        break;
      case "location":
        config.location = str(value, "location");
        break;
      case "assume":
        config.assume = path(str(value, "assume"));
        break;
      case "platform":
        config.platform = str(value, "platform", ["stv1", "stv2"]) as Config["platform"];
        break;
      case "failOn":
        config.failOn = str(value, "failOn", FAIL_ON) as Config["failOn"];
        break;
      case "checks":
        config.checks = checkSettings(value);
        break;
      case "suppressions":
        config.suppressions = suppressions(value);
        break;
      default:
        fail(keyNode, `unknown key "${key}"${suggest(key, TOP_KEYS.slice(1))}`);
    }
  }
  return config;

  function checkId(node: Node | null, what: string): string {
    const id = str(node, what);
    const known = checkIds.find((c) => c.toLowerCase() === id.toLowerCase());
    return known ?? fail(node, `${what}: no check ${id}${suggest(id, [...checkIds])}`);
  }

  function checkSettings(node: Node | null): Record<string, CheckSetting> {
    if (!isMap(node)) return fail(node, "checks must map check ids to off, on, error, warning or info");
    const out: Record<string, CheckSetting> = {};
    for (const pair of node.items) {
      const id = checkId(pair.key as Node, "checks");
      const v = (pair.value as Node | null) ?? null;
      const setting = isScalar(v) && typeof v.value === "boolean" ? (v.value ? "on" : "off") : str(v, `checks.${id}`);
      if (setting === "off" || setting === "on") out[id] = { enabled: setting === "on" };
      else if (SEVERITIES.includes(setting)) out[id] = { enabled: true, severity: setting as Severity };
      else fail(v, `checks.${id} must be off, on, error, warning or info, not ${setting}`);
    }
    return out;
  }

  function suppressions(node: Node | null): Suppression[] {
    const items = (node as { items?: unknown[] } | null)?.items;
    if (isMap(node) || !Array.isArray(items)) return fail(node, "suppressions must be a list");
    return items.map((item, i) => {
      const what = `suppressions[${i}]`;
      if (!isMap(item)) return fail(item as Node, `${what} must be an object with id, resource or file, and reason`);
      const fields = new Map<string, Node | null>();
      for (const pair of item.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : "";
        if (!SUPPRESSION_KEYS.includes(key))
          fail(pair.key as Node, `${what}: unknown key "${key}"${suggest(key, SUPPRESSION_KEYS)}`);
        fields.set(key, (pair.value as Node | null) ?? null);
      }
      if (!fields.has("id")) fail(item, `${what}: id is required (the check id of the finding accepted)`);
      if (!fields.has("reason")) fail(item, `${what}: reason is required (why the finding is accepted)`);
      if (!fields.has("resource") && !fields.has("file"))
        fail(item, `${what}: resource or file is required (which finding of the check is accepted)`);
      const s: Suppression = {
        id: checkId(fields.get("id")!, `${what}.id`),
        reason: str(fields.get("reason")!, `${what}.reason`),
        at: place(item),
      };
      if (fields.has("resource")) s.resource = str(fields.get("resource")!, `${what}.resource`);
      if (fields.has("file")) s.file = str(fields.get("file")!, `${what}.file`);
      if (fields.has("expires")) s.expires = isoDate(fields.get("expires")!, `${what}.expires`);
      return s;
    });
  }

  function isoDate(node: Node, what: string): string {
    // YAML reads an unquoted 2027-01-31 as a string (core schema); a Date would come from the yaml-1.1 schema.
    const text = isScalar(node) && node.value instanceof Date ? node.value.toISOString().slice(0, 10) : str(node, what);
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    const date = m ? new Date(`${text}T00:00:00Z`) : undefined;
    if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text)
      return fail(node, `${what} must be a date YYYY-MM-DD, not ${text}`);
    return text;
  }
}
