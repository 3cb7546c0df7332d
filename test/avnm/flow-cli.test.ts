/**
 * `flow` through Virtual Network Manager security admin rules, through the CLI (issue 14 item 4; reference part 2
 * §10.2): the admin layer comes first with its rule, file and line; an AlwaysAllow admits what the NSG denies (the
 * NSG is skipped), an Allow lets the NSG decide, and a rule whose network group is filled by Azure Policy makes
 * the answer Unknown, naming the policy and the assumption.
 */
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { REPO_ROOT } from "../helpers/corpus.js";

const TEMPLATE = `${REPO_ROOT}/test/fixtures/avnm/admin-rules.json`;
const COMMIT = `${REPO_ROOT}/test/fixtures/avnm/commit.assume.yaml`;

async function flow(port: string, format = "json", from = "10.9.0.5") {
  let out = "";
  let err = "";
  const io = { out: (s: string) => (out += s), err: (s: string) => (err += s), isTty: false, env: {} };
  const args = ["flow", TEMPLATE, "--assume", COMMIT, "--from", from, "--to", "vnet-apim/snet-apim", "--port", port];
  const code = await main([...args, "--format", format], io);
  return { code, out, err, json: format === "json" ? JSON.parse(out) : undefined };
}

// biome-ignore lint/suspicious/noExplicitAny: the parsed JSON answer
type Layer = Record<string, any>;
const inbound = (json: { layers: Layer[] }): Layer[] => json.layers.filter((l) => l.direction === "Inbound");

describe("flow with security admin rules", () => {
  it("an AlwaysAllow admin rule overrides the NSG's deny, and the NSG is skipped", async () => {
    const { code, json } = await flow("22");
    expect(code).toBe(0);
    expect(json).toMatchObject({ access: "Allow", verdict: "Allow", ruleName: "always-allow-ssh-from-jump" });
    const [admin = {}, subnet = {}] = inbound(json);
    expect(admin).toMatchObject({
      scope: "admin",
      access: "Allow",
      ruleName: "always-allow-ssh-from-jump",
      priority: 20,
      adminRule: {
        name: "always-allow-ssh-from-jump",
        access: "AlwaysAllow",
        networkManager: "nm-central",
        securityAdminConfiguration: "sac-baseline",
        ruleCollection: "rc-guardrails",
      },
    });
    expect(admin.location.file).toMatch(/admin-rules\.json$/);
    expect(admin.location.line).toBeGreaterThan(0);
    // The NSG would deny (Deny-All-In at 4000); it is not asked.
    expect(subnet).toMatchObject({ scope: "subnet", nsg: "nsg-apim", access: null, note: "skipped" });
  });

  it("prints the admin layer first, with its rule and file:line", async () => {
    const { out } = await flow("22", "text");
    expect(out.split("\n")[0]).toBe("Allow  always-allow-ssh-from-jump");
    expect(out).toMatch(
      /Inbound\s+admin\s+security admin rules of nm-central\/sac-baseline\/rc-guardrails: Allow by always-allow-ssh-from-jump \(AlwaysAllow, priority 20\)\s+\S*admin-rules\.json:\d+:\d+/,
    );
    expect(out).toMatch(/Inbound\s+subnet NSG nsg-apim: not evaluated/);
  });

  it("an Allow admin rule continues to the NSG, which denies", async () => {
    const { json } = await flow("443");
    expect(json).toMatchObject({ access: "Deny", ruleName: "securityRules/Deny-All-In" });
    const [admin = {}, subnet = {}] = inbound(json);
    expect(admin).toMatchObject({ scope: "admin", ruleName: "allow-https-from-jump", adminRule: { access: "Allow" } });
    expect(subnet).toMatchObject({ scope: "subnet", access: "Deny", ruleName: "securityRules/Deny-All-In" });
  });

  it("an admin Deny ends it before the NSG's allow", async () => {
    const { json } = await flow("3443", "json", "ApiManagement");
    expect(json).toMatchObject({ access: "Deny", ruleName: "deny-apim-management" });
    const [admin = {}, subnet = {}] = inbound(json);
    expect(admin).toMatchObject({ scope: "admin", access: "Deny", adminRule: { access: "Deny", priority: 10 } });
    expect(subnet).toMatchObject({ scope: "subnet", access: null, note: "not-evaluated" });
  });

  it("a rule whose group membership is decided by Azure Policy gives Unknown, naming the policy", async () => {
    const { json } = await flow("8443");
    // The NSG allows 8443 from the jump subnet; the admin Deny may or may not apply.
    expect(json).toMatchObject({ access: null, verdict: "Unknown", ruleName: null });
    const [admin = {}, subnet = {}] = inbound(json);
    expect(admin).toMatchObject({ scope: "admin", access: "Unknown" });
    expect(admin.adminCandidates).toEqual([expect.objectContaining({ name: "deny-8443-everywhere", access: "Deny" })]);
    expect(admin.detail).toMatch(/network group ng-by-policy also takes members from Azure Policy avnm-prod-vnets/);
    expect(admin.detail).toMatch(/assumed it may hold VNet vnet-apim/);
    expect(subnet).toMatchObject({ access: "Allow", ruleName: "securityRules/Allow-8443-From-Jump" });
  });
});
