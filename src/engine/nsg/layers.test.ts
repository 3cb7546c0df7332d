/**
 * Layered evaluation (layers.ts): subnet then NIC inbound, NIC then subnet outbound (reference §1.3.5),
 * no NSG allows (§1.3.6), a Deny stops the walk, platform addresses (§1.5), rule names (§4.1).
 */
import { describe, expect, it } from "vitest";
import { context, nsg, rule, TAGS } from "../../../test/helpers/nsg.js";
import { emptyModel } from "../../model/network.js";
import type { NetworkInterface, SecurityRule, Subnet } from "../../model/resources.js";
import { Topology } from "../../model/topology.js";
import { AddressSet } from "../ip/address-set.js";
import { normalizeNsg } from "./compile.js";
import { type CompiledNsg, compileNsg } from "./compiled.js";
import { parseFlow } from "./flow.js";
import { evaluateFlowLayers, evaluateFlowSetLayers, type NsgLayers } from "./layers.js";
import { nsgLayersFor } from "./place.js";
import { portSet } from "./ports.js";
import { flowBox } from "./sets.js";
import type { Flow } from "./types.js";

function compiled(name: string, rules: SecurityRule[]): CompiledNsg {
  return compileNsg(
    normalizeNsg(
      nsg(
        name,
        rules.map((r) => ({ ...r, id: r.id.replace("/nsg1/", `/${name}/`) })),
      ),
      context(),
    ),
  );
}

function flow(direction: string, source: string, destination: string, port = 443, protocol = "Tcp"): Flow {
  const parsed = parseFlow({ direction, protocol, source, sourcePort: 50000, destination, destinationPort: port });
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.flow;
}

const subnetDeny22 = compiled("subnet-nsg", [
  rule({ name: "Deny22", priority: 100, destinationPortRange: "22", access: "Deny" }),
  rule({ name: "AllowWeb", priority: 200, destinationPortRange: "443" }),
]);
const nicDeny443 = compiled("nic-nsg", [
  rule({ name: "DenyWeb", priority: 100, destinationPortRange: "443", access: "Deny" }),
]);
const nicAllowAll = compiled("nic-nsg", [
  rule({ name: "AllowAll", priority: 100 }),
  rule({ name: "AllowAllOut", priority: 100, direction: "Outbound" }),
]);
const subnetDenyOut = compiled("subnet-nsg", [
  rule({ name: "DenyOut", priority: 100, direction: "Outbound", access: "Deny" }),
]);

describe("order of layers (reference §1.3.5)", () => {
  it("inbound: the subnet NSG runs first and its Deny stops the walk; the NIC layer is reported as not evaluated", () => {
    const v = evaluateFlowLayers(flow("Inbound", "8.8.8.8", "10.0.1.4", 22), {
      subnet: { nsg: subnetDeny22 },
      nic: { nsg: nicAllowAll },
    });
    expect(v.verdict).toBe("Deny");
    expect(v.ruleName).toBe("securityRules/Deny22");
    expect(v.decidingLayer).toBe("subnet");
    expect(v.layers.map((l) => [l.scope, l.evaluated, l.access, l.note])).toEqual([
      ["subnet", true, "Deny", undefined],
      ["nic", false, undefined, "not-evaluated"],
    ]);
    expect(v.layers[0]).toMatchObject({
      nsg: { name: "subnet-nsg" },
      direction: "Inbound",
      priority: 100,
      src: { pointer: "/securityRules/Deny22" },
    });
  });
  it("inbound: subnet allows, NIC denies: the NIC's rule is reported", () => {
    const v = evaluateFlowLayers(flow("Inbound", "8.8.8.8", "10.0.1.4", 443), {
      subnet: { nsg: subnetDeny22 },
      nic: { nsg: nicDeny443 },
    });
    expect(v.verdict).toBe("Deny");
    expect(v.ruleName).toBe("securityRules/DenyWeb");
    expect(v.layers.map((l) => l.ruleName)).toEqual(["securityRules/AllowWeb", "securityRules/DenyWeb"]);
  });
  it("inbound: both allow: the rule of the last layer evaluated (the NIC) is reported (reference §4.1 UNCERTAIN)", () => {
    const v = evaluateFlowLayers(flow("Inbound", "8.8.8.8", "10.0.1.4", 443), {
      subnet: { nsg: subnetDeny22 },
      nic: { nsg: nicAllowAll },
    });
    expect(v.verdict).toBe("Allow");
    expect(v.ruleName).toBe("securityRules/AllowAll");
    expect(v.decidingLayer).toBe("nic");
  });
  it("outbound: the NIC NSG runs first, then the subnet NSG", () => {
    const v = evaluateFlowLayers(flow("Outbound", "10.0.1.4", "8.8.8.8", 443), {
      subnet: { nsg: subnetDenyOut },
      nic: { nsg: nicAllowAll },
    });
    expect(v.layers.map((l) => l.scope)).toEqual(["nic", "subnet"]);
    expect(v.verdict).toBe("Deny");
    expect(v.ruleName).toBe("securityRules/DenyOut");
    const nicDeniesOut = compiled("nic-nsg", [rule({ name: "NicDenyOut", direction: "Outbound", access: "Deny" })]);
    const v2 = evaluateFlowLayers(flow("Outbound", "10.0.1.4", "8.8.8.8", 443), {
      subnet: { nsg: subnetDenyOut },
      nic: { nsg: nicDeniesOut },
    });
    expect(v2.ruleName).toBe("securityRules/NicDenyOut");
    expect(v2.layers[1]).toMatchObject({ scope: "subnet", evaluated: false, note: "not-evaluated" });
  });
});

describe("levels without an NSG (reference §1.3.6)", () => {
  it("a level with no NSG lets everything through, and says so", () => {
    const v = evaluateFlowLayers(flow("Inbound", "8.8.8.8", "10.0.1.4", 22), {
      subnet: { nsg: null },
      nic: { nsg: nicAllowAll },
    });
    expect(v.verdict).toBe("Allow");
    expect(v.ruleName).toBe("securityRules/AllowAll");
    expect(v.layers[0]).toMatchObject({ scope: "subnet", access: "Allow", note: "no-nsg" });
    expect(v.layers[0]!.detail).toContain("§1.3.6");
  });
  it("no NSG at either level: everything is allowed", () => {
    const v = evaluateFlowLayers(flow("Inbound", "8.8.8.8", "10.0.1.4", 22), {
      subnet: { nsg: null },
      nic: { nsg: null },
    });
    expect(v.verdict).toBe("Allow");
    expect(v.ruleName).toBeUndefined();
    expect(v.layers.every((l) => l.note === "no-nsg")).toBe(true);
  });
  it("an NSG the inputs do not declare makes the layer Unknown; a later Deny still denies", () => {
    const layers: NsgLayers = {
      subnet: { nsg: null, unknownReason: "NSG /x/y is not in the inputs" },
      nic: { nsg: nicDeny443 },
    };
    expect(evaluateFlowLayers(flow("Inbound", "8.8.8.8", "10.0.1.4", 443), layers).verdict).toBe("Deny");
    const v = evaluateFlowLayers(flow("Inbound", "10.0.2.2", "10.0.1.4", 80), layers);
    expect(v.verdict).toBe("Unknown");
    expect(v.reason).toContain("not in the inputs");
  });
});

it("the NIC NSG alone decides when the subnet has none (reference §1.3.6, VM4)", () => {
  const v = evaluateFlowLayers(flow("Inbound", "8.8.8.8", "10.0.1.4", 22), {
    subnet: { nsg: null },
    nic: { nsg: nicDeny443 },
  });
  expect(v.verdict).toBe("Deny");
  expect(v.ruleName).toBe("defaultSecurityRules/DenyAllInBound");
});

describe("platform addresses (reference §1.5)", () => {
  const denyAllOut = compiled("locked", [
    rule({ name: "DenyAllOut", direction: "Outbound", access: "Deny", priority: 4096 }),
  ]);
  it("outbound to 168.63.129.16 and 169.254.169.254 bypasses the NSGs, with a 'platform' note", () => {
    for (const target of ["168.63.129.16", "169.254.169.254"]) {
      const v = evaluateFlowLayers(flow("Outbound", "10.0.1.4", target, 80), {
        subnet: { nsg: denyAllOut },
        nic: { nsg: denyAllOut },
      });
      expect(v.verdict).toBe("Allow");
      expect(v.layers.map((l) => l.note)).toEqual(["platform", "platform"]);
      expect(v.layers[0]!.detail).toContain(target);
    }
  });
  it("a rule naming AzurePlatformDNS makes the NSG filter 168.63.129.16", () => {
    const dns = compiled("dns", [
      rule({ name: "DenyDns", direction: "Outbound", access: "Deny", destinationAddressPrefix: "AzurePlatformDNS" }),
    ]);
    const v = evaluateFlowLayers(flow("Outbound", "10.0.1.4", "168.63.129.16", 53, "Udp"), { subnet: { nsg: dns } });
    expect(v.verdict).toBe("Deny");
    expect(v.ruleName).toBe("securityRules/DenyDns");
    // IMDS is still exempt: only AzurePlatformIMDS would lift that.
    expect(
      evaluateFlowLayers(flow("Outbound", "10.0.1.4", "169.254.169.254", 80), { subnet: { nsg: dns } }).layers[0]!.note,
    ).toBe("platform");
  });
  it("inbound health probes from 168.63.129.16 are evaluated and match AllowAzureLoadBalancerInBound", () => {
    const ctx = context({}, { ...TAGS, VirtualNetwork: AddressSet.parse("10.0.0.0/16") });
    const probeNsg = compileNsg(
      normalizeNsg(
        nsg("probe", [rule({ name: "DenyInternet", priority: 4000, sourceAddressPrefix: "Internet", access: "Deny" })]),
        ctx,
      ),
    );
    const v = evaluateFlowLayers(flow("Inbound", "168.63.129.16", "10.0.1.4", 6390), { subnet: { nsg: probeNsg } });
    expect(v.verdict).toBe("Allow");
    expect(v.ruleName).toBe("defaultSecurityRules/AllowAzureLoadBalancerInBound");
    expect(v.layers[0]!.note).toBeUndefined();
  });
});

describe("uncertain layers", () => {
  it("a layer decided by one of several possible rules lists the candidates", () => {
    const maybe = compiled("m", [rule({ name: "Maybe", sourceAddressPrefix: "NoSuchTag", access: "Allow" })]);
    const v = evaluateFlowLayers(flow("Inbound", "8.8.8.8", "10.0.1.4"), { subnet: { nsg: maybe } });
    expect(v.verdict).toBe("Unknown");
    expect(v.layers[0]!.ruleName).toBeUndefined();
    expect(v.layers[0]!.candidates!.map((c) => c.ruleName)).toEqual([
      "securityRules/Maybe",
      "defaultSecurityRules/DenyAllInBound",
    ]);
  });
});

describe("sets through layers", () => {
  it("partitions a tag by the path it takes: subnet allow then NIC deny for part of it", () => {
    const subnet = compiled("subnet-nsg", [
      rule({ name: "AllowApim", protocol: "Tcp", sourceAddressPrefix: "ApiManagement", destinationPortRange: "3443" }),
    ]);
    const nic = compiled("nic-nsg", [
      rule({ name: "DenyWeu", protocol: "Tcp", sourceAddressPrefix: "ApiManagement.WestEurope", access: "Deny" }),
      rule({ name: "AllowRest", priority: 200 }),
    ]);
    const r = evaluateFlowSetLayers(
      {
        direction: "Inbound",
        ...flowBox({
          protocols: ["Tcp"],
          sourceAddresses: TAGS.ApiManagement!,
          destinationAddresses: AddressSet.parse("10.0.1.0/24"),
          destinationPorts: portSet([[3443, 3443]]),
        }),
      },
      { subnet: { nsg: subnet }, nic: { nsg: nic } },
    );
    expect(r.verdict).toBe("Deny");
    expect(r.partial).toBe(true);
    const denied = r.parts.find((p) => p.verdict === "Deny")!;
    expect(denied.ruleName).toBe("securityRules/DenyWeu");
    expect(denied.boxes[0]!.sourceAddresses.equals(TAGS["ApiManagement.WestEurope"]!)).toBe(true);
    expect(r.parts.find((p) => p.verdict === "Allow")!.ruleName).toBe("securityRules/AllowRest");
  });
  it("splits platform destinations off an outbound set", () => {
    const locked = compiled("locked", [rule({ name: "DenyAllOut", direction: "Outbound", access: "Deny" })]);
    const r = evaluateFlowSetLayers(
      {
        direction: "Outbound",
        ...flowBox({
          protocols: ["Tcp"],
          sourceAddresses: AddressSet.parse("10.0.1.4"),
          destinationAddresses: AddressSet.parse("168.63.129.0/24"),
        }),
      },
      { subnet: { nsg: locked } },
    );
    expect(r.verdict).toBe("Deny");
    const platform = r.parts.find((p) => p.layers[0]!.note === "platform")!;
    expect(platform.verdict).toBe("Allow");
    expect(platform.boxes[0]!.destinationAddresses.toString()).toBe("168.63.129.16/32");
  });
});

describe("layers of a place from the model (place.ts)", () => {
  it("finds the subnet's and NIC's NSGs; an undeclared NSG is Unknown, none is no-nsg", () => {
    const declared = nsg("subnet-nsg", [rule({ name: "DenyAll", access: "Deny" })]);
    const model = { ...emptyModel(), networkSecurityGroups: [declared] };
    const topology = new Topology(model);
    const subnet = { id: "/s/subnet1", networkSecurityGroup: { id: declared.id } } as Subnet;
    const nicNone = { id: "/n/nic1" } as NetworkInterface;
    const nicMissing = { id: "/n/nic2", networkSecurityGroup: { id: `${declared.id}-missing` } } as NetworkInterface;
    const compile = (g: typeof declared) => compileNsg(normalizeNsg(g, context()));
    const layers = nsgLayersFor(topology, { subnet, nic: nicNone }, compile);
    expect(layers.subnet?.nsg?.name).toBe("subnet-nsg");
    expect(layers.nic).toEqual({ scopeId: "/n/nic1", nsg: null });
    const v = evaluateFlowLayers(flow("Inbound", "8.8.8.8", "10.0.1.4"), layers);
    expect([v.verdict, v.ruleName]).toEqual(["Deny", "securityRules/DenyAll"]);
    expect(nsgLayersFor(topology, { nic: nicMissing }, compile).nic?.unknownReason).toContain("not declared");
    expect(nsgLayersFor(topology, {}, compile)).toEqual({});
  });
});
