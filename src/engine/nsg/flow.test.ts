/** Flows from text (flow.ts), ASG membership from the model (asg.ts), rule normalization (compile.ts). */
import { describe, expect, it } from "vitest";
import { context, ip, rule } from "../../../test/helpers/nsg.js";
import { emptyModel } from "../../model/network.js";
import type { NetworkInterface } from "../../model/resources.js";
import { syntheticSource } from "../../model/source.js";
import { unknownValue } from "../../model/unknown.js";
import { AddressSet } from "../ip/address-set.js";
import { asgMembership } from "./asg.js";
import { compileSecurityRule } from "./compile.js";
import { formatFlow, parseFlow, parseIpFlowVerify } from "./flow.js";
import { ALL_PORTS } from "./ports.js";
import { ALL_PROTOCOLS } from "./types.js";

describe("parseFlow", () => {
  it("reads IP flow verify's words case-insensitively (reference §4.1)", () => {
    const r = parseFlow({
      direction: "inbound",
      protocol: "TCP",
      source: "172.31.0.100",
      sourcePort: "60000",
      destination: "10.0.0.4",
      destinationPort: 80,
    });
    expect(r).toEqual({
      ok: true,
      flow: {
        direction: "Inbound",
        protocol: "Tcp",
        source: ip("172.31.0.100"),
        sourcePort: 60000,
        destination: ip("10.0.0.4"),
        destinationPort: 80,
      },
    });
    if (r.ok) expect(formatFlow(r.flow)).toBe("Tcp 172.31.0.100:60000 -> 10.0.0.4:80 (Inbound)");
  });
  it("`*` ports are left out; IPv6 addresses become bigints", () => {
    const r = parseFlow({
      direction: "Outbound",
      protocol: "udp",
      source: "2001:db8::1",
      sourcePort: "*",
      destination: "::1",
      destinationPort: "53",
    });
    expect(r.ok && r.flow.source).toBe((0x20010db8n << 96n) | 1n);
    expect(r.ok && "sourcePort" in r.flow).toBe(false);
  });
  it("reports problems instead of throwing", () => {
    expect(parseFlow({ direction: "Both", protocol: "Tcp", source: "1.1.1.1", destination: "2.2.2.2" })).toMatchObject({
      ok: false,
    });
    expect(
      parseFlow({ direction: "Inbound", protocol: "Gre", source: "1.1.1.1", destination: "2.2.2.2" }),
    ).toMatchObject({ ok: false });
    expect(parseFlow({ direction: "Inbound", protocol: "Tcp", source: "1.1.1", destination: "2.2.2.2" })).toMatchObject(
      { ok: false },
    );
    expect(
      parseFlow({
        direction: "Inbound",
        protocol: "Tcp",
        source: "1.1.1.1",
        destination: "2.2.2.2",
        destinationPort: "65536",
      }),
    ).toMatchObject({ ok: false });
  });
  it("local is the destination inbound and the source outbound (reference §4.1)", () => {
    const req = {
      protocol: "TCP",
      localIPAddress: "10.0.0.4",
      localPort: "80",
      remoteIPAddress: "172.31.0.100",
      remotePort: "60000",
    };
    const inbound = parseIpFlowVerify({ ...req, direction: "Inbound" });
    expect(inbound.ok && [inbound.flow.destination, inbound.flow.destinationPort]).toEqual([ip("10.0.0.4"), 80]);
    const outbound = parseIpFlowVerify({ ...req, direction: "Outbound" });
    expect(outbound.ok && [outbound.flow.source, outbound.flow.sourcePort]).toEqual([ip("10.0.0.4"), 80]);
  });
});

describe("asgMembership (reference §1.6)", () => {
  const asg = (name: string) => ({
    id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups/${name}`,
    name,
    type: "Microsoft.Network/applicationSecurityGroups",
    src: syntheticSource("t"),
  });
  const nic = (name: string, ips: (string | undefined)[], asgs: string[]): NetworkInterface => ({
    id: `/nic/${name}`,
    name,
    type: "Microsoft.Network/networkInterfaces",
    src: syntheticSource("t"),
    enableIPForwarding: false,
    ipConfigurations: ips.map((privateIPAddress, i) => ({
      id: `/nic/${name}/ipConfigurations/c${i}`,
      name: `c${i}`,
      type: "x",
      src: syntheticSource("t"),
      privateIPAddress,
      applicationSecurityGroups: asgs.map((a) => ({
        id: asg(a).id.replace("/subscriptions/s/", "/subscriptions/other/"),
      })),
    })),
  });
  const model = {
    ...emptyModel(),
    applicationSecurityGroups: [asg("web"), asg("db"), asg("empty")],
    networkInterfaces: [
      nic("vm1", ["10.0.0.4", "10.0.0.5"], ["web"]),
      nic("vm2", ["10.0.0.6"], ["web", "db"]),
      nic("vm3", [undefined], ["db"]),
    ],
  };
  const lookup = asgMembership(model);
  it("collects member IP configurations' private addresses (ids compared by provider path)", () => {
    expect((lookup(asg("web").id) as AddressSet).equals(AddressSet.parse("10.0.0.4", "10.0.0.5", "10.0.0.6"))).toBe(
      true,
    );
    expect(lookup(asg("empty").id)).toBe(AddressSet.EMPTY);
  });
  it("a member without a known address, or an undeclared ASG, is unknown", () => {
    expect(lookup(asg("db").id)).toEqual({ unknown: expect.stringContaining("vm3/c0") });
    expect(lookup(asg("other").id)).toEqual({ unknown: expect.stringContaining("not declared") });
  });
});

describe("compileSecurityRule", () => {
  it("names rules in Network Watcher form and records tags", () => {
    const n = compileSecurityRule(
      rule({ name: "AllowApim", sourceAddressPrefix: "ApiManagement", destinationAddressPrefix: "10.0.0.0/24" }),
      context(),
    );
    expect(n.ruleName).toBe("securityRules/AllowApim");
    expect(n.tags).toEqual(["ApiManagement"]);
    expect(n.unresolved).toEqual([]);
  });
  it("`*` everywhere is every protocol, port and address, definitely", () => {
    const n = compileSecurityRule(rule({}), context());
    expect(n.protocols).toEqual({ definite: ALL_PROTOCOLS, possible: ALL_PROTOCOLS });
    expect(n.sourcePorts.definite).toEqual(ALL_PORTS);
    expect(n.destinationAddresses.definite.equals(AddressSet.ALL)).toBe(true);
  });
  it("unresolved fields widen only the possible set and say why", () => {
    const n = compileSecurityRule(
      rule({
        protocol: unknownValue("parameters('p')"),
        destinationPortRanges: ["443", unknownValue("var")],
        destinationPortRange: undefined,
      }),
      context(),
    );
    expect(n.protocols).toEqual({ definite: 0, possible: ALL_PROTOCOLS });
    expect(n.destinationPorts).toEqual({ definite: [443, 443], possible: ALL_PORTS });
    expect(n.unresolved.join(" ")).toContain("parameters('p')");
  });
  it("prefix and ASGs together: definite is the intersection, possible the union", () => {
    const id = "/x/applicationSecurityGroups/web";
    const n = compileSecurityRule(
      rule({ sourceAddressPrefix: "10.0.0.0/24", sourceApplicationSecurityGroups: [{ id }] }),
      context({ [id]: AddressSet.parse("10.0.0.4", "10.0.1.4") }),
    );
    expect(n.sourceAddresses.definite.toString()).toBe("10.0.0.4/32");
    expect(n.sourceAddresses.possible.toString()).toBe("10.0.0.0/24, 10.0.1.4/32");
  });
});
