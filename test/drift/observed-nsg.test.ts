/**
 * DRIFT-NSG (issue 14 item 6): the effective security rules of an NSG exported from Azure against that NSG in
 * the inputs. The export of the same rules (reversed, enum values in other case) gives nothing; a rule added in
 * the portal and a priority changed give the rows on each side; the REST example, whose NSG is not in the inputs,
 * is said not compared.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import management from "../../src/checks/apim/nsg-allows-management-endpoint.js";
import check from "../../src/checks/drift/observed-nsg-differs.js";
import { expectMessage, runCheck } from "../checks/tester.js";
import { corpusPath, describeCorpus, REPO_ROOT } from "../helpers/corpus.js";

const FX = join(REPO_ROOT, "test/fixtures/checks/observed-nsg-differs");
const TEMPLATE = join(REPO_ROOT, "test/fixtures/drift/apim-probe.json");

describe("DRIFT-NSG", () => {
  it("the NSG's rules as Azure prints them, in another order and case, give nothing", () => {
    expect(runCheck(check, [join(FX, "matching")])).toEqual([]);
  });

  it("a portal rule and a changed priority are listed on each side, each located", () => {
    const [f, ...rest] = runCheck(check, [join(FX, "portal-rule")]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("warning");
    expectMessage(f, "differs", { nsg: "nsg-apim", onlyComputed: 1, onlyObserved: 2 });
    const computed = f!.evidence.filter((e) => e.kind === "computed-rule").map((e) => e.text);
    const observed = f!.evidence.filter((e) => e.kind === "observed-rule").map((e) => e.text);
    expect(computed).toEqual([
      "only in the inputs: securityRules/Allow-ApiManagement-3443 Inbound Allow 100 Tcp ApiManagement:* -> VirtualNetwork:3443",
    ]);
    expect(observed).toEqual([
      "only observed: securityRules/Allow-ApiManagement-3443 Inbound Allow 200 Tcp ApiManagement:0-65535 -> VirtualNetwork:3443-3443",
      "only observed: securityRules/Allow-Internet-443 Inbound Allow 120 Tcp 0.0.0.0/0:0-65535 -> 0.0.0.0/0:443-443",
    ]);
    const computedAt = f!.evidence.find((e) => e.kind === "computed-rule")!.location!;
    expect(computedAt.file).toMatch(/apim-probe\.json$/);
    for (const e of f!.evidence.filter((x) => x.kind === "observed-rule"))
      expect(e.location?.file).toMatch(/portal-rule\/effective-nsgs\.json$/);
  });
});

describe("APIM-INBOUND-MANAGEMENT from an observed effective NSG", () => {
  it("the inputs' NSG allows 3443, and so does the observed one of the matching export", () => {
    expect(runCheck(management, [TEMPLATE])).toEqual([]);
    expect(runCheck(management, [join(FX, "matching")])).toEqual([]);
  });

  it("a deny-all added in the portal, observed, decides: the finding names the observed rule and where", () => {
    const found = runCheck(management, [join(FX, "portal-deny")]);
    expect(found.length).toBeGreaterThan(0);
    const f = found[0]!;
    expect(f.severity).toBe("error");
    expect(f.message).toMatch(/nsg-apim as observed in .*portal-deny\/effective-nsgs\.json:\d+:\d+/);
    expect(f.message).toContain("Deny-All-Inbound");
    const cited = f.evidence.filter((e) => e.location?.file.endsWith("portal-deny/effective-nsgs.json"));
    expect(cited.length).toBeGreaterThan(0);
  });
});

describeCorpus("the REST example of effective NSGs", () => {
  it("names an NSG the inputs do not hold: not compared, and said", () => {
    const file = corpusPath("azure-rest-api-specs/network-2023-05-01/NetworkInterfaceEffectiveNSGList.json");
    const [f, ...rest] = runCheck(check, [TEMPLATE, file]);
    expect(rest).toEqual([]);
    expectMessage(f, "unplaced", { why: "NSG test-nsg is not in the inputs" });
  });
});
