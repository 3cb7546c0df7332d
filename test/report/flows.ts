/**
 * Test helper: flow questions asked of both the engine (engine/reach checkFlow) and the HTML report's flow
 * tester, and the summary both answers must agree on.
 */
import type { FlowProtocol } from "../../src/engine/nsg/index.js";
import type { EngineContext } from "../../src/engine/reach/context.js";
import { parseEndpoint } from "../../src/engine/reach/endpoint.js";
import { checkFlow } from "../../src/engine/reach/flow.js";
import type { PageAnswer } from "../../src/report/html/client/evaluate.js";
import { buildReportView } from "../../src/report/html/data.js";
import { random } from "./helpers.js";

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
  return summarize(a);
}

/** What the engine's and the page's answers have in common, by shape. */
interface Answer {
  verdict?: string;
  partial?: boolean;
  ruleName?: string | null;
  parts?: readonly { verdict?: string; ruleName?: string | null }[];
  layers: readonly {
    direction: string;
    scope: string;
    evaluated: boolean;
    access?: string;
    ruleName?: string | null;
  }[];
}

/** One summary for both sides: a set answer by its distinct parts, a single one by its verdict and layers. */
function summarize(a: Answer): FlowSummary {
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
  return summarize(a);
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
