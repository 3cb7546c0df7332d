import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { corpusPath, describeCorpus, REPO_ROOT } from "../helpers/corpus.js";

async function run(...args: string[]) {
  let out = "";
  let err = "";
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), isTty: false, env: {} });
  return { code, out, err };
}

const EXAMPLE = `${REPO_ROOT}/examples/forced-tunnel`;

describe("apim-netcheck flow", () => {
  it("prints the verdict, the deciding rule and its file:line", async () => {
    const { code, out } = await run(
      "flow",
      EXAMPLE,
      "--from",
      "ApiManagement",
      "--to",
      "vnet-apim/snet-apim",
      "--port",
      "3443",
    );
    expect(code).toBe(0);
    expect(out.split("\n")[0]).toBe("Deny  securityRules/Deny-Inbound-Default");
    expect(out).toMatch(
      /Inbound\s+subnet NSG nsg-apim: Deny by securityRules\/Deny-Inbound-Default \(priority 200\)\s+\S*network\.json:\d+:\d+/,
    );
    expect(out).toContain("service tags: Public, changeNumber 375, 2025-10-28");
  });

  it("answers in Network Watcher's JSON shape", async () => {
    const { out } = await run(
      "flow",
      EXAMPLE,
      "--from",
      "AzureLoadBalancer",
      "--to",
      "vnet-apim/snet-apim",
      "--port",
      "6390",
      "--format",
      "json",
    );
    const json = JSON.parse(out);
    // IP flow verify's fields first, under its names (https://learn.microsoft.com/rest/api/network-watcher/network-watchers/verify-ip-flow).
    expect(Object.keys(json).slice(0, 2)).toEqual(["access", "ruleName"]);
    expect(json.access).toBe("Allow");
    expect(json.verdict).toBe("Allow");
    expect(json.ruleName).toBe("securityRules/Allow-LoadBalancer-Probe");
    // A template's NSG id is built from an unknown subscription: no rule id is made up.
    expect(json.ruleId).toBeNull();
    expect(json.layers[0]).toMatchObject({
      scope: "subnet",
      nsg: "nsg-apim",
      direction: "Inbound",
      access: "Allow",
      priority: 110,
    });
  });

  it("gives the deciding rule's resource id where the inputs give the NSG's id (an export)", async () => {
    const { out } = await run(
      "flow",
      `${REPO_ROOT}/test/fixtures/export/apim-spoke.rest.json`,
      "--from",
      "ApiManagement",
      "--to",
      "vnet-spoke/apim",
      "--port",
      "3443",
      "--format",
      "json",
    );
    const json = JSON.parse(out);
    expect(json.access).toBe("Allow");
    expect(json.ruleId).toMatch(
      /^\/subscriptions\/[^<]+\/networkSecurityGroups\/nsg-spoke-apim\/securityRules\/Allow-Management$/i,
    );
    expect(json.layers.find((l: { ruleId: string | null }) => l.ruleId)?.ruleId).toBe(json.ruleId);
  });

  it("a name that is neither a subnet nor a tag is a usage error (exit 2, one line)", async () => {
    const { code, err } = await run("flow", EXAMPLE, "--from", "vnet-apim/nope", "--to", "Storage", "--port", "443");
    expect(code).toBe(2);
    expect(err.trim().split("\n")).toHaveLength(1);
    expect(err).toContain("no subnet vnet-apim/nope");
    const typo = await run("flow", EXAMPLE, "--from", "vnet-apim/snet-apim", "--to", "Storagee", "--port", "443");
    expect(typo.code).toBe(2);
    expect(typo.err).toContain("Storagee is not a service tag");
  });

  it("an input Azure would refuse is analysed: flow answers and says the refusal; check reports it as a finding", async () => {
    const file = `${REPO_ROOT}/test/fixtures/bad/nsg-priority-conflict.json`;
    const flow = await run("flow", file, "--from", "Internet", "--to", "10.0.0.4", "--port", "443");
    expect(flow.code).toBe(0);
    expect(flow.err).toMatch(/nsg-priority-conflict\.json:\d+:\d+: error: nsg\/SecurityRuleConflict/);
    expect(flow.err).not.toContain("    at ");
    // --keep-going is still accepted, and changes nothing.
    for (const extra of [[], ["--keep-going"]]) {
      const check = await run("check", file, ...extra, "--format", "json");
      expect(check.code).toBe(1);
      expect(JSON.parse(check.out).findings.map((f: { id: string }) => f.id)).toContain("NSG-RULE-INVALID");
    }
  });
});

describeCorpus("a real template that Azure would refuse: the APIM landing zone's networking.json", () => {
  // Its APIM NSG holds apim-redis and apim-sync-count twice each (inbound and outbound), and both outbound
  // copies at priority 230: a same-priority, same-direction pair that Azure refuses (reference §1.1, §1.9).
  const file = () =>
    corpusPath(
      "apim-landing-zone-accelerator/v1-027fe50/reference-implementations/AppGW-IAPIM-Func/bicep/networking/networking.json",
    );

  it("goes on: check exits 1 and says each refusal once, as a finding, not on stderr", async () => {
    const { code, err } = await run("check", file(), "--quiet");
    expect(code).toBe(1);
    expect(err).not.toContain("nsg/duplicate-rule-name");
    expect(err).not.toContain("    at ");
  });

  it("reports all three as NSG-RULE-INVALID errors at their lines", async () => {
    const { out } = await run("check", file(), "--format", "json", "--only", "NSG-RULE-INVALID");
    const findings = JSON.parse(out).findings as { severity: string; message: string; location: { line: number } }[];
    const errors = findings.filter((f) => f.severity === "error");
    expect(errors.map((f) => f.location.line)).toEqual([695, 708, 708]);
    expect(errors[2]!.message).toContain("Rules cannot have the same Priority and Direction. (priority 230, Outbound)");
  });
});
