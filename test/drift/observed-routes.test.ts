/**
 * DRIFT-ROUTES and APIM-FORCED-TUNNEL from an observed effective route table (issue 14 item 6): an export that
 * differs from the computed table lists the rows on each side; one that matches (rows in another order) gives
 * nothing; an observed BGP 0.0.0.0/0 to the gateway raises APIM-FORCED-TUNNEL saying it was observed, though the
 * inputs alone route the control plane to Internet.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import forcedTunnel from "../../src/checks/apim/control-plane-returns-to-internet.js";
import check from "../../src/checks/drift/observed-routes-differ.js";
import { expectMessage, runCheck } from "../checks/tester.js";
import { corpusPath, describeCorpus, REPO_ROOT } from "../helpers/corpus.js";

const FX = join(REPO_ROOT, "test/fixtures/checks/observed-routes-differ");
const TEMPLATE = join(REPO_ROOT, "test/fixtures/drift/apim-probe.json");

describe("DRIFT-ROUTES", () => {
  it("an export equal to the computed table, rows shuffled, gives nothing", () => {
    expect(runCheck(check, [join(FX, "matching")])).toEqual([]);
  });

  it("an export that differs lists the rows only on each side, each located", () => {
    const [f, ...rest] = runCheck(check, [join(FX, "forced-tunnel")]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("warning");
    expectMessage(f, "differs", {
      subnet: "snet-apim",
      onlyComputed: 22,
      onlyObserved: 2,
      how: "taken from NIC nic-probe, found by its name below the resource group",
    });
    const computed = f!.evidence.filter((e) => e.kind === "computed-route");
    const observed = f!.evidence.filter((e) => e.kind === "observed-route");
    expect(computed.map((e) => e.text)).toContain("only computed: Default Active 0.0.0.0/0 Internet");
    expect(observed.map((e) => e.text)).toEqual([
      "only observed: VirtualNetworkGateway Active 0.0.0.0/0 VirtualNetworkGateway 10.255.0.12",
      "only observed: VirtualNetworkGateway Active 0.0.0.0/0 VirtualNetworkGateway 10.255.0.13",
    ]);
    for (const e of observed) expect(e.location?.file).toMatch(/forced-tunnel\/effective-routes\.json$/);
    expect(new Set(observed.map((e) => e.location?.line)).size).toBe(2);
  });

  it("the computed table alone (no export) gives nothing", () => {
    expect(runCheck(check, [TEMPLATE])).toEqual([]);
  });
});

describe("APIM-FORCED-TUNNEL from observed routes", () => {
  it("the inputs alone route the control plane to Internet", () => {
    expect(runCheck(forcedTunnel, [TEMPLATE])).toEqual([]);
  });

  it("an observed BGP 0.0.0.0/0 to the gateway raises it, saying it was observed and where", () => {
    const [f, ...rest] = runCheck(forcedTunnel, [join(FX, "forced-tunnel")]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("error");
    expectMessage(f, "misroutedObserved", {
      prefixes: "0.0.0.0/0",
      hop: "VirtualNetworkGateway 10.255.0.12",
      export: expect.stringMatching(/effective-routes\.json:\d+:\d+$/),
    });
    expect(f!.message).toContain("observed in");
    expect(f!.location.file).toMatch(/effective-routes\.json$/);
    expect(f!.evidence[0]!.text).toMatch(/^decided from the effective routes observed in .*effective-routes\.json/);
    expect(f!.evidence.filter((e) => e.kind === "observed-route")).toHaveLength(2);
    expect(f!.changes?.length).toBeGreaterThan(0);
  });

  it("an observed prefix that is not an address (it may be longer) leaves it Unknown, never an error", () => {
    const dir = mkdtempSync(join(tmpdir(), "drift-tag-"));
    const doc = JSON.parse(readFileSync(join(FX, "forced-tunnel/effective-routes.json"), "utf8"));
    const rows = doc.responses["200"].body.value;
    rows.push({ ...rows[0], source: "User", name: "apim", addressPrefix: ["ApiManagement"], nextHopType: "Internet" });
    writeFileSync(join(dir, "effective-routes.json"), JSON.stringify(doc, null, 2));
    const [f, ...rest] = runCheck(forcedTunnel, [TEMPLATE, join(dir, "effective-routes.json")]);
    expect(rest).toEqual([]);
    expectMessage(f, "observedUnknown", { why: "ApiManagement" });
    expect(f!.severity).toBe("warning");
  });

  it("a matching observed table decides too, and finds nothing", () => {
    expect(runCheck(forcedTunnel, [join(FX, "matching")])).toEqual([]);
  });
});

describeCorpus("the REST example of effective routes", () => {
  it("names a NIC the inputs do not hold: not compared, and said", () => {
    const file = corpusPath("azure-rest-api-specs/network-2023-05-01/NetworkInterfaceEffectiveRouteTableList.json");
    const [f] = runCheck(check, [TEMPLATE, file]);
    expectMessage(f, "unplaced", { why: "it was taken from NIC nic1, which is not in the inputs" });
    expect(f!.title).toMatch(/^Cannot be checked/);
  });
});
