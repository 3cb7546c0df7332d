/**
 * The HTML report's flow tester (src/report/html/client/evaluate.ts, run here in Node on the data the page
 * embeds) must answer as the engine does (engine/reach checkFlow): same verdict, same "partly" flag, same
 * deciding rule and layers for flows between addresses, and the same (verdict, rule) parts when one end is a
 * CIDR or a service tag. The same comparison runs in Chromium in html-report.browser.test.ts. The rules
 * come in one part per VNet, read from the page's own data blocks and only when a flow needs that VNet.
 */
import { describe, expect, it } from "vitest";
import { layoutDiagram } from "../../src/report/diagram/layout.js";
import { printSvg } from "../../src/report/diagram/svg.js";
import { flowTesterFor } from "../../src/report/html/client/flow-tester.js";
import type { ClientVnetFlow } from "../../src/report/html/client/types.js";
import { buildReportView } from "../../src/report/html/data.js";
import { formatHtml } from "../../src/report/html/page.js";
import { engineSummary, flowQuestions, pageSummary } from "./flows.js";
import { EXAMPLE, engineFor, FLOW_CASES, HOSTILE, reportInputs } from "./helpers.js";

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

  it("writes a large set (a service tag's) once for the page, and the VNet parts refer to it", () => {
    const view = buildReportView(engineFor(EXAMPLE), []);
    const refs = view.flowParts.flatMap((p) => p.sets.filter((s) => "shared" in s));
    // The example's NSGs name service tags in more than one VNet: each part refers to the one copy.
    expect(new Set(view.flowParts.filter((p) => p.sets.some((s) => "shared" in s))).size).toBeGreaterThan(1);
    for (const r of refs) expect(view.data.flow.sets[(r as { shared: number }).shared]).toBeDefined();
    const written = view.flowParts.flatMap((p) => p.sets.filter((s) => !("shared" in s))) as { v4: []; v6: [] }[];
    expect(written.every((s) => s.v4.length + s.v6.length <= 16)).toBe(true);
  });

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

  it("reads the VNet parts from the page's own blocks, each only when a flow needs it, with the engine's answers", async () => {
    const engine = engineFor(EXAMPLE);
    const { findings, ctx } = reportInputs(engine);
    const view = buildReportView(engine, findings);
    const html = formatHtml(findings, ctx, view, printSvg(await layoutDiagram(view.graph), { inline: true }), {
      title: "example",
    });
    // The blocks as the page holds them: one per VNet, parsed back from the HTML text.
    const blocks = new Map(
      [...html.matchAll(/<script type="application\/json" id="flow-vnet-(\d+)">([^<]*)<\/script>/g)].map((m) => [
        Number(m[1]),
        m[2]!,
      ]),
    );
    expect(blocks.size).toBe(engine.topology.model.virtualNetworks.length);
    const data = JSON.parse(/id="report-data">([^<]*)<\/script>/.exec(html)![1]!).flow;
    const read: number[] = [];
    const tester = flowTesterFor(data, (i) => {
      read.push(i);
      return JSON.parse(blocks.get(i)!) as ClientVnetFlow;
    });
    expect(read).toEqual([]);
    const partOf = (label: string) => data.subnets.find((s: { label: string }) => s.label === label).part;
    // A flow between two VNets reads those two parts, once each, and nothing else.
    tester.check({ from: "vnet-apim/snet-apim", to: "vnet-app/snet-app", protocol: "Tcp", port: "8080" });
    tester.check({ from: "vnet-app/snet-app", to: "vnet-apim/snet-apim", protocol: "Tcp", port: "443" });
    expect(read.sort()).toEqual([partOf("vnet-apim/snet-apim"), partOf("vnet-app/snet-app")].sort());
    // An end outside every subnet needs no part of its own.
    tester.check({ from: "8.8.8.8", to: "vnet-apim/snet-apim", protocol: "Tcp", port: "443" });
    expect(read).toHaveLength(2);
    // And the answers from the page's blocks are the engine's, on a sample of flows.
    const mismatches = flowQuestions(engine, 200, 5)
      .map((q) => ({ q, expected: engineSummary(engine, q), actual: pageSummary(tester.check(q)) }))
      .filter((m) => JSON.stringify(m.expected) !== JSON.stringify(m.actual));
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(read.length).toBeLessThanOrEqual(blocks.size);
  });
});
