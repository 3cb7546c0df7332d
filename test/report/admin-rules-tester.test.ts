/**
 * The HTML report's flow tester and Virtual Network Manager security admin rules (issue 14 item 4): the page
 * evaluates NSGs only, and admin rules come before them (engine/nsg/admin-layers), so at a subnet where admin
 * rules apply the page's answer is Unknown, naming `flow`, never the NSG-only verdict (which for the fixture's
 * AlwaysAllow on 22 would be the NSG's Deny, and for its Deny on 3443 the NSG's Allow). Elsewhere it answers.
 */
import { describe, expect, it } from "vitest";
import { EngineContext } from "../../src/engine/reach/context.js";
import { readAssumptions } from "../../src/ingest/assume/read.js";
import { loadInputs } from "../../src/ingest/load.js";
import { loadServiceTagCatalog } from "../../src/ingest/servicetags/load.js";
import { Topology } from "../../src/model/topology.js";
import { flowTesterFor } from "../../src/report/html/client/flow-tester.js";
import { buildReportView } from "../../src/report/html/data.js";
import { REPO_ROOT } from "../helpers/corpus.js";

const TEMPLATE = `${REPO_ROOT}/test/fixtures/avnm/admin-rules.json`;
const COMMIT = `${REPO_ROOT}/test/fixtures/avnm/commit.assume.yaml`;

function engine(withCommit: boolean): EngineContext {
  const { model } = loadInputs([TEMPLATE]);
  if (withCommit) model.assumptions = readAssumptions(COMMIT);
  return new EngineContext(new Topology(model), loadServiceTagCatalog());
}

describe("the report's flow tester where security admin rules apply", () => {
  const e = engine(true);
  const view = buildReportView(e, []);
  const tester = flowTesterFor(view.data.flow, view.flowParts);

  it("flags exactly the subnets with admin rules", () => {
    const flagged = view.data.flow.subnets.filter((s) => s.adminRules).map((s) => s.label);
    const expected = view.data.flow.subnets
      .filter((s) => {
        const subnet = e.topology.subnets.get(s.id);
        return subnet !== undefined && (e.adminAt(subnet)?.rules.length ?? 0) > 0;
      })
      .map((s) => s.label);
    expect(flagged).toEqual(expected);
    expect(flagged).toContain("vnet-apim/snet-apim");
  });

  for (const port of ["22", "3443"])
    it(`answers Unknown on ${port} into the APIM subnet and names flow`, () => {
      const a = tester.check({ from: "10.9.0.5", to: "vnet-apim/snet-apim", protocol: "Tcp", port, sourcePort: "*" });
      expect(a.problem).toBeUndefined();
      expect(a.verdict).toBe("Unknown");
      expect(a.notes.join(" ")).toMatch(/security admin rules apply at vnet-apim\/snet-apim.*apim-netcheck flow/);
    });
});
