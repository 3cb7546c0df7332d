/**
 * What the CLI fuzz targets (cli.ts) assert of one run of main(): an exit code of 0, 1 or 2 and never an
 * internal error; nothing active on stdout or stderr and no line forged by a name; JSON and SARIF that parse (and
 * SARIF that validates); SVG that is XML; HTML whose only scripts are the report's own; and fixes that stay what
 * they name: every az fix executed by bash with a stub `az` first on PATH runs nothing but `az`, creates nothing,
 * and passes each name as one exact argument; every Bicep and Terraform fix parses (our parsers) with each name a
 * string literal and no interpolation but the variables the fix asks for.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseBicep } from "../../../src/ingest/bicep/parser.js";
import { parseJson } from "../../../src/ingest/json/parse.js";
import { parseHcl } from "../../../src/ingest/terraform/hcl/parser.js";
import { STYLE_SEQUENCES } from "../../../src/report/text.js";
import { sarifSchemaErrors } from "../../helpers/sarif-schema.js";
import { xmlProblem } from "../../helpers/xml.js";
import { FORGED } from "./cli-networks.js";

/** What a terminal acts on (a CRLF pair's CR excepted), and the bidi controls (as test/cli/hostile-output.test.ts). */
const ACTIVE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/;

export interface Run {
  args: string[];
  code: number;
  out: string;
  err: string;
  tty: boolean;
}

export type Format = "text" | "json" | "sarif" | "markdown" | "junit" | "mermaid" | "svg" | "html" | "diff";

function fail(run: Run, what: string): never {
  const show = (s: string) => JSON.stringify(s.length > 1500 ? `${s.slice(0, 1500)}…` : s);
  throw new Error(
    `${what}\nargs: ${JSON.stringify(run.args)}\nexit: ${run.code}\nstderr: ${show(run.err)}\nstdout: ${show(run.out)}`,
  );
}

/** The assertions every run meets, and those of its format. */
export function checkRun(run: Run, format: Format): void {
  if (![0, 1, 2].includes(run.code)) fail(run, `exit code ${run.code}`);
  if (/internal error/.test(run.err)) fail(run, "an internal error (an exception that is not the tool's own)");
  // Exit 2 is the tool's own refusal (InputError, UsageError, commander's usage error): one line that says why.
  if (run.code === 2 && run.err.split("\n").filter((l) => /^(apim-netcheck: |error: )/.test(l)).length !== 1)
    fail(run, "exit 2 without exactly one line saying why");
  let shown = run.out + run.err;
  if (run.tty) for (const s of STYLE_SEQUENCES) shown = shown.split(s).join("");
  const active = ACTIVE.exec(shown);
  if (active) fail(run, `an active character U+${active[0].charCodeAt(0).toString(16).padStart(4, "0")} written`);
  // Markup has no lines to forge (a newline in SVG, HTML or JUnit XML text is a space); the rest is read by line.
  const lined = format === "svg" || format === "html" || format === "junit" ? run.err : shown;
  // The marker follows a newline in every name that holds it: at a line's very start, that newline was written.
  if (new RegExp(`^${FORGED}`, "m").test(lined)) fail(run, "a newline in a name started an output line");
  if (run.code === 2 || run.out === "") return;
  if (format === "json" || format === "sarif") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(run.out);
    } catch (error) {
      fail(run, `stdout is not JSON: ${(error as Error).message}`);
    }
    if (format === "sarif") {
      const errors = sarifSchemaErrors(parsed);
      if (errors.length > 0) fail(run, `SARIF schema: ${errors.slice(0, 3).join("; ")}`);
    }
  }
  if (format === "svg" || format === "junit") {
    const problem = xmlProblem(run.out);
    if (problem) fail(run, `the ${format === "svg" ? "SVG" : "JUnit report"} is not XML: ${problem}`);
  }
}

/**
 * The report's HTML: its only scripts are its own (JSON data blocks that parse, code with nothing from a name in
 * it), and no tag outside them is an embed or carries an event handler or a `javascript:` URL, whatever the
 * names held.
 */
export function checkHtml(run: Run, html: string): void {
  const scripts: { json: boolean; text: string }[] = [];
  const tags: { name: string; attributes: [string, string][]; text: string }[] = [];
  const lower = html.toLowerCase();
  for (let i = lower.indexOf("<"); i !== -1; i = lower.indexOf("<", i + 1)) {
    if (lower.startsWith("<!--", i)) {
      i = lower.indexOf("-->", i);
      if (i === -1) fail(run, "an HTML comment that does not end");
      continue;
    }
    const open = /^<\/?([a-z][a-z0-9-]*)/.exec(lower.slice(i, i + 40));
    if (!open) continue;
    // The attributes as a browser reads them (quoted values may hold `>`), to the tag's end.
    const attribute = /\s*([^\s=>"'/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>"']*))?|\s*\/|\s+/y;
    attribute.lastIndex = i + open[0].length;
    const attributes: [string, string][] = [];
    while (attribute.lastIndex < html.length && html[attribute.lastIndex] !== ">") {
      const at = attribute.lastIndex;
      const m = attribute.exec(html);
      if (!m || attribute.lastIndex === at) break;
      if (m[1]) attributes.push([m[1].toLowerCase(), m[2] ?? ""]);
    }
    const end = attribute.lastIndex;
    tags.push({ name: open[1]!, attributes, text: html.slice(i, Math.min(end + 1, i + 160)) });
    if (open[1] === "script" && !open[0].startsWith("</")) {
      const close = lower.indexOf("</script", end);
      if (close === -1) fail(run, "a script that does not end");
      const json = attributes.some(([name, value]) => name === "type" && /application\/json/i.test(value));
      scripts.push({ json, text: html.slice(end + 1, close) });
      i = close;
    } else i = end;
  }
  // The report's own scripts: data blocks (JSON that parses, so no name closed one) and code that holds nothing
  // from the names (the payloads' marker, 31337, is only ever in data).
  if (!scripts.some((x) => !x.json)) fail(run, "the report has no script of its own");
  for (const x of scripts) {
    if (x.json) {
      try {
        JSON.parse(x.text);
      } catch {
        fail(run, `a data block of the report is not JSON (a name closed the script element): ${x.text.slice(0, 120)}`);
      }
    } else if (x.text.includes("31337")) fail(run, `a script holds a payload from a name: ${x.text.slice(0, 120)}`);
  }
  for (const tag of tags) {
    if (/^(img|iframe|object|embed|frame)$/.test(tag.name)) fail(run, `a <${tag.name}> in the HTML: ${tag.text}`);
    for (const [name, value] of tag.attributes) {
      if (name.startsWith("on")) fail(run, `an event handler in the HTML: ${tag.text}`);
      if (/^["']?\s*javascript:/i.test(value)) fail(run, `a javascript: URL in the HTML: ${tag.text}`);
    }
  }
}

// ---- fixes ---------------------------------------------------------------------------------------------

interface JsonFinding {
  id: string;
  fix?: { kind: string; text: string }[];
  changes?: { op: string; resource?: { names?: string[] }; target?: { names?: string[] } }[];
}

/** A name as the JSON report spells it, split into literal text and Unknown parts (`<unknown: ...>`). */
type Expected = (string | null)[];

function expectedParts(name: string): Expected {
  const out: Expected = [];
  let at = 0;
  for (const m of name.matchAll(/<unknown:[^>]*>/g)) {
    if (m.index > at) out.push(name.slice(at, m.index));
    out.push(null);
    at = m.index + m[0].length;
  }
  if (at < name.length || out.length === 0) out.push(name.slice(at));
  return out;
}

/** A string in a parsed fix: literal text parts, and null for an interpolation. */
type Literal = (string | null)[];

function sameParts(found: Literal, expected: Expected): boolean {
  const merge = (parts: (string | null)[]) => {
    const out: (string | null)[] = [];
    for (const p of parts) {
      if (p === "") continue;
      if (typeof p === "string" && typeof out[out.length - 1] === "string") out[out.length - 1] += p;
      else out.push(p);
    }
    return out;
  };
  const a = merge(found);
  const b = merge(expected);
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

/** Every node of a syntax tree (objects with a `kind`), depth first. */
function* nodes(tree: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(tree)) for (const t of tree) yield* nodes(t);
  else if (tree && typeof tree === "object") {
    const o = tree as Record<string, unknown>;
    if (typeof o.kind === "string") yield o;
    for (const [k, v] of Object.entries(o))
      if (k !== "range" && k !== "span" && v && typeof v === "object") yield* nodes(v);
  }
}

/** What a Bicep interpolation may be: a parameter the fix asks for, or the deployment's own scope. */
function allowedBicepHole(e: Record<string, unknown>): boolean {
  if (e.kind === "IdentExpr") return true;
  const printed = JSON.stringify(e);
  return (
    /^\{"kind":"(MemberExpr|CallExpr)"/.test(printed) &&
    /"(resourceGroup|subscription)"/.test(printed) &&
    !/StringExpr/.test(printed)
  );
}

export class FixError extends Error {}

function fixFail(finding: JsonFinding, kind: string, text: string, what: string): never {
  throw new FixError(`${finding.id} ${kind} fix: ${what}\n${text}`);
}

/** The names of one change; `declared` when the Bicep form declares the resource (create, restate). */
interface Named {
  names: Expected[];
  op: string;
  declared: boolean;
}

function checkBicep(finding: JsonFinding, text: string, named: Named[]): void {
  const { ast, diagnostics } = parseBicep(text, "fix.bicep");
  if (diagnostics.length > 0) fixFail(finding, "bicep", text, `does not parse: ${diagnostics[0]!.message}`);
  const strings: Literal[] = [];
  for (const node of nodes(ast)) {
    if (node.kind !== "StringExpr") continue;
    const parts = node.parts as (string | Record<string, unknown>)[];
    for (const p of parts)
      if (typeof p !== "string" && !allowedBicepHole(p))
        fixFail(finding, "bicep", text, `an interpolation that is not a parameter: ${JSON.stringify(p).slice(0, 200)}`);
    strings.push(parts.map((p) => (typeof p === "string" ? p : null)));
  }
  // A patch or a deletion is a commented merge into the user's own declaration: what the fix declares names it.
  for (const name of named.filter((n) => n.declared).flatMap((n) => n.names))
    if (!strings.some((s) => sameParts(s, name)))
      fixFail(finding, "bicep", text, `no string literal equal to the name ${JSON.stringify(name)}`);
}

function checkTerraform(finding: JsonFinding, text: string, named: Named[]): void {
  const { body, problems } = parseHcl(text);
  if (problems.length > 0) fixFail(finding, "terraform", text, `does not parse: ${JSON.stringify(problems[0])}`);
  const strings: Literal[] = [];
  for (const node of nodes(body)) {
    if (node.kind === "Literal" && typeof node.value === "string") strings.push([node.value]);
    if (node.kind !== "Template") continue;
    const parts = node.parts as { kind: string; value?: string; expr?: Record<string, unknown> }[];
    const literal: Literal = [];
    for (const p of parts) {
      if (p.kind === "text") literal.push(p.value ?? "");
      else if (p.kind === "interp" && p.expr?.kind === "GetAttr" && (p.expr.object as { name?: string }).name === "var")
        literal.push(null);
      else
        fixFail(
          finding,
          "terraform",
          text,
          `a template part that is not a variable: ${JSON.stringify(p).slice(0, 200)}`,
        );
    }
    strings.push(literal);
  }
  // What is not created is a comment saying which block to change: only the resources it declares name them.
  for (const name of named.filter((n) => n.op === "create").flatMap((n) => n.names))
    if (!strings.some((s) => sameParts(s, name)))
      fixFail(finding, "terraform", text, `no string equal to the name ${JSON.stringify(name)}`);
}

function checkArm(finding: JsonFinding, text: string, named: Named[]): void {
  // A merge into the template's own declaration carries a `//` comment, which ARM templates allow.
  const parsed = parseJson(text, "fix.json");
  if (!parsed.ok) fixFail(finding, "arm", text, `not JSON: ${parsed.error.message}`);
  const value = parsed.doc.value;
  const strings = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === "string") strings.add(v.startsWith("[[") ? v.slice(1) : v);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(value);
  const joined = [...strings].join("\n");
  for (const name of named.flatMap((n) => n.names)) {
    if (name.some((p) => p === null)) continue;
    const literal = name.join("");
    // A child's name is written `parent/child`; the ARM form of an expression name has `'` doubled.
    if (!joined.includes(literal) && !joined.includes(literal.replace(/'/g, "''")))
      fixFail(finding, "arm", text, `no string holding the name ${JSON.stringify(literal)}`);
  }
}

/** The Bicep, Terraform and ARM fixes of a `check --format json` report, checked; its az fixes, returned. */
export function checkFixes(report: {
  findings: JsonFinding[];
}): { finding: JsonFinding; text: string; names: Expected[] }[] {
  const az: { finding: JsonFinding; text: string; names: Expected[] }[] = [];
  for (const finding of report.findings) {
    const named = (finding.changes ?? []).map((c) => ({
      names: (c.resource?.names ?? c.target?.names ?? []).map(expectedParts),
      op: c.op,
      declared: c.op === "create" || c.op === "restate",
    }));
    for (const fix of finding.fix ?? []) {
      if (fix.kind === "bicep") checkBicep(finding, fix.text, named);
      else if (fix.kind === "terraform") checkTerraform(finding, fix.text, named);
      else if (fix.kind === "arm") checkArm(finding, fix.text, named);
      else if (fix.kind === "az-cli") az.push({ finding, text: fix.text, names: named.flatMap((n) => n.names) });
    }
  }
  return az;
}

// ---- az fixes executed -------------------------------------------------------------------------------

/**
 * A scratch directory for this process, named with its pid. The worker is stopped without a chance to clean
 * up, so each start removes the directories of processes that no longer run (never those of a live one: other
 * runs may be going on beside this one).
 */
export function scratchDir(kind: string): string {
  const prefix = `apim-netcheck-fuzz-${kind}-`;
  for (const entry of readdirSync(tmpdir())) {
    const pid = Number(/^(\d+)-/.exec(entry.slice(prefix.length))?.[1]);
    if (!entry.startsWith(prefix) || !pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ESRCH")
        rmSync(join(tmpdir(), entry), { recursive: true, force: true });
    }
  }
  return mkdtempSync(join(tmpdir(), `${prefix}${process.pid}-`));
}

const sandbox = scratchDir("az");
const stubDir = join(sandbox, "bin");
mkdirSync(stubDir);
// The stub records each call as: fix number, argument count, arguments, all NUL-terminated. A POSIX sh script
// (dash where /bin/sh is dash) starts faster than bash, and the fixes call it thousands of times a run.
writeFileSync(join(stubDir, "az"), '#!/bin/sh\nprintf \'%s\\0\' "$FIX_NO" "$#" "$@" >> "$AZ_LOG"\n');
chmodSync(join(stubDir, "az"), 0o755);

/** A value per variable a fix asks for (`: "${NAME:?}"`), recognisable in an argument. */
const variableValue = (name: string) => `@@${name}@@`;

/**
 * Runs every az fix in one bash, each sourced in its own subshell in an empty directory with the stub first on
 * PATH and a DEBUG trap (inherited by command substitutions) recording every command bash runs. Asserts that
 * bash said nothing, that only `az` and `:` ran, that the directory is still empty, and that each name of a
 * fix's changes is one whole argument of one of its az calls (an Unknown part being a variable's value).
 */
export function runAzFixes(fixes: { finding: JsonFinding; text: string; names: Expected[] }[]): void {
  if (fixes.length === 0) return;
  const work = join(sandbox, "work");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work);
  const fixDir = join(sandbox, "fixes");
  rmSync(fixDir, { recursive: true, force: true });
  mkdirSync(fixDir);
  const env: Record<string, string> = {
    PATH: `${stubDir}:/usr/bin:/bin`,
    AZ_LOG: join(sandbox, "az.log"),
    CMD_LOG: join(sandbox, "commands.log"),
    LANG: "C.UTF-8",
  };
  writeFileSync(env.AZ_LOG!, "");
  writeFileSync(env.CMD_LOG!, "");
  fixes.forEach((f, i) => {
    writeFileSync(join(fixDir, `${i}.sh`), `${f.text}\n`);
    for (const m of f.text.matchAll(/^: "\$\{([A-Za-z_][A-Za-z0-9_]*):\?\}"$/gm)) env[m[1]!] = variableValue(m[1]!);
  });
  const driver = [
    "set -T",
    `trap 'case "\${BASH_SOURCE[0]}" in "${fixDir}"/*) printf "%s\\0" "$BASH_COMMAND" >> "$CMD_LOG";; esac' DEBUG`,
    `for ((i = 0; i < ${fixes.length}; i++)); do FIX_NO=$i; export FIX_NO; ( . "${fixDir}/$i.sh" ); done`,
  ].join("\n");
  const r = spawnSync("/bin/bash", ["--noprofile", "--norc", "-c", driver], { cwd: work, env, encoding: "utf8" });
  const all = fixes.map((f) => f.text).join("\n----\n");
  if (r.status !== 0 || r.stderr !== "")
    throw new FixError(`bash ran the az fixes with status ${r.status}: ${r.stderr}\n${all}`);
  const created = readdirSync(work);
  if (created.length > 0)
    throw new FixError(`the az fixes created ${JSON.stringify(created)} in the directory\n${all}`);
  const commands = readFileSync(env.CMD_LOG!, "utf8").split("\0").filter(Boolean);
  for (const c of commands)
    if (!/^(az|:)(\s|$)/.test(c)) throw new FixError(`the az fixes ran another command: ${JSON.stringify(c)}\n${all}`);
  const log = readFileSync(env.AZ_LOG!, "utf8").split("\0");
  const calls = new Map<number, string[]>();
  for (let i = 0; i + 1 < log.length; ) {
    const fix = Number(log[i]);
    const count = Number(log[i + 1]);
    calls.set(fix, [...(calls.get(fix) ?? []), ...log.slice(i + 2, i + 2 + count)]);
    i += 2 + count;
  }
  fixes.forEach((f, i) => {
    const argv = calls.get(i) ?? [];
    if (argv.length === 0) throw new FixError(`${f.finding.id} az fix: no az call\n${f.text}`);
    for (const name of f.names) {
      const pattern = new RegExp(
        `^${name.map((p) => (p === null ? "@@[A-Za-z0-9_]+@@" : p.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&"))).join("")}$`,
        "u",
      );
      if (!argv.some((a) => pattern.test(a)))
        throw new FixError(
          `${f.finding.id} az fix: the name ${JSON.stringify(name)} is no argument of ${JSON.stringify(argv)}\n${f.text}`,
        );
    }
  });
}
