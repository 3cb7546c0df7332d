/**
 * Unit tests of single-NSG evaluation, each run on both the reference and the compiled evaluator. Each test
 * names the reference section it checks (shared/reference/azure-network-semantics.md).
 */
import { describe, expect, it } from "vitest";
import { context, ip, nsg, rule, TAGS } from "../../../test/helpers/nsg.js";
import type { NetworkSecurityGroup } from "../../model/resources.js";
import { unknownValue } from "../../model/unknown.js";
import { AddressSet } from "../ip/address-set.js";
import type { RuleContext } from "./compile.js";
import { normalizeNsg } from "./compile.js";
import { compileNsg } from "./compiled.js";
import { parseFlow } from "./flow.js";
import { referenceEvaluator } from "./reference.js";
import type { Decision, Flow } from "./types.js";

function flow(text: string): Flow {
  // "Inbound Tcp 1.2.3.4:1000 10.0.0.4:443"
  const [direction, protocol, from, to] = text.split(" ");
  const [source, sourcePort] = from!.split(/:(?=[^:]*$)/);
  const [destination, destinationPort] = to!.split(/:(?=[^:]*$)/);
  const parsed = parseFlow({
    direction: direction!,
    protocol: protocol!,
    source: source!,
    sourcePort,
    destination: destination!,
    destinationPort,
  });
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.flow;
}

/** Evaluates with both evaluators, checks they agree, returns the decision. */
function decide(model: NetworkSecurityGroup, text: string, ctx: RuleContext = context()): Decision {
  const normalized = normalizeNsg(model, ctx);
  const f = flow(text);
  const a = referenceEvaluator(normalized)(f);
  const b = compileNsg(normalized).evaluate(f);
  expect(b.access).toBe(a.access);
  expect(b.certain).toBe(a.certain);
  expect(b.candidates.map((c) => c.ruleName)).toEqual(a.candidates.map((c) => c.ruleName));
  return a;
}

const name = (d: Decision) => d.rule?.ruleName;

describe("first match by priority (reference §1.3.2)", () => {
  const model = nsg("n", [
    rule({ name: "deny443", priority: 200, access: "Deny", destinationPortRange: "443" }),
    rule({ name: "allow443", priority: 100, destinationPortRange: "443", sourceAddressPrefix: "10.1.0.0/16" }),
  ]);
  it("the lower priority number wins, whatever the order in the input", () => {
    const d = decide(model, "Inbound Tcp 10.1.2.3:5000 10.0.0.4:443");
    expect(name(d)).toBe("securityRules/allow443");
    expect(d.access).toBe("Allow");
    expect(d.certain).toBe(true);
  });
  it("a rule that does not match is skipped", () => {
    expect(name(decide(model, "Inbound Tcp 10.2.0.1:5000 10.0.0.4:443"))).toBe("securityRules/deny443");
  });
  it("rules of the other direction are ignored (§1.3.1)", () => {
    const out = nsg("n", [rule({ name: "out", direction: "Outbound", access: "Deny" })]);
    expect(name(decide(out, "Inbound Tcp 10.0.0.5:1 10.0.0.4:443"))).toBe("defaultSecurityRules/AllowVnetInBound");
  });
});

describe("default rules, exact names (reference §1.2)", () => {
  const empty = nsg("n", []);
  it.each([
    ["Inbound Tcp 10.0.1.1:1 10.0.0.4:22", "defaultSecurityRules/AllowVnetInBound", "Allow"],
    ["Inbound Tcp 168.63.129.16:1 10.0.0.4:80", "defaultSecurityRules/AllowVnetInBound", "Allow"],
    ["Inbound Tcp 8.8.8.8:1 10.0.0.4:22", "defaultSecurityRules/DenyAllInBound", "Deny"],
    ["Outbound Tcp 10.0.0.4:1 10.0.2.2:22", "defaultSecurityRules/AllowVnetOutBound", "Allow"],
    ["Outbound Udp 10.0.0.4:1 8.8.8.8:53", "defaultSecurityRules/AllowInternetOutBound", "Allow"],
    ["Outbound Tcp 10.0.0.4:1 192.168.1.1:22", "defaultSecurityRules/DenyAllOutBound", "Deny"],
  ])("%s -> %s", (text, ruleName, access) => {
    const d = decide(empty, text);
    expect(name(d)).toBe(ruleName);
    expect(d.access).toBe(access);
  });
  it("AllowAzureLoadBalancerInBound decides what VirtualNetwork does not cover", () => {
    // Here the VNet tag is only the address space, so the probe address falls to the load-balancer rule.
    const ctx = context({}, { ...TAGS, VirtualNetwork: AddressSet.parse("10.0.0.0/16") });
    const d = decide(empty, "Inbound Tcp 168.63.129.16:1 10.0.0.4:6390", ctx);
    expect(name(d)).toBe("defaultSecurityRules/AllowAzureLoadBalancerInBound");
  });
  it("a user rule overrides a default rule by a lower priority number", () => {
    const model = nsg("n", [
      rule({ name: "DenyVnet", priority: 4096, access: "Deny", sourceAddressPrefix: "VirtualNetwork" }),
    ]);
    expect(name(decide(model, "Inbound Tcp 10.0.1.1:1 10.0.0.4:22"))).toBe("securityRules/DenyVnet");
  });
});

describe("protocols (reference §1.1)", () => {
  const model = nsg("n", [
    rule({ name: "tcp", priority: 100, protocol: "TCP", destinationPortRange: "22", access: "Deny" }),
    rule({ name: "icmp", priority: 110, protocol: "icmp", access: "Deny" }),
    rule({ name: "any", priority: 120, protocol: "*", sourceAddressPrefix: "9.9.9.9" }),
  ]);
  it("protocol names are case-insensitive", () => {
    expect(name(decide(model, "Inbound Tcp 9.9.9.9:1 10.0.0.4:22"))).toBe("securityRules/tcp");
    expect(name(decide(model, "Inbound Icmp 9.9.9.9 10.0.0.4"))).toBe("securityRules/icmp");
  });
  it("a Tcp rule does not match Udp", () => {
    expect(name(decide(model, "Inbound Udp 9.9.9.9:1 10.0.0.4:22"))).toBe("securityRules/any");
  });
  it("`*` matches Esp and Ah too (documented choice; reference §6 item 7 is UNCERTAIN)", () => {
    expect(name(decide(model, "Inbound Esp 9.9.9.9 10.0.0.4"))).toBe("securityRules/any");
    expect(name(decide(model, "Inbound Ah 9.9.9.9 10.0.0.4"))).toBe("securityRules/any");
  });
  it("a rule with ports may or may not match an ICMP flow (MicrosoftDocs/azure-docs#51522)", () => {
    const withPorts = nsg("n", [
      rule({
        name: "web",
        protocol: "*",
        destinationPortRange: "443",
        access: "Allow",
        sourceAddressPrefix: "9.9.9.9",
      }),
    ]);
    const d = decide(withPorts, "Inbound Icmp 9.9.9.9 10.0.0.4");
    expect(d.access).toBe("Unknown");
    expect(d.candidates.map((c) => c.ruleName)).toEqual(["securityRules/web", "defaultSecurityRules/DenyAllInBound"]);
  });
});

describe("port ranges and lists (reference §1.1)", () => {
  const model = nsg("n", [
    rule({ name: "range", priority: 100, destinationPortRange: "10000-10005", access: "Deny" }),
    rule({
      name: "list",
      priority: 110,
      destinationPortRange: undefined,
      destinationPortRanges: ["80", "8080-8081"],
      access: "Deny",
    }),
    rule({ name: "src", priority: 120, sourcePortRange: "53", access: "Deny" }),
  ]);
  it.each([
    [10000, "securityRules/range"],
    [10005, "securityRules/range"],
    [10006, "defaultSecurityRules/DenyAllInBound"],
    [80, "securityRules/list"],
    [8081, "securityRules/list"],
    [8082, "defaultSecurityRules/DenyAllInBound"],
  ])("destination port %i -> %s", (port, expected) => {
    expect(name(decide(model, `Inbound Tcp 8.8.8.8:1 10.0.0.4:${port}`))).toBe(expected);
  });
  it("source ports match on their own field", () => {
    expect(name(decide(model, "Inbound Udp 8.8.8.8:53 10.0.0.4:1"))).toBe("securityRules/src");
  });
  it("singular and plural together: definite where both agree, Unknown where they differ (compile.ts note)", () => {
    const both = nsg("n", [
      rule({ name: "both", destinationPortRange: "80", destinationPortRanges: ["80", "443"], access: "Deny" }),
    ]);
    expect(name(decide(both, "Inbound Tcp 10.0.1.1:1 10.0.0.4:80"))).toBe("securityRules/both");
    const d = decide(both, "Inbound Tcp 10.0.1.1:1 10.0.0.4:443");
    expect(d.access).toBe("Unknown");
    expect(d.reason).toContain("both given and differ");
  });
  it("an invalid port value makes the rule a maybe", () => {
    const bad = nsg("n", [rule({ name: "bad", destinationPortRange: "70000", access: "Deny" })]);
    const d = decide(bad, "Inbound Tcp 10.0.1.1:1 10.0.0.4:22");
    expect(d.access).toBe("Unknown");
    expect(d.reason).toContain("outside 0-65535");
  });
});

describe("addresses, tags and ASGs (reference §1.1, §1.4, §1.6)", () => {
  it("a service tag and its regional form resolve through the TagResolver", () => {
    const model = nsg("n", [
      rule({ name: "weu", priority: 100, sourceAddressPrefix: "ApiManagement.WestEurope", access: "Deny" }),
      rule({ name: "all", priority: 110, sourceAddressPrefix: "ApiManagement" }),
    ]);
    expect(name(decide(model, "Inbound Tcp 20.40.1.1:1 10.0.0.4:3443"))).toBe("securityRules/weu");
    expect(name(decide(model, "Inbound Tcp 13.64.1.1:1 10.0.0.4:3443"))).toBe("securityRules/all");
  });
  it("plural prefixes hold CIDRs and IPs", () => {
    const model = nsg("n", [
      rule({
        name: "p",
        sourceAddressPrefix: undefined,
        sourceAddressPrefixes: ["1.1.1.1", "2.2.0.0/16"],
        access: "Allow",
      }),
    ]);
    expect(name(decide(model, "Inbound Tcp 2.2.3.3:1 10.0.0.4:1"))).toBe("securityRules/p");
    expect(name(decide(model, "Inbound Tcp 1.1.1.2:1 10.0.0.4:1"))).toBe("defaultSecurityRules/DenyAllInBound");
  });
  const asgWeb = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups/web";
  const asgDb = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups/db";
  const model = nsg("n", [
    rule({
      name: "toWeb",
      destinationAddressPrefix: undefined,
      destinationApplicationSecurityGroups: [{ id: asgWeb }],
      destinationPortRange: "443",
      sourceAddressPrefix: "Internet",
    }),
    rule({
      name: "toDb",
      priority: 110,
      destinationAddressPrefix: undefined,
      destinationApplicationSecurityGroups: [{ id: asgDb }],
      sourceAddressPrefix: "Internet",
    }),
  ]);
  it("an ASG rule matches only member addresses", () => {
    const ctx = context({ [asgWeb]: AddressSet.parse("10.0.0.4", "10.0.0.5") });
    expect(name(decide(model, "Inbound Tcp 8.8.8.8:1 10.0.0.4:443", ctx))).toBe("securityRules/toWeb");
    expect(name(decide(model, "Inbound Tcp 8.8.8.8:1 10.0.0.6:443", ctx))).not.toBe("securityRules/toWeb");
  });
  it("an ASG whose members are unknown makes the rule a maybe; same access everywhere keeps the verdict", () => {
    const ctx = context({ [asgWeb]: AddressSet.parse("10.0.0.4") });
    const d = decide(model, "Inbound Tcp 8.8.8.8:1 10.0.0.9:443", ctx);
    // toDb (unknown members, Allow) may match, else DenyAllInBound: outcomes differ.
    expect(d.access).toBe("Unknown");
    expect(d.candidates.map((c) => c.ruleName)).toEqual(["securityRules/toDb", "defaultSecurityRules/DenyAllInBound"]);
    const d2 = decide(model, "Inbound Tcp 8.8.8.8:1 10.0.0.4:443", ctx);
    expect(name(d2)).toBe("securityRules/toWeb");
  });
  it("unknown tags and placeholders are maybes, never empty sets", () => {
    const m = nsg("n", [
      rule({ name: "tag", sourceAddressPrefix: "NoSuchTag", access: "Deny" }),
      rule({ name: "ph", priority: 110, sourceAddressPrefix: unknownValue("parameters('src')"), access: "Deny" }),
    ]);
    const d = decide(m, "Inbound Tcp 10.0.1.1:1 10.0.0.4:22");
    expect(d.access).toBe("Unknown");
    expect(d.candidates.map((c) => c.name)).toEqual(["tag", "ph", "AllowVnetInBound"]);
    // Every outcome denies: the verdict is Deny, but no single rule is named.
    const d2 = decide(m, "Inbound Tcp 8.8.8.8:1 10.0.0.4:22");
    expect(d2.access).toBe("Deny");
    expect(d2.certain).toBe(false);
    expect(d2.rule).toBeUndefined();
  });
  it("IPv6 flows match IPv6 prefixes", () => {
    const m = nsg("n", [rule({ name: "v6", sourceAddressPrefix: "2001:db8::/32", access: "Deny" })]);
    expect(name(decide(m, "Inbound Tcp 2001:db8::1:1000 ::1:22"))).toBe("securityRules/v6");
  });
});

describe("unresolved order and access (compile.ts, order.ts)", () => {
  it("an unresolved priority puts the rule first as a maybe", () => {
    const m = nsg("n", [
      rule({ name: "late", priority: 200, access: "Allow" }),
      rule({ name: "nan", priority: Number.NaN, access: "Deny" }),
    ]);
    const d = decide(m, "Inbound Tcp 8.8.8.8:1 10.0.0.4:22");
    expect(d.access).toBe("Unknown");
    expect(d.candidates.map((c) => c.name)).toEqual(["nan", "late"]);
  });
  it("two rules with one priority and direction: their order is unknown", () => {
    const m = nsg("n", [
      rule({ name: "a", priority: 300, access: "Allow" }),
      rule({ name: "b", priority: 300, access: "Deny" }),
    ]);
    const d = decide(m, "Inbound Tcp 8.8.8.8:1 10.0.0.4:22");
    expect(d.access).toBe("Unknown");
    expect(d.reason).toContain("shared with another Inbound rule");
  });
  it("an unresolved access decides Unknown", () => {
    const m = nsg("n", [rule({ name: "x", access: unknownValue("parameters('access')") })]);
    const d = decide(m, "Inbound Tcp 8.8.8.8:1 10.0.0.4:22");
    expect(d.access).toBe("Unknown");
    expect(d.certain).toBe(true);
    expect(name(d)).toBe("securityRules/x");
  });
  it("an unresolved direction is a maybe in both directions", () => {
    const m = nsg("n", [
      rule({ name: "x", direction: unknownValue("var"), access: "Deny", destinationAddressPrefix: "10.0.0.8" }),
    ]);
    expect(decide(m, "Outbound Tcp 10.0.0.4:1 10.0.0.8:53").access).toBe("Unknown");
    expect(decide(m, "Inbound Tcp 10.0.0.9:1 10.0.0.8:53").access).toBe("Unknown");
    expect(decide(m, "Inbound Tcp 10.0.0.9:1 10.0.0.7:53").access).toBe("Allow");
  });
});

it("flows carry numbers: ip() helper matches parseFlow", () => {
  expect(flow("Inbound Tcp 10.0.0.4:1 10.0.0.5:2").source).toBe(ip("10.0.0.4"));
});
