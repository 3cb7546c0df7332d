/**
 * @module report/html/budget
 * Report layer: what the HTML report of a large estate holds in full, and what it only counts. A page of
 * 20,000 subnets with every NSG's rules (twice: as written, and compiled for the flow tester) and every
 * finding in full is hundreds of megabytes, more than a browser opens or Node builds in 2 GB (issue 17). So,
 * like the diagram's summary view, the page has bounds, and says where it met them:
 * - findings: at most FINDINGS_PER_CHECK in full per check and severity, the rest counted per check;
 * - NSG rules (the rules tables and the flow tester's data): the VNets in order of what matters most for API
 *   Management (VNets holding an instance, then by their worst finding, then the rest in input order), as
 *   many as fit in RULE_BUDGET rules; the other VNets' subnets keep their routes, and their NSG side of a flow
 *   is Unknown in the page, with the CLI command that answers it.
 * `report --full` lifts both bounds. Pure: (topology, graph, findings) => choice.
 */
import type { Finding, Severity } from "../../checks/types.js";
import type { NetworkSecurityGroup, VirtualNetwork } from "../../model/resources.js";
import type { Topology } from "../../model/topology.js";
import { type DiagramGraph, worstSeverity } from "../diagram/graph.js";
import type { NicsIn } from "./flow-data.js";

/** Findings shown in full per check id and severity; a page of 7,000 shadowed-rule warnings helps nobody. */
export const FINDINGS_PER_CHECK = 500;

/**
 * NSG rules (user and default) whose tables and flow data the page holds. Measured at about 650 bytes of page
 * per rule (bench/report.bench.mjs), so about 32 MB: a 2,000-subnet estate fits whole, and a browser still opens
 * the page.
 */
export const RULE_BUDGET = 50_000;

export interface PageBounds {
  findingsPerCheck: number;
  ruleBudget: number;
}

/** Findings of one check and severity beyond the bound, counted. */
export interface FindingsCounted {
  id: string;
  severity: Severity;
  count: number;
}

/** What the page holds in full and what it summarised; `lines` is empty when nothing was. */
export interface PageSummary {
  /** The findings shown in full, in their order. */
  findings: Finding[];
  /** The findings left out, counted per check and severity. */
  counted: FindingsCounted[];
  /** VNets whose NSG rules the page holds. */
  vnetsInFull: ReadonlySet<VirtualNetwork>;
  /** NSGs whose rules the page holds (those of `vnetsInFull`' subnets and NICs). */
  nsgsInFull: ReadonlySet<NetworkSecurityGroup>;
  /** The summary in sentences, for the page and stderr. */
  lines: string[];
}

const n = (x: number) => x.toLocaleString("en-US");

/** At most `perCheck` findings of each check and severity, in their order; the rest counted. */
export function boundFindings(
  findings: readonly Finding[],
  perCheck: number,
): { shown: Finding[]; counted: FindingsCounted[] } {
  const seen = new Map<string, FindingsCounted>();
  const shown: Finding[] = [];
  for (const f of findings) {
    const key = `${f.severity}\u0000${f.id}`;
    let c = seen.get(key);
    if (!c) {
      c = { id: f.id, severity: f.severity, count: 0 };
      seen.set(key, c);
    }
    c.count++;
    if (c.count <= perCheck) shown.push(f);
  }
  const counted = [...seen.values()]
    .filter((c) => c.count > perCheck)
    .map((c) => ({ ...c, count: c.count - perCheck }));
  return { shown, counted };
}

const RANK: Record<Severity, number> = { error: 1, warning: 2, info: 3 };

/**
 * The VNets in the order the page fills its rule budget: those holding an API Management instance, then by
 * their worst finding mark (on the VNet or on anything drawn in it: error, warning, info), then the rest; input
 * order within each rank.
 */
function vnetOrder(topology: Topology, full: DiagramGraph): VirtualNetwork[] {
  const vnetOfGroup = new Map<string, VirtualNetwork>();
  const rank = new Map<VirtualNetwork, number>();
  const better = (vnet: VirtualNetwork | undefined, r: number) => {
    if (vnet && r < (rank.get(vnet) ?? 4)) rank.set(vnet, r);
  };
  for (const g of full.groups) {
    const vnet = topology.vnets.get(g.resourceId);
    if (!vnet) continue;
    vnetOfGroup.set(g.id, vnet);
    const worst = worstSeverity(g.marks);
    if (worst) better(vnet, RANK[worst]);
  }
  for (const node of full.nodes) {
    if (node.group === undefined) continue;
    const vnet = vnetOfGroup.get(node.group);
    if (node.kind === "apim") better(vnet, 0);
    const worst = worstSeverity(node.marks);
    if (worst) better(vnet, RANK[worst]);
  }
  const order = [...topology.vnets.values()].map((vnet, at) => ({ vnet, at, rank: rank.get(vnet) ?? 4 }));
  order.sort((a, b) => a.rank - b.rank || a.at - b.at);
  return order.map((o) => o.vnet);
}

/** The NSGs a VNet's subnets and their NICs are associated with (those in the inputs). */
function nsgsOf(topology: Topology, vnet: VirtualNetwork, nicsIn: NicsIn): Set<NetworkSecurityGroup> {
  const out = new Set<NetworkSecurityGroup>();
  const add = (id: string | undefined) => {
    const nsg = id ? topology.nsgs.get(id) : undefined;
    if (nsg) out.add(nsg);
  };
  for (const ref of vnet.subnets) {
    const subnet = topology.subnets.get(ref.id) ?? ref;
    add(subnet.networkSecurityGroup?.id);
    for (const { nic } of nicsIn(subnet)) add(nic.networkSecurityGroup?.id);
  }
  return out;
}

const ruleCount = (nsg: NetworkSecurityGroup) => nsg.securityRules.length + nsg.defaultSecurityRules.length;

/** What the page holds in full under `bounds` (undefined: everything, as `report --full` asks); `nicsIn` as flow-data's. */
export function boundPage(
  topology: Topology,
  full: DiagramGraph,
  findings: readonly Finding[],
  bounds: PageBounds | undefined,
  nicsIn: NicsIn,
): PageSummary {
  const everything = [...topology.vnets.values()];
  const vnetsInFull = new Set<VirtualNetwork>();
  const nsgsInFull = new Set<NetworkSecurityGroup>();
  let rules = 0;
  let totalRules = 0;
  const counted = new Set<NetworkSecurityGroup>();
  for (const vnet of bounds ? vnetOrder(topology, full) : everything) {
    const nsgs = nsgsOf(topology, vnet, nicsIn);
    let added = 0;
    for (const nsg of nsgs) if (!nsgsInFull.has(nsg)) added += ruleCount(nsg);
    for (const nsg of nsgs)
      if (!counted.has(nsg)) {
        counted.add(nsg);
        totalRules += ruleCount(nsg);
      }
    // As many VNets as fit, in order: one too large for what is left does not stop smaller ones after it.
    if (bounds && rules + added > bounds.ruleBudget) continue;
    rules += added;
    vnetsInFull.add(vnet);
    for (const nsg of nsgs) nsgsInFull.add(nsg);
  }
  const { shown, counted: left } = bounds
    ? boundFindings(findings, bounds.findingsPerCheck)
    : { shown: [...findings], counted: [] };
  const lines: string[] = [];
  if (left.length > 0) {
    const leftOut = left.reduce((a, c) => a + c.count, 0);
    lines.push(
      `Findings: ${n(shown.length)} of ${n(findings.length)} are shown in full (at most ${n(bounds!.findingsPerCheck)} per check and severity); the other ${n(leftOut)} are counted under Findings, and every finding is marked in the diagram. apim-netcheck check --format json lists them all.`,
    );
  }
  if (vnetsInFull.size < everything.length) {
    const subnetsOut = everything.filter((v) => !vnetsInFull.has(v)).reduce((a, v) => a + v.subnets.length, 0);
    lines.push(
      `NSG rules: this page holds the rules of ${n(vnetsInFull.size)} of ${n(everything.length)} VNets (${n(rules)} of ${n(totalRules)} rules, at most ${n(bounds!.ruleBudget)}: VNets with API Management first, then those with the most severe findings, then the rest in input order). For the ${n(subnetsOut)} subnets of the other VNets the page shows routes but not rules, and the flow tester answers Unknown for their NSGs; apim-netcheck flow and apim-netcheck routes answer for any subnet.`,
    );
  }
  if (lines.length > 0)
    lines.push(
      "Run apim-netcheck report with --full to write everything (a page of this estate in full is very large).",
    );
  return { findings: shown, counted: left, vnetsInFull, nsgsInFull, lines };
}
