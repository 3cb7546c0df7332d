/**
 * Virtual Network Manager security admin rules in the APIM checks (issue 14 item 4; reference part 2 §10.3:
 * "checks must evaluate admin rules first and name the admin rule as evidence"). The fixture's NSG allows TCP
 * 3443 from ApiManagement; an admin Deny at priority 10 for the VNet's network group blocks it whatever the NSG
 * says, once the configuration is committed to the region. Without a commit in the inputs the effect is Unknown
 * (§10.1), and the finding says so and names the rule.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import check from "../../src/checks/apim/nsg-allows-management-endpoint.js";
import dependencies from "../../src/checks/apim/outbound-dependency-reachable.js";
import { expectMessage, runCheck } from "../checks/tester.js";
import { REPO_ROOT } from "../helpers/corpus.js";

const TEMPLATE = `${REPO_ROOT}/test/fixtures/avnm/admin-rules.json`;
const COMMIT = `${REPO_ROOT}/test/fixtures/avnm/commit.assume.yaml`;

describe("APIM-INBOUND-MANAGEMENT with a security admin Deny on 3443", () => {
  it("is an error naming the admin rule, its manager, configuration and collection, at the rule's line", () => {
    const [f, ...rest] = runCheck(check, [TEMPLATE], { assume: COMMIT });
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("error");
    expectMessage(f, "denied", {
      rule: "security admin rule deny-apim-management (Deny, priority 10) of network manager nm-central, configuration sac-baseline, rule collection rc-guardrails",
    });
    expect(f!.resource).toMatch(
      /networkManagers\/nm-central\/securityAdminConfigurations\/sac-baseline\/ruleCollections\/rc-guardrails\/rules\/deny-apim-management$/,
    );
    const admin = f!.evidence.find((e) => e.kind === "admin-rule")!;
    expect(admin.data).toMatchObject({ ruleName: "deny-apim-management", access: "Deny", priority: 10 });
    // Cited where the rule is declared (the NSG's allow at priority 120 is not the cause).
    expect(admin.location?.file).toMatch(/admin-rules\.json$/);
    expect(f!.location.line).toBe(admin.location?.line);
    expect(f!.evidence.some((e) => e.kind === "nsg-rule")).toBe(false);
    // No NSG rule can override an admin Deny: no NSG fix is offered, and the evidence says where the fix is.
    expect(f!.changes ?? []).toEqual([]);
    expect(f!.evidence.map((e) => e.text).join("\n")).toMatch(
      /no NSG rule can override it: the fix is in network manager nm-central/,
    );
  });

  it("is Unknown without a commit, naming the rule and the missing deployment", () => {
    const [f, ...rest] = runCheck(check, [TEMPLATE]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("warning");
    expectMessage(f, "unknown", {
      why: expect.stringMatching(/no commit in the inputs deploys configuration sac-baseline to westeurope/),
    });
    const admin = f!.evidence.find((e) => e.kind === "admin-rule")!;
    expect(admin.text).toMatch(/^may decide: security admin rule deny-apim-management \(Deny, priority 10\)/);
  });

  it("without a commit, names a deployment script of the inputs that may make it (scripts are not read)", () => {
    const template = JSON.parse(readFileSync(TEMPLATE, "utf8"));
    template.resources.push({
      type: "Microsoft.Resources/deploymentScripts",
      apiVersion: "2020-10-01",
      name: "commit-sac-baseline",
      location: "westeurope",
      kind: "AzurePowerShell",
      properties: { scriptContent: "Deploy-AzNetworkManagerCommit -Name nm-central -CommitType SecurityAdmin" },
    });
    const file = join(mkdtempSync(join(tmpdir(), "avnm-script-")), "main.json");
    writeFileSync(file, JSON.stringify(template, null, 2));
    const [f] = runCheck(check, [file]);
    expect(f!.severity).toBe("warning");
    expect(f!.message).toMatch(
      /deployment script commit-sac-baseline \(\S+main\.json:\d+:\d+\) may make the commit, but scripts are not read/,
    );
  });

  it("stays Unknown when the only commit deploys the configuration to another region", () => {
    const other = `${REPO_ROOT}/test/fixtures/avnm/commit-other-region.assume.yaml`;
    // The admin Deny may still apply (no commit for westeurope is known), so the answer stays Unknown, not Allow.
    const [f] = runCheck(check, [TEMPLATE], { assume: other });
    expect(f!.severity).toBe("warning");
  });
});

describe("APIM-OUTBOUND-DEPENDENCY with a security admin Deny on outbound Storage 443", () => {
  it("is an error naming the admin rule (reference part 2 §10.3: it breaks APIM whatever the NSG says)", () => {
    const findings = runCheck(dependencies, [TEMPLATE], { assume: COMMIT });
    const storage = findings.find((f) => /Storage/.test(f.message) && f.severity === "error");
    expect(storage?.message).toMatch(
      /is denied by security admin rule deny-storage-out \(Deny, priority 11\) of network manager nm-central/,
    );
    expect(storage!.evidence.find((e) => e.kind === "admin-rule")?.data).toMatchObject({
      ruleName: "deny-storage-out",
    });
  });
});
