import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import check from "../../src/checks/apim/network-status-explained.js";
import type { Finding } from "../../src/checks/types.js";
import { lagMinutes, mapEntryOf } from "../../src/checks/util/network-status.js";
import { loadInputs } from "../../src/ingest/load.js";
import { corpusPath, describeCorpus } from "../helpers/corpus.js";
import { editFixture } from "../helpers/edit-fixture.js";
import { applyFixesAsWritten, checkFixture, expectMessage, runCheck } from "./tester.js";

const fx = (name: string) => checkFixture(check, name);

/** The scenario directory with the fix of `f` written into its network.json (the status file copied as is). */
function fixed(name: string, f: Finding): string {
  const withFix = applyFixesAsWritten(join(fx(name), "network.json"), [f]);
  const dir = mkdtempSync(join(tmpdir(), "apim-netcheck-ns-"));
  copyFileSync(withFix, join(dir, "network.json"));
  copyFileSync(join(fx(name), "networkstatus.json"), join(dir, "networkstatus.json"));
  return dir;
}

describe("APIM-NETWORK-STATUS", () => {
  it("ties failing blob and table storage to the APIM-OUTBOUND-DEPENDENCY finding and its deny rule", () => {
    const findings = runCheck(check, [fx("blob-failing-storage-denied")]);
    expect(findings.map((f) => [f.messageId, f.data?.where, f.data?.dependency, f.data?.state])).toEqual([
      [
        "entry",
        " of apim-test (westeurope)",
        "BlobStorage apimgmtst1.blob.core.windows.net (required)",
        "is failing: Connection timed out",
      ],
      [
        "entry",
        " of apim-test (westeurope)",
        "TableStorage apimgmtst1.table.core.windows.net (required)",
        "is failing: Connection timed out",
      ],
    ]);
    const [blob] = findings;
    expect(blob!.severity).toBe("error");
    expectMessage(blob, "entry", {
      because: expect.stringMatching(
        /^Explained by APIM-OUTBOUND-DEPENDENCY.*securityRules\/Deny-Storage-Out \(priority 200\)/s,
      ),
    });
    expect(blob!.evidence.map((e) => e.kind).slice(0, 2)).toEqual(["observed", "finding"]);
    expect(blob!.evidence.some((e) => e.kind === "nsg-rule" && e.text.includes("Deny-Storage-Out"))).toBe(true);
    expect(blob!.evidence[0]!.location?.file).toMatch(/networkstatus\.json$/);
    // The allow the fix adds covers the deny whole, so the deny could never match again: the fix deletes it
    // too, so that it leaves no hidden rule behind (found by the fix proof, test/proof).
    expect(
      blob!.changes?.map(
        (c) => `${c.op} ${(c.op === "delete" || c.op === "patch" ? c.target : c.resource).names.at(-1)}`,
      ),
    ).toEqual(["create Allow-Storage-443-Outbound", "delete Deny-Storage-Out"]);
  });

  it("ties a failing SQL database to the forced tunnel (APIM-DEPENDENCY-TUNNELED and its route)", () => {
    const [f] = runCheck(check, [fx("sql-failing-forced-tunnel")]);
    expectMessage(f, "entry", {
      because: expect.stringMatching(/^Explained by APIM-DEPENDENCY-TUNNELED.*rt-apim\/default-to-firewall/s),
    });
  });

  it("explains a failing SMTP relay by the NSG rule itself (no check evaluates outbound 25/587/25028)", () => {
    const [f] = runCheck(check, [fx("email-failing-internet-denied")]);
    expect(f!.severity).toBe("warning");
    expectMessage(f, "entry", {
      because: expect.stringContaining(
        "Explained by nsg-apim securityRules/Deny-Internet-Out (priority 300) denies TCP 25, 587, 25028 to Internet",
      ),
    });
    const [rule] = JSON.parse(f!.fix.find((x) => x.kind === "arm")!.text);
    expect(rule.properties).toMatchObject({
      direction: "Outbound",
      access: "Allow",
      destinationAddressPrefix: "Internet",
    });
  });

  for (const name of ["blob-failing-storage-denied", "sql-failing-forced-tunnel", "email-failing-internet-denied"]) {
    it(`with the explaining fix applied, the failure stays observed but nothing in the inputs explains it any more (${name})`, () => {
      const [f] = runCheck(check, [fx(name)]);
      const after = runCheck(check, [fixed(name, f!)]);
      expect(after.length).toBeGreaterThan(0);
      for (const a of after)
        expectMessage(a, "entry", { because: expect.stringContaining("No configuration in the inputs explains it") });
    });
  }

  it("says that no configuration explains a failure whose flows are allowed and routed out, listing them", () => {
    const [f] = runCheck(check, [fx("sql-failing-nothing-explains")]);
    expectMessage(f, "entry", { because: expect.stringContaining("No configuration in the inputs explains it") });
    expect(f!.evidence.some((e) => e.kind === "flow" && e.text.includes("Sql.WestEurope"))).toBe(true);
  });

  it("reports a stale entry (lastUpdated far behind the others) as a warning", () => {
    const [f, ...rest] = runCheck(check, [fx("monitoring-stale")]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("warning");
    expectMessage(f, "entry", {
      dependency: expect.stringContaining("prod.warmpath.msftcloudes.com (required)"),
      state: expect.stringMatching(/^was last updated 144 minutes before the newest entry/),
    });
  });

  it("points at DNS when the instance's DNS servers are not its VNet's and nothing else explains it", () => {
    const [f] = runCheck(check, [fx("dns-not-applied")]);
    expectMessage(f, "entry", { because: expect.stringMatching(/^Maybe explained by DNS/) });
    expect(f!.evidence.some((e) => e.text.includes("10.82.98.10") && e.text.includes("10.1.0.4"))).toBe(true);
  });

  it("a status whose region has no instance in the inputs says so", () => {
    const [f] = runCheck(check, [fx("status-without-instance")]);
    expectMessage(f, "entry", {
      where: " (West Europe)",
      because: expect.stringContaining("No instance in the inputs is in West Europe"),
    });
    expect(f!.instance).toBeUndefined();
  });

  it("stays silent when every entry succeeds and is fresh", () => {
    expect(runCheck(check, [fx("all-healthy")])).toEqual([]);
  });

  it("a status without a region is taken as the only instance's, and says so", () => {
    const file = editFixture(join(fx("sql-failing-nothing-explains"), "networkstatus.json"), (j) => {
      j.splice(0, 1, j[0].networkStatus);
    });
    const [f] = runCheck(check, [join(fx("sql-failing-nothing-explains"), "network.json"), file]);
    expect(f!.instance).toBe("apim-test (westeurope)");
    expect(f!.evidence.some((e) => e.kind === "assumption" && e.text.includes("names no region"))).toBe(true);
  });

  it("maps resource types case-insensitively and measures staleness against the newest entry", () => {
    expect(mapEntryOf("blobstorage")?.requirements).toEqual(["storage"]);
    expect(mapEntryOf("Nope")).toBeUndefined();
    const { model } = loadInputs([join(fx("monitoring-stale"), "networkstatus.json")]);
    const lags = [...lagMinutes(model.observed.networkStatus[0]!).values()];
    expect(Math.round(Math.max(...lags))).toBe(144);
    expect(Math.min(...lags)).toBe(0);
  });
});

describeCorpus("APIM-NETWORK-STATUS on the REST spec's example", () => {
  const example = corpusPath(
    "azure-rest-api-specs",
    "apimanagement-2022-08-01",
    "ApiManagementServiceGetNetworkStatus.json",
  );
  it("is silent on the example (every entry succeeds, all within 6 minutes)", () => {
    expect(runCheck(check, [example])).toEqual([]);
  });
  it("reports a failing entry of the example with no instance in West US", () => {
    const file = editFixture(example, (j) => {
      j.responses["200"].body[0].networkStatus.connectivityStatus[0].status = "failure";
    });
    const [f] = runCheck(check, [file]);
    expectMessage(f, "entry", {
      dependency: "BlobStorage apimgmtst6xxxxxxxxxxx.blob.core.windows.net (required)",
      state: "is failing",
    });
    expect(dirname(f!.location.file)).toBe(dirname(file));
  });
});
