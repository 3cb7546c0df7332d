/**
 * The fixes of one run work together: applying every finding's ARM fix to the bundled example leaves no error,
 * and no two fixes give the same NSG priority (each check takes its priorities from the run's one book).
 */
import { describe, expect, it } from "vitest";
import { CHECKS } from "../../src/checks/index.js";
import { runChecks } from "../../src/checks/run.js";
import { EngineContext } from "../../src/engine/reach/context.js";
import { loadInputs } from "../../src/ingest/load.js";
import { loadServiceTagCatalog } from "../../src/ingest/servicetags/load.js";
import { Topology } from "../../src/model/topology.js";
import { REPO_ROOT } from "../helpers/corpus.js";
import { applyAllArmFixes } from "./tester.js";

const EXAMPLE = `${REPO_ROOT}/examples/forced-tunnel/network.json`;

function findings(file: string) {
  const { model } = loadInputs([file]);
  return runChecks(new EngineContext(new Topology(model), loadServiceTagCatalog()), {}, CHECKS);
}

describe("the example's fixes, together", () => {
  it("give distinct priorities per NSG and direction", () => {
    const rules = findings(EXAMPLE)
      .flatMap((f) => f.fix.filter((x) => x.kind === "arm").flatMap((x) => JSON.parse(x.text)))
      .filter((r) => r.type === "Microsoft.Network/networkSecurityGroups/securityRules");
    const keys = rules.map((r) => `${r.name.split("/")[0]}|${r.properties.direction}|${r.properties.priority}`);
    expect(rules.length).toBeGreaterThan(1);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("applied all at once, leave no error", () => {
    const before = findings(EXAMPLE);
    expect(before.filter((f) => f.severity === "error").length).toBeGreaterThanOrEqual(3);
    const fixed = applyAllArmFixes(
      EXAMPLE,
      before.filter((f) => f.fix.some((x) => x.kind === "arm")),
    );
    const after = findings(fixed);
    expect(after.filter((f) => f.severity === "error").map((f) => `${f.id}: ${f.message}`)).toEqual([]);
  });
});
