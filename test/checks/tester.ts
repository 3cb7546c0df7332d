/**
 * The check tester (after typescript-eslint's RuleTester): runs one check on a scenario fixture, and applies a
 * finding's ARM fix to the fixture to prove the fix works. A finding must carry evidence, a location and no
 * unfilled placeholders; a failing case must produce at least one finding.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { expect, it } from "vitest";
import type { Check, ExtraBackend } from "../../src/checks/context.js";
import { messageProblems, renderMessage } from "../../src/checks/messages.js";
import type { Platform } from "../../src/checks/requirements.js";
import { runChecks } from "../../src/checks/run.js";
import type { Finding } from "../../src/checks/types.js";
import { planFixes } from "../../src/cli/fix-plan.js";
import { EngineContext } from "../../src/engine/reach/context.js";
import { readAssumptions } from "../../src/ingest/assume/read.js";
import { parseJson } from "../../src/ingest/json/parse.js";
import { loadInputs, readText } from "../../src/ingest/load.js";
import { loadServiceTagCatalog } from "../../src/ingest/servicetags/load.js";
import { Topology } from "../../src/model/topology.js";
import { corpusPath, describeCorpus, REPO_ROOT } from "../helpers/corpus.js";

export const CHECK_FIXTURES = join(REPO_ROOT, "test/fixtures/checks");

export function checkFixture(check: Check, name: string): string {
  return join(CHECK_FIXTURES, check.meta.name, name);
}

export interface RunCheckOptions {
  platform?: Platform;
  parameters?: string[];
  /** An `--assume` file (BGP routes no template shows). */
  assume?: string;
  /** Backends given as `--backend host:port` would give them. */
  backends?: ExtraBackend[];
}

/** Runs `check` alone on files; returns its findings, each validated for shape. */
export function runCheck(check: Check, files: string[], options: RunCheckOptions = {}): Finding[] {
  const { model } = loadInputs(files, { parameters: options.parameters });
  // TEMPLATE-INVALID reports what the readers refuse, so its fixtures are the ones that load with errors.
  const errors = model.diagnostics.filter((d) => d.severity === "error");
  if (check.meta.id !== "TEMPLATE-INVALID") expect(errors, "the fixture must load without errors").toEqual([]);
  if (options.assume) model.assumptions = readAssumptions(options.assume);
  const engine = new EngineContext(new Topology(model), loadServiceTagCatalog());
  const findings = runChecks(engine, { platform: options.platform, backends: options.backends }, [check]);
  for (const f of findings) assertWellFormed(f, check);
  return findings;
}

/**
 * Every finding: the check's id, a message the check declares (messageId) with a value for each of its
 * placeholders and no other (as typescript-eslint's RuleTester asks), rendered to the text, which has no
 * placeholder left; a location; evidence.
 */
export function assertWellFormed(f: Finding, check: Check): void {
  expect(f.id).toBe(check.meta.id);
  expect(f.messageId, `${f.id} must name its message`).toBeDefined();
  expect(messageProblems(check.meta.messages, f.messageId!, f.data), f.message).toEqual([]);
  expect(f.message).toBe(renderMessage(check.meta.messages[f.messageId!]!, f.data));
  for (const [key, value] of Object.entries(f.data ?? {}))
    expect(String(value), `${f.id} ${f.messageId}.${key}`).not.toMatch(/\{\{|^undefined$|\[object Object\]|NaN/);
  expect(f.message).not.toMatch(/\{\{|undefined|\[object Object\]|NaN/);
  expect(f.location.file).not.toBe("<unknown>");
  expect(f.evidence.length, `${f.id} must carry evidence`).toBeGreaterThan(0);
  for (const fix of f.fix) expect(fix.text.length).toBeGreaterThan(0);
}

/**
 * Asserts what a finding says by its message id and values (`data` may hold asymmetric matchers such as
 * expect.stringContaining); the wording itself is checked once, in test/golden/messages.txt.
 */
export function expectMessage(f: Finding | undefined, messageId: string, data: Record<string, unknown> = {}): void {
  expect(f, `no finding with ${messageId}`).toBeDefined();
  expect(f!.messageId, f!.message).toBe(messageId);
  expect(f!.data, f!.message).toMatchObject(data);
}

/**
 * Adds the ARM fix of `finding` to the template `file` (its resources array) and writes the result to a
 * temporary file, whose path is returned.
 */
export function applyArmFix(file: string, finding: Finding): string {
  const fix = finding.fix.find((f) => f.kind === "arm");
  expect(fix, `${finding.id} has no ARM fix`).toBeDefined();
  const parsed = parseJson(fix!.text, "fix.json");
  if (!parsed.ok) throw new Error(`${finding.id}: its ARM fix is not JSON: ${parsed.error.message}`);
  // An item naming a resource the template declares is merged into it (the fix says so in a comment).
  return addArmItems(file, parsed.doc.value as ArmItem[], (item) =>
    fix!.text.includes(`declaration of ${item.type} ${item.name} `),
  );
}

/**
 * Adds ARM items to the template `file`'s resources, in a temporary copy whose path is returned: an item that
 * names a resource the template declares (same type and name) is merged into it when `merge` says so (by default
 * always), else appended.
 */
export function addArmItems(file: string, items: ArmItem[], merge: (item: ArmItem) => boolean = () => true): string {
  const template = JSON.parse(readFileSync(file, "utf8"));
  for (const item of items) {
    const same = (template.resources as ArmItem[]).find(
      (r) => r.type.toLowerCase() === item.type.toLowerCase() && r.name === item.name,
    );
    if (same && merge(item)) deepMerge(same, item);
    else template.resources.push(item);
  }
  const out = join(mkdtempSync(join(tmpdir(), "apim-netcheck-fix-")), basename(file));
  writeFileSync(out, JSON.stringify(template, null, 2));
  return out;
}

/**
 * `file` with the changes of `findings` written by the writer `apim-netcheck fix` uses (cli/fix-plan), to a
 * temporary copy whose path is returned: for fixes a pasted ARM array cannot say (a rule deleted, a value
 * changed in place). Every change must be written.
 */
export function applyFixesAsWritten(file: string, findings: Finding[]): string {
  const { model } = loadInputs([file]);
  const plan = planFixes(model, findings, readText);
  expect(plan.refused.map((r) => `${r.finding.id}: ${r.reason}`)).toEqual([]);
  const out = join(mkdtempSync(join(tmpdir(), "apim-netcheck-fix-")), basename(file));
  writeFileSync(out, plan.files[0]?.after ?? readFileSync(file, "utf8"));
  return out;
}

/** The az CLI fix of `finding` as one line per command: continuation lines joined, comments and checks left out. */
export function azCommands(finding: Finding): string[] {
  const fix = finding.fix.find((f) => f.kind === "az-cli");
  expect(fix, `${finding.id} has no az CLI fix`).toBeDefined();
  return fix!.text
    .replace(/ \\\n\s+/g, " ")
    .split("\n")
    .filter((line) => !line.startsWith("#") && !line.startsWith(": "));
}

export interface ArmItem {
  type: string;
  name: string;
  [key: string]: unknown;
}

function deepMerge(into: Record<string, unknown>, from: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(from)) {
    const at = into[k];
    if (v && typeof v === "object" && !Array.isArray(v) && at && typeof at === "object" && !Array.isArray(at))
      deepMerge(at as Record<string, unknown>, v as Record<string, unknown>);
    else into[k] = v;
  }
}

/** Applies every ARM fix of `findings` in turn and returns the fixed file. */
export function applyAllArmFixes(file: string, findings: Finding[]): string {
  let current = file;
  for (const f of findings) current = applyArmFix(current, f);
  return current;
}

/** The official APIM quickstarts of ../shared/corpus that every check must leave without a false finding. */
export const APIM_QUICKSTARTS = [
  "api-management-create-with-internal-vnet-publicip",
  "api-management-create-with-external-vnet-publicip",
  "api-management-create-with-internal-vnet",
];

/** A corpus suite: `check` gives no finding on each quickstart (`why` says why none is expected). */
export function describeQuickstartsSilent(check: Check, why?: string, quickstarts = APIM_QUICKSTARTS): void {
  describeCorpus(`${check.meta.id} on the official quickstarts`, () => {
    for (const dir of quickstarts) {
      it(`no finding on ${dir}${why ? ` (${why})` : ""}`, () => {
        expect(runCheck(check, [corpusPath("azure-quickstart-templates", dir, "azuredeploy.json")])).toEqual([]);
      });
    }
  });
}
