/**
 * The diagram: the graph built from a topology (VNets, subnets, NSGs, route tables, peerings with state and
 * flags, gateways and on-premises, APIM and backends, findings marked), its Mermaid text (sanitized ids, quoted
 * and encoded labels) and its SVG (laid out by elkjs, every text escaped).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hubAndSpoke } from "../../bench/gen-hub-spoke.mjs";
import type { Finding } from "../../src/checks/types.js";
import { main } from "../../src/cli/main.js";
import { buildDiagram, type DiagramGraph, sanitizeId } from "../../src/report/diagram/graph.js";
import { type Box, connectedParts, ELK_BUDGET, layoutDiagram, PART_LIMIT } from "../../src/report/diagram/layout.js";
import { mermaidText, printMermaid } from "../../src/report/diagram/mermaid.js";
import { SUMMARY_THRESHOLD, summarizeGraph } from "../../src/report/diagram/summary.js";
import { printSvg } from "../../src/report/diagram/svg.js";
import { REPO_ROOT } from "../helpers/corpus.js";
import { EXAMPLE, engineFor, HOSTILE } from "./helpers.js";

const GATEWAY = `${REPO_ROOT}/test/fixtures/routes/hub-spoke-gateway-transit.json`;
const REMOTE = `${REPO_ROOT}/test/fixtures/flow/peer-not-in-inputs.json`;

function graphOf(path: string, findings: Finding[] = []): DiagramGraph {
  return buildDiagram(engineFor(path).topology, findings);
}

function node(graph: DiagramGraph, title: string) {
  const found = graph.nodes.find((n) => n.title === title);
  if (!found) throw new Error(`no node ${title}: ${graph.nodes.map((n) => n.title).join(", ")}`);
  return found;
}

function finding(resource: string, evidence: string[] = []): Finding {
  return {
    id: "TEST-CHECK",
    severity: "warning",
    title: "t",
    message: "m",
    resource,
    location: { file: "f", line: 1 },
    evidence: evidence.map((r) => ({ kind: "resource", text: "e", resource: r })),
    fix: [],
  };
}

describe("diagram graph", () => {
  it("groups subnets, the NSG, the route table and the instance in their VNets", () => {
    const g = graphOf(EXAMPLE);
    expect(g.groups.map((x) => x.title)).toEqual(["vnet-hub", "vnet-apim", "vnet-app"]);
    const apimGroup = g.groups.find((x) => x.title === "vnet-apim")!.id;
    for (const title of ["snet-apim", "nsg-apim", "rt-apim", "apim-contoso"])
      expect(node(g, title).group).toBe(apimGroup);
    const subnet = node(g, "snet-apim");
    expect(subnet.lines).toEqual(["10.1.1.0/27"]);
    const attached = g.edges.filter((e) => e.from === subnet.id).map((e) => [e.kind, e.to, e.dashed]);
    expect(attached).toEqual([
      ["nsg", node(g, "nsg-apim").id, true],
      ["routeTable", node(g, "rt-apim").id, true],
    ]);
    expect(node(g, "nsg-apim").lines).toEqual(["NSG, 4 rules"]);
    expect(node(g, "rt-apim").lines).toEqual(["route table, 1 route"]);
  });

  it("draws peerings with their derived state and both halves' flags, dashed unless Connected", () => {
    const g = graphOf(EXAMPLE);
    const peerings = g.edges.filter((e) => e.kind === "peering");
    expect(peerings).toHaveLength(2);
    const [hub, app] = peerings;
    expect(hub!.label).toBe(
      "Connected\nhub-to-apim: access, forwarded, gateway transit\napim-to-hub: access, forwarded",
    );
    expect([hub!.dashed, hub!.arrow]).toEqual([false, "both"]);
    expect(app!.label).toBe("Initiated\napim-to-app: access");
    expect([app!.dashed, app!.arrow]).toEqual([true, "forward"]);
  });

  it("leads a backend to the subnet holding its address, and a peering to a VNet not in the inputs to an external node", () => {
    const g = graphOf(EXAMPLE);
    const backend = g.edges.find((e) => e.kind === "backend")!;
    expect([backend.from, backend.to]).toEqual([node(g, "apim-contoso").id, node(g, "snet-app").id]);
    expect(backend.label).toBe("backend orders: http://10.2.1.10:8080/api");
    const remote = graphOf(REMOTE);
    const external = remote.nodes.find((n) => n.kind === "external")!;
    expect(external.title).toBe("remote");
    expect(remote.edges.find((e) => e.kind === "peering")).toMatchObject({ to: external.id, dashed: true });
  });

  it("shows gateways in their VNet and on-premises through connections", () => {
    const g = graphOf(GATEWAY);
    const gw = node(g, "hub-vgw");
    expect(gw.kind).toBe("gateway");
    expect(gw.group).toBe(g.groups.find((x) => x.title === "hub")!.id);
    const onprem = node(g, "branch");
    expect(onprem.kind).toBe("onPremises");
    expect(onprem.lines).toEqual(["on-premises", "192.168.50.0/24, 172.30.0.0/16"]);
    expect(g.edges.find((e) => e.kind === "connection")).toMatchObject({ from: gw.id, to: onprem.id });
    const spoke = g.edges.find((e) => e.kind === "peering" && e.label.includes("use remote gateways"));
    expect(spoke?.label).toContain("spoke1-to-hub: access, use remote gateways");
  });

  it("marks a finding on the most specific object it or its evidence names", () => {
    const engine = engineFor(EXAMPLE);
    const nsg = engine.topology.model.networkSecurityGroups[0]!;
    const vnet = engine.topology.model.virtualNetworks.find((v) => v.name === "vnet-apim")!;
    const g = buildDiagram(engine.topology, [
      finding(nsg.securityRules[0]!.id),
      finding("/subscriptions/x/resourceGroups/y/providers/Microsoft.Compute/virtualMachines/vm", [
        vnet.virtualNetworkPeerings[0]!.id,
      ]),
    ]);
    expect(node(g, "nsg-apim").marks).toEqual([{ checkId: "TEST-CHECK", severity: "warning" }]);
    expect(node(g, "snet-apim").marks).toEqual([]);
    const marked = g.edges.filter((e) => e.marks.length > 0);
    expect(marked.map((e) => e.kind)).toEqual(["peering"]);
    expect(g.groups.every((x) => x.marks.length === 0)).toBe(true);
  });
});

describe("Mermaid", () => {
  it("prints a flowchart with subgraphs, shapes, edges and classes", () => {
    const text = printMermaid(graphOf(EXAMPLE));
    const lines = text.split("\n");
    expect(lines[0]).toBe("flowchart LR");
    expect(lines.filter((l) => l.trim().startsWith("subgraph ")).length).toBe(3);
    expect(lines.filter((l) => l.trim() === "end").length).toBe(3);
    expect(text).toContain('  vnet_vnet_apim -.->|"Initiated<br/>apim-to-app: access"| vnet_vnet_app\n');
    expect(text).toContain('nsg_nsg_apim{{"nsg-apim<br/>NSG, 4 rules"}}');
  });

  it("keeps hostile names inside their quoted labels, as entity codes", () => {
    const text = printMermaid(graphOf(HOSTILE));
    for (const line of text.split("\n")) {
      // Outside labels only ids, keywords, arrows and styles; inside, no quote, angle bracket or pipe but <br/>.
      const labels = [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
      for (const label of labels) expect(label.replace(/<br\/>/g, "")).toMatch(/^[^<>"|[\]{}]*$/);
      const outside = line.replace(/"[^"]*"/g, '""');
      expect(outside).not.toMatch(/<[A-Za-z!/]|on[a-z]+=/);
    }
    expect(text).toContain(mermaidText("<script>alert(1)</script>"));
    expect(mermaidText('"><img src=x onerror=alert(1)>')).toBe("#34;#62;#60;img src=x onerror=alert(1)#62;");
  });

  it("sanitizes ids to [A-Za-z0-9_]", () => {
    expect(sanitizeId('"><img src=x onerror=alert(1)>')).toBe("img_src_x_onerror_alert_1");
    expect(sanitizeId("<>")).toBe("x");
    for (const n of graphOf(HOSTILE).nodes) expect(n.id).toMatch(/^[a-z]+_[A-Za-z0-9_]+$/);
  });
});

describe("SVG", () => {
  it("lays out every node inside its group and escapes every text", async () => {
    const g = graphOf(HOSTILE);
    const layout = await layoutDiagram(g);
    for (const n of layout.nodes) {
      const group = layout.groups.find((x) => x.group.id === n.node.group);
      if (!group) continue;
      expect(n.x).toBeGreaterThanOrEqual(group.x);
      expect(n.x + n.width).toBeLessThanOrEqual(group.x + group.width + 0.5);
    }
    expect(layout.edges.every((e) => e.points.length >= 2)).toBe(true);
    const svg = printSvg(layout);
    const tags = new Set([...svg.matchAll(/<\/?([A-Za-z]+)/g)].map((m) => m[1]));
    expect([...tags].sort()).toEqual(["defs", "g", "marker", "path", "rect", "style", "svg", "text", "title"]);
    expect(svg).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(svg).toContain("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    expect(svg).not.toMatch(/<[^>]*\son[a-z]+=/);
  });

  it("packs unconnected VNets in rows instead of one tall column", async () => {
    const graph: DiagramGraph = { groups: [], nodes: [], edges: [] };
    for (let i = 0; i < 9; i++) {
      graph.groups.push({ id: `vnet_${i}`, title: `vnet-${i}`, lines: [], resourceId: `v${i}`, marks: [] });
      graph.nodes.push({
        id: `subnet_${i}`,
        kind: "subnet",
        title: "default",
        lines: [],
        group: `vnet_${i}`,
        marks: [],
      });
    }
    graph.edges.push({
      id: "e0",
      kind: "peering",
      from: "vnet_0",
      to: "vnet_1",
      label: "Connected",
      dashed: false,
      arrow: "both",
      resourceIds: [],
      marks: [],
    });
    expect(connectedParts(graph).map((p) => p.groups.map((g) => g.id))).toEqual([
      ["vnet_0", "vnet_1"],
      ...[2, 3, 4, 5, 6, 7, 8].map((i) => [`vnet_${i}`]),
    ]);
    const layout = await layoutDiagram(graph);
    const rows = new Set(layout.groups.map((g) => Math.round(g.y)));
    expect(rows.size).toBeGreaterThan(1);
    expect(rows.size).toBeLessThan(8);
    // No two groups overlap.
    for (const a of layout.groups)
      for (const b of layout.groups)
        if (a !== b)
          expect(a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y).toBe(
            true,
          );
  });

  it("marks subnets for the report to click", async () => {
    const svg = printSvg(await layoutDiagram(graphOf(EXAMPLE)), { inline: true });
    expect(svg.startsWith("<svg ")).toBe(true);
    expect([...svg.matchAll(/data-subnet="([^"]+)"/g)].map((m) => m[1])).toEqual([
      "subnet_vnet_hub_AzureFirewallSubnet",
      "subnet_vnet_hub_GatewaySubnet",
      "subnet_vnet_apim_snet_apim",
      "subnet_vnet_app_snet_app",
    ]);
  });
});

describe("summary view", () => {
  it("leaves a graph at or below the threshold as it is", () => {
    const g = graphOf(EXAMPLE);
    expect(summarizeGraph(g)).toBe(g);
    expect(summarizeGraph(g, g.groups.length + g.nodes.length)).toBe(g);
  });

  it("draws each VNet as one box that counts what it holds and keeps every finding mark", () => {
    const engine = engineFor(EXAMPLE);
    const nsg = engine.topology.model.networkSecurityGroups[0]!;
    const subnet = engine.topology.model.virtualNetworks.find((v) => v.name === "vnet-app")!.subnets[0]!;
    const full = buildDiagram(engine.topology, [finding(nsg.securityRules[0]!.id), finding(subnet.id)]);
    const s = summarizeGraph(full, 3);
    expect(s.groups).toEqual([]);
    const vnets = s.nodes.filter((n) => n.kind === "vnet");
    expect(vnets.map((n) => n.title)).toEqual(["vnet-hub", "vnet-apim", "vnet-app"]);
    const apim = vnets.find((n) => n.title === "vnet-apim")!;
    expect(apim.lines.at(-1)).toBe("1 subnet, 1 NSG, 1 route table");
    expect(apim.marks).toEqual([{ checkId: "TEST-CHECK", severity: "warning" }]);
    expect(vnets.find((n) => n.title === "vnet-app")!.marks).toHaveLength(1);
    expect(vnets.find((n) => n.title === "vnet-hub")!.marks).toEqual([]);
    // Gateways and the APIM instance stay boxes of their own, joined to their VNet's box.
    const instance = s.nodes.find((n) => n.kind === "apim")!;
    expect(instance.group).toBeUndefined();
    expect(s.edges.some((e) => e.from === instance.id && e.to === apim.id)).toBe(true);
    // Peerings keep their ends (the VNet boxes keep the groups' ids).
    expect(s.edges.filter((e) => e.kind === "peering").map((e) => e.label)).toEqual(
      full.edges.filter((e) => e.kind === "peering").map((e) => e.label),
    );
    // Nothing lost without saying: what is folded plus what is drawn is the whole.
    const summary = s.summary!;
    const folded = Object.values(summary.folded).reduce((a, b) => a + (b ?? 0), 0);
    expect(folded + s.nodes.length - vnets.length).toBe(full.nodes.length);
    expect(summary.vnets).toBe(full.groups.length);
    expect(summary.boxes).toBe(full.groups.length + full.nodes.length);
    expect(s.edges.length + summary.edgesInside + summary.edgesMerged).toBe(full.edges.length);
    expect(summary.lines[0]).toBe(
      `Summary view: the full diagram has ${summary.boxes} boxes, more than the 3 drawn in full, so each of the 3 VNets is one box with what it holds (4 subnets, 1 NSG, 1 route table) and every finding on it.`,
    );
    expect(summary.lines.join(" ")).toContain("--full");
  });

  it("merges edges of one kind between the same two boxes and says how many", () => {
    const graph: DiagramGraph = { groups: [], nodes: [], edges: [] };
    graph.groups.push({ id: "vnet_a", title: "a", lines: [], resourceId: "a", marks: [] });
    graph.nodes.push({ id: "nsg_shared", kind: "nsg", title: "shared", lines: [], marks: [] });
    for (let i = 0; i < 3; i++) {
      graph.nodes.push({ id: `subnet_${i}`, kind: "subnet", title: `s${i}`, lines: [], group: "vnet_a", marks: [] });
      graph.edges.push({
        id: `e${i}`,
        kind: "nsg",
        from: `subnet_${i}`,
        to: "nsg_shared",
        label: "NSG",
        dashed: true,
        arrow: "none",
        resourceIds: [],
        marks: i === 2 ? [{ checkId: "X", severity: "error" }] : [],
      });
    }
    const s = summarizeGraph(graph, 1);
    expect(s.edges).toEqual([
      expect.objectContaining({ from: "vnet_a", to: "nsg_shared", label: "NSG\nand 2 more like it" }),
    ]);
    expect(s.edges[0]!.marks).toEqual([{ checkId: "X", severity: "error" }]);
    expect(s.summary!.edgesMerged).toBe(2);
  });

  it("is said by the Mermaid text, the SVG and the diagram command, and --full draws everything", async () => {
    const s = summarizeGraph(graphOf(EXAMPLE), 3);
    const mermaid = printMermaid(s);
    expect(mermaid.split("\n")[1]).toBe(`%% ${s.summary!.lines[0]}`);
    expect(mermaid).toContain(`summary_note["${mermaidText(s.summary!.lines[0]!)}`);
    const svg = printSvg(await layoutDiagram(s));
    expect(svg).toContain('<g class="notes">');
    expect(svg).toContain("Run with --full to draw every subnet");

    const dir = mkdtempSync(join(tmpdir(), "apim-netcheck-diagram-"));
    try {
      // 130 VNets of 8 subnets, an NSG and a route table: 1,430 boxes, above the threshold.
      const file = join(dir, "estate.json");
      writeFileSync(file, hubAndSpoke(130, 8));
      expect(130 * 11).toBeGreaterThan(SUMMARY_THRESHOLD);
      const run = async (...args: string[]) => {
        let out = "";
        let err = "";
        const io = { out: (t: string) => (out += t), err: (t: string) => (err += t), isTty: false, env: {} };
        return { code: await main(["diagram", file, "--no-findings", ...args], io), out, err };
      };
      const summary = await run();
      expect(summary.code).toBe(0);
      expect(summary.err).toMatch(
        /^diagram: Summary view: the full diagram has 1,430 boxes, .*\(--full draws every subnet\)\n$/,
      );
      expect(summary.out).toContain("%% Summary view");
      expect(summary.out).not.toContain("snet-3");
      const full = await run("--full");
      expect(full.code).toBe(0);
      expect(full.err).toBe("");
      expect(full.out).not.toContain("Summary view");
      expect([...full.out.matchAll(/snet-3/g)]).toHaveLength(130);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("layout of many parts", () => {
  it("lays out parts past the elkjs budget box by box, straight edges, and says how many", async () => {
    // Three stars of 1 + 4 boxes; a budget of 10 boxes takes the first two with elkjs.
    const graph: DiagramGraph = { groups: [], nodes: [], edges: [] };
    for (let s = 0; s < 3; s++)
      for (let i = 0; i <= 4; i++) {
        graph.nodes.push({ id: `vnet_${s}_${i}`, kind: "vnet", title: `vnet-${s}-${i}`, lines: [], marks: [] });
        if (i > 0)
          graph.edges.push({
            id: `e${s}_${i}`,
            kind: "peering",
            from: `vnet_${s}_0`,
            to: `vnet_${s}_${i}`,
            label: "Connected",
            dashed: false,
            arrow: "both",
            resourceIds: [],
            marks: [],
          });
      }
    const layout = await layoutDiagram(graph, { elkBudget: 10 });
    expect(layout.notes).toEqual([
      `1 connected part(s) of more than ${PART_LIMIT} boxes, or past the first 10 boxes, laid out VNet by VNet, with straight edges between them.`,
    ]);
    expect(layout.nodes).toHaveLength(15);
    expect(layout.edges).toHaveLength(12);
    const overlap = (a: Box, b: Box) =>
      a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    for (const a of layout.nodes) for (const b of layout.nodes) if (a !== b) expect(overlap(a, b)).toBe(false);
    // Within the budget nothing changes: the same graph with room for all three says nothing.
    expect((await layoutDiagram(graph, { elkBudget: 15 })).notes).toBeUndefined();
  });
});

describe("layout of a large connected part", () => {
  it("lays a hub with more spokes than PART_LIMIT out box by box, straight edges, no overlap, and says so", async () => {
    const graph: DiagramGraph = { groups: [], nodes: [], edges: [] };
    const spokes = PART_LIMIT + 100;
    for (let i = 0; i <= spokes; i++)
      graph.nodes.push({ id: `vnet_${i}`, kind: "vnet", title: `vnet-${i}`, lines: ["10.0.0.0/24"], marks: [] });
    for (let i = 1; i <= spokes; i++)
      graph.edges.push({
        id: `e${i}`,
        kind: "peering",
        from: "vnet_0",
        to: `vnet_${i}`,
        label: "Connected",
        dashed: false,
        arrow: "both",
        resourceIds: [],
        marks: [],
      });
    const layout = await layoutDiagram(graph);
    expect(layout.notes).toEqual([
      `1 connected part(s) of more than ${PART_LIMIT} boxes, or past the first ${ELK_BUDGET} boxes, laid out VNet by VNet, with straight edges between them.`,
    ]);
    expect(layout.nodes).toHaveLength(spokes + 1);
    expect(layout.edges).toHaveLength(spokes);
    const boxes = new Map(layout.nodes.map((n) => [n.node.id, n]));
    for (const e of layout.edges) {
      expect(e.points).toHaveLength(2);
      // Each end sits on the border of its box.
      for (const [p, id] of [
        [e.points[0]!, e.edge.from],
        [e.points[1]!, e.edge.to],
      ] as const) {
        const b = boxes.get(id)!;
        const onX = Math.abs(p.x - b.x) < 0.01 || Math.abs(p.x - b.x - b.width) < 0.01;
        const onY = Math.abs(p.y - b.y) < 0.01 || Math.abs(p.y - b.y - b.height) < 0.01;
        expect(onX || onY).toBe(true);
      }
    }
    const sorted = [...layout.nodes].sort((a, b) => a.y - b.y || a.x - b.x);
    for (let i = 1; i < sorted.length; i++) {
      const a = sorted[i - 1]!;
      const b = sorted[i]!;
      if (Math.abs(a.y - b.y) < 0.01) expect(a.x + a.width).toBeLessThanOrEqual(b.x);
    }
    // The hub comes first, its spokes after it.
    expect(layout.nodes[0]!.node.id).toBe("vnet_0");
  });
});
