/**
 * Properties of NSG-RULE-SHADOWED's fixes over generated NSGs (issue "Findings to trust and one fix engine": a fix
 * never grants more than the finding needs):
 * - a fix never widens the set of (source, destination, port, protocol) flows the NSG allows, at any place it
 *   applies; the one exception is a required rule that a hiding rule denies, whose fix may allow that rule's own
 *   traffic, and that rule is then narrowed to what the service needs;
 * - a fix hides no other rule, alone or with every other fix of the run applied at once;
 * - a delete allows nothing less either.
 * The flows compared are every TCP and UDP flow: how Azure matches the port fields of a rule against ICMP, ESP and AH
 * flows is not documented (the engine leaves those Unknown, and NSG-RULE-SHADOWED says it did not judge them).
 * The NSG is attached to one subnet (sometimes AzureBastionSubnet, sometimes with an API Management instance in
 * it), its rules drawn from the tags, CIDRs and ports the required rules and common mistakes use.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import check from "../../src/checks/nsg/nsg-rule-shadowed.js";
import { requiredRulesAt } from "../../src/checks/required-rules.js";
import { runChecks } from "../../src/checks/run.js";
import type { Finding } from "../../src/checks/types.js";
import { narrowedTo, writtenFor } from "../../src/checks/util/rule-requirements.js";
import { shadowedRules } from "../../src/checks/util/rule-shadowing.js";
import type { FlowBox, NormalizedRule } from "../../src/engine/nsg/index.js";
import { portIntersect, portSetEquals } from "../../src/engine/nsg/ports.js";
import { EngineContext } from "../../src/engine/reach/context.js";
import { loadInputs } from "../../src/ingest/load.js";
import { loadServiceTagCatalog } from "../../src/ingest/servicetags/load.js";
import type { Change } from "../../src/model/change.js";
import type { NetworkModel } from "../../src/model/network.js";
import { Topology } from "../../src/model/topology.js";
import { type NsgAtPlace, nsgsAtPlaces, openedFlows, PORTED_FLOWS, withRuleChanges } from "../helpers/rule-changes.js";

const catalog = loadServiceTagCatalog();
const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);

const ADDRESSES = [
  "*",
  "Internet",
  "VirtualNetwork",
  "AzureLoadBalancer",
  "GatewayManager",
  "ApiManagement",
  "AzureTrafficManager",
  "Storage",
  "10.1.0.0/24",
  "10.2.0.0/16",
  "203.0.113.0/24",
];
const PORTS = ["*", "22", "443", "3389", "3443", "6390", "1433", "8080", "65200-65535", "80-8080"];

const ruleArb = fc.record({
  direction: fc.constantFrom("Inbound", "Inbound", "Outbound"),
  access: fc.constantFrom("Allow", "Deny"),
  protocol: fc.constantFrom("Tcp", "Udp", "*"),
  source: fc.constantFrom(...ADDRESSES),
  destination: fc.constantFrom(...ADDRESSES),
  port: fc.constantFrom(...PORTS),
});

/** A rule of the shape a required one has (its tag on the far side), often wider than the requirement. */
const requiredLikeArb = fc.oneof(
  fc.record({
    direction: fc.constant("Inbound"),
    access: fc.constant("Allow"),
    protocol: fc.constantFrom("Tcp", "*"),
    source: fc.constantFrom("GatewayManager", "ApiManagement", "AzureTrafficManager", "AzureLoadBalancer"),
    destination: fc.constantFrom("*", "VirtualNetwork"),
    port: fc.constantFrom("*", "443", "3443", "6390", "65200-65535", "80-8080"),
  }),
  fc.record({
    direction: fc.constant("Outbound"),
    access: fc.constant("Allow"),
    protocol: fc.constantFrom("Tcp", "*"),
    source: fc.constantFrom("*", "VirtualNetwork"),
    destination: fc.constantFrom("AzureCloud", "Storage", "Internet", "VirtualNetwork"),
    port: fc.constantFrom("*", "443", "80", "1433", "8080"),
  }),
);

/** A wide rule evaluated first, so that later rules are often hidden (by the same access or the opposite). */
const partialCoverArb = fc.record({
  direction: fc.constantFrom("Inbound", "Outbound"),
  access: fc.constantFrom("Allow", "Deny"),
  protocol: fc.constantFrom("Tcp", "*"),
  source: fc.constantFrom("*", "*", "Internet", "VirtualNetwork", "10.0.0.0/8"),
  destination: fc.constantFrom("*", "*", "VirtualNetwork", "Internet"),
  port: fc.constantFrom("*", "*", "0-1023", "443", "1024-65535"),
});
const coverArb = fc.oneof(
  partialCoverArb,
  fc.record({
    direction: fc.constantFrom("Inbound", "Outbound"),
    access: fc.constantFrom("Allow", "Deny"),
    protocol: fc.constant("*"),
    source: fc.constant("*"),
    destination: fc.constant("*"),
    port: fc.constant("*"),
  }),
);

// Priorities are sorted, so the rules are evaluated in the order they are drawn: the covers first.
const networkArb = fc
  .record({
    subnet: fc.constantFrom("snet-app", "AzureBastionSubnet"),
    apim: fc.boolean(),
    covers: fc.array(coverArb, { minLength: 1, maxLength: 2 }),
    others: fc.array(fc.oneof(ruleArb, requiredLikeArb), { minLength: 1, maxLength: 6 }),
    // Tens from 120 to 4000, sometimes one apart: a fix needs a free priority right ahead of a rule.
    priorities: fc.uniqueArray(
      fc.integer({ min: 120, max: 4000 }).map((p) => (p % 3 === 0 ? p : p - (p % 10))),
      {
        minLength: 8,
        maxLength: 8,
      },
    ),
  })
  .map(({ covers, others, priorities, ...rest }) => ({
    ...rest,
    rules: [...covers, ...others],
    priorities: [...priorities].sort((a, b) => a - b),
  }));

type Network = typeof networkArb extends fc.Arbitrary<infer T> ? T : never;

function templateOf(n: Network): string {
  const resources: unknown[] = [
    {
      type: "Microsoft.Network/networkSecurityGroups",
      apiVersion: "2023-05-01",
      name: "nsg-gen",
      location: "westeurope",
      properties: {
        securityRules: n.rules.map((r, i) => ({
          name: `rule-${i}`,
          properties: {
            priority: n.priorities[i],
            direction: r.direction,
            access: r.access,
            protocol: r.protocol,
            sourceAddressPrefix: r.source,
            sourcePortRange: "*",
            destinationAddressPrefix: r.destination,
            destinationPortRange: r.port,
          },
        })),
      },
    },
    {
      type: "Microsoft.Network/virtualNetworks",
      apiVersion: "2023-05-01",
      name: "vnet-gen",
      location: "westeurope",
      properties: {
        addressSpace: { addressPrefixes: ["10.1.0.0/16"] },
        subnets: [
          {
            name: n.subnet,
            properties: {
              addressPrefix: "10.1.0.0/24",
              networkSecurityGroup: { id: "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-gen')]" },
            },
          },
        ],
      },
    },
  ];
  if (n.apim && n.subnet !== "AzureBastionSubnet") {
    resources.push({
      type: "Microsoft.ApiManagement/service",
      apiVersion: "2023-05-01-preview",
      name: "apim-gen",
      location: "westeurope",
      sku: { name: "Premium", capacity: 1 },
      properties: {
        publisherEmail: "a@example.com",
        publisherName: "Test",
        virtualNetworkType: "Internal",
        virtualNetworkConfiguration: {
          subnetResourceId: `[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-gen', '${n.subnet}')]`,
        },
      },
    });
  }
  const file = join(mkdtempSync(join(tmpdir(), "apim-netcheck-shadow-")), "network.json");
  const schema = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
  writeFileSync(file, JSON.stringify({ $schema: schema, contentVersion: "1.0.0.0", resources }));
  return file;
}

function findings(model: NetworkModel): Finding[] {
  return runChecks(new EngineContext(new Topology(model), catalog), {}, [check]);
}

function hidden(model: NetworkModel): Set<string> {
  const engine = new EngineContext(new Topology(model), catalog);
  const [nsg] = model.networkSecurityGroups;
  const [subnet] = model.virtualNetworks[0]!.subnets;
  return new Set(
    shadowedRules(engine.compileNsg(nsg!, subnet)).flatMap((s) => (s.kind === "shadowed" ? [s.rule.name] : [])),
  );
}

function inside(box: FlowBox, r: NormalizedRule): boolean {
  const ports = (a: readonly number[], b: readonly number[]) => portSetEquals(portIntersect(a, b), a);
  return (
    (box.protocols & ~r.protocols.definite) === 0 &&
    r.sourceAddresses.definite.covers(box.sourceAddresses) &&
    r.destinationAddresses.definite.covers(box.destinationAddresses) &&
    ports(box.sourcePorts, r.sourcePorts.definite) &&
    ports(box.destinationPorts, r.destinationPorts.definite)
  );
}

/** The names of the rules a change list restates (moves). */
const restated = (changes: readonly Change[]) =>
  changes.flatMap((c) => (c.op === "restate" ? [c.resource.names.at(-1)!] : []));

/** Opened flows are excused only inside a restated rule of the same NSG and direction. */
const excusedBy = (names: string[]) => (at: NsgAtPlace, box: FlowBox) =>
  at.after.direction(at.direction).rules.some((r) => names.includes(r.name) && inside(box, r));

describe("NSG-RULE-SHADOWED's fixes", () => {
  it("never widen what the NSG lets through (a denied required rule aside, within its own traffic), never hide a rule", () => {
    let fixes = 0;
    fc.assert(
      fc.property(networkArb, (n) => {
        const { model } = loadInputs([templateOf(n)]);
        const before = hidden(model);
        const found = findings(model).filter((f) => f.changes?.length);
        for (const f of found) {
          fixes++;
          const after = withRuleChanges(model, f.changes!);
          const moved = restated(f.changes!);
          expect(openedFlows(model, after, excusedBy(moved), PORTED_FLOWS), f.message).toEqual([]);
          if (moved.length === 0) expect(openedFlows(after, model, undefined, PORTED_FLOWS), f.message).toEqual([]);
          for (const name of hidden(after)) expect(before.has(name), `${name} hidden by: ${f.message}`).toBe(true);
          // A moved rule is a required one, narrowed to what its service needs.
          for (const at of nsgsAtPlaces(model, after)) {
            for (const r of at.after.direction(at.direction).rules.filter((x) => moved.includes(x.name))) {
              const rows = requiredRulesAt([n.subnet]).filter((row) => writtenFor(r, row));
              expect(rows.length, f.message).toBeGreaterThan(0);
              expect(narrowedTo(r, rows), f.message).toEqual({});
            }
          }
        }
        // All the fixes of the run at once: the same, and they hide neither a rule nor one another.
        const all = found.flatMap((f) => f.changes!);
        const together = withRuleChanges(model, all);
        expect(openedFlows(model, together, excusedBy(restated(all)), PORTED_FLOWS)).toEqual([]);
        for (const name of hidden(together)) expect(before.has(name), name).toBe(true);
      }),
      {
        numRuns: RUNS,
        ...(process.env.PROPERTY_SEED
          ? { seed: Number(process.env.PROPERTY_SEED), path: process.env.PROPERTY_PATH }
          : {}),
      },
    );
    expect(fixes).toBeGreaterThan(0);
  });
});
