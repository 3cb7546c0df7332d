/**
 * AVNM from Terraform (azurerm_network_manager_* resources; the children's ids are built from their parents' ids,
 * as the provider's are), and azurerm_network_manager_deployment as the commit: with it the admin Deny and
 * AlwaysAllow decide at their .tf lines; without it the configuration's effect is Unknown.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { REPO_ROOT } from "../helpers/corpus.js";

const DIR = `${REPO_ROOT}/test/fixtures/avnm/terraform`;

async function flow(dir: string, port: string) {
  let out = "";
  const io = { out: (s: string) => (out += s), err: () => {}, isTty: false, env: {} };
  const args = ["flow", dir, "--from", "10.9.0.4", "--to", "vnet-app/snet-app", "--port", port, "--format", "json"];
  await main(args, io);
  return JSON.parse(out);
}

describe("AVNM from Terraform", () => {
  it("an admin Deny on 22 decides before the NSG, at its .tf line", async () => {
    const json = await flow(DIR, "22");
    expect(json).toMatchObject({ access: "Deny", ruleName: "deny-ssh" });
    expect(json.layers[0]).toMatchObject({
      scope: "admin",
      adminRule: {
        networkManager: "nm-central",
        securityAdminConfiguration: "sac-baseline",
        ruleCollection: "rc-guardrails",
      },
    });
    expect(json.layers[0].location).toMatchObject({ file: expect.stringMatching(/main\.tf$/), line: 77 });
  });

  it("an AlwaysAllow on 443 from the jump range skips the NSG's deny-all", async () => {
    const json = await flow(DIR, "443");
    expect(json).toMatchObject({ access: "Allow", ruleName: "always-allow-https-from-jump" });
    expect(json.layers[1]).toMatchObject({ scope: "subnet", nsg: "nsg-app", note: "skipped" });
  });

  it("without the deployment resource the admin rules only may apply: Unknown", async () => {
    const dir = mkdtempSync(join(tmpdir(), "avnm-tf-"));
    const text = readFileSync(`${DIR}/main.tf`, "utf8");
    writeFileSync(join(dir, "main.tf"), text.slice(0, text.indexOf('resource "azurerm_network_manager_deployment"')));
    const json = await flow(dir, "443");
    // The NSG denies 443; the AlwaysAllow may or may not be deployed.
    expect(json).toMatchObject({ access: null, verdict: "Unknown" });
    expect(json.layers[0].detail).toMatch(/no commit in the inputs deploys configuration sac-baseline to westeurope/);
  });
});
