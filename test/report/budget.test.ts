/**
 * The HTML report's bounds (src/report/html/budget.ts): at most so many findings in full per check and
 * severity, the rest counted; NSG rules for as many VNets as fit the rule budget, and for the others' subnets
 * the flow tester answers Unknown (never Allow) and the subnet detail says why; the page and stderr say what
 * was summarised; `--full` lifts the bounds. Small bounds on small inputs stand in for a 20,000-subnet estate.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Finding, Severity } from "../../src/checks/types.js";
import { layoutDiagram } from "../../src/report/diagram/layout.js";
import { printSvg } from "../../src/report/diagram/svg.js";
import { boundFindings } from "../../src/report/html/budget.js";
import { flowTesterFor } from "../../src/report/html/client/flow-tester.js";
import { buildReportView } from "../../src/report/html/data.js";
import { formatHtml } from "../../src/report/html/page.js";
import { flowQuestions } from "./flows.js";
import { EXAMPLE, engineFor, FLOW_CASES, reportInputs } from "./helpers.js";

const SEVERITIES: Severity[] = ["error", "warning", "info"];

describe("boundFindings", () => {
  it("keeps the first perCheck findings of each check and severity, in order, and counts the rest", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.constantFrom("A", "B", "C"), severity: fc.constantFrom(...SEVERITIES) }), {
          maxLength: 60,
        }),
        fc.nat(5),
        (list, perCheck) => {
          const findings = list.map((f, i) => ({ ...f, title: String(i) }) as unknown as Finding);
          const { shown, counted } = boundFindings(findings, perCheck);
          // In their order, a sub-sequence of the input.
          const at = shown.map((f) => findings.indexOf(f));
          expect(at).toEqual([...at].sort((a, b) => a - b));
          for (const id of ["A", "B", "C"])
            for (const severity of SEVERITIES) {
              const all = findings.filter((f) => f.id === id && f.severity === severity).length;
              const kept = shown.filter((f) => f.id === id && f.severity === severity).length;
              expect(kept).toBe(Math.min(all, perCheck));
              const c = counted.find((x) => x.id === id && x.severity === severity);
              expect(c?.count ?? 0).toBe(all - kept);
            }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("a bounded report page", () => {
  it("leaves a VNet's rules out when they do not fit, and the flow tester never allows what it cannot see", () => {
    const engine = engineFor(EXAMPLE);
    // The example's only NSG rules are vnet-apim's: a budget of 0 leaves exactly that VNet out.
    const bounded = buildReportView(engine, [], { bounds: { findingsPerCheck: 10, ruleBudget: 0 } });
    const whole = buildReportView(engine, []);
    expect([...bounded.page.vnetsInFull].map((v) => v.name).sort()).toEqual(["vnet-app", "vnet-hub"]);
    expect(whole.page.lines).toEqual([]);
    expect(bounded.page.lines.join(" ")).toMatch(/rules of 2 of 3 VNets/);
    const omitted = bounded.data.flow.subnets.filter((s) => s.omitted);
    expect(omitted.map((s) => s.label)).toEqual(
      whole.data.flow.subnets.filter((s) => s.label.startsWith("vnet-apim/")).map((s) => s.label),
    );
    expect(omitted.length).toBeGreaterThan(0);
    // Nothing of the left-out VNet is written: fewer parts, and its subnets' NSGs are named, not tabled.
    expect(bounded.flowParts.length).toBe(whole.flowParts.length - 1);
    const apimSubnet = bounded.data.subnets.find((s) => s.label === "vnet-apim/snet-apim")!;
    expect(apimSubnet.nsg).toMatch(/its rules are not in this page/);
    expect(apimSubnet.routes.length).toBeGreaterThan(0);

    const full = flowTesterFor(whole.data.flow, whole.flowParts);
    const part = flowTesterFor(bounded.data.flow, bounded.flowParts);
    // An end in the left-out VNet, as the page understood it (`10.1.1.4 (vnet-apim/snet-apim)`).
    const touches = (a: { from?: string; to?: string }) => `${a.from} ${a.to}`.includes("vnet-apim/");
    let unknown = 0;
    for (const q of flowQuestions(engine, 300, 11)) {
      const a = full.check(q);
      const b = part.check(q);
      if (a.problem) {
        expect(b.problem).toBe(a.problem);
        continue;
      }
      // Same answer, or Unknown where a left-out side mattered; never a pass the whole page would not give.
      expect([a.verdict, "Unknown"]).toContain(b.verdict);
      if (b.verdict !== a.verdict) {
        unknown++;
        expect(b.notes.join(" ")).toMatch(/not evaluated: this page does not hold the NSG rules/);
      }
      if (touches(b)) expect(b.verdict).not.toBe("Allow");
    }
    expect(unknown).toBeGreaterThan(0);
  });

  it("says what it summarised at the top of the page and counts the findings it left out", async () => {
    const engine = engineFor(EXAMPLE);
    const { findings, ctx } = reportInputs(engine);
    expect(findings.length).toBeGreaterThan(1);
    const view = buildReportView(engine, findings, { bounds: { findingsPerCheck: 0, ruleBudget: 0 } });
    const svg = printSvg(await layoutDiagram(view.graph), { inline: true });
    const html = formatHtml(findings, ctx, view, svg, { title: "example" });
    expect(html).toContain('id="page-summary"');
    expect(html.indexOf('id="page-summary"')).toBeLessThan(html.indexOf('id="diagram"'));
    expect(html).toMatch(/Findings: 0 of \d+ are shown in full/);
    expect(view.page.findings).toEqual([]);
    const counted = view.page.counted.reduce((a, c) => a + c.count, 0);
    expect(counted).toBe(findings.length);
    for (const c of view.page.counted) expect(html).toContain(`<strong>${c.id}</strong>, not shown in this page`);
    // The header still counts every finding.
    expect(html).toMatch(new RegExp(`${findings.filter((f) => f.severity === "error").length} error\\(s\\)`));
  });

  it("holds everything when asked in full, or when the inputs fit", () => {
    const engine = engineFor(FLOW_CASES);
    const full = buildReportView(engine, [], { fullDiagram: true, bounds: { findingsPerCheck: 0, ruleBudget: 0 } });
    expect(full.page.lines).toEqual([]);
    expect(full.data.flow.subnets.every((s) => s.omitted === undefined)).toBe(true);
    expect(full.data.flow.omittedReason).toBeUndefined();
    const none = buildReportView(engine, [], { bounds: { findingsPerCheck: 0, ruleBudget: 0 } });
    expect(none.flowParts).toEqual([]);
    expect(none.data.flow.subnets.every((s) => s.omitted === true && s.part === -1)).toBe(true);
  });
});
