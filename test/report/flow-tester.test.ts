/**
 * The HTML report's flow tester (src/report/html/client/evaluate.ts, run here in Node on the data the page
 * embeds) must answer as the engine does (engine/reach checkFlow): same verdict, same "partly" flag, same
 * deciding rule and layers for flows between addresses, and the same (verdict, rule) parts when one end is a
 * CIDR or a service tag. The same comparison runs in Chromium in html-report.browser.test.ts.
 */
import { describe, expect, it } from "vitest";
import { flowTesterFor } from "../../src/report/html/client/flow-tester.js";
import { buildReportView } from "../../src/report/html/data.js";
import { engineSummary, flowQuestions, pageSummary } from "./flows.js";
import { EXAMPLE, engineFor, FLOW_CASES, HOSTILE } from "./helpers.js";

describe("the HTML report's flow tester agrees with the engine", () => {
  for (const [name, path, count] of [
    ["the bundled example", EXAMPLE, 300],
    ["subnet and NIC NSGs, shared priorities, ICMP, IPv6, platform addresses", FLOW_CASES, 600],
    ["hostile names and a rule with an unresolved source", HOSTILE, 300],
  ] as const) {
    it(name, () => {
      const engine = engineFor(path);
      const view = buildReportView(engine, []);
      const tester = flowTesterFor(view.data.flow, view.flowParts);
      const mismatches: unknown[] = [];
      const verdicts = new Set<string>();
      for (const q of flowQuestions(engine, count, 7)) {
        const expected = engineSummary(engine, q);
        const actual = pageSummary(tester.check(q));
        verdicts.add(expected.problem ? "problem" : `${expected.verdict}${expected.parts ? " set" : ""}`);
        if (JSON.stringify(actual) !== JSON.stringify(expected)) mismatches.push({ q, expected, actual });
      }
      expect(mismatches.slice(0, 5)).toEqual([]);
      // The questions exercise more than one kind of answer (a list of only Unknowns would prove little).
      expect(verdicts.size).toBeGreaterThanOrEqual(3);
    });
  }

  it("answers the example's management flow as the CLI does", () => {
    const view = buildReportView(engineFor(EXAMPLE), []);
    const tester = flowTesterFor(view.data.flow, view.flowParts);
    const a = tester.check({ from: "ApiManagement", to: "vnet-apim/snet-apim", protocol: "Tcp", port: "3443" });
    expect(a.verdict).toBe("Deny");
    expect(a.ruleName).toBe("securityRules/Deny-Inbound-Default");
    expect(a.layers[0]?.where).toMatch(/network\.json:\d+:\d+$/);
  });

  it("reports a wrong question instead of answering it", () => {
    const view = buildReportView(engineFor(EXAMPLE), []);
    const tester = flowTesterFor(view.data.flow, view.flowParts);
    expect(tester.check({ from: "no such/subnet", to: "10.1.1.4", protocol: "Tcp", port: "1" }).problem).toMatch(
      /no subnet/,
    );
    expect(tester.check({ from: "10.1.1.4", to: "10.2.1.4", protocol: "Gre", port: "1" }).problem).toMatch(/protocol/);
    expect(tester.check({ from: "10.1.1.4", to: "10.2.1.4", protocol: "Tcp", port: "70000" }).problem).toMatch(/port/);
  });
});
