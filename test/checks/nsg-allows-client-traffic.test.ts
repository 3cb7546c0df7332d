import { describe, expect, it } from "vitest";
import check from "../../src/checks/apim/nsg-allows-client-traffic.js";
import { expectEachFixWorks } from "./fix-helpers.js";
import { checkFixture, describeQuickstartsSilent, expectMessage, runCheck } from "./tester.js";

const fx = (name: string) => checkFixture(check, name);

describe("APIM-INBOUND-CLIENT", () => {
  it("fires as an error when 443 from Internet falls to the default deny; 80 is info", () => {
    const findings = runCheck(check, [fx("no-client-rule.json")]);
    expect(findings.map((f) => [f.severity, f.messageId, String(f.data?.flow).slice(0, 20)])).toEqual([
      ["error", "flowDenied", "TCP 443 from Interne"],
      ["info", "flowDenied", "TCP 80 from Internet"],
    ]);
    expectMessage(findings[0], "flowDenied", {
      flow: expect.stringMatching(/^TCP 443 from Internet to/),
      rules: expect.stringContaining("defaultSecurityRules/DenyAllInBound (priority 65500)"),
    });
  });

  it("names the deny placed before the 443 allow", () => {
    const findings = runCheck(check, [fx("deny-before-443.json")]);
    const https = findings.find((f) => String(f.data?.flow).startsWith("TCP 443"));
    expect(https!.severity).toBe("error");
    expectMessage(https, "flowDenied", {
      rules: expect.stringContaining("securityRules/Deny-Internet-In (priority 105)"),
    });
  });

  it("reports a corporate-only 443 as info that says which part of Internet is allowed, without a fix", () => {
    const [f, ...rest] = runCheck(check, [fx("corporate-range-only.json")]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("info");
    expectMessage(f, "partlyAllowed", {
      allowed: "203.0.113.0/24",
      allowedBy: " (allowed by securityRules/Allow-Corp-443)",
      rules: expect.stringContaining("securityRules/Deny-All-In (priority 4000)"),
    });
    expect(f!.fix).toEqual([]);
  });

  it("reports a closed port 80 as info only", () => {
    const findings = runCheck(check, [fx("https-only.json")]);
    expect(findings.map((f) => f.severity)).toEqual(["info"]);
    expectMessage(findings[0], "flowDenied", { flow: expect.stringMatching(/^TCP 80 from Internet/) });
  });

  it("stays silent when 80 and 443 are allowed, and in Internal mode", () => {
    expect(runCheck(check, [fx("allows-80-and-443.json")])).toEqual([]);
    expect(runCheck(check, [fx("internal-mode-no-client-rule.json")])).toEqual([]);
  });

  for (const name of ["no-client-rule.json", "deny-before-443.json", "https-only.json"]) {
    it(`each ARM fix makes its finding go away (${name})`, () => {
      expect(expectEachFixWorks(check, fx(name))).toBeGreaterThan(0);
    });
  }
});

describeQuickstartsSilent(check);
