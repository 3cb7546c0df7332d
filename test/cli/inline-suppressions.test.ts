/**
 * Inline suppressions (issue 16 item 3): `apim-netcheck-disable-next-line <IDS>: <reason>` in a comment accepts
 * the findings of those ids located on the next code line, in ARM JSON with comments, Bicep and Terraform. The
 * finding stops counting in the exit code, is listed as suppressed (JSON kind inSource, SARIF `suppressions` of
 * kind inSource, schema-valid); a marker without a reason accepts nothing and says so; other ids and other lines
 * are untouched.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inlineSuppressions } from "../../src/cli/inline-suppressions.js";
import { main } from "../../src/cli/main.js";
import { REPO_ROOT } from "../helpers/corpus.js";
import { sarifSchemaErrors } from "../helpers/sarif-schema.js";

async function run(...args: string[]) {
  let out = "";
  let err = "";
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), isTty: false, env: {} });
  return { code, out, err };
}

type Report = {
  findings?: { id: string; location: { file: string; line: number } }[];
  suppressed?: { id: string; suppression: { kind: string; justification: string; source: string } }[];
};

/** `text` with `marker` inserted above its 1-based line `line`, in the line's own indentation. */
function withMarker(text: string, line: number, marker: string): string {
  const lines = text.split("\n");
  const indent = /^\s*/.exec(lines[line - 1]!)![0];
  lines.splice(line - 1, 0, `${indent}${marker}`);
  return lines.join("\n");
}

/** Checks `dir` as JSON; the finding of `id` located in `file`, and the report. */
async function findingOf(dir: string, id: string) {
  const r = await run("check", dir, "--format", "json");
  const report = JSON.parse(r.out) as Report;
  return { r, report, f: report.findings?.find((x) => x.id === id) };
}

describe("apim-netcheck-disable-next-line", () => {
  for (const [language, source, file, id, comment] of [
    ["ARM JSON", "examples/forced-tunnel", "network.json", "APIM-INBOUND-MANAGEMENT", "//"],
    ["Terraform", "test/fixtures/terraform/plan-equivalence/config", "main.tf", "APIM-INBOUND-LOADBALANCER", "#"],
  ] as const)
    it(`${language}: accepts that finding only, listed as suppressed in source, not counted`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "apim-netcheck-inline-"));
      const from = join(REPO_ROOT, source);
      for (const name of [file, ...(language === "Terraform" ? ["terraform.tfvars"] : [])])
        copyFileSync(join(from, name), join(dir, name));
      const before = await findingOf(dir, id);
      expect(before.f, `${id} before`).toBeDefined();
      // Every finding of that id on that line is accepted (the 6390 error and the 6391 info share a rule's line).
      const line = before.f!.location.line;
      const accepted = (before.report.findings ?? []).filter((x) => x.id === id && x.location.line === line);
      const others = (before.report.findings ?? []).length - accepted.length;
      const path = join(dir, file);
      const reason = "reviewed with the platform team (NET-42)";
      writeFileSync(
        path,
        withMarker(
          readFileSync(path, "utf8"),
          before.f!.location.line,
          `${comment} apim-netcheck-disable-next-line ${id}: ${reason}`,
        ),
      );
      const after = await findingOf(dir, id);
      expect(after.f).toBeUndefined();
      expect((after.report.findings ?? []).length).toBe(others);
      expect(after.report.suppressed?.map((s) => [s.id, s.suppression.kind, s.suppression.justification])).toEqual(
        accepted.map(() => [id, "inSource", reason]),
      );
      expect(after.report.suppressed![0]!.suppression.source).toMatch(
        new RegExp(`${file}:${before.f!.location.line}$`),
      );
      const sarif = JSON.parse((await run("check", dir, "--format", "sarif")).out);
      expect(sarifSchemaErrors(sarif)).toEqual([]);
      const suppressedResults = sarif.runs[0].results.filter((r: { suppressions?: unknown[] }) => r.suppressions);
      expect(
        suppressedResults.map((r: { ruleId: string; suppressions: { kind: string }[] }) => [
          r.ruleId,
          r.suppressions[0]!.kind,
        ]),
      ).toEqual(accepted.map(() => [id, "inSource"]));
    });

  it("a marker without a reason accepts nothing, and says so on stderr", async () => {
    const dir = mkdtempSync(join(tmpdir(), "apim-netcheck-inline-"));
    mkdirSync(dir, { recursive: true });
    const path = join(dir, "network.json");
    copyFileSync(join(REPO_ROOT, "examples/forced-tunnel/network.json"), path);
    const { f } = await findingOf(dir, "APIM-INBOUND-MANAGEMENT");
    writeFileSync(
      path,
      withMarker(
        readFileSync(path, "utf8"),
        f!.location.line,
        "// apim-netcheck-disable-next-line APIM-INBOUND-MANAGEMENT",
      ),
    );
    const after = await findingOf(dir, "APIM-INBOUND-MANAGEMENT");
    expect(after.f).toBeDefined();
    expect(after.r.err).toMatch(
      /network\.json:\d+: warning: apim-netcheck-disable-next-line needs check ids and a reason/,
    );
  });
});

describe("inlineSuppressions", () => {
  it("targets the next line that is not blank or a comment; several ids; only commented formats", () => {
    const text = [
      "a",
      "  # apim-netcheck-disable-next-line NSG-RULE-SHADOWED, apim-forced-tunnel: kept on purpose",
      "",
      "  // note",
      "  rule {",
      "}",
    ].join("\n");
    expect(inlineSuppressions("main.tf", text).found).toEqual([
      {
        ids: ["NSG-RULE-SHADOWED", "APIM-FORCED-TUNNEL"],
        file: "main.tf",
        line: 2,
        target: 5,
        reason: "kept on purpose",
      },
    ]);
    expect(inlineSuppressions("notes.md", text).found).toEqual([]);
    expect(
      inlineSuppressions("x.bicep", "/* apim-netcheck-disable-next-line SUBNET-SIZE: small on purpose */\nresource x")
        .found[0],
    ).toMatchObject({
      ids: ["SUBNET-SIZE"],
      target: 2,
      reason: "small on purpose",
    });
  });
});
