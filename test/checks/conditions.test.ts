/**
 * An ARM `condition` that no input decides is evaluated both ways (issue "Never a silent pass (I)"): a finding
 * that holds either way stays as it is; one that holds only one way is an Unknown warning naming the condition,
 * its place and what to give; giving the value decides it.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runAcrossConditions } from "../../src/checks/conditions.js";
import { runChecks } from "../../src/checks/run.js";
import type { Finding } from "../../src/checks/types.js";
import { EngineContext } from "../../src/engine/reach/context.js";
import { undecidedConditions } from "../../src/engine/whatif/conditions.js";
import { loadInputs } from "../../src/ingest/load.js";
import { loadServiceTagCatalog } from "../../src/ingest/servicetags/load.js";
import { Topology } from "../../src/model/topology.js";
import { REPO_ROOT } from "../helpers/corpus.js";
import { writeTemp } from "../helpers/edit-fixture.js";

const FIXTURE = `${REPO_ROOT}/test/fixtures/arm/undecided-condition.json`;
const catalog = loadServiceTagCatalog();

function check(parameters: string[] = []): { findings: Finding[]; notes: string[] } {
  const { model } = loadInputs([FIXTURE], { parameters });
  return runAcrossConditions(model, (m) => runChecks(new EngineContext(new Topology(m), catalog)));
}

const management = (findings: Finding[]) => findings.filter((f) => f.id === "APIM-INBOUND-MANAGEMENT");

describe("undecided conditions extraction", () => {
  it("the rule under the undecided condition carries it, with the condition's place", () => {
    const { model } = loadInputs([FIXTURE]);
    const [condition] = undecidedConditions(model);
    expect(condition!.condition).toBe("parameters('strict')");
    expect(condition!.resources.map((r) => r.name)).toEqual(["Deny-All-In"]);
    expect(condition!.src.line).toBe(87);
  });
});

describe("undecided conditions conversion", () => {
  it("a denial that holds only if the rule is deployed is an Unknown warning, never an error or nothing", () => {
    const { findings, notes } = check();
    const [f] = management(findings);
    expect(f!.severity).toBe("warning");
    expect(f!.messageId).toBe("unknownCondition");
    expect(f!.data).toEqual({
      conditions: expect.stringMatching(
        /^the condition parameters\('strict'\) \(.*undecided-condition\.json:87:7\) of Deny-All-In, which no input decides \(give it with -p strict=<value>\)$/,
      ),
      holdsIf: "Deny-All-In is deployed",
      message: expect.stringMatching(/^TCP 3443/),
    });
    expect(notes).toEqual([
      expect.stringContaining("the network is checked each way (Deny-All-In is deployed; Deny-All-In is not deployed)"),
    ]);
  });

  it("giving the value decides it: an error when the rule is deployed, nothing when it is not", () => {
    expect(management(check(["strict=yes"]).findings).map((f) => f.severity)).toEqual(["error"]);
    expect(management(check(["strict=no"]).findings)).toEqual([]);
  });

  it("a finding that holds either way is kept as it is", () => {
    const both = check().findings.filter((f) => f.messageId !== "unknownCondition");
    expect(both.length).toBeGreaterThan(0);
    const decided = check(["strict=yes"]).findings;
    for (const f of both) expect(decided.map((d) => d.message)).toContain(f.message);
  });
});

describe("an API Management mode no input decides", () => {
  const file = (mode: string) =>
    writeTemp(
      "mode.json",
      readFileSync(
        `${REPO_ROOT}/test/fixtures/checks/nsg-allows-management-endpoint/deny-3443-before-allow.json`,
        "utf8",
      )
        .replace('"virtualNetworkType": "Internal"', `"virtualNetworkType": "${mode}"`)
        .replace(
          '"contentVersion": "1.0.0.0",',
          '"contentVersion": "1.0.0.0", "parameters": { "mode": { "type": "string" } },',
        ),
    );
  const run = (path: string) => {
    const { model } = loadInputs([path]);
    return runAcrossConditions(model, (m) => runChecks(new EngineContext(new Topology(m), catalog)));
  };

  it("is checked as None, External and Internal: a denial that holds only when injected is Unknown, naming -p", () => {
    const { findings, notes } = run(file("[parameters('mode')]"));
    const [f] = management(findings);
    expect(f!.severity).toBe("warning");
    expect(f!.messageId).toBe("unknownCondition");
    expect(f!.data).toMatchObject({
      conditions: expect.stringMatching(
        /^the virtualNetworkType of apim-test, which is Unknown \(parameters\('mode'\)\) .*; give it with -p mode=<value>$/,
      ),
      holdsIf: expect.stringMatching(/^the virtualNetworkType of apim-test is External; or if .* is Internal$/),
      message: expect.stringMatching(/^TCP 3443/),
    });
    expect(notes[0]).toContain(
      "is None; the virtualNetworkType of apim-test is External; the virtualNetworkType of apim-test is Internal",
    );
  });

  it("a misspelt mode (refused) is analysed the same way, not as an injected instance", () => {
    const [f] = management(run(file("Intrnal")).findings);
    expect(f!.severity).toBe("warning");
    expect(f!.data?.conditions).toContain("which 'Intrnal' is no member");
  });
});
