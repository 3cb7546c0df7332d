/**
 * `check --apim-subnet <vnet>/<subnet>[:External|Internal]`: the APIM checks run against a subnet whose instance is
 * deployed from another template (issue "Findings to trust and one fix engine", item 9). The network of the APIM
 * management fixture without its APIM resource gives the same APIM findings as with it; without a mode both modes
 * are checked; the landing zone's networking module (no APIM resource) is checked through its APIM subnet.
 */
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { corpusPath, describeCorpus, REPO_ROOT } from "../helpers/corpus.js";
import { editFixture } from "../helpers/edit-fixture.js";

async function run(...args: string[]) {
  let out = "";
  let err = "";
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), isTty: false, env: {} });
  return { code, out, err };
}

const MGMT = `${REPO_ROOT}/test/fixtures/checks/nsg-allows-management-endpoint/deny-3443-before-allow.json`;
/** The fixture's network alone: its API Management resource taken out. */
const NETWORK_ONLY = editFixture(MGMT, (t) => {
  t.resources = t.resources.filter((r: { type: string }) => r.type !== "Microsoft.ApiManagement/service");
});

const ids = (json: string) =>
  (JSON.parse(json).findings as { id: string; severity: string }[]).map((f) => `${f.id} ${f.severity}`).sort();

describe("--apim-subnet", () => {
  it("checks the subnet as the instance's: the same APIM findings as the template that declares the instance", async () => {
    const declared = await run("check", MGMT, "--format", "json", "--only", "APIM-INBOUND-MANAGEMENT");
    const placed = await run(
      "check",
      NETWORK_ONLY,
      "--format",
      "json",
      "--only",
      "APIM-INBOUND-MANAGEMENT",
      "--apim-subnet",
      "vnet-apim/snet-apim:internal",
    );
    expect(placed.code).toBe(1);
    expect(ids(placed.out)).toEqual(ids(declared.out));
    expect(ids(placed.out)).toEqual(["APIM-INBOUND-MANAGEMENT error"]);
    // Nothing about the instance itself is checked, and what was assumed is said.
    expect(JSON.parse(placed.out).assumptions.join("\n")).toMatch(
      /--apim-subnet vnet-apim\/snet-apim: an API Management instance taken to be in this subnet, in Internal mode/,
    );
    // Without the option the network has no instance, so no APIM finding.
    const none = await run("check", NETWORK_ONLY, "--format", "json", "--only", "APIM-INBOUND-MANAGEMENT");
    expect(ids(none.out)).toEqual([]);
  });

  it("without a mode checks External and Internal (not None): a denial that holds both ways stays an error", async () => {
    const r = await run("check", NETWORK_ONLY, "--format", "json", "--apim-subnet", "snet-apim");
    const found = JSON.parse(r.out).findings as { id: string; severity: string; message: string }[];
    expect(found.filter((f) => f.id === "APIM-INBOUND-MANAGEMENT").map((f) => f.severity)).toEqual(["error"]);
    const notes = JSON.parse(r.out).assumptions.join("\n");
    expect(notes).toContain("is External");
    expect(notes).toContain("is Internal");
    expect(notes).not.toContain("is None");
  });

  it("a subnet the inputs do not declare, or a mode that is none of the two, is a usage error (exit 2)", async () => {
    const missing = await run("check", NETWORK_ONLY, "--apim-subnet", "vnet-apim/nope");
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/unknown subnet vnet-apim\/nope \(known: vnet-apim\/snet-apim\)/);
    const mode = await run("check", NETWORK_ONLY, "--apim-subnet", "vnet-apim/snet-apim:Private");
    expect(mode.code).toBe(2);
    expect(mode.err).toContain("the mode after ':' must be External or Internal");
  });
});

describeCorpus("--apim-subnet on the landing zone's networking module (no APIM resource in it)", () => {
  const networking = corpusPath(
    "apim-landing-zone-accelerator/v1-027fe50/reference-implementations/AppGW-IAPIM-Func/bicep/networking/networking.json",
  );
  const params = ["-p", "workloadName=apim", "-p", "deploymentEnvironment=dev"];
  const subnet = "vnet-apim-cs-apim-dev-westeurope/snet-apim-apim-dev-westeurope-001";

  it("its APIM NSG allows what API Management needs: no APIM error in either mode", async () => {
    const r = await run("check", networking, ...params, "--format", "json", "--apim-subnet", subnet);
    const apim = (JSON.parse(r.out).findings as { id: string; severity: string }[]).filter((f) =>
      f.id.startsWith("APIM-"),
    );
    expect(apim.filter((f) => f.severity === "error")).toEqual([]);
    expect(JSON.parse(r.out).assumptions.join("\n")).toContain(`--apim-subnet ${subnet}`);
  });

  it("with that NSG taken away, the instance's subnet has no NSG: an error", async () => {
    const r = await run(
      "check",
      networking,
      ...params,
      "--format",
      "json",
      "--apim-subnet",
      `${subnet}:Internal`,
      "--without",
      "nsg-apim-apim-dev-westeurope",
    );
    expect(ids(r.out)).toContain("APIM-SUBNET-NSG-MISSING error");
  });
});
