/**
 * The diagram: the graph built from a topology (VNets, subnets, NSGs, route tables, peerings with state and
 * flags, gateways and on-premises, APIM and backends, findings marked), its Mermaid text (sanitized ids, quoted
 * and encoded labels) and its SVG (laid out by elkjs, every text escaped).
 */
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/checks/types.js";
import { buildDiagram, type DiagramGraph, sanitizeId } from "../../src/report/diagram/graph.js";
import { connectedParts, layoutDiagram } from "../../src/report/diagram/layout.js";
import { mermaidText, printMermaid } from "../../src/report/diagram/mermaid.js";
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
