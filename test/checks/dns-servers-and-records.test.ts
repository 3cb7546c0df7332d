import { describe, expect, it } from "vitest";
import check from "../../src/checks/apim/dns-servers-and-records.js";
import { applyArmFix, checkFixture, describeQuickstartsSilent, expectMessage, runCheck } from "./tester.js";

const fx = (name: string) => checkFixture(check, name);

describe("APIM-DNS", () => {
  it("fires when the NSG denies UDP and TCP 53 to a custom DNS server, with one allow rule per protocol at distinct priorities", () => {
    const [f, ...rest] = runCheck(check, [fx("custom-dns-denied-by-nsg.json")]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("error");
    expectMessage(f, "serverUnreachable", {
      server: "10.0.2.4",
      vnet: "vnet-apim",
      subnet: "snet-apim",
      causes: expect.stringMatching(
        /UDP 53 from snet-apim to 10\.0\.2\.4 is denied by nsg-apim securityRules\/Deny-All-Out \(priority 4000\).*TCP 53/s,
      ),
    });
    expect(f!.evidence[0]!.text).toContain("dhcpOptions.dnsServers: 10.0.2.4");
    const rules = JSON.parse(f!.fix.find((x) => x.kind === "arm")!.text).map(
      (r: { properties: unknown }) => r.properties,
    );
    expect(rules).toMatchObject([
      {
        protocol: "Udp",
        priority: 3990,
        destinationPortRange: "53",
        destinationAddressPrefix: "10.0.2.4",
        direction: "Outbound",
      },
      {
        protocol: "Tcp",
        priority: 3980,
        destinationPortRange: "53",
        destinationAddressPrefix: "10.0.2.4",
        direction: "Outbound",
      },
    ]);
  });

  it("fires when the DNS server's VNet is not peered (the reserved 10.0.0.0/8 route drops it)", () => {
    const [f] = runCheck(check, [fx("custom-dns-in-unpeered-vnet.json")]);
    expectMessage(f, "serverUnreachable", {
      causes: expect.stringMatching(
        /routed to None.*vnet-apim and vnet-dns are not peered|vnet-apim and vnet-dns are not peered.*routed to None/s,
      ),
    });
  });

  it("does not check Azure DNS (168.63.129.16): NSGs do not filter the platform address", () => {
    expect(runCheck(check, [fx("azure-dns-with-deny-all-outbound.json")])).toEqual([]);
  });

  it("Internal mode with Private DNS zones: warns when no zone holds the gateway name, when the record is missing, and when the zone is not linked", () => {
    const [none] = runCheck(check, [fx("internal-no-gateway-zone.json")]);
    expect(none!.severity).toBe("warning");
    expectMessage(none, "noZoneForGateway", { host: "apim-test.azure-api.net" });
    expect(none!.fix).toEqual([]);
    const [record] = runCheck(check, [fx("internal-zone-missing-record.json")]);
    expectMessage(record, "gatewayUnresolved", { why: "zone azure-api.net has no record apim-test" });
    const [arm] = JSON.parse(record!.fix.find((x) => x.kind === "arm")!.text);
    expect(arm).toMatchObject({ type: "Microsoft.Network/privateDnsZones/A", name: "azure-api.net/apim-test" });
    expect(arm.properties.aRecords[0].ipv4Address).toContain("privateIPAddresses[0]");
    const [link] = runCheck(check, [fx("internal-zone-not-linked.json")]);
    expectMessage(link, "gatewayUnresolved", {
      why: expect.stringContaining("zone azure-api.net is not linked to vnet-apim"),
    });
  });

  it("stays silent with a reachable custom DNS server, a linked zone holding the name (as a record or as the zone apex), and in External mode", () => {
    for (const name of [
      "custom-dns-reachable.json",
      "internal-zone-with-record.json",
      "internal-gateway-zone.json",
      "external-zone-without-record.json",
    ]) {
      expect(runCheck(check, [fx(name)]), name).toEqual([]);
    }
  });

  for (const name of [
    "custom-dns-denied-by-nsg.json",
    "custom-dns-in-unpeered-vnet.json",
    "internal-zone-missing-record.json",
    "internal-zone-not-linked.json",
  ]) {
    it(`its ARM fix makes the finding go away (${name})`, () => {
      const [f] = runCheck(check, [fx(name)]);
      expect(runCheck(check, [applyArmFix(fx(name), f!)])).toEqual([]);
    });
  }
});

describeQuickstartsSilent(check, "Azure DNS, no Private DNS zones");
