/**
 * Messages by id in the machine outputs: JSON findings carry `messageId` and `data`; SARIF rules carry each
 * check's messages as `messageStrings` with `{n}` placeholders and results carry `message.id` and
 * `message.arguments` that rebuild `message.text` as a SARIF consumer would (2.1.0 §3.11.5, §3.11.7-3.11.11),
 * in schema-valid logs.
 */
import type * as Sarif from "sarif";
import { describe, expect, it } from "vitest";
import { CHECKS } from "../../src/checks/index.js";
import { renderMessage } from "../../src/checks/messages.js";
import type { Finding } from "../../src/checks/types.js";
import { main } from "../../src/cli/main.js";
import { toSarif } from "../../src/report/sarif.js";
import { REPO_ROOT } from "../helpers/corpus.js";
import { fixtureContext, fixtureFindings } from "../helpers/report-fixture.js";
import { sarifSchemaErrors } from "../helpers/sarif-schema.js";

async function check(format: string) {
  let out = "";
  await main(["check", `${REPO_ROOT}/examples/forced-tunnel`, "--format", format], {
    out: (s) => (out += s),
    err: () => {},
    isTty: false,
    env: {},
  });
  return JSON.parse(out);
}

/** A message string filled as SARIF says: `{n}` is argument n, `{{` and `}}` are literal braces. */
function fill(text: string, args: string[]): string {
  return text.replace(/\{\{|\}\}|\{(\d+)\}/g, (m, n: string | undefined) =>
    n === undefined ? m[0]! : args[Number(n)]!,
  );
}

/** Every result of a rule with messageStrings: its id is declared there and its arguments rebuild its text. */
function assertResultsById(run: Sarif.Run): number {
  const rules = run.tool.driver.rules ?? [];
  let checked = 0;
  for (const r of run.results ?? []) {
    const rule = rules[r.ruleIndex!]!;
    if (!rule.messageStrings) {
      expect(r.message.id, `${r.ruleId} has no messageStrings`).toBeUndefined();
      continue;
    }
    expect(r.message.id, r.message.text).toBeDefined();
    const template = rule.messageStrings[r.message.id!];
    expect(template, `${r.ruleId} ${r.message.id}`).toBeDefined();
    const instance = (r.properties as { instance?: string } | undefined)?.instance;
    expect(fill(template!.text, r.message.arguments ?? [])).toBe(
      instance ? r.message.text!.slice(instance.length + 2) : r.message.text,
    );
    checked++;
  }
  return checked;
}

describe("SARIF messages by id", () => {
  it("the fixture's rules have messageStrings with {n} and doubled braces, its results ids and arguments", () => {
    const log = toSarif(fixtureFindings(), fixtureContext());
    expect(sarifSchemaErrors(log)).toEqual([]);
    const run = log.runs[0]!;
    const peering = run.tool.driver.rules!.find((r) => r.id === "APIM-PEERING-STATE")!;
    expect(peering.messageStrings).toEqual({
      notConnected: { text: "Peering {0} of {1} is {2}: no traffic crosses it until the other side is created." },
      literalBraces: { text: "A template with {{literal}} braces and {0}." },
    });
    expect(assertResultsById(run)).toBe(fixtureFindings().length);
    const unknown = run.results!.find((r) => r.message.id === "unknown")!;
    expect(unknown.message.arguments).toEqual([
      "ApiManagement.EastUS",
      "snet|<script>alert(1)</script>",
      "rule `allow-[mgmt](javascript:alert(1))` depends on the parameter @platform-team's mgmtPrefix (<unknown:parameter mgmtPrefix>)",
    ]);
  });

  it("a finding whose id its rule does not declare, or of no registered check, keeps its text alone", () => {
    const [first] = fixtureFindings();
    const stray: Finding = { ...first!, messageId: "notDeclared" };
    const other: Finding = { ...first!, id: "APIM-NOT-REGISTERED" };
    const log = toSarif([stray, other], { ...fixtureContext(), diagnostics: [], unmodeled: [] });
    expect(sarifSchemaErrors(log)).toEqual([]);
    for (const r of log.runs[0]!.results!) {
      expect(r.message.id).toBeUndefined();
      expect(r.message.arguments).toBeUndefined();
    }
  });

  it("check --format sarif on the example: every rule's messages, every result by id", async () => {
    const log = (await check("sarif")) as Sarif.Log;
    expect(sarifSchemaErrors(log)).toEqual([]);
    const run = log.runs[0]!;
    for (const c of CHECKS) {
      const rule = run.tool.driver.rules!.find((r) => r.id === c.meta.id)!;
      expect(Object.keys(rule.messageStrings ?? {}).sort()).toEqual(Object.keys(c.meta.messages).sort());
    }
    expect(assertResultsById(run)).toBeGreaterThan(0);
  });
});

describe("JSON messages by id", () => {
  it("check --format json on the example: each finding's messageId and data render its message", async () => {
    const body = (await check("json")) as { findings: Finding[] };
    expect(body.findings.length).toBeGreaterThan(0);
    for (const f of body.findings) {
      const meta = CHECKS.find((c) => c.meta.id === f.id)!.meta;
      expect(f.messageId && meta.messages[f.messageId], `${f.id} ${f.messageId}`).toBeTruthy();
      expect(renderMessage(meta.messages[f.messageId!]!, f.data)).toBe(f.message);
    }
  });
});
