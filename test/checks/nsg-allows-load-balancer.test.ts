import { describe, expect, it } from "vitest";
import check from "../../src/checks/apim/nsg-allows-load-balancer.js";
import { expectEachFixWorks } from "./fix-helpers.js";
import { checkFixture, describeQuickstartsSilent, expectMessage, runCheck } from "./tester.js";

const fx = (name: string) => checkFixture(check, name);
const byPort = (findings: ReturnType<typeof runCheck>, port: string) =>
  findings.filter((f) => String(f.data?.flow).startsWith(`TCP ${port} `));

describe("APIM-INBOUND-LOADBALANCER", () => {
  it("fires as an error on Premium when a deny-all decides 6390, naming the rule; 6391 is info", () => {
    const findings = runCheck(check, [fx("deny-all-before-probe.json")]);
    const [probe] = byPort(findings, "6390");
    expect(probe!.severity).toBe("error");
    expectMessage(probe, "flowDenied", {
      flow: "TCP 6390 from AzureLoadBalancer to subnet vnet-apim/snet-apim",
      rules: "nsg-apim securityRules/Deny-All-In (priority 4000)",
    });
    expect(probe!.evidence.find((e) => e.kind === "nsg-rule")?.location?.line).toBeGreaterThan(1);
    const [monitoring] = byPort(findings, "6391");
    expect(monitoring!.severity).toBe("info");
    expect(findings).toHaveLength(2);
  });

  it("is a warning on Developer, where the docs call the rule not strictly required", () => {
    const [probe] = byPort(runCheck(check, [fx("developer-deny-all.json")]), "6390");
    expect(probe!.severity).toBe("warning");
    expect(probe!.evidence.some((e) => e.text.includes("not strictly required"))).toBe(true);
  });

  it("names a rule that denies the probe address itself", () => {
    const [probe] = byPort(runCheck(check, [fx("deny-probe-address.json")]), "6390");
    expectMessage(probe, "flowDenied", {
      rules: expect.stringContaining("securityRules/Deny-Host-VIP (priority 150)"),
    });
  });

  it("on stv1 requires every port from AzureLoadBalancer on Premium and names the ports left out", () => {
    const [f, ...rest] = runCheck(check, [fx("stv1-premium-only-6390.json")]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("error");
    expectMessage(f, "flowDenied", { flow: expect.stringMatching(/^TCP 0-6389, 6391-65535 from AzureLoadBalancer/) });
    expect(f!.evidence.some((e) => e.text.includes("platform stv1 (platformVersion in the input)"))).toBe(true);
    expect(runCheck(check, [fx("stv1-allows-any-port.json")])).toEqual([]);
  });

  it("with --platform stv1 on a Developer template the any-port rule is optional (info)", () => {
    const findings = runCheck(check, [fx("developer-deny-all.json")], { platform: "stv1" });
    expect(findings.map((f) => f.severity)).toEqual(["info"]);
  });

  it("a deny with an unresolved source before the allow makes the verdict Unknown: a warning, never a pass", () => {
    const findings = runCheck(check, [fx("unresolved-deny.json")]);
    expect(findings.map((f) => f.severity)).toEqual(["warning", "info"]);
    expectMessage(findings[0], "flowUnknown", {
      flow: expect.stringMatching(/^TCP 6390 from AzureLoadBalancer/),
      why: expect.stringContaining("securityRules/Deny-Blocked (Deny) may match"),
    });
    expect(findings[0]!.fix).toEqual([]);
  });

  it("stays silent when 6390 and 6391 are allowed, or only the default rules apply", () => {
    expect(runCheck(check, [fx("allows-6390-and-6391.json")])).toEqual([]);
    expect(runCheck(check, [fx("default-rules-only.json")])).toEqual([]);
  });

  for (const name of [
    "deny-all-before-probe.json",
    "developer-deny-all.json",
    "deny-probe-address.json",
    "stv1-premium-only-6390.json",
  ]) {
    it(`each ARM fix makes its finding go away (${name})`, () => {
      expect(expectEachFixWorks(check, fx(name))).toBeGreaterThan(0);
    });
  }

  it("the fix is an allow from AzureLoadBalancer ahead of the deny", () => {
    const [probe] = byPort(runCheck(check, [fx("deny-probe-address.json")]), "6390");
    const [rule] = JSON.parse(probe!.fix.find((x) => x.kind === "arm")!.text);
    expect(rule.properties).toMatchObject({
      priority: 140,
      access: "Allow",
      sourceAddressPrefix: "AzureLoadBalancer",
      destinationPortRange: "6390",
    });
  });
});

describeQuickstartsSilent(check);
