/**
 * Set-valued evaluation (sets.ts): a source that is a service tag or a subnet, judged against rules written
 * with the tag, its regional form, AzureCloud, Internet, `*` or CIDRs (reference §1.4).
 */
import { describe, expect, it } from "vitest";
import { context, nsg, rule, TAGS } from "../../../test/helpers/nsg.js";
import { unknownValue } from "../../model/unknown.js";
import { AddressSet } from "../ip/address-set.js";
import { normalizeNsg } from "./compile.js";
import { compileNsg } from "./compiled.js";
import { formatBox } from "./flow.js";
import { portSet } from "./ports.js";
import { evaluateFlowSet, flowBox } from "./sets.js";
import type { FlowBox, SetDecision } from "./types.js";

const SUBNET = AddressSet.parse("10.0.1.0/24");

function union(boxes: FlowBox[], field: "sourceAddresses" | "destinationAddresses"): AddressSet {
  return boxes.reduce((acc, b) => acc.union(b[field]), AddressSet.EMPTY);
}

function ruleNames(d: SetDecision): string[] {
  return d.parts.map((p) => p.decision.rule?.ruleName ?? "?").sort();
}

describe("a service-tag source partly covered by an allow rule", () => {
  const model = nsg("apim", [
    rule({
      name: "AllowApimWeu",
      priority: 100,
      protocol: "Tcp",
      sourceAddressPrefix: "ApiManagement.WestEurope",
      destinationAddressPrefix: "VirtualNetwork",
      destinationPortRange: "3443",
    }),
  ]);
  const compiled = compileNsg(normalizeNsg(model, context()));
  const result = evaluateFlowSet(compiled, {
    direction: "Inbound",
    ...flowBox({
      protocols: ["Tcp"],
      sourceAddresses: TAGS.ApiManagement!,
      destinationAddresses: SUBNET,
      destinationPorts: portSet([[3443, 3443]]),
    }),
  });
  it("is Deny, partial, with the allowed and denied parts named by rule", () => {
    expect(result.verdict).toBe("Deny");
    expect(result.partial).toBe(true);
    expect(ruleNames(result)).toEqual(["defaultSecurityRules/DenyAllInBound", "securityRules/AllowApimWeu"]);
  });
  it("the allowed part is exactly the regional tag, the denied part the rest of the tag", () => {
    expect(union(result.allowed, "sourceAddresses").equals(TAGS["ApiManagement.WestEurope"]!)).toBe(true);
    expect(
      union(result.denied, "sourceAddresses").equals(TAGS.ApiManagement!.subtract(TAGS["ApiManagement.WestEurope"]!)),
    ).toBe(true);
    expect(result.unknown).toEqual([]);
    expect(formatBox(result.allowed[0]!)).toBe("Tcp from 20.40.0.0/16 ports * to 10.0.1.0/24 ports 3443");
  });
  it("the global tag is allowed as a whole once a rule names it", () => {
    const all = nsg("apim", [
      rule({ name: "AllowApim", protocol: "Tcp", sourceAddressPrefix: "ApiManagement", destinationPortRange: "3443" }),
    ]);
    const r = evaluateFlowSet(compileNsg(normalizeNsg(all, context())), {
      direction: "Inbound",
      ...flowBox({
        protocols: ["Tcp"],
        sourceAddresses: TAGS.ApiManagement!,
        destinationAddresses: SUBNET,
        destinationPorts: portSet([[3443, 3443]]),
      }),
    });
    expect(r.verdict).toBe("Allow");
    expect(r.partial).toBe(false);
    expect(ruleNames(r)).toEqual(["securityRules/AllowApim"]);
  });
});

describe("rules written with AzureCloud, Internet, * and CIDRs", () => {
  const model = nsg("mixed", [
    rule({ name: "DenyOneRange", priority: 100, sourceAddressPrefix: "13.64.128.0/17", access: "Deny" }),
    rule({ name: "AllowAzureCloud443", priority: 200, sourceAddressPrefix: "AzureCloud", destinationPortRange: "443" }),
    rule({ name: "DenyInternet", priority: 300, sourceAddressPrefix: "Internet", access: "Deny" }),
    rule({ name: "AllowAll", priority: 400 }),
  ]);
  const compiled = compileNsg(normalizeNsg(model, context()));
  it("splits the tag by deciding rule and by port", () => {
    const r = evaluateFlowSet(compiled, {
      direction: "Inbound",
      ...flowBox({
        protocols: ["Tcp"],
        sourceAddresses: TAGS.ApiManagement!,
        destinationAddresses: SUBNET,
        destinationPorts: portSet([
          [80, 80],
          [443, 443],
        ]),
      }),
    });
    expect(ruleNames(r)).toEqual([
      "securityRules/AllowAzureCloud443",
      "securityRules/DenyInternet",
      "securityRules/DenyOneRange",
    ]);
    const allowed = r.parts.find((p) => p.decision.rule?.name === "AllowAzureCloud443")!;
    expect(allowed.boxes.every((b) => b.destinationPorts.join() === "443,443")).toBe(true);
    expect(
      union(allowed.boxes, "sourceAddresses").equals(TAGS.ApiManagement!.subtract(AddressSet.parse("13.64.128.0/17"))),
    ).toBe(true);
    const denied = r.parts.find((p) => p.decision.rule?.name === "DenyInternet")!;
    expect(denied.boxes.every((b) => b.destinationPorts.join() === "80,80")).toBe(true);
  });
  it("a `*` source is cut at every rule boundary and the parts cover it exactly", () => {
    const r = evaluateFlowSet(compiled, {
      direction: "Inbound",
      ...flowBox({ protocols: ["Udp"], sourceAddresses: AddressSet.ALL_V4, destinationAddresses: SUBNET }),
    });
    const covered = r.parts.flatMap((p) => p.boxes).reduce((acc, b) => acc.union(b.sourceAddresses), AddressSet.EMPTY);
    expect(covered.equals(AddressSet.ALL_V4)).toBe(true);
    // Private sources are neither Internet nor AzureCloud: AllowAll decides them.
    const allowAll = r.parts.find((p) => p.decision.rule?.name === "AllowAll")!;
    expect(union(allowAll.boxes, "sourceAddresses").covers(AddressSet.parse("192.168.0.0/16"))).toBe(true);
  });
});

describe("verdict over parts", () => {
  it("an unresolved rule makes its part Unknown; no Deny part means Unknown overall", () => {
    const model = nsg("u", [
      rule({ name: "AllowVnet", priority: 100, sourceAddressPrefix: "10.0.0.0/16" }),
      rule({ name: "Maybe", priority: 200, sourceAddressPrefix: unknownValue("parameters('x')"), access: "Allow" }),
      rule({ name: "AllowRest", priority: 300, sourceAddressPrefix: "*", access: "Deny" }),
    ]);
    const r = evaluateFlowSet(compileNsg(normalizeNsg(model, context())), {
      direction: "Inbound",
      ...flowBox({ sourceAddresses: AddressSet.parse("10.0.255.0/24", "10.1.0.0/24"), destinationAddresses: SUBNET }),
    });
    expect(r.verdict).toBe("Unknown");
    expect(r.partial).toBe(true);
    expect(union(r.unknown, "sourceAddresses").equals(AddressSet.parse("10.1.0.0/24"))).toBe(true);
    const unknownPart = r.parts.find((p) => p.decision.access === "Unknown")!;
    expect(unknownPart.decision.candidates.map((c) => c.name)).toEqual(["Maybe", "AllowRest"]);
  });
  it("an empty flow set has no verdict", () => {
    const r = evaluateFlowSet(compileNsg(normalizeNsg(nsg("e", []), context())), {
      direction: "Inbound",
      ...flowBox({ sourceAddresses: AddressSet.EMPTY, destinationAddresses: SUBNET }),
    });
    expect(r.verdict).toBe("Unknown");
    expect(r.reason).toBe("the flow set is empty");
  });
  it("ICMP in a set is judged without ports (reference.ts portMatch)", () => {
    const model = nsg("i", [rule({ name: "Web", priority: 100, destinationPortRange: "443", access: "Allow" })]);
    const r = evaluateFlowSet(compileNsg(normalizeNsg(model, context())), {
      direction: "Inbound",
      ...flowBox({
        protocols: ["Tcp", "Icmp"],
        sourceAddresses: AddressSet.parse("8.8.8.8"),
        destinationAddresses: SUBNET,
        destinationPorts: portSet([[443, 443]]),
      }),
    });
    const byProtocol = Object.fromEntries(r.parts.map((p) => [p.boxes[0]!.protocols, p.decision.access]));
    expect(byProtocol).toEqual({ 1: "Allow", 4: "Unknown" });
  });
});
