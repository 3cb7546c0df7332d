/**
 * The HTML report's flow tester (src/report/html/client/evaluate.ts, run here in Node on the data the page
 * embeds) must answer as the engine does (engine/reach checkFlow): same verdict, same "partly" flag, same
 * deciding rule and layers for flows between addresses, and the same (verdict, rule) parts when one end is a
 * CIDR or a service tag. The same comparison runs in Chromium in html-report.browser.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { FlowProtocol } from "../../src/engine/nsg/index.js";
import type { EngineContext } from "../../src/engine/reach/context.js";
import { parseEndpoint } from "../../src/engine/reach/endpoint.js";
import { checkFlow } from "../../src/engine/reach/flow.js";
import { createFlowTester, type PageAnswer } from "../../src/report/html/client/evaluate.js";
import { buildReportView } from "../../src/report/html/data.js";
import { EXAMPLE, engineFor, FLOW_CASES, HOSTILE, random } from "./helpers.js";

export interface FlowQuestion {
  from: string;
  to: string;
  protocol: string;
  port: string;
  sourcePort: string;
}

/** What both sides must agree on. */
export interface FlowSummary {
  problem?: boolean;
  verdict?: string;
  partial?: boolean;
  ruleName?: string | null;
  layers?: string[];
  parts?: string[];
}

/** The engine's answer, summarized. */
export function engineSummary(engine: EngineContext, q: FlowQuestion): FlowSummary {
  const from = parseEndpoint(engine.topology, q.from);
  const to = parseEndpoint(engine.topology, q.to);
  if (!from.ok || !to.ok) return { problem: true };
  const port = (t: string) => (t === "" || t === "*" ? undefined : Number(t));
  const a = checkFlow(engine, {
    from: from.endpoint,
    to: to.endpoint,
    protocol: q.protocol as FlowProtocol,
    destinationPort: port(q.port),
    sourcePort: port(q.sourcePort),
  });
  if (a.parts) {
    return {
      verdict: a.verdict,
      partial: a.partial,
      parts: [...new Set(a.parts.map((p) => `${p.verdict}|${p.ruleName ?? ""}`))].sort(),
    };
  }
  return {
    verdict: a.verdict,
    partial: a.partial,
    ruleName: a.ruleName ?? null,
    layers: a.layers.map((l) => `${l.direction} ${l.scope} ${l.evaluated ? l.access : "-"} ${l.ruleName ?? ""}`),
  };
}

/** The page's answer, summarized the same way. */
export function pageSummary(a: PageAnswer): FlowSummary {
  if (a.problem) return { problem: true };
  if (a.parts) {
    return {
      verdict: a.verdict,
      partial: a.partial,
      parts: [...new Set(a.parts.map((p) => `${p.verdict}|${p.ruleName ?? ""}`))].sort(),
    };
  }
  return {
    verdict: a.verdict,
    partial: a.partial,
    ruleName: a.ruleName ?? null,
    layers: a.layers.map((l) => `${l.direction} ${l.scope} ${l.evaluated ? l.access : "-"} ${l.ruleName ?? ""}`),
  };
}

/** A deterministic list of flow questions over the ends an engine's inputs offer. */
export function flowQuestions(engine: EngineContext, count: number, seed: number): FlowQuestion[] {
  const rand = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const view = buildReportView(engine, []);
  const subnets = view.data.flow.subnets;
  const addresses = [
    ...subnets.map((s) => s.label),
    ...subnets.flatMap((s) => s.nics.map((n) => n.address)),
    ...subnets.flatMap((s) =>
      s.prefixes
        .filter((p) => p.version === 4)
        .map((p) => {
          const v = Number(BigInt(p.first) + BigInt(Math.floor(rand() * Number(BigInt(p.last) - BigInt(p.first)))));
          return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
        }),
    ),
    "8.8.8.8",
    "168.63.129.16",
    "169.254.169.254",
    "192.168.0.7",
    "10.2.3.4",
    "fd00:1:5::10",
    "2001:db8::1",
  ];
  const sets = [
    "10.0.0.0/8",
    "0.0.0.0/0",
    "192.168.0.0/16",
    "fd00::/8",
    "VirtualNetwork",
    "AzureLoadBalancer",
    "Internet",
    ...Object.values(view.data.flow.tags)
      .map((t) => t.name)
      .filter((n) => !/^(Storage|AzureCloud|AzureMonitor|EventHub|Sql)$/i.test(n)),
  ];
  const ports = ["*", "443", "80", "22", "3443", "53", "1433", "5050", "6000", "4005", "8080", "6390", "0", "65535"];
  const out: FlowQuestion[] = [];
  for (let i = 0; i < count; i++) {
    const setEnd = rand() < 0.3;
    const fromSet = setEnd && rand() < 0.5;
    out.push({
      from: fromSet ? pick(sets) : pick(addresses),
      to: setEnd && !fromSet ? pick(sets) : pick(addresses),
      protocol: pick(["Tcp", "Tcp", "Udp", "Icmp", "Esp"]),
      port: rand() < 0.1 ? String(Math.floor(rand() * 65536)) : pick(ports),
      sourcePort: rand() < 0.15 ? pick(["2000", "80", "1023"]) : "",
    });
  }
  return out;
}

describe("the HTML report's flow tester agrees with the engine", () => {
  for (const [name, path, count] of [
    ["the bundled example", EXAMPLE, 300],
    ["subnet and NIC NSGs, shared priorities, ICMP, IPv6, platform addresses", FLOW_CASES, 600],
    ["hostile names and a rule with an unresolved source", HOSTILE, 300],
  ] as const) {
    it(name, () => {
      const engine = engineFor(path);
      const tester = createFlowTester(buildReportView(engine, []).data.flow);
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
    const engine = engineFor(EXAMPLE);
    const tester = createFlowTester(buildReportView(engine, []).data.flow);
    const a = tester.check({ from: "ApiManagement", to: "vnet-apim/snet-apim", protocol: "Tcp", port: "3443" });
    expect(a.verdict).toBe("Deny");
    expect(a.ruleName).toBe("securityRules/Deny-Inbound-Default");
    expect(a.layers[0]?.where).toMatch(/network\.json:\d+:\d+$/);
  });

  it("reports a wrong question instead of answering it", () => {
    const tester = createFlowTester(buildReportView(engineFor(EXAMPLE), []).data.flow);
    expect(tester.check({ from: "no such/subnet", to: "10.1.1.4", protocol: "Tcp", port: "1" }).problem).toMatch(
      /no subnet/,
    );
    expect(tester.check({ from: "10.1.1.4", to: "10.2.1.4", protocol: "Gre", port: "1" }).problem).toMatch(/protocol/);
    expect(tester.check({ from: "10.1.1.4", to: "10.2.1.4", protocol: "Tcp", port: "70000" }).problem).toMatch(/port/);
  });
});
