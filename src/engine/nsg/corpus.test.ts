/**
 * The REST examples NetworkSecurityGroupCreateWithRule.json and VirtualNetworkGet.json, loaded together, and
 * flows through that NSG as seen from the example's subnet1 (10.0.1.0/24 in 10.0.0.0/16), with the verdicts the
 * reference gives (§1.2 default rules, §1.3 first match, §1.4 VirtualNetwork includes 168.63.129.16).
 */
import { beforeAll, expect, it } from "vitest";
import { corpusPath, describeCorpus } from "../../../test/helpers/corpus.js";
import { loadInputs } from "../../ingest/load.js";
import { loadServiceTagCatalog } from "../../ingest/servicetags/load.js";
import { Topology } from "../../model/topology.js";
import { resolverFor } from "../servicetags/resolver.js";
import { virtualTagsForSubnet } from "../servicetags/virtual.js";
import { asgMembership, parseFlow, prepareNsg } from "./index.js";

describeCorpus("flows through the REST example NSG from the REST example VNet's subnet", () => {
  // Loaded in beforeAll, not in the describe body: vitest runs describe bodies even when they are skipped.
  let nsg: ReturnType<typeof prepareNsg>;
  beforeAll(() => {
    const { model } = loadInputs([
      corpusPath("azure-rest-api-specs/network-2023-05-01/VirtualNetworkGet.json"),
      corpusPath("azure-rest-api-specs/network-2023-05-01/NetworkSecurityGroupCreateWithRule.json"),
    ]);
    const topology = new Topology(model);
    const subnet = topology.findSubnet("test-vnet/subnet1")!;
    const catalog = loadServiceTagCatalog();
    nsg = prepareNsg(model.networkSecurityGroups[0]!, {
      resolver: resolverFor(catalog, virtualTagsForSubnet(topology, subnet, catalog)),
      asgAddresses: asgMembership(model),
    });
  });
  const decide = (direction: string, source: string, destination: string, port: number) => {
    const parsed = parseFlow({
      direction,
      protocol: "Tcp",
      source,
      destination,
      destinationPort: port,
      sourcePort: 50000,
    });
    if (!parsed.ok) throw new Error(parsed.problem);
    const d = nsg.evaluate(parsed.flow);
    return `${d.access} ${d.rule?.ruleName}`;
  };

  it("rule1 (priority 130, any source, port 80) allows port 80 from the Internet", () => {
    expect(decide("Inbound", "8.8.8.8", "10.0.1.4", 80)).toBe("Allow securityRules/rule1");
  });
  it("other ports from the Internet fall to DenyAllInBound (§1.2)", () => {
    expect(decide("Inbound", "8.8.8.8", "10.0.1.4", 443)).toBe("Deny defaultSecurityRules/DenyAllInBound");
  });
  it("the VNet's own range is allowed by AllowVnetInBound", () => {
    expect(decide("Inbound", "10.0.200.5", "10.0.1.4", 443)).toBe("Allow defaultSecurityRules/AllowVnetInBound");
  });
  it("168.63.129.16 is VirtualNetwork, so AllowVnetInBound (65000) decides before AllowAzureLoadBalancerInBound (§1.4)", () => {
    expect(decide("Inbound", "168.63.129.16", "10.0.1.4", 6390)).toBe("Allow defaultSecurityRules/AllowVnetInBound");
  });
  it("outbound: Internet allowed by AllowInternetOutBound; private space outside the VNet denied", () => {
    expect(decide("Outbound", "10.0.1.4", "8.8.8.8", 443)).toBe("Allow defaultSecurityRules/AllowInternetOutBound");
    expect(decide("Outbound", "10.0.1.4", "10.5.0.1", 443)).toBe("Deny defaultSecurityRules/DenyAllOutBound");
  });
});
