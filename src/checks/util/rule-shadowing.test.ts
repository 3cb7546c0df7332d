/**
 * NSG-RULE-SHADOWED's analysis, two ways:
 * - against brute force: on random small NSGs, a rule is reported shadowed exactly when it is not even a candidate
 *   for any flow of its own box ("maybe" when it is one only behind rules that may match first), over a universe
 *   where every rule's addresses and ports are covered (plus one outside address and one outside port, which stand
 *   for all the others), and the covering rules are exactly the rules that decide those flows;
 * - against the reference (the first, enumerating version, util/rule-shadowing-reference): on generated NSGs with
 *   tags (one with undecided addresses), nested IPv4 and IPv6 CIDRs, prefix lists, ASGs, port ranges and lists,
 *   every protocol, and now and then an unresolved field, a shared or refused priority or an unknown direction,
 *   both give the same findings with the same covering and uncertain rules in the same order and the same
 *   portlessLeftOut, rule by rule.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { context, fakeResolver, nsg, rule, TAGS } from "../../../test/helpers/nsg.js";
import { AddressSet } from "../../engine/ip/address-set.js";
import type { RuleContext } from "../../engine/nsg/compile.js";
import { normalizeNsg } from "../../engine/nsg/compile.js";
import { compileNsg } from "../../engine/nsg/compiled.js";
import { ALL_PORTS, portHas } from "../../engine/nsg/ports.js";
import { addressHas } from "../../engine/nsg/reference.js";
import { type Direction, FLOW_PROTOCOLS, type Flow, type NormalizedRule } from "../../engine/nsg/types.js";
import type { SecurityRule } from "../../model/resources.js";
import { unknownValue } from "../../model/unknown.js";
import { type Shadowing, shadowedRules } from "./rule-shadowing.js";
import { shadowedRulesByEnumeration } from "./rule-shadowing-reference.js";

const SRC = ["10.0.0.0/29", "10.0.0.0/30", "10.0.0.4/30", "10.0.0.2/31", "10.0.0.5/32", "*"];
const DST = ["10.0.1.0/29", "10.0.1.0/30", "10.0.1.4/31", "10.0.1.7/32", "*"];
const PORTS = ["*", "0-3", "4-7", "2-5", "3", "6"];
const ip = (a: number, b: number) => ((10 << 24) | (a << 8) | b) >>> 0;
const SRC_FLOWS = [...Array.from({ length: 8 }, (_, i) => ip(0, i)), 0xc0000201];
const DST_FLOWS = [...Array.from({ length: 8 }, (_, i) => ip(1, i)), 0xc0000202];
const PORT_FLOWS = [0, 1, 2, 3, 4, 5, 6, 7, 100];

const ruleArb = fc.record({
  protocol: fc.constantFrom("Tcp", "Udp", "*"),
  access: fc.constantFrom("Allow", "Deny"),
  direction: fc.constantFrom("Inbound", "Inbound", "Outbound"),
  sourceAddressPrefix: fc.constantFrom(...SRC),
  destinationAddressPrefix: fc.constantFrom(...DST),
  destinationPortRange: fc.constantFrom(...PORTS),
  sourcePortRange: fc.constantFrom("*", "*", "*", "0-1"),
});

function flowsOf(direction: Direction): Flow[] {
  const out: Flow[] = [];
  for (const source of SRC_FLOWS) {
    for (const destination of DST_FLOWS) {
      out.push({ direction, protocol: "Icmp", source, destination });
      for (const protocol of ["Tcp", "Udp"] as const) {
        for (const destinationPort of PORT_FLOWS) {
          for (const sourcePort of [0, 1, 100]) {
            out.push({ direction, protocol, source, destination, sourcePort, destinationPort });
          }
        }
      }
    }
  }
  return out;
}
const FLOWS = { Inbound: flowsOf("Inbound"), Outbound: flowsOf("Outbound") };

/** The flows of the universe in the rule's box (its protocols with ports only, when it names ports). */
function inBox(r: NormalizedRule, f: Flow): boolean {
  const named = !portHasAll(r.sourcePorts.definite) || !portHasAll(r.destinationPorts.definite);
  if (!(r.protocols.definite & (1 << FLOW_PROTOCOLS.indexOf(f.protocol)))) return false;
  if (f.protocol === "Icmp")
    return (
      !named &&
      addressHas(r.sourceAddresses.definite, f.source) &&
      addressHas(r.destinationAddresses.definite, f.destination)
    );
  return (
    addressHas(r.sourceAddresses.definite, f.source) &&
    addressHas(r.destinationAddresses.definite, f.destination) &&
    portHas(r.sourcePorts.definite, f.sourcePort!) &&
    portHas(r.destinationPorts.definite, f.destinationPort!)
  );
}
const portHasAll = (p: readonly number[]) => p.length === 2 && p[0] === ALL_PORTS[0] && p[1] === ALL_PORTS[1];

describe("rule shadowing = brute force over the universe", () => {
  it("shadowed exactly when no flow of the rule's box is decided by it; covering = the deciders", () => {
    fc.assert(
      fc.property(fc.array(ruleArb, { minLength: 1, maxLength: 9 }), (fields) => {
        const rules = fields.map((f, i) => rule({ ...f, name: `r${i}`, priority: 100 + 10 * i }));
        const compiled = compileNsg(normalizeNsg(nsg("n", rules), context()));
        const found = new Map(shadowedRules(compiled).map((s) => [s.rule.name, s]));
        for (const direction of ["Inbound", "Outbound"] as const) {
          for (const r of compiled.direction(direction).rules.filter((x) => !x.isDefault)) {
            const deciders = new Set<string>();
            let first = false;
            let later = false;
            for (const f of FLOWS[direction]) {
              if (!inBox(r, f)) continue;
              const { candidates } = compiled.evaluate(f);
              const at = candidates.indexOf(r);
              if (at === 0) first = true;
              else if (at > 0) later = true;
              else deciders.add(candidates[candidates.length - 1]!.name);
            }
            const s = found.get(r.name);
            const why = `${r.name} in ${JSON.stringify(fields)}`;
            expect(s?.kind === "shadowed", why).toBe(!first && !later);
            expect(s?.kind === "maybe", why).toBe(!first && later);
            if (s?.kind === "shadowed") expect(new Set(s.covering.map((c) => c.name))).toEqual(deciders);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

/**
 * Tags of many ranges, as Azure's are (Storage and Sql have hundreds): shadow-regions cuts sets of more than 32
 * ranges once per combination and merges the other sets into the cut, so these take that path; their ranges
 * interleave with the pools' CIDRs in both families.
 */
const MANY_RANGES = {
  Storage: AddressSet.parse(
    ...Array.from({ length: 40 }, (_, k) => `10.0.${2 * k}.0/24`),
    ...Array.from({ length: 40 }, (_, k) => `2001:db8:${(2 * k).toString(16)}::/48`),
  ),
  Sql: AddressSet.parse(
    ...Array.from({ length: 40 }, (_, k) => `10.0.${2 * k + 1}.128/25`),
    ...Array.from({ length: 40 }, (_, k) => `52.239.${3 * k}.0/24`),
    ...Array.from({ length: 40 }, (_, k) => `2001:db8:${(2 * k + 1).toString(16)}::/48`),
  ),
};

/** A context over TAGS plus a VirtualNetwork whose addresses are partly undecided, and two known ASGs. */
function mixedContext(extra: Record<string, AddressSet> = {}): RuleContext {
  const tags = fakeResolver({ ...TAGS, Sql: AddressSet.parse("52.239.128.0/17", "2603:1000::/40"), ...extra });
  const asgs: Record<string, AddressSet> = {
    "asg-web": AddressSet.parse("10.0.1.0/25"),
    "asg-empty": AddressSet.EMPTY,
  };
  return {
    resolver: {
      resolve: (text) =>
        text === "VirtualNetwork"
          ? {
              kind: "set",
              set: AddressSet.parse("10.0.0.0/16"),
              maybe: AddressSet.parse("10.9.0.0/16"),
              maybeReason: "a peering's other half is not in the inputs",
              as: "virtual-tag",
            }
          : tags.resolve(text),
    },
    asgAddresses: (id) => asgs[id] ?? { unknown: "not in the test's ASG list" },
  };
}

const CIDRS = [
  "10.0.0.0/8",
  "10.0.0.0/16",
  "10.0.1.0/24",
  "10.0.1.128/25",
  "10.0.2.0/24",
  "10.9.0.0/16",
  "52.239.0.0/16",
  "192.0.2.0/24",
  "2001:db8::/32",
  "2001:db8:1::/48",
];
const NAMES = ["*", "Internet", "VirtualNetwork", "AzureLoadBalancer", "ApiManagement", "AzureCloud", "Storage", "Sql"];
const addressArb = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...NAMES).map((t) => ({ prefix: t })) },
  { weight: 8, arbitrary: fc.constantFrom(...CIDRS).map((c) => ({ prefix: c })) },
  {
    weight: 3,
    arbitrary: fc.uniqueArray(fc.constantFrom(...CIDRS), { minLength: 1, maxLength: 3 }).map((l) => ({ list: l })),
  },
  // A tag in a prefix list is refused: the rule surely matches its CIDRs and may match anything.
  { weight: 1, arbitrary: fc.constantFrom(...CIDRS).map((c) => ({ list: [c, "Storage"] })) },
  { weight: 2, arbitrary: fc.constantFrom("asg-web", "asg-empty", "asg-unknown").map((a) => ({ asg: a })) },
  { weight: 1, arbitrary: fc.constantFrom("NoSuchTag", unknownValue("parameters('src')")).map((t) => ({ prefix: t })) },
);
const portArb = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.constantFrom("*", "22", "80", "443", "3389", "0-1023", "1024-65535", "80-443").map((p) => [p]),
  },
  {
    weight: 4,
    arbitrary: fc.uniqueArray(fc.constantFrom("22", "80", "443", "3389", "1000-2000", "60000-65535"), {
      minLength: 2,
      maxLength: 3,
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom("http", unknownValue("parameters('port')")).map((p) => [p]) },
  { weight: 1, arbitrary: fc.constantFrom("22", "443", "0-1023").map((p) => [p, "http"]) },
);
/** Fields drawn from small pools of the NSG's own, so rules repeat and overlap one another as in real NSGs. */
const poolsArb = fc.record({
  addresses: fc.array(addressArb, { minLength: 1, maxLength: 6 }),
  ports: fc.array(portArb, { minLength: 1, maxLength: 4 }),
});
const pick = fc.nat({ max: 31 });
const repeat = <T extends string>(value: T, times: number): T[] => Array.from({ length: times }, () => value);
const mixedRuleArb = fc.record({
  protocol: fc.constantFrom("Tcp", "Tcp", "Tcp", "Udp", "*", "*", "*", "Icmp", "Esp", "Ah", "Bogus"),
  access: fc.constantFrom("Allow", "Allow", "Deny", "Deny", "Allow", "Deny", "Allow", "Deny", "Unknown-access"),
  direction: fc.constantFrom(...repeat("Inbound", 12), ...repeat("Outbound", 6), "Sideways"),
  priority: fc.constantFrom(...repeat("next", 16), "shared" as const, "refused" as const, "unresolved" as const),
  source: pick,
  destination: pick,
  sourcePorts: fc.oneof({ weight: 5, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: pick }),
  destinationPorts: pick,
});
type MixedRule = typeof mixedRuleArb extends fc.Arbitrary<infer T> ? T : never;
type Pools = typeof poolsArb extends fc.Arbitrary<infer T> ? T : never;
type Address = Pools["addresses"][number];

function addressFields(side: "source" | "destination", a: Address): Partial<SecurityRule> {
  if ("prefix" in a) return { [`${side}AddressPrefix`]: a.prefix };
  if ("list" in a) return { [`${side}AddressPrefix`]: "", [`${side}AddressPrefixes`]: a.list };
  return { [`${side}AddressPrefix`]: "", [`${side}ApplicationSecurityGroups`]: [{ id: a.asg }] };
}

function portFields(side: "source" | "destination", ports: readonly string[]): Partial<SecurityRule> {
  const one = side === "source" ? "sourcePortRange" : "destinationPortRange";
  return ports.length === 1 ? { [one]: ports[0] } : { [one]: "", [`${one}s`]: [...ports] };
}

function mixedRules(pools: Pools, fields: MixedRule[]): SecurityRule[] {
  let priority = 100;
  const from = <T>(list: readonly T[], k: number) => list[k % list.length]!;
  return fields.map((f, i) => {
    if (f.priority === "next") priority += 10;
    const p = { next: priority, shared: priority, refused: 5000, unresolved: Number.NaN }[f.priority];
    return rule({
      name: `r${i}`,
      protocol: f.protocol,
      access: f.access,
      direction: f.direction,
      priority: p,
      ...addressFields("source", from(pools.addresses, f.source)),
      ...addressFields("destination", from(pools.addresses, f.destination)),
      ...portFields("source", f.sourcePorts < 0 ? ["*"] : from(pools.ports, f.sourcePorts)),
      ...portFields("destination", from(pools.ports, f.destinationPorts)),
    });
  });
}

/** A finding as names, so a failure prints readably. */
const named = (s: Shadowing) => ({
  rule: s.rule.ruleName,
  direction: s.direction,
  kind: s.kind,
  covering: s.covering.map((r) => r.ruleName),
  uncertain: s.uncertain.map((r) => r.ruleName),
  portlessLeftOut: s.portlessLeftOut,
});

describe("rule shadowing by regions = the enumerating reference", () => {
  it.each([
    ["", {}],
    [" (tags of many ranges)", MANY_RANGES],
  ])("the same findings, covering and uncertain rules, kind and portlessLeftOut on every rule%s", (_, extra) => {
    const seen = { shadowed: 0, maybe: 0, portless: 0, rules: 0 };
    const ctx = mixedContext(extra);
    fc.assert(
      fc.property(poolsArb, fc.array(mixedRuleArb, { minLength: 1, maxLength: 30, size: "large" }), (pools, fields) => {
        const compiled = compileNsg(normalizeNsg(nsg("n", mixedRules(pools, fields)), ctx));
        const regions = shadowedRules(compiled);
        const reference = shadowedRulesByEnumeration(compiled);
        // Same objects, not only the same names: the check reads rule.rule, src and access off them.
        expect(regions.map(named)).toEqual(reference.map(named));
        regions.forEach((s, k) => {
          expect(s.rule).toBe(reference[k]!.rule);
          s.covering.forEach((c, m) => {
            expect(c).toBe(reference[k]!.covering[m]);
          });
        });
        seen.rules += fields.length;
        for (const s of regions) {
          seen[s.kind]++;
          if (s.portlessLeftOut) seen.portless++;
        }
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) },
    );
    // The generator must reach every kind of answer, or the comparison proves little.
    expect(seen.shadowed).toBeGreaterThan(50);
    expect(seen.maybe).toBeGreaterThan(5);
    expect(seen.portless).toBeGreaterThan(5);
  });
});
