/**
 * A finding on a value a Bicep module is given says where its caller passes it, in every format: the text
 * report's "passed from" line, `via` in JSON, and `relatedLocations` in SARIF (still valid SARIF 2.1.0). The
 * fixture (fixtures/passed-value) is main.bicep giving modules/network.bicep a subnet prefix with host bits set.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type * as Sarif from "sarif";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { REPO_ROOT } from "../helpers/corpus.js";
import { sarifSchemaErrors } from "../helpers/sarif-schema.js";

const FIXTURE = join(REPO_ROOT, "test/bicep/fixtures/passed-value");
const MODULE = "test/bicep/fixtures/passed-value/modules/network.bicep";
const CALLER = "test/bicep/fixtures/passed-value/main.bicep";

async function check(...args: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const code = await main(["check", FIXTURE, "--fix", "none", ...args], {
    out: (s) => (out += s),
    err: () => {},
    isTty: false,
    env: {},
  });
  return { code, out };
}

/** The text at `line:column` of `file` (1-based), to the end of its line. */
function textAt(file: string, line: number, column: number): string {
  return readFileSync(join(REPO_ROOT, file), "utf8")
    .split("\n")
    [line - 1]!.slice(column - 1);
}

describe("a value passed into a module", () => {
  it("the text report places the finding in the module and says where main.bicep passes the value", async () => {
    const { code, out } = await check("--quiet");
    expect(code).toBe(1);
    const lines = out.split("\n");
    const at = lines.findIndex((l) => l.includes("VNET-INVALID"));
    expect(lines[at + 1]?.trim()).toBe(`${MODULE}:39:26`);
    expect(lines[at + 2]?.trim()).toBe(`passed from ${CALLER}:10:19`);
    expect(textAt(MODULE, 39, 26)).toBe("subnetPrefix");
    expect(textAt(CALLER, 10, 19)).toBe("'10.1.1.5/27'");
  });

  it("JSON carries the caller's place in the finding's location.via", async () => {
    const { out } = await check("--format", "json");
    const finding = JSON.parse(out).findings.find((f: { id: string }) => f.id === "VNET-INVALID");
    expect(finding.location).toEqual({
      file: MODULE,
      line: 39,
      column: 26,
      via: [{ file: CALLER, line: 10, column: 19 }],
    });
  });

  it("SARIF lists the caller's place among the result's relatedLocations, and the log is valid SARIF 2.1.0", async () => {
    const { out } = await check("--format", "sarif");
    const log = JSON.parse(out) as Sarif.Log;
    expect(sarifSchemaErrors(log)).toEqual([]);
    const result = log.runs[0]!.results!.find((r) => r.ruleId === "VNET-INVALID")!;
    expect(result.locations![0]!.physicalLocation!.region).toEqual({ startLine: 39, startColumn: 26 });
    const passed = result.relatedLocations!.find((l) => /passed from here/.test(l.message!.text!))!;
    expect(passed.physicalLocation).toEqual({
      artifactLocation: { uri: CALLER, uriBaseId: "%SRCROOT%" },
      region: { startLine: 10, startColumn: 19 },
    });
    expect(passed.message!.text).toBe(`The value at ${MODULE}:39:26 is passed from here`);
    const ids = result.relatedLocations!.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(result.properties!.via).toEqual([{ file: CALLER, line: 10, column: 19 }]);
  });
});
