import { describe, expect, it } from "vitest";
import { diffFindings, diffFlows, findingKey } from "../../src/checks/compare.js";
import type { Finding } from "../../src/checks/types.js";
import type { FlowRow } from "../../src/checks/util/flows.js";

const NSG = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg-apim";
function f(id: string, message: string, flow?: string, resource = NSG, line = 1): Finding {
  return {
    id,
    severity: "error",
    title: id,
    message,
    resource,
    location: { file: "a.json", line },
    evidence: flow ? [{ kind: "flow", text: flow }] : [],
    fix: [],
    instance: "apim (westeurope)",
  };
}

describe("diffFindings", () => {
  it("matches on id, instance, resource (ignoring subscription and group) and the flow, not message or line", () => {
    const before = [f("APIM-X", "denied by rule A (priority 200)", "flow: Storage", NSG, 10)];
    const after = [
      f(
        "APIM-X",
        "denied by rule B (priority 300)",
        "flow: Storage",
        NSG.replace("/0/", "/real-sub/").replace("/rg/", "/prod/"),
        99,
      ),
    ];
    expect(findingKey(before[0]!)).toBe(findingKey(after[0]!));
    expect(diffFindings(before, after)).toEqual({ appeared: [], disappeared: [], unchanged: 1 });
  });

  it("tells apart two findings of one check on one NSG by their flow", () => {
    const storage = f("APIM-OUTBOUND", "Storage is denied", "flow: to Storage");
    const sql = f("APIM-OUTBOUND", "Sql is denied", "flow: to Sql");
    const d = diffFindings([storage], [sql]);
    expect(d.disappeared).toEqual([storage]);
    expect(d.appeared).toEqual([sql]);
    expect(d.unchanged).toBe(0);
  });

  it("pairs identical messages first, so only the real newcomer appears", () => {
    const a = f("APIM-Y", "first");
    const b = f("APIM-Y", "second");
    const c = f("APIM-Y", "third");
    const d = diffFindings([a, b], [b, c, a]);
    expect(d.appeared).toEqual([c]);
    expect(d.unchanged).toBe(2);
  });
});

describe("diffFlows", () => {
  const row = (verdict: FlowRow["verdict"], nextHops?: string[], key = "svc|westeurope"): FlowRow => ({
    instance: "apim (westeurope)",
    placementKey: key,
    requirement: {
      id: "storage",
      direction: "Outbound",
      source: "VirtualNetwork",
      destination: "Storage",
      ports: ["443"],
      protocol: "Tcp",
      purpose: "Azure Storage",
    },
    verdict,
    ...(nextHops ? { nextHops } : {}),
  });
  it("reports verdict and next hop changes, and rows present on one side only", () => {
    expect(diffFlows([row("Allow", ["Internet"])], [row("Allow", ["Internet"])])).toEqual([]);
    expect(diffFlows([row("Allow", ["Internet"])], [row("Deny", ["Internet"])])[0]).toMatchObject({
      before: { verdict: "Allow" },
      after: { verdict: "Deny" },
    });
    expect(diffFlows([row("Allow", ["Internet"])], [row("Allow", ["VirtualAppliance"])])).toHaveLength(1);
    const gone = diffFlows([row("Allow", [], "old|westeurope")], []);
    expect(gone[0]!.after).toBeUndefined();
    expect(gone[0]!.before?.verdict).toBe("Allow");
  });
});
