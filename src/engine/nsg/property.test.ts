/**
 * Property tests: the compiled evaluator agrees with the reference evaluator on random NSGs (CIDRs, tags
 * through a fake resolver, ASGs, plural lists, invalid and unresolved values, duplicate priorities) and random
 * flows in both directions; and set-valued evaluation partitions a flow box consistently with point decisions.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { context, nsg, rule } from "../../../test/helpers/nsg.js";
import type { SecurityRule } from "../../model/resources.js";
import { unknownValue } from "../../model/unknown.js";
import { AddressSet } from "../ip/address-set.js";
import { normalizeNsg } from "./compile.js";
import { compileNsg } from "./compiled.js";
import { portHas, portSet } from "./ports.js";
import { addressHas, referenceEvaluator } from "./reference.js";
import { evaluateSet } from "./sets.js";
import {
  type Decision,
  FLOW_PROTOCOLS,
  type Flow,
  type FlowBox,
  type IpValue,
  type NormalizedRule,
  type PortSet,
} from "./types.js";

const BASE = 0x0a000000; // 10.0.0.0; the universe is 10.0.0.0/26 plus a few outside addresses
const V6 = 0x20010db8n << 96n; // 2001:db8::
const ASG = (n: number) =>
  `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups/asg${n}`;
const TAGS = {
  VirtualNetwork: AddressSet.parse("10.0.0.0/26"),
  AzureLoadBalancer: AddressSet.parse("10.0.0.60/32"),
  Internet: AddressSet.ALL_V4.subtract(AddressSet.parse("10.0.0.0/8")),
  TagA: AddressSet.parse("10.0.0.0/27", "10.0.0.48/30"),
  TagB: AddressSet.parse("10.0.0.16/28", "2001:db8::/122"),
};
const CTX = context({ [ASG(1)]: AddressSet.parse("10.0.0.5", "10.0.0.40"), [ASG(2)]: AddressSet.EMPTY }, TAGS);

const cidr = fc
  .tuple(fc.integer({ min: 0, max: 63 }), fc.oneof(fc.integer({ min: 26, max: 28 }), fc.integer({ min: 26, max: 32 })))
  .map(([o, len]) => `10.0.0.${o}/${len}`);

/** `good` most of the time; `bad` (unresolved or invalid values) with weight `badWeight` against 20 (none at 0). */
function sometimes<T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>, badWeight: number): fc.Arbitrary<T> {
  return badWeight === 0 ? good : fc.oneof({ weight: 20, arbitrary: good }, { weight: badWeight, arbitrary: bad });
}

type Fields = Partial<SecurityRule>;

/** Rules; `bad` sets how often values are unresolved, invalid or ambiguous (0 = never). */
function ruleArbitrary(bad: number): fc.Arbitrary<SecurityRule> {
  const singularAddress = sometimes(
    fc.oneof(
      { weight: 2, arbitrary: cidr },
      fc.constantFrom("*", "TagA", "TagB", "VirtualNetwork", "Internet", "AzureLoadBalancer", "2001:db8::/124"),
    ),
    fc.constantFrom("NoSuchTag", unknownValue("p"), "any", "10.0.0.0/33"),
    bad,
  );
  const pluralAddress = fc.array(sometimes(cidr, fc.constantFrom("*", "TagA", unknownValue("q")), bad), {
    minLength: 1,
    maxLength: 3,
  });
  const asgIds = fc.array(fc.integer({ min: bad ? 1 : 2, max: bad ? 3 : 1 + 1 }), { minLength: 1, maxLength: 2 });
  const address = (side: "source" | "destination"): fc.Arbitrary<Fields> =>
    sometimes(
      fc.oneof(
        { weight: 6, arbitrary: singularAddress.map((v) => ({ [`${side}AddressPrefix`]: v })) },
        { weight: 2, arbitrary: pluralAddress.map((v) => ({ [`${side}AddressPrefixes`]: v })) },
        asgIds.map((ns) => ({ [`${side}ApplicationSecurityGroups`]: ns.map((n) => ({ id: ASG(n) })) })),
      ),
      fc.oneof(
        fc.tuple(singularAddress, pluralAddress).map(([a, b]) => ({
          [`${side}AddressPrefix`]: a,
          [`${side}AddressPrefixes`]: b,
        })),
        fc.constant({}),
      ),
      bad,
    );
  const portText = sometimes(
    fc.oneof(
      fc.constantFrom("*", "*", "0", "22", "80", "443", "65535"),
      fc.tuple(fc.nat(1100), fc.nat(300)).map(([lo, n]) => `${lo}-${lo + n}`),
    ),
    fc.constantFrom("70000", "5-3", "80,81", unknownValue("port")),
    bad,
  );
  const ports = (side: "source" | "destination"): fc.Arbitrary<Fields> =>
    sometimes(
      fc.oneof(
        { weight: 3, arbitrary: portText.map((v) => ({ [`${side}PortRange`]: v })) },
        fc.array(portText, { minLength: 1, maxLength: 3 }).map((v) => ({ [`${side}PortRanges`]: v })),
      ),
      fc.oneof(
        fc.tuple(portText, portText).map(([a, b]) => ({ [`${side}PortRange`]: a, [`${side}PortRanges`]: [b] })),
        fc.constant({}),
      ),
      bad,
    );
  return fc
    .record({
      protocol: sometimes(
        fc.constantFrom("Tcp", "TCP", "udp", "Icmp", "Esp", "Ah", "*"),
        fc.constantFrom(unknownValue("proto"), "Foo"),
        bad,
      ),
      access: sometimes(fc.constantFrom("Allow", "Deny", "deny"), fc.constant(unknownValue("access")), bad / 2),
      direction: sometimes(
        fc.constantFrom("Inbound", "Outbound", "outbound"),
        fc.constant(unknownValue("dir")),
        bad / 2,
      ),
      priority: sometimes(fc.integer({ min: 100, max: 400 }), fc.constant(Number.NaN), bad / 2),
      fields: fc.tuple(address("source"), address("destination"), ports("source"), ports("destination")),
    })
    .map(({ fields, ...r }) =>
      rule({
        ...r,
        sourceAddressPrefix: undefined,
        destinationAddressPrefix: undefined,
        sourcePortRange: undefined,
        destinationPortRange: undefined,
        ...Object.assign({}, ...fields),
      }),
    );
}
// Half the NSGs are clean (every value resolved), half have unresolved, invalid or ambiguous values.
const rulesArb = fc
  .oneof(fc.array(ruleArbitrary(0), { maxLength: 12 }), fc.array(ruleArbitrary(2), { maxLength: 12 }))
  .map((rules) => rules.map((r, i) => ({ ...r, name: `r${i}` })));

const address: fc.Arbitrary<IpValue> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 63 }).map((o) => BASE + o) },
  { weight: 1, arbitrary: fc.constantFrom(0x08080808, 0, 0xffffffff, BASE + 64) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 70 }).map((o) => V6 + BigInt(o)) },
);
const port = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(0, 22, 80, 443, 1000, 1100, 65535) },
  { weight: 5, arbitrary: fc.nat(1500) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);
const flowArb: fc.Arbitrary<Flow> = fc
  .record({
    direction: fc.constantFrom("Inbound" as const, "Outbound" as const),
    protocol: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom("Tcp" as const, "Udp" as const) },
      fc.constantFrom(...FLOW_PROTOCOLS),
    ),
    source: address,
    destination: address,
    sourcePort: port,
    destinationPort: port,
  })
  .map((f) => {
    const { sourcePort, destinationPort, ...rest } = f;
    return {
      ...rest,
      ...(sourcePort !== undefined ? { sourcePort } : {}),
      ...(destinationPort !== undefined ? { destinationPort } : {}),
    };
  });

const aimedFlowArb = fc.tuple(
  flowArb,
  fc.option(fc.nat(), { freq: 2 }).map((n) => n ?? undefined),
  fc.double({ min: 0, max: 0.999, noNaN: true }),
);

/** A flow moved inside what `rule` possibly matches (so rules decide more often than the default rules). */
function aim(flow: Flow, rule: NormalizedRule, r: number): Flow {
  const pickSet = (set: AddressSet, fallback: IpValue) => (set.isEmpty() ? fallback : pickAddress(set, r));
  const pickPort = (set: PortSet, fallback: number | undefined) => (set.length === 0 ? fallback : pickFrom(set, r));
  const protocols = FLOW_PROTOCOLS.filter((_, i) => rule.protocols.possible & (1 << i));
  const out: Flow = {
    direction: rule.direction === "Unknown" ? flow.direction : rule.direction,
    protocol: protocols.length > 0 ? protocols[Math.floor(r * protocols.length)]! : flow.protocol,
    source: pickSet(rule.sourceAddresses.possible, flow.source),
    destination: pickSet(rule.destinationAddresses.possible, flow.destination),
  };
  const sourcePort = flow.sourcePort === undefined ? undefined : pickPort(rule.sourcePorts.possible, flow.sourcePort);
  const destinationPort =
    flow.destinationPort === undefined ? undefined : pickPort(rule.destinationPorts.possible, flow.destinationPort);
  return {
    ...out,
    ...(sourcePort !== undefined ? { sourcePort } : {}),
    ...(destinationPort !== undefined ? { destinationPort } : {}),
  };
}

function summary(d: Decision) {
  return { access: d.access, certain: d.certain, rule: d.rule?.name, candidates: d.candidates.map((c) => c.name) };
}

describe("compiled evaluator = reference evaluator", () => {
  it("on 10,000 random NSGs with 3 flows each", () => {
    let compared = 0;
    const kinds = { userRule: 0, defaultRule: 0, uncertainKnownAccess: 0, unknown: 0 };
    const kind = (d: Decision): keyof typeof kinds =>
      d.certain
        ? d.rule!.isDefault
          ? "defaultRule"
          : "userRule"
        : d.access === "Unknown"
          ? "unknown"
          : "uncertainKnownAccess";
    fc.assert(
      fc.property(rulesArb, fc.array(aimedFlowArb, { minLength: 3, maxLength: 3 }), (rules, aimed) => {
        const normalized = normalizeNsg(nsg("p", rules), CTX);
        const reference = referenceEvaluator(normalized);
        const compiled = compileNsg(normalized);
        for (const [free, target, r] of aimed) {
          const userRules = normalized.rules.filter((x) => !x.isDefault);
          const f =
            target !== undefined && userRules.length > 0 ? aim(free, userRules[target % userRules.length]!, r) : free;
          const expected = reference(f);
          expect(summary(compiled.evaluate(f))).toEqual(summary(expected));
          compared++;
          kinds[kind(expected)]++;
        }
      }),
      { numRuns: 10_000 },
    );
    expect(compared).toBeGreaterThanOrEqual(30_000);
    // The generator must exercise every kind of outcome, or the agreement above proves little.
    for (const n of Object.values(kinds)) expect(n, JSON.stringify(kinds)).toBeGreaterThan(compared / 100);
    console.log(`compiled = reference on ${compared} flows: ${JSON.stringify(kinds)}`);
  });
});

// --- set-valued evaluation ---

const portSetArb = fc
  .array(fc.tuple(fc.nat(1100), fc.nat(200)), { minLength: 1, maxLength: 3 })
  .map((pairs) => portSet(pairs.map(([lo, n]) => [lo, Math.min(65535, lo + n)])));
const addressSetArb = fc
  .tuple(fc.array(cidr, { minLength: 1, maxLength: 3 }), fc.boolean())
  .map(([cidrs, v6]) => AddressSet.parse(...cidrs, ...(v6 ? ["2001:db8::/123"] : [])));
const boxArb: fc.Arbitrary<FlowBox> = fc.record({
  protocols: fc.integer({ min: 1, max: 31 }),
  sourceAddresses: fc.oneof(addressSetArb, fc.constant(AddressSet.ALL)),
  sourcePorts: portSetArb,
  destinationAddresses: addressSetArb,
  destinationPorts: portSetArb,
});

function pickFrom<T extends number | bigint>(flat: readonly T[], r: number): T {
  const i = Math.floor(r * (flat.length / 2)) * 2;
  const lo = flat[i]!;
  const hi = flat[i + 1]!;
  if (typeof lo === "bigint") return (lo + (((hi as bigint) - lo) * BigInt(Math.floor(r * 1000))) / 1000n) as T;
  return ((lo as number) + Math.floor(((hi as number) - (lo as number) + 1) * ((r * 7919) % 1))) as T;
}

function pickAddress(set: AddressSet, r: number): IpValue {
  return set.v4.length > 0 && (set.v6.length === 0 || r < 0.7) ? pickFrom(set.v4, r) : pickFrom(set.v6, r);
}

function inBox(box: FlowBox, f: Flow): boolean {
  return (
    (box.protocols & (1 << FLOW_PROTOCOLS.indexOf(f.protocol))) !== 0 &&
    addressHas(box.sourceAddresses, f.source) &&
    addressHas(box.destinationAddresses, f.destination) &&
    portHas(box.sourcePorts, f.sourcePort!) &&
    portHas(box.destinationPorts, f.destinationPort!)
  );
}

describe("set-valued evaluation", () => {
  it("partitions the box: every sampled flow lies in exactly one part, decided as the point evaluator decides it", () => {
    fc.assert(
      fc.property(
        rulesArb,
        boxArb,
        fc.constantFrom("Inbound" as const, "Outbound" as const),
        fc.array(fc.tuple(fc.double({ min: 0, max: 0.999, noNaN: true }), fc.nat(4)), { minLength: 20, maxLength: 20 }),
        (rules, box, direction, samples) => {
          const compiled = compileNsg(normalizeNsg(nsg("p", rules), CTX));
          const result = evaluateSet(compiled, direction, [box]);
          const protocols = FLOW_PROTOCOLS.filter((_, i) => box.protocols & (1 << i));
          for (const [r, p] of samples) {
            const f: Flow = {
              direction,
              protocol: protocols[p % protocols.length]!,
              source: pickAddress(box.sourceAddresses, r),
              destination: pickAddress(box.destinationAddresses, 0.999 - r),
              sourcePort: pickFrom(box.sourcePorts, r),
              destinationPort: pickFrom(box.destinationPorts, (r * 3) % 1),
            };
            const holders = result.parts.filter((part) => part.boxes.some((b) => inBox(b, f)));
            expect(holders).toHaveLength(1);
            expect(summary(holders[0]!.decision)).toEqual(summary(compiled.evaluate(f)));
          }
          const accesses = new Set(result.parts.map((p) => p.decision.access));
          const expected = accesses.has("Deny") ? "Deny" : accesses.has("Unknown") ? "Unknown" : "Allow";
          expect(result.verdict).toBe(expected);
          expect(result.partial).toBe(accesses.size > 1);
        },
      ),
      { numRuns: 400 },
    );
  });
});
