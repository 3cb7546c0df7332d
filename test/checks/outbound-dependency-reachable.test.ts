import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import tunnel from "../../src/checks/apim/dependencies-bypass-tunnel.js";
import check from "../../src/checks/apim/outbound-dependency-reachable.js";
import type { Finding } from "../../src/checks/types.js";
import { corpusPath, describeCorpus } from "../helpers/corpus.js";
import { writeTemp } from "../helpers/edit-fixture.js";
import { afterFix, expectEachFixWorks, findingKey } from "./fix-helpers.js";
import { checkFixture, expectMessage, runCheck } from "./tester.js";

const fx = (name: string) => checkFixture(check, name);
/** The dependency a finding is about: the service tag its flow goes to. */
const tagOf = (f: Finding) =>
  f.evidence
    .find((e) => e.kind === "flow")!
    .text.split(" to ")
    .pop();
const summary = (findings: Finding[]) => findings.map((f) => `${f.severity} ${tagOf(f)}`).sort();

describe("APIM-OUTBOUND-DEPENDENCY", () => {
  it("a deny-all outbound blocks every dependency: one finding each, severity by need", () => {
    const findings = runCheck(check, [fx("deny-all-outbound.json")]);
    expect(summary(findings)).toEqual([
      "error AzureKeyVault",
      "error AzureMonitor",
      "error Internet",
      "error Sql.WestEurope",
      "error Storage.WestEurope",
      "info AzureConnectors",
      "info EventHub.WestEurope",
      "info the subnet itself",
      "info the subnet itself",
      "info the subnet itself",
      "warning AzureActiveDirectory",
    ]);
    for (const f of findings)
      expectMessage(f, "blocked", { blocked: "denied by nsg-apim securityRules/Deny-All-Out (priority 4000)" });
    const storage = findings.find((f) => tagOf(f) === "Storage.WestEurope")!;
    expectMessage(storage, "blocked", {
      purpose: "Azure Storage (core dependency)",
      flow: expect.stringMatching(/^TCP 443 from subnet vnet-apim\/snet-apim/),
    });
  });

  it("names Deny_All_Internet_Outbound when outbound TCP 80 for certificate validation is denied", () => {
    const [f, ...rest] = runCheck(check, [fx("internet-80-denied.json")]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("error");
    expectMessage(f, "blocked", {
      purpose: expect.stringContaining("certificates"),
      blocked: expect.stringContaining("securityRules/Deny_All_Internet_Outbound (priority 999)"),
    });
  });

  it("optional dependencies: Entra ID is a warning on stv2, the rest info", () => {
    expect(summary(runCheck(check, [fx("optional-denied.json")]))).toEqual([
      "info AzureConnectors",
      "info EventHub.WestEurope",
      "info the subnet itself",
      "info the subnet itself",
      "info the subnet itself",
      "warning AzureActiveDirectory",
    ]);
  });

  it("the syncs between units are warnings with several units", () => {
    const findings = runCheck(check, [fx("multi-unit-vnet-denied.json")]);
    const bySeverity = findings.map((f) => [f.severity, f.data?.purpose]);
    expect(bySeverity).toEqual([
      ["warning", "Internal cache sync between units"],
      ["warning", "Rate-limit counter sync between units"],
      ["info", "External Azure Cache for Redis (caching policies)"],
    ]);
  });

  it("on stv1, Key Vault and AzureCloud are optional (info) and Internet 80 is not asked", () => {
    expect(summary(runCheck(check, [fx("stv1-keyvault-denied.json")]))).toEqual([
      "info AzureCloud",
      "info AzureKeyVault",
    ]);
  });

  it("a route to None drops the dependencies: the finding names the route, with its place in the file", () => {
    const findings = runCheck(check, [fx("route-to-none.json")]);
    expect(findings).toHaveLength(8);
    const storage = findings.find((f) => tagOf(f) === "Storage.WestEurope")!;
    expect(storage.severity).toBe("error");
    expectMessage(storage, "blocked", { blocked: "dropped by route table rt-apim, route Drop-All (0.0.0.0/0 → None)" });
    const route = storage.evidence.find((e) => e.kind === "route")!;
    expect(route.location?.line).toBeGreaterThan(1);
    expect(storage.location.line).toBe(route.location?.line);
  });

  it("a route to None: the fix is a service-tag route to Internet, and it works", () => {
    const file = fx("route-to-none.json");
    const storage = runCheck(check, [file]).find((f) => tagOf(f) === "Storage.WestEurope")!;
    const [route] = JSON.parse(storage.fix.find((x) => x.kind === "arm")!.text);
    expect(route).toMatchObject({
      name: "rt-apim/Storage-via-Internet",
      properties: { addressPrefix: "Storage", nextHopType: "Internet" },
    });
    expect(afterFix(check, file, storage).map(findingKey)).not.toContain(findingKey(storage));
  });

  it("no fix where Azure offers no route for the tag (Internet 80 behind a None route)", () => {
    const cert = runCheck(check, [fx("route-to-none.json")]).find((f) => tagOf(f) === "Internet")!;
    expect(cert.fix).toEqual([]);
  });

  it("a route to None with an unresolved prefix: Unknown for every dependency (warning for the required ones)", () => {
    const findings = runCheck(check, [fx("unresolved-none-route.json")]);
    const storage = findings.find((f) => tagOf(f) === "Storage.WestEurope")!;
    expect(storage.severity).toBe("warning");
    expectMessage(storage, "unknown", {
      flow: expect.stringMatching(/^TCP 443/),
      why: expect.stringContaining("rt-apim/Drop-Range"),
    });
    expect(storage.fix).toEqual([]);
    expect(findings.every((f) => f.severity !== "error")).toBe(true);
  });

  it("the v2 tiers: Storage 443 denied is a warning (the v2 docs disagree)", () => {
    const [f, ...rest] = runCheck(check, [fx("v2-integration-storage-denied.json")]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("warning");
    expectMessage(f, "blocked", { purpose: expect.stringContaining("Storage") });
  });

  it("stays silent when every dependency is allowed, and with only the default rules", () => {
    expect(runCheck(check, [fx("all-allowed.json")])).toEqual([]);
    expect(runCheck(check, [fx("default-outbound-rules.json")])).toEqual([]);
  });

  for (const name of [
    "deny-all-outbound.json",
    "internet-80-denied.json",
    "optional-denied.json",
    "multi-unit-vnet-denied.json",
    "stv1-keyvault-denied.json",
    "route-to-none.json",
    "v2-integration-storage-denied.json",
  ]) {
    it(`each ARM fix makes its finding go away (${name})`, () => {
      expect(expectEachFixWorks(check, fx(name))).toBeGreaterThan(0);
    });
  }
});

describeCorpus("APIM-OUTBOUND-DEPENDENCY on the official quickstarts", () => {
  const file = (dir: string) => corpusPath("azure-quickstart-templates", dir, "azuredeploy.json");

  it("internal-vnet-publicip: outbound TCP 80 (certificate validation) is blocked by Deny_All_Internet_Outbound", () => {
    const findings = runCheck(check, [file("api-management-create-with-internal-vnet-publicip")]);
    const errors = findings.filter((f) => f.severity === "error");
    expect(errors).toHaveLength(1);
    expectMessage(errors[0], "blocked", {
      purpose: expect.stringContaining("certificates"),
      flow: expect.stringContaining("TCP 80"),
      blocked: expect.stringContaining("securityRules/Deny_All_Internet_Outbound (priority 999)"),
    });
  });

  for (const dir of ["api-management-create-with-external-vnet-publicip", "api-management-create-with-internal-vnet"]) {
    it(`${dir}: the same true error (the rule is in every quickstart), and no other error`, () => {
      const errors = runCheck(check, [file(dir)]).filter((f) => f.severity === "error");
      expect(errors.map((f) => tagOf(f))).toEqual(["Internet"]);
      expectMessage(errors[0], "blocked", { blocked: expect.stringContaining("Deny_All_Internet_Outbound") });
    });
  }

  it("the quickstarts' Event Hubs rule opens 5671 only: 5672 is reported as info", () => {
    const findings = runCheck(check, [file("api-management-create-with-internal-vnet-publicip")]);
    const hub = findings.find((f) => tagOf(f) === "EventHub.WestEurope")!;
    expect(hub.severity).toBe("info");
    expectMessage(hub, "blocked", { flow: expect.stringContaining("TCP 5672 ") });
  });
});

describe("APIM-OUTBOUND-DEPENDENCY beside a private endpoint (reference part 2 §9.5)", () => {
  it("a blocked Key Vault tag names the private endpoint that serves Key Vault at a VNet address", () => {
    const file = checkFixture(tunnel, "default-to-firewall-private-endpoints.json");
    const template = JSON.parse(readFileSync(file, "utf8"));
    const nsg = template.resources.find((r: { name: string }) => r.name === "nsg-apim");
    nsg.properties.securityRules.push({
      name: "Deny-KeyVault",
      properties: {
        protocol: "Tcp",
        sourcePortRange: "*",
        destinationPortRange: "443",
        sourceAddressPrefix: "VirtualNetwork",
        destinationAddressPrefix: "AzureKeyVault",
        access: "Deny",
        priority: 100,
        direction: "Outbound",
      },
    });
    const findings = runCheck(check, [writeTemp("pe.json", template)]);
    const kv = findings.find((f) => String(tagOf(f)).startsWith("AzureKeyVault"))!;
    expect(kv.evidence.find((e) => e.kind === "private-endpoint")?.text).toMatch(/pe-kv .*10\.0\.2\.4\/32/);
    const sql = findings.find((f) => String(tagOf(f)).startsWith("Sql"));
    expect(sql?.evidence.some((e) => e.kind === "private-endpoint") ?? false).toBe(false);
  });
});
