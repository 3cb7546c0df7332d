/**
 * An NSG whose rules, or a route table whose routes, are Unknown (built from a parameter with no value) is never
 * judged by its default rules or the system routes alone (issue "Never a silent pass (I)"): the list stands as one
 * Unknown rule or route, the reading says so once at its place, and the verdicts through it are Unknown warnings
 * that name the parameter. With the list given, the same network is decided.
 */
import { describe, expect, it } from "vitest";
import forcedTunnel from "../../src/checks/apim/control-plane-returns-to-internet.js";
import management from "../../src/checks/apim/nsg-allows-management-endpoint.js";
import { loadInputs } from "../../src/ingest/load.js";
import { editFixture, resourceOf } from "../helpers/edit-fixture.js";
import { checkFixture, expectMessage, runCheck } from "./tester.js";

const DENY_ALL = checkFixture(management, "deny-3443-before-allow.json");

/** The fixture with its NSG's securityRules taken from parameter `rules`, which has no value. */
const rulesFromParameter = editFixture(DENY_ALL, (t) => {
  t.parameters = { ...(t.parameters ?? {}), rules: { type: "array" } };
  resourceOf(t, "Microsoft.Network/networkSecurityGroups").properties.securityRules = "[parameters('rules')]";
});

describe("an Unknown list of rules or routes", () => {
  it("is read with one warning at its place, not refused as a wrong type", () => {
    const { model } = loadInputs([rulesFromParameter]);
    const codes = model.diagnostics.filter((d) => d.severity !== "info").map((d) => d.code);
    expect(codes).not.toContain("input/wrong-type");
    const said = model.diagnostics.filter((d) => d.code === "input/unknown-value");
    expect(said.map((d) => d.message)).toEqual([
      expect.stringMatching(/^securityRules is Unknown \(parameters\('rules'\)\).*-p rules=<value>/),
    ]);
    expect(said[0]!.src?.line).toBeGreaterThan(0);
  });

  it("makes the 3443 verdict Unknown (a warning naming the parameter), not a denial by DenyAllInBound", () => {
    const [f, ...rest] = runCheck(management, [rulesFromParameter]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("warning");
    expect(f!.title).toMatch(/^Cannot be checked: whether TCP 3443/);
    expectMessage(f, "unknown", { why: expect.stringContaining("parameters('rules')") });
    expect(f!.message).not.toContain("DenyAllInBound");
  });

  it("with the rules given, the same network is decided both ways", () => {
    const allow = [
      {
        name: "Allow-Mgmt",
        properties: {
          priority: 100,
          direction: "Inbound",
          access: "Allow",
          protocol: "Tcp",
          sourceAddressPrefix: "ApiManagement",
          sourcePortRange: "*",
          destinationAddressPrefix: "VirtualNetwork",
          destinationPortRange: "3443",
        },
      },
    ];
    expect(runCheck(management, [rulesFromParameter], { parameters: [`rules=${JSON.stringify(allow)}`] })).toEqual([]);
    expect(runCheck(management, [rulesFromParameter], { parameters: ["rules=[]"] }).map((f) => f.severity)).toEqual([
      "error",
    ]);
  });

  it("routes from a parameter with no value make the control plane's return route Unknown, not Internet", () => {
    const file = editFixture(checkFixture(forcedTunnel, "udr-default-to-firewall.json"), (t) => {
      t.parameters = { ...(t.parameters ?? {}), routes: { type: "array" } };
      resourceOf(t, "Microsoft.Network/routeTables").properties.routes = "[parameters('routes')]";
    });
    const [f, ...rest] = runCheck(forcedTunnel, [file]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("warning");
    expect(f!.title).toMatch(/^Cannot be checked: whether replies to the control plane/);
    expectMessage(f, "routeUnknown", { why: expect.stringContaining("parameters('routes')") });
  });
});
