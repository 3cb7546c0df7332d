/**
 * DRIFT-FLOW and DRIFT-NEXT-HOP (issue 14 item 6): a Network Watcher answer whose request names the probe NIC
 * is compared with what the inputs give for the same question. A rule added in the portal (IP flow verify
 * allows what the template's NSG denies) and a BGP default route (next hop to the gateway where the template
 * gives Internet) are findings naming both sides; answers equal to the computed ones give nothing; the REST
 * examples, which name a VM and NIC the inputs do not hold, are said not compared.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import flowCheck from "../../src/checks/drift/observed-flow-differs.js";
import nextHopCheck, { canonicalHopType } from "../../src/checks/drift/observed-next-hop-differs.js";
import { expectMessage, runCheck } from "../checks/tester.js";
import { corpusPath, describeCorpus, REPO_ROOT } from "../helpers/corpus.js";

const FX = join(REPO_ROOT, "test/fixtures/checks");
const TEMPLATE = join(REPO_ROOT, "test/fixtures/drift/apim-probe.json");

describe("DRIFT-FLOW", () => {
  it("an answer equal to the computed verdict gives nothing", () => {
    expect(runCheck(flowCheck, [join(FX, "observed-flow-differs/matching")])).toEqual([]);
  });

  it("an Allow where the inputs deny names both sides and the deciding rule of each", () => {
    const [f, ...rest] = runCheck(flowCheck, [join(FX, "observed-flow-differs/portal-rule")]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("warning");
    expectMessage(f, "differs", {
      access: "Allow",
      verdict: "Deny",
      observedRule: "rule securityRules/Allow-Internet-443",
      computedRule: "rule defaultSecurityRules/DenyAllInBound",
      flow: expect.stringContaining("203.0.113.5:50000 -> 10.1.1.10:443 (Inbound)"),
    });
    expect(f!.evidence[0]).toMatchObject({ kind: "observed", data: { access: "Allow" } });
    expect(f!.evidence.map((e) => e.text)).toContain(
      "computed: subnet level (NSG nsg-apim): Deny by defaultSecurityRules/DenyAllInBound",
    );
    expect(f!.location.file).toMatch(/portal-rule\/ip-flow-verify\.json$/);
  });

  it("a bare az answer (no 5-tuple) is said not compared, as a warning", () => {
    const file = join(mkdtempSync(join(tmpdir(), "drift-")), "test-ip-flow.json");
    writeFileSync(file, JSON.stringify({ access: "Allow", ruleName: "securityRules/x" }));
    const [f, ...rest] = runCheck(flowCheck, [TEMPLATE, file]);
    expect(rest).toEqual([]);
    expectMessage(f, "unasked");
    expect(f!.severity).toBe("warning");
  });
});

describe("DRIFT-NEXT-HOP", () => {
  it("an answer equal to the computed one gives nothing", () => {
    expect(runCheck(nextHopCheck, [join(FX, "observed-next-hop-differs/matching")])).toEqual([]);
  });

  it("a next hop to the gateway where the inputs give Internet names both sides", () => {
    const [f, ...rest] = runCheck(nextHopCheck, [join(FX, "observed-next-hop-differs/forced-tunnel")]);
    expect(rest).toEqual([]);
    expectMessage(f, "differs", {
      source: "10.1.1.10",
      destination: "13.107.21.200",
      observed: "VirtualNetworkGateway 10.255.0.12 (routeTableId System Route)",
      computed: "Internet",
    });
    expect(f!.evidence.map((e) => e.kind)).toEqual(["observed", "computed-route"]);
  });

  it("the documentation's type names are the API's, and case does not count", () => {
    expect(canonicalHopType("VirtualNetworkPeering")).toBe(canonicalHopType("VNetPeering"));
    expect(canonicalHopType("virtualnetwork")).toBe(canonicalHopType("VnetLocal"));
    expect(canonicalHopType("INTERNET")).toBe(canonicalHopType("Internet"));
    expect(canonicalHopType("VirtualAppliance")).not.toBe(canonicalHopType("VirtualNetworkGateway"));
  });
});

describeCorpus("the REST examples of Network Watcher answers", () => {
  it("IP flow verify names a VM and an address no subnet of the inputs holds: not compared, and said", () => {
    const file = corpusPath("azure-rest-api-specs/network-2024-01-01/NetworkWatcherIpFlowVerify.json");
    const [f] = runCheck(flowCheck, [TEMPLATE, file]);
    expectMessage(f, "unplaced", { why: "no subnet in the inputs holds the request's address 10.2.0.4" });
  });

  it("next hop names a NIC the inputs do not hold: not compared, and said", () => {
    const file = corpusPath("azure-rest-api-specs/network-2024-01-01/NetworkWatcherNextHopGet.json");
    const [f] = runCheck(nextHopCheck, [TEMPLATE, file]);
    expectMessage(f, "unplaced", { why: "it was taken from NIC nic1, which is not in the inputs" });
  });
});
