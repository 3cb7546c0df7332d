import { describe, expect, it } from "vitest";
import check from "../../src/checks/nsg/nsg-rule-invalid.js";
import { validateNsg } from "../../src/engine/nsg/index.js";
import { loadInputs } from "../../src/ingest/load.js";
import { afterFix } from "./fix-helpers.js";
import { checkFixture, describeQuickstartsSilent, expectMessage, runCheck } from "./tester.js";

const fx = (name: string) => checkFixture(check, name);
const codes = (name: string) =>
  runCheck(check, [fx(name)]).map((f) => [f.severity, (f.evidence[0]!.data as { code: string }).code]);
const armRule = (f: { fix: { kind: string; text: string }[] }) =>
  JSON.parse(f.fix.find((x) => x.kind === "arm")!.text)[0].properties;

describe("NSG-RULE-INVALID", () => {
  it("reports what Azure refuses as errors, with Azure's code and the rule's line", () => {
    expect(codes("priority-conflict.json")).toEqual([["error", "nsg/SecurityRuleConflict"]]);
    expect(codes("priority-out-of-range.json")).toEqual([["error", "nsg/priority-out-of-range"]]);
    expect(codes("any-address.json")).toEqual([["error", "nsg/SecurityRuleInvalidAddressPrefix"]]);
    expect(codes("tag-in-prefix-list.json")).toEqual([["error", "nsg/SecurityRuleParameterContainsUnsupportedValue"]]);
    const [f] = runCheck(check, [fx("priority-conflict.json")]);
    expectMessage(f, "ruleRefused", {
      nsg: "nsg-app",
      rule: "Deny-Ssh",
      diagnostic: expect.stringContaining("Security rule Deny-Ssh conflicts with rule Allow-Web"),
    });
    expect(f!.location.line).toBeGreaterThan(1);
  });

  it("reports what Azure accepts but may read differently as warnings", () => {
    expect(codes("host-bits-set.json")).toEqual([["warning", "nsg/prefix-host-bits"]]);
    expect(codes("star-in-port-list.json")).toEqual([["warning", "nsg/star-in-port-list"]]);
    expect(codes("unknown-service-tag.json")).toEqual([["warning", "nsg/unknown-service-tag"]]);
  });

  it("gives the same findings as the validator the CLI runs (one source of truth), infos left out", () => {
    for (const name of [
      "priority-conflict.json",
      "host-bits-set.json",
      "any-address.json",
      "unresolved-priority.json",
    ]) {
      const { model } = loadInputs([fx(name)]);
      const diagnostics = model.networkSecurityGroups
        .flatMap((n) => validateNsg(n))
        .filter((d) => d.severity !== "info")
        .map((d) => d.code);
      expect(codes(name).map(([, code]) => code)).toEqual(diagnostics);
    }
  });

  it("stays silent on valid rules and on values that are only unresolved", () => {
    expect(runCheck(check, [fx("valid-rules.json")])).toEqual([]);
    expect(runCheck(check, [fx("unresolved-priority.json")])).toEqual([]);
  });

  it("fixes: the canonical prefix, the nearest free priority, '*' for 'any' and for a port list", () => {
    expect(armRule(runCheck(check, [fx("host-bits-set.json")])[0]!).sourceAddressPrefix).toBe("10.1.1.0/24");
    expect(armRule(runCheck(check, [fx("priority-conflict.json")])[0]!).priority).toBe(201);
    expect(armRule(runCheck(check, [fx("priority-out-of-range.json")])[0]!).priority).toBe(4096);
    expect(armRule(runCheck(check, [fx("any-address.json")])[0]!).sourceAddressPrefix).toBe("*");
    const star = armRule(runCheck(check, [fx("star-in-port-list.json")])[0]!);
    expect(star.destinationPortRange).toBe("*");
    expect(star.destinationPortRanges).toBeUndefined();
  });

  it("no fix where the intent is not certain (a tag in a prefix list, an unknown tag)", () => {
    expect(runCheck(check, [fx("tag-in-prefix-list.json")])[0]!.fix).toEqual([]);
    expect(runCheck(check, [fx("unknown-service-tag.json")])[0]!.fix).toEqual([]);
  });

  for (const name of [
    "host-bits-set.json",
    "priority-conflict.json",
    "priority-out-of-range.json",
    "any-address.json",
    "star-in-port-list.json",
  ]) {
    it(`its ARM fix makes the finding go away (${name})`, () => {
      const [f] = runCheck(check, [fx(name)]);
      expect(f!.fix.map((x) => x.kind)).toEqual(["az-cli", "bicep", "terraform", "arm"]);
      expect(afterFix(check, fx(name), f!)).toEqual([]);
    });
  }
});

describeQuickstartsSilent(check);
