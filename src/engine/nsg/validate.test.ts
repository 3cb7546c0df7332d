/**
 * Validation (validate.ts) as Azure applies it (reference §1.1, §1.8, §1.9): errors for what Azure refuses,
 * warnings for what it accepts but may not mean what it says, the rule's SourceRef and the offending value.
 */
import { describe, expect, it } from "vitest";
import { nsg, rule } from "../../../test/helpers/nsg.js";
import type { SecurityRule } from "../../model/resources.js";
import { unknownValue } from "../../model/unknown.js";
import { validateNsg, validateSecurityRule } from "./validate.js";

function codes(r: Partial<SecurityRule>): string[] {
  return validateSecurityRule(rule(r)).map((d) => `${d.severity} ${d.code}`);
}

describe("rule checks", () => {
  it("a well-formed rule has no diagnostics", () => {
    expect(
      codes({
        name: "Allow_3443",
        protocol: "Tcp",
        sourceAddressPrefix: "ApiManagement",
        destinationAddressPrefix: "VirtualNetwork",
        destinationPortRange: "3443",
      }),
    ).toEqual([]);
    expect(
      codes({
        sourceAddressPrefix: undefined,
        sourceAddressPrefixes: ["10.0.0.0/24", "1.2.3.4"],
        destinationPortRanges: ["80", "10000-10005"],
        destinationPortRange: undefined,
      }),
    ).toEqual([]);
  });
  it("invalid address prefixes: 10.0.0.0/33 and `any` (SecurityRuleInvalidAddressPrefix, §1.9)", () => {
    for (const value of ["10.0.0.0/33", "any", "10.0.0/24", "300.1.1.1"]) {
      const [d] = validateSecurityRule(rule({ name: "Bad", sourceAddressPrefix: value }));
      expect(d).toMatchObject({
        severity: "error",
        code: "nsg/SecurityRuleInvalidAddressPrefix",
        src: { pointer: "/securityRules/Bad" },
      });
      expect(d!.message).toContain(`Value provided: ${value}`);
    }
  });
  it("a tag or `*` in a plural list (SecurityRuleParameterContainsUnsupportedValue, §1.9)", () => {
    const ds = validateSecurityRule(
      rule({
        name: "P",
        destinationAddressPrefix: undefined,
        destinationAddressPrefixes: ["10.0.0.0/24", "VirtualNetwork", "*"],
      }),
    );
    expect(ds.map((d) => d.code)).toEqual([
      "nsg/SecurityRuleParameterContainsUnsupportedValue",
      "nsg/SecurityRuleParameterContainsUnsupportedValue",
    ]);
    expect(ds[0]!.message).toContain("parameter DestinationAddressPrefix");
    expect(ds[0]!.message).toContain("Unsupported value used: VirtualNetwork.");
  });
  it("host bits set (50.206.209.68/27) is a warning: Azure's behaviour is UNCERTAIN (§1.9)", () => {
    const [d] = validateSecurityRule(rule({ sourceAddressPrefix: "50.206.209.68/27" }));
    expect(d).toMatchObject({ severity: "warning", code: "nsg/prefix-host-bits" });
    expect(d!.message).toContain("50.206.209.64/27");
  });
  it("priority outside 100-4096", () => {
    expect(codes({ priority: 99 })).toEqual(["error nsg/priority-out-of-range"]);
    expect(codes({ priority: 4097 })).toEqual(["error nsg/priority-out-of-range"]);
    expect(codes({ priority: 100.5 })).toEqual(["error nsg/priority-out-of-range"]);
    expect(codes({ priority: 4096 })).toEqual([]);
  });
  it("unknown protocol, access and direction values; missing required fields (§1.1)", () => {
    expect(codes({ protocol: "Any" })).toEqual(["error nsg/invalid-protocol"]);
    expect(codes({ protocol: "tcp", access: "deny", direction: "outbound" })).toEqual([]);
    expect(codes({ access: "Block" })).toEqual(["error nsg/invalid-access"]);
    expect(codes({ direction: "In" })).toEqual(["error nsg/invalid-direction"]);
    expect(codes({ protocol: "" })).toEqual(["error nsg/missing-protocol"]);
  });
  it("invalid ports: outside 0-65535, low above high, a list in the singular field (SecurityRuleInvalidPortRange)", () => {
    for (const value of ["65536", "100-50", "80,443", "any"]) {
      const [d] = validateSecurityRule(rule({ destinationPortRange: value }));
      expect(d).toMatchObject({ severity: "error", code: "nsg/SecurityRuleInvalidPortRange" });
      expect(d!.message).toContain(`Value provided: ${value}.`);
    }
    expect(codes({ destinationPortRange: "0-65535" })).toEqual([]);
  });
  it("names (§1.1): at most 80 characters, start with a word character, end with a word character or _", () => {
    expect(codes({ name: "ok.name-1_" })).toEqual([]);
    expect(codes({ name: "-bad" })).toEqual(["error nsg/InvalidResourceName"]);
    expect(codes({ name: "bad." })).toEqual(["error nsg/InvalidResourceName"]);
    expect(codes({ name: "a".repeat(81) })).toEqual(["error nsg/InvalidResourceName"]);
    expect(codes({ name: "has space" })).toEqual(["error nsg/InvalidResourceName"]);
  });
  it("a description over 140 characters (§1.1)", () => {
    expect(codes({ description: "x".repeat(141) })).toEqual(["error nsg/description-too-long"]);
  });
  it("no address or port at all is refused; singular and plural together are warned about", () => {
    expect(codes({ sourceAddressPrefix: undefined })).toEqual(["error nsg/missing-address"]);
    expect(codes({ destinationPortRange: undefined })).toEqual(["error nsg/missing-port-range"]);
    expect(codes({ sourceAddressPrefixes: ["10.0.0.0/8"] })).toEqual(["warning nsg/several-address-forms"]);
    expect(codes({ destinationPortRanges: ["80"] })).toEqual(["warning nsg/several-port-forms"]);
  });
  it("ports on ICMP are warned about (how Azure reads them is not documented)", () => {
    expect(codes({ protocol: "Icmp", destinationPortRange: "8" })).toEqual(["warning nsg/ports-on-portless-protocol"]);
  });
  it("an unknown service tag is a warning when the catalog says so; virtual tags are always known", () => {
    const isServiceTag = (n: string) => n.toLowerCase() === "storage";
    expect(validateSecurityRule(rule({ sourceAddressPrefix: "Storage" }), { isServiceTag })).toEqual([]);
    expect(validateSecurityRule(rule({ sourceAddressPrefix: "Internet" }), { isServiceTag })).toEqual([]);
    expect(validateSecurityRule(rule({ sourceAddressPrefix: "Storge" }), { isServiceTag }).map((d) => d.code)).toEqual([
      "nsg/unknown-service-tag",
    ]);
  });
  it("unresolved values are reported as info, not as errors", () => {
    expect(codes({ sourceAddressPrefix: unknownValue("parameters('x')"), priority: Number.NaN })).toEqual([
      "info nsg/unresolved-value",
      "info nsg/unresolved-value",
    ]);
  });
  it("more than 10 ASGs in one rule (§1.8)", () => {
    const asgs = Array.from({ length: 11 }, (_, i) => ({ id: `/x/applicationSecurityGroups/a${i}` }));
    expect(codes({ sourceAddressPrefix: undefined, sourceApplicationSecurityGroups: asgs })).toEqual([
      "error nsg/too-many-asgs",
    ]);
  });
});

describe("NSG checks", () => {
  it("same priority and direction: SecurityRuleConflict with both rule names (§1.9)", () => {
    const ds = validateNsg(
      nsg("n", [
        rule({ name: "A", priority: 300 }),
        rule({ name: "B", priority: 300 }),
        rule({ name: "C", priority: 300, direction: "Outbound" }),
      ]),
    );
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({
      severity: "error",
      code: "nsg/SecurityRuleConflict",
      src: { pointer: "/securityRules/B" },
    });
    expect(ds[0]!.message).toContain(
      "Security rule B conflicts with rule A. Rules cannot have the same Priority and Direction.",
    );
  });
  it("duplicate rule names", () => {
    const ds = validateNsg(nsg("n", [rule({ name: "A", priority: 300 }), rule({ name: "a", priority: 301 })]));
    expect(ds.map((d) => d.code)).toEqual(["nsg/duplicate-rule-name"]);
  });
  it("more than 1,000 rules (§1.8)", () => {
    const many = Array.from({ length: 1001 }, (_, i) =>
      rule({ name: `r${i}`, priority: 100 + (i % 3997), direction: i < 3997 ? "Inbound" : "Outbound" }),
    );
    expect(validateNsg(nsg("n", many)).map((d) => d.code)).toEqual(["nsg/too-many-rules"]);
  });
  it("default rules are not checked (they are read-only)", () => {
    expect(validateNsg(nsg("n", []))).toEqual([]);
  });
});
