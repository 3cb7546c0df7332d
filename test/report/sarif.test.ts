/**
 * SARIF 2.1.0 output: valid against the official schema (vendored in test/fixtures/sarif/), every registered
 * check a rule with help from its doc, results located in the input file with the ARM id as logical location,
 * evidence as related locations, fixes as text, input diagnostics as results of their own rules.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type * as Sarif from "sarif";
import { describe, expect, it } from "vitest";
import { CHECKS } from "../../src/checks/index.js";
import { main } from "../../src/cli/main.js";
import { parseCheckHelp } from "../../src/report/context.js";
import { SRCROOT, toSarif, UNMODELED_RULE } from "../../src/report/sarif.js";
import { REPO_ROOT } from "../helpers/corpus.js";
import { fixtureContext, fixtureFindings } from "../helpers/report-fixture.js";
import { sarifSchemaErrors } from "../helpers/sarif-schema.js";

async function run(...args: string[]) {
  let out = "";
  let err = "";
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), isTty: false, env: {} });
  return { code, out, err };
}

function fixtureRun(overrides: Partial<ReturnType<typeof fixtureContext>> = {}): Sarif.Run {
  return toSarif(fixtureFindings(), { ...fixtureContext(), ...overrides }).runs[0]!;
}

describe("SARIF schema", () => {
  it("the fixture's log is valid SARIF 2.1.0, with and without a docs base and a working directory", () => {
    expect(sarifSchemaErrors(toSarif(fixtureFindings(), fixtureContext()))).toEqual([]);
    const bare = { ...fixtureContext(), cwd: undefined, help: undefined };
    expect(sarifSchemaErrors(toSarif(fixtureFindings(), bare))).toEqual([]);
    const docs = { ...fixtureContext(), docsBaseUri: "https://example.org/apim-netcheck/docs/checks/" };
    expect(sarifSchemaErrors(toSarif(fixtureFindings(), docs))).toEqual([]);
    expect(sarifSchemaErrors(toSarif([], { ...fixtureContext(), diagnostics: [], unmodeled: [] }))).toEqual([]);
  });

  it("the validator refuses what is not SARIF (so a pass means something)", () => {
    const log = toSarif(fixtureFindings(), fixtureContext());
    const broken = JSON.parse(JSON.stringify(log));
    broken.runs[0].results[0].level = "fatal";
    broken.runs[0].results[1].locations[0].physicalLocation.region.startLine = 0;
    expect(sarifSchemaErrors(broken).join("\n")).toMatch(/results\/0\/level[\s\S]*results\/1\/.*startLine/);
    expect(sarifSchemaErrors({ ...log, version: "2.0.0" })).not.toEqual([]);
  });

  it("check --format sarif on the example is valid SARIF and locates the deciding rule", async () => {
    const { code, out } = await run("check", `${REPO_ROOT}/examples/forced-tunnel`, "--format", "sarif");
    expect(code).toBe(1);
    const log = JSON.parse(out) as Sarif.Log;
    expect(sarifSchemaErrors(log)).toEqual([]);
    const sarifRun = log.runs[0]!;
    expect(sarifRun.tool.driver.rules?.slice(0, CHECKS.length).map((r) => r.id)).toEqual(CHECKS.map((c) => c.meta.id));
    const result = sarifRun.results!.find((r) => r.ruleId === "APIM-INBOUND-MANAGEMENT")!;
    const physical = result.locations![0]!.physicalLocation!;
    expect(physical.artifactLocation).toEqual({ uri: "examples/forced-tunnel/network.json", uriBaseId: SRCROOT });
    // The region is the deny rule's object in the template.
    const lines = readFileSync(join(REPO_ROOT, "examples/forced-tunnel/network.json"), "utf8").split("\n");
    const line = lines[physical.region!.startLine! - 1]!;
    expect(line.slice(physical.region!.startColumn! - 1)).toMatch(/^\{/);
    expect(lines.slice(physical.region!.startLine! - 1, physical.region!.startLine! + 2).join("\n")).toContain(
      "Deny-Inbound-Default",
    );
    expect(result.locations![0]!.logicalLocations![0]!.fullyQualifiedName).toMatch(
      /\/providers\/Microsoft\.Network\/networkSecurityGroups\/nsg-apim$/,
    );
    expect((result.properties!.fixes as { kind: string }[]).map((f) => f.kind)).toContain("az-cli");
    expect(sarifRun.originalUriBaseIds![SRCROOT]!.uri).toBe(`file://${process.cwd()}/`);
  });
});

describe("SARIF rules", () => {
  it("every registered check is a rule, with help from its doc's Summary and Recommendation", async () => {
    const { out } = await run(
      "check",
      `${REPO_ROOT}/examples/forced-tunnel`,
      "--format",
      "sarif",
      "--fail-on",
      "never",
    );
    const rules = (JSON.parse(out) as Sarif.Log).runs[0]!.tool.driver.rules!;
    for (const check of CHECKS) {
      const rule = rules.find((r) => r.id === check.meta.id)!;
      expect(rule.shortDescription?.text).toBe(check.meta.title);
      expect(rule.fullDescription?.text).toBe(check.meta.summary);
      expect(rule.defaultConfiguration?.level).toBe(check.meta.severity === "info" ? "note" : check.meta.severity);
      expect(rule.properties?.docs).toBe(`docs/checks/${check.meta.id}.md`);
      const path = join(REPO_ROOT, `docs/checks/${check.meta.id}.md`);
      // A check whose doc is not written yet falls back to its summary (the meta-tests require the doc).
      const doc = existsSync(path) ? parseCheckHelp(readFileSync(path, "utf8")) : undefined;
      expect(rule.help?.text).toContain(doc?.summary ?? check.meta.summary);
      if (doc?.recommendation) expect(rule.help?.text).toContain(`Recommendation: ${doc.recommendation}`);
      expect(rule.helpUri).toBeUndefined();
    }
  });

  it("a rule is listed even when its check found nothing", () => {
    const rules = fixtureRun().tool.driver.rules!;
    expect(rules.map((r) => r.id)).toContain("APIM-ZZ-NEVER-FIRED");
    expect(rules.find((r) => r.id === "APIM-ZZ-NEVER-FIRED")!.defaultConfiguration?.level).toBe("note");
  });

  it("helpUri is the doc under --docs-base-uri, absolute", async () => {
    const withBase = fixtureRun({ docsBaseUri: "https://example.org/repo/blob/main/docs/checks" }).tool.driver.rules!;
    expect(withBase[0]!.helpUri).toBe("https://example.org/repo/blob/main/docs/checks/APIM-INBOUND-MANAGEMENT.md");
    const { out } = await run(
      "check",
      `${REPO_ROOT}/examples/forced-tunnel`,
      "--format",
      "sarif",
      "--docs-base-uri",
      "https://example.org/docs/checks/",
    );
    const rule = (JSON.parse(out) as Sarif.Log).runs[0]!.tool.driver.rules![0]!;
    expect(rule.helpUri).toBe(`https://example.org/docs/checks/${rule.id}.md`);
    const bad = await run(
      "check",
      `${REPO_ROOT}/examples/forced-tunnel`,
      "--format",
      "sarif",
      "--docs-base-uri",
      "docs/",
    );
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--docs-base-uri must be an absolute URI");
  });

  it("a check without a readable doc falls back to its summary", () => {
    const rule = fixtureRun().tool.driver.rules!.find((r) => r.id === "APIM-PEERING-STATE")!;
    expect(rule.help?.text).toContain("Every peering between API Management and what it calls must be Connected.");
  });
});

describe("SARIF results", () => {
  const results = () => fixtureRun().results!;

  it("levels follow severities: error, warning, and info as note", () => {
    const byRule = results()
      .slice(0, 4)
      .map((r) => [r.ruleId, r.level]);
    expect(byRule).toEqual([
      ["APIM-INBOUND-MANAGEMENT", "error"],
      ["APIM-OUTBOUND-STORAGE", "note"],
      ["APIM-INBOUND-MANAGEMENT", "warning"],
      ["APIM-PEERING-STATE", "error"],
    ]);
    const rules = fixtureRun().tool.driver.rules!;
    for (const r of results()) expect(rules[r.ruleIndex!]!.id).toBe(r.ruleId);
  });

  it("paths: relative under %SRCROOT% (percent-encoded), absolute and Windows paths as file URIs", () => {
    const uri = (i: number) => results()[i]!.locations![0]!.physicalLocation!.artifactLocation;
    expect(uri(0)).toEqual({ uri: "examples/forced-tunnel/network.json", uriBaseId: SRCROOT });
    expect(uri(1)).toEqual({ uri: "file:///abs/path/exports/route-table.json" });
    expect(uri(2)).toEqual({ uri: "templates/my%20net/spoke%20%231.json", uriBaseId: SRCROOT });
    expect(uri(3)).toEqual({ uri: "file:///C:/work/net/hub.json" });
    expect(results()[2]!.locations![0]!.physicalLocation!.region).toEqual({ startLine: 12, startColumn: 7 });
  });

  it("evidence with a place is a related location; evidence without one only in properties", () => {
    const storage = results()[1]!;
    expect(storage.relatedLocations).toHaveLength(1);
    expect(storage.relatedLocations![0]!.message?.text).toBe(
      "rt-apim route to-nva: 0.0.0.0/0 -> VirtualAppliance 10.0.1.4",
    );
    expect(storage.relatedLocations![0]!.physicalLocation!.region).toEqual({ startLine: 9, startColumn: 11 });
    expect((storage.properties!.evidence as unknown[]).length).toBe(2);
  });

  it("fixes are text in properties and code blocks in the markdown message; no SARIF fixes", () => {
    const storage = results()[1]!;
    expect(storage.fixes).toBeUndefined();
    expect(storage.properties!.fixes).toEqual(fixtureFindings()[1]!.fix);
    // The bicep fix holds a run of four backticks: its fence is longer.
    expect(storage.message.markdown).toContain("`````bicep\n// a line with ``` three backticks and ```` four");
    expect(storage.message.text).not.toContain("az network");
  });

  it("hostile names are escaped in markdown and kept as they are in text", () => {
    const warning = results()[2]!;
    expect(warning.message.text).toContain("snet|<script>alert(1)</script>");
    expect(warning.message.markdown).not.toMatch(/(?<!\\)<script|(?<!\\)<img|(?<!\\)\]\(javascript/);
    expect(warning.message.markdown).toContain("\\<script>");
  });

  it("input diagnostics are results of rules named by their code; unmodeled resources are notes", () => {
    const sarifRun = fixtureRun();
    const inputs = sarifRun.results!.slice(4);
    expect(inputs.map((r) => [r.ruleId, r.level])).toEqual([
      ["arm/unknown-parameter", "warning"],
      ["input/ignored", "note"],
      ["input/unknown-value", "warning"],
      [UNMODELED_RULE, "note"],
    ]);
    expect(inputs[0]!.locations![0]!.physicalLocation!.region).toEqual({ startLine: 4, startColumn: 19 });
    // A file without a line has no region; a generated place has no physical location at all.
    expect(inputs[1]!.locations![0]!.physicalLocation).toEqual({
      artifactLocation: { uri: "templates/readme.json", uriBaseId: SRCROOT },
    });
    expect(inputs[2]!.locations).toBeUndefined();
    const ruleOf = (id: string) => sarifRun.tool.driver.rules!.find((r) => r.id === id)!;
    expect(ruleOf("arm/unknown-parameter").properties?.category).toBe("input");
    expect(ruleOf(UNMODELED_RULE).defaultConfiguration?.level).toBe("note");
    expect(inputs[3]!.locations![0]!.logicalLocations![0]!.name).toBe("agw");
  });

  it("fingerprints are stable and distinct", () => {
    const a = fixtureRun()
      .results!.slice(0, 4)
      .map((r) => r.partialFingerprints);
    const b = fixtureRun()
      .results!.slice(0, 4)
      .map((r) => r.partialFingerprints);
    expect(a).toEqual(b);
    expect(new Set(a.map((p) => JSON.stringify(p))).size).toBe(4);
  });
});
