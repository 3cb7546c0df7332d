/**
 * Regression tests of what the fix proof (fixes-proven.test.ts) found: fixes of one run that hid one another or
 * left a rule that could never match, and a new NSG that closed what the subnet let in.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/checks/types.js";
import { checkAnalysis } from "../../src/cli/commands/check.js";
import { loadAnalysis } from "../../src/cli/context.js";
import { REPO_ROOT } from "../helpers/corpus.js";
import { prove } from "./prove.js";

const FIXTURES = join(REPO_ROOT, "test/fixtures/checks");

function findingsOf(fixture: string): Finding[] {
  return checkAnalysis(loadAnalysis([join(FIXTURES, fixture)], {}), {}).findings;
}

/** The rules the fixes of `findings` add, by name: their priority and source. */
function addedRules(findings: Finding[]): Map<string, { priority: unknown; source: unknown }> {
  const out = new Map<string, { priority: unknown; source: unknown }>();
  for (const f of findings)
    for (const c of f.changes ?? [])
      if (c.op === "create" && c.resource.type.endsWith("/securityRules"))
        out.set(c.resource.names.at(-1)!, {
          priority: c.resource.properties.priority,
          source: c.resource.properties.sourceAddressPrefix,
        });
  return out;
}

describe("fixes found unsound by the proof", () => {
  it("a Traffic Manager rule goes ahead of the client Internet 443 rule another fix adds, which would hide it", () => {
    const fixture = "public-ip/additional-region-ip-ok.json";
    const rules = addedRules(findingsOf(fixture));
    const tm = rules.get("Allow-AzureTrafficManager-443-Inbound")!;
    const client = rules.get("Allow-Internet-443-Inbound")!;
    expect(Number(tm.priority)).toBeLessThan(Number(client.priority));
    const r = prove({ name: fixture, root: join(FIXTURES, "public-ip"), inputs: ["additional-region-ip-ok.json"] });
    expect(r.added).toEqual([]);
    expect(r.fixed.length).toBeGreaterThanOrEqual(3);
  });

  it("a new NSG for an External instance keeps client HTTP open, as the subnet without an NSG had it", () => {
    const fixture = "subnet-has-nsg/external-no-nsg-with-extras.json";
    const missing = findingsOf(fixture).find((f) => f.id === "APIM-SUBNET-NSG-MISSING")!;
    const nsg = missing.changes!.find((c) => c.op === "create" && c.resource.type.endsWith("networkSecurityGroups"));
    const rules = nsg?.op === "create" ? (nsg.resource.properties.securityRules as { name: string }[]) : [];
    expect(rules.map((x) => x.name)).toContain("Allow-Internet-80-Inbound");
    const r = prove({
      name: fixture,
      root: join(FIXTURES, "subnet-has-nsg"),
      inputs: ["external-no-nsg-with-extras.json"],
    });
    expect(r.added).toEqual([]);
  });
});
