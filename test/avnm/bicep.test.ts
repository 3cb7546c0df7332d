/**
 * AVNM from Bicep (nested child resources, compiled by our evaluator to the same REST shapes), and a subnet Azure
 * leaves out (reference part 2 §10.3: no admin rules in GatewaySubnet), whose answer says so.
 */
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { REPO_ROOT } from "../helpers/corpus.js";

const BICEP = `${REPO_ROOT}/test/fixtures/avnm/bicep/main.bicep`;
const COMMIT = `${REPO_ROOT}/test/fixtures/avnm/commit.assume.yaml`;

async function flow(to: string) {
  let out = "";
  const io = { out: (s: string) => (out += s), err: () => {}, isTty: false, env: {} };
  const args = ["flow", BICEP, "--assume", COMMIT, "--from", "10.9.0.4", "--to", to, "--port", "22"];
  await main([...args, "--format", "json"], io);
  return JSON.parse(out);
}

describe("AVNM from Bicep", () => {
  it("the nested admin rule denies TCP 22 at its line", async () => {
    const json = await flow("vnet-a/snet-a");
    expect(json).toMatchObject({ access: "Deny", ruleName: "deny-22" });
    expect(json.layers[0]).toMatchObject({ scope: "admin", adminRule: { ruleCollection: "rc" } });
    expect(json.layers[0].location.file).toMatch(/main\.bicep$/);
  });

  it("GatewaySubnet gets no admin rules, and the admin layer says why", async () => {
    const json = await flow("vnet-a/GatewaySubnet");
    expect(json).toMatchObject({ access: "Allow" });
    expect(json.layers[0]).toMatchObject({ scope: "admin", note: "admin-not-applied" });
    expect(json.layers[0].detail).toMatch(/Azure applies no security admin rules there/);
  });
});
