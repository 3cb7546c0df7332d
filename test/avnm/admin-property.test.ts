/**
 * Property tests for the security admin layer (engine/nsg/admin): over random admin rules (priorities, the three
 * accesses, both directions, protocols with `Any`, prefixes, port ranges; some rules only "maybe" apply, as for a
 * group filled by Azure Policy) and random flows, the compiled layer's outcomes agree with a naive reference
 * written from the reference text (part 2 §10.2): in every world of which maybe-rules apply, the applying rules
 * that match the flow are taken in ascending priority and the first decides (Deny, AlwaysAllow, or Allow =
 * continue to the NSGs); no match continues. Where priorities tie (Azure does not document the order), the
 * layer may answer more outcomes than the reference, never fewer. And a set of flows is partitioned consistently
 * with the point answers; and in front of an NSG, the verdict follows the outcomes (the NSG decides Continue).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AddressSet } from "../../src/engine/ip/address-set.js";
import {
  type AdminOutcome,
  compileAdminLayer,
  evaluateAdminFlow,
  evaluateAdminSet,
} from "../../src/engine/nsg/admin.js";
import type { AdminEntry } from "../../src/engine/nsg/admin-scope.js";
import { prepareNsg } from "../../src/engine/nsg/index.js";
import { evaluateFlowLayers, evaluateFlowSetLayers } from "../../src/engine/nsg/layers.js";
import { portSet } from "../../src/engine/nsg/ports.js";
import { addressHas } from "../../src/engine/nsg/reference.js";
import type { Flow, FlowBox } from "../../src/engine/nsg/types.js";
import type { SecurityAdminRule } from "../../src/model/avnm.js";
import { syntheticSource } from "../../src/model/source.js";
import { context, nsg, rule } from "../helpers/nsg.js";

const SRC = syntheticSource("property");
const BASE = 0x0a000000; // 10.0.0.0
const PREFIXES = ["*", "10.0.0.0/24", "10.0.0.0/26", "10.0.0.64/26", "10.0.0.128/25", "10.0.0.5/32"];
const PORTS = ["*", "22", "80-443", "443", "3443", "1000-4000"];
const ACCESSES = ["Allow", "Deny", "AlwaysAllow"] as const;

interface Spec {
  priority: number;
  access: (typeof ACCESSES)[number];
  direction: "Inbound" | "Outbound";
  protocol: "Tcp" | "Udp" | "Any";
  source: string;
  destination: string;
  port: string;
  maybe: boolean;
}

const specArb: fc.Arbitrary<Spec> = fc.record({
  priority: fc.integer({ min: 1, max: 12 }),
  access: fc.constantFrom(...ACCESSES),
  direction: fc.constantFrom("Inbound" as const, "Outbound" as const),
  protocol: fc.constantFrom("Tcp" as const, "Udp" as const, "Any" as const),
  source: fc.constantFrom(...PREFIXES),
  destination: fc.constantFrom(...PREFIXES),
  port: fc.constantFrom(...PORTS),
  maybe: fc.boolean(),
});

const flowArb: fc.Arbitrary<Flow> = fc.record({
  direction: fc.constantFrom("Inbound" as const, "Outbound" as const),
  protocol: fc.constantFrom("Tcp" as const, "Udp" as const),
  source: fc.integer({ min: 0, max: 255 }).map((o) => BASE + o),
  destination: fc.integer({ min: 0, max: 255 }).map((o) => BASE + o),
  sourcePort: fc.integer({ min: 1024, max: 65535 }),
  destinationPort: fc.constantFrom(22, 80, 443, 999, 3443, 5000),
});

function entries(specs: Spec[]): AdminEntry[] {
  const manager = {
    id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkManagers/nm",
    name: "nm",
    type: "Microsoft.Network/networkManagers",
    src: SRC,
    networkManagerScopes: { managementGroups: [], subscriptions: [] },
    networkManagerScopeAccesses: [],
    networkGroups: [],
    securityAdminConfigurations: [],
  };
  const configuration = {
    id: `${manager.id}/securityAdminConfigurations/c`,
    name: "c",
    type: "Microsoft.Network/networkManagers/securityAdminConfigurations",
    src: SRC,
    networkManagerId: manager.id,
    applyOnNetworkIntentPolicyBasedServices: [],
    ruleCollections: [],
  };
  const collection = {
    id: `${configuration.id}/ruleCollections/rc`,
    name: "rc",
    type: "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections",
    src: SRC,
    appliesToGroups: [],
    rules: [],
  };
  return specs.map((s, i) => {
    const rule: SecurityAdminRule = {
      id: `${collection.id}/rules/r${i}`,
      name: `r${i}`,
      type: "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections/rules",
      src: SRC,
      kind: "Custom",
      protocol: s.protocol,
      sources: [{ addressPrefix: s.source, addressPrefixType: "IPPrefix", src: SRC }],
      destinations: [{ addressPrefix: s.destination, addressPrefixType: "IPPrefix", src: SRC }],
      sourcePortRanges: ["0-65535"],
      destinationPortRanges: [s.port],
      access: s.access,
      priority: s.priority,
      direction: s.direction,
    };
    return {
      rule,
      collection,
      configuration,
      manager,
      applies: s.maybe ? "maybe" : "yes",
      reasons: s.maybe ? ["membership decided by Azure Policy"] : [],
      assumptions: [],
    };
  });
}

function layerOf(specs: Spec[]) {
  return compileAdminLayer(
    { entries: entries(specs) },
    {
      resolver: { resolve: () => ({ kind: "unknown", reason: "no tags here" }) },
      groupAddresses: () => ({ unknown: "none" }),
    },
  );
}

// ---- the naive reference, written from the text ------------------------------------------------------------

function prefixHas(prefix: string, ip: number): boolean {
  if (prefix === "*") return true;
  const [base, len] = prefix.split("/");
  const bits = Number(len);
  const start = base!.split(".").reduce((a, o) => a * 256 + Number(o), 0);
  const size = 2 ** (32 - bits);
  return ip >= start && ip < start + size;
}

function portHasText(text: string, port: number): boolean {
  if (text === "*") return true;
  const [lo, hi] = text.split("-").map(Number);
  return port >= lo! && port <= (hi ?? lo)!;
}

function matches(s: Spec, f: Flow): boolean {
  return (
    s.direction === f.direction &&
    (s.protocol === "Any" || s.protocol === f.protocol) &&
    prefixHas(s.source, f.source as number) &&
    prefixHas(s.destination, f.destination as number) &&
    portHasText(s.port, f.destinationPort!)
  );
}

/** Every outcome Azure may take: over every world of which maybe-rules apply, the first matching rule(s). */
function naiveOutcomes(specs: Spec[], f: Flow): Set<AdminOutcome> {
  const maybe = specs.map((s, i) => (s.maybe ? i : -1)).filter((i) => i >= 0);
  const out = new Set<AdminOutcome>();
  for (let world = 0; world < 1 << maybe.length; world++) {
    const applying = specs.filter((s, i) => !s.maybe || (world & (1 << maybe.indexOf(i))) !== 0);
    const hits = applying.filter((s) => matches(s, f));
    if (hits.length === 0) {
      out.add("Continue");
      continue;
    }
    const first = Math.min(...hits.map((h) => h.priority));
    // Equal priorities: Azure does not document the order, so any of them may decide.
    for (const h of hits.filter((x) => x.priority === first)) out.add(h.access === "Allow" ? "Continue" : h.access);
  }
  return out;
}

const ties = (specs: Spec[]) =>
  specs.some((a, i) => specs.some((b, j) => i !== j && a.priority === b.priority && a.direction === b.direction));

describe("security admin layer: compiled against the naive reference", () => {
  const specsArb = fc.array(specArb, { minLength: 0, maxLength: 7 });

  it("gives the reference's outcomes exactly when no priorities tie, and a superset when they do", () => {
    fc.assert(
      fc.property(specsArb, fc.array(flowArb, { minLength: 1, maxLength: 10 }), (specs, flows) => {
        const layer = layerOf(specs);
        for (const f of flows) {
          const got = new Set(evaluateAdminFlow(layer, f).outcomes);
          const want = naiveOutcomes(specs, f);
          if (ties(specs)) for (const o of want) expect(got.has(o)).toBe(true);
          else expect([...got].sort()).toEqual([...want].sort());
        }
      }),
      { numRuns: 400 },
    );
  });

  it("is certain exactly when one outcome is possible, and then names the deciding rule", () => {
    fc.assert(
      fc.property(
        specsArb.filter((s) => !ties(s)),
        flowArb,
        (specs, f) => {
          const d = evaluateAdminFlow(layerOf(specs), f);
          expect(d.certain).toBe(d.outcomes.length === 1);
          if (d.certain && d.rule) expect(matches(specs[Number(d.rule.ref.ruleName.slice(1))]!, f)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("partitions a set of flows consistently with the point answers", () => {
    fc.assert(
      fc.property(specsArb, flowArb, (specs, f) => {
        const layer = layerOf(specs);
        const box: FlowBox = {
          protocols: 0b11,
          sourceAddresses: AddressSet.parse("10.0.0.0/24"),
          sourcePorts: portSet([[1024, 65535]]),
          destinationAddresses: AddressSet.parse("10.0.0.0/24"),
          destinationPorts: portSet([[0, 65535]]),
        };
        const parts = evaluateAdminSet(layer, f.direction, [box]);
        const bit = f.protocol === "Tcp" ? 1 : 2;
        const holding = parts.filter((p) =>
          p.boxes.some(
            (b) =>
              (b.protocols & bit) !== 0 &&
              addressHas(b.sourceAddresses, f.source) &&
              addressHas(b.destinationAddresses, f.destination) &&
              inPorts(b.destinationPorts, f.destinationPort!) &&
              inPorts(b.sourcePorts, f.sourcePort!),
          ),
        );
        expect(holding).toHaveLength(1);
        const point = evaluateAdminFlow(layer, f);
        expect([...holding[0]!.decision.outcomes].sort()).toEqual([...point.outcomes].sort());
      }),
      { numRuns: 300 },
    );
  });
});

function inPorts(set: readonly number[], port: number): boolean {
  for (let i = 0; i < set.length; i += 2) if (port >= set[i]! && port <= set[i + 1]!) return true;
  return false;
}

describe("security admin layer in front of an NSG", () => {
  // One NSG rule that may allow or deny the flow, then the default rules.
  const nsgArb = fc.record({
    access: fc.constantFrom("Allow", "Deny"),
    port: fc.constantFrom(...PORTS),
    source: fc.constantFrom(...PREFIXES),
  });

  it("the verdict is the admin outcomes' verdicts when they agree (the NSG's for Continue), else Unknown", () => {
    fc.assert(
      fc.property(
        fc.array(specArb, { maxLength: 6 }).filter((s) => !ties(s)),
        nsgArb,
        flowArb,
        (specs, n, f) => {
          const compiled = prepareNsg(
            nsg("nsg1", [
              rule({
                name: "r",
                access: n.access,
                direction: f.direction,
                sourceAddressPrefix: n.source,
                destinationPortRange: n.port,
              }),
            ]),
            context({}, {}),
          );
          const layers = { subnet: { scopeId: "s", nsg: compiled }, admin: layerOf(specs) };
          const nsgOnly = evaluateFlowLayers(f, { subnet: layers.subnet }).verdict;
          const verdicts = new Set(
            [...naiveOutcomes(specs, f)].map((o) => (o === "Deny" ? "Deny" : o === "AlwaysAllow" ? "Allow" : nsgOnly)),
          );
          const want = verdicts.size === 1 ? [...verdicts][0] : "Unknown";
          expect(evaluateFlowLayers(f, layers).verdict).toBe(want);
          // The set answer for the one-flow box is the point answer.
          const p = (x: number) => [x, x] as [number, number];
          const set = evaluateFlowSetLayers(
            {
              direction: f.direction,
              protocols: f.protocol === "Tcp" ? 1 : 2,
              sourceAddresses: AddressSet.fromPrefixes([]).union(
                AddressSet.parse(`10.0.0.${(f.source as number) - BASE}`),
              ),
              destinationAddresses: AddressSet.parse(`10.0.0.${(f.destination as number) - BASE}`),
              sourcePorts: portSet([p(f.sourcePort!)]),
              destinationPorts: portSet([p(f.destinationPort!)]),
            },
            layers,
          );
          expect(set.verdict).toBe(want);
        },
      ),
      { numRuns: 300 },
    );
  });
});
