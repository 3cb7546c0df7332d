import { describe, expect, it } from "vitest";
import check from "../../src/checks/apim/internal-over-global-peering.js";
import { corpusPath, describeCorpus } from "../helpers/corpus.js";
import { checkFixture, expectMessage, runCheck } from "./tester.js";

const fx = (name: string) => checkFixture(check, name);

describe("APIM-PEERING-GLOBAL-ILB", () => {
  it("fires for an Internal stv1 instance whose VNet is peered with a VNet in another region, naming both halves", () => {
    const [f, ...rest] = runCheck(check, [fx("stv1-internal-global-peering.json")]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("warning");
    expectMessage(f, "globalPeering", {
      remote: "vnet-clients",
      remoteLocation: "northeurope",
      peering: "apim-to-clients",
    });
    expect(f!.evidence.filter((e) => e.kind === "peering").map((e) => e.location?.line)).toHaveLength(2);
    expect(f!.evidence.find((e) => e.kind === "assumption")?.text).toContain("platformVersion in the input");
  });

  it("fires when --platform stv1 says so for a template that does not", () => {
    expect(runCheck(check, [fx("stv2-internal-global-peering.json")], { platform: "stv1" })).toHaveLength(1);
  });

  it("is an info when the peer is not in the inputs (its region is unknown)", () => {
    const [f] = runCheck(check, [fx("stv1-internal-peer-not-in-inputs.json")]);
    expect(f!.severity).toBe("info");
    expectMessage(f, "remoteUnknown");
  });

  it("stays silent on stv2, on regional peering, and in External mode", () => {
    expect(runCheck(check, [fx("stv2-internal-global-peering.json")])).toEqual([]);
    expect(runCheck(check, [fx("stv1-internal-regional-peering.json")])).toEqual([]);
    expect(runCheck(check, [fx("stv1-external-global-peering.json")])).toEqual([]);
  });
});

describeCorpus("APIM-PEERING-GLOBAL-ILB on the official quickstarts", () => {
  for (const dir of ["api-management-create-with-internal-vnet-publicip", "api-management-create-with-internal-vnet"]) {
    it(`no finding on ${dir} (no peering), even as stv1`, () => {
      const file = corpusPath("azure-quickstart-templates", dir, "azuredeploy.json");
      expect(runCheck(check, [file], { platform: "stv1" })).toEqual([]);
    });
  }
});
