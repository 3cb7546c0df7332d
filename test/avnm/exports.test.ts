/**
 * Virtual Network Manager state read from exports (reference part 2 §10.1, §10.5): `az network manager ...`
 * resources (flattened properties, children as resources of their own) and the deployment status
 * (`az network manager list-deploy-status`), whose rows are the commit evidence. A row for the region that lists
 * the configuration makes its rules apply; one that lists only other configurations means it is not deployed
 * there; no row leaves the effect Unknown.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { loadInputs } from "../../src/ingest/load.js";
import { REPO_ROOT } from "../helpers/corpus.js";

const DIR = `${REPO_ROOT}/test/fixtures/avnm/export`;
const RESOURCES = [`${DIR}/nm-central.json`, `${DIR}/vnet-apim.json`];

async function flow(inputs: string[]) {
  let out = "";
  const io = { out: (s: string) => (out += s), err: () => {}, isTty: false, env: {} };
  const args = ["flow", ...inputs, "--from", "ApiManagement", "--to", "vnet-apim/snet-apim", "--port", "3443"];
  await main([...args, "--format", "json"], io);
  return JSON.parse(out);
}

describe("AVNM from exports", () => {
  it("reads the manager, its group with a static member, the configuration, collection and rule", () => {
    const { model } = loadInputs([`${DIR}/nm-central.json`]);
    const [nm] = model.networkManagers;
    expect(nm).toMatchObject({ name: "nm-central", networkManagerScopeAccesses: ["SecurityAdmin"] });
    expect(nm!.networkGroups[0]).toMatchObject({ name: "ng-apim", memberType: "VirtualNetwork" });
    expect(nm!.networkGroups[0]!.staticMembers[0]!.resourceId).toMatch(/virtualNetworks\/vnet-apim$/);
    const rule = nm!.securityAdminConfigurations[0]!.ruleCollections[0]!.rules[0]!;
    expect(rule).toMatchObject({
      name: "deny-apim-management",
      access: "Deny",
      priority: 10,
      protocol: "Tcp",
      destinationPortRanges: ["3443"],
      sources: [expect.objectContaining({ addressPrefix: "ApiManagement", addressPrefixType: "ServiceTag" })],
    });
    expect(rule.src.line).toBe(40);
  });

  it("a deployment-status row for the region makes the admin Deny decide, with the rule's id", async () => {
    const json = await flow([DIR]);
    expect(json).toMatchObject({ access: "Deny", ruleName: "deny-apim-management" });
    expect(json.ruleId).toMatch(/\/ruleCollections\/rc-guardrails\/rules\/deny-apim-management$/);
    expect(json.layers[0]).toMatchObject({ scope: "admin", access: "Deny" });
  });

  it("without a commit the admin rule only may apply: Unknown", async () => {
    const json = await flow(RESOURCES);
    expect(json).toMatchObject({ access: null, verdict: "Unknown" });
    expect(json.layers[0].detail).toMatch(/no commit in the inputs deploys configuration sac-baseline to westeurope/);
  });

  it("a row for the region that lists another configuration: not deployed there, the NSG level decides", async () => {
    const dir = mkdtempSync(join(tmpdir(), "avnm-"));
    const status = join(dir, "status.json");
    const row = {
      region: "westeurope",
      deploymentType: "SecurityAdmin",
      deploymentStatus: "Deployed",
      configurationIds: [
        "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-network/providers/Microsoft.Network/networkManagers/nm-central/securityAdminConfigurations/other",
      ],
    };
    writeFileSync(status, JSON.stringify({ value: [row] }));
    const json = await flow([...RESOURCES, status]);
    // The subnet has no NSG: no admin layer, nothing denies.
    expect(json).toMatchObject({ access: "Allow", verdict: "Allow" });
    expect(json.layers.map((l: { scope: string }) => l.scope)).toEqual(["subnet"]);
  });

  it("an active-rules list (listActiveSecurityAdminRules) shows the configuration committed to the rule's region", async () => {
    const json = await flow([...RESOURCES, `${DIR}-active/active-rules.json`]);
    expect(json).toMatchObject({ access: "Deny", ruleName: "deny-apim-management" });
  });

  it("an effective-rules list names no VNet: recognised, said not to be used, and the answer stays Unknown", async () => {
    const file = `${DIR}-active/effective-rules.json`;
    const { model } = loadInputs([...RESOURCES, file]);
    expect(model.inputs.find((i) => i.file.endsWith("effective-rules.json"))?.format).toBe("avnm-applied-admin-rules");
    expect(model.diagnostics.map((d) => d.message).join("\n")).toMatch(
      /effective security admin rules .* listed but not used/,
    );
    expect((await flow([...RESOURCES, file])).verdict).toBe("Unknown");
  });
});
