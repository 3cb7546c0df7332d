/**
 * @module checks/util/flows
 * Checks layer: the flows an API Management placement needs (the rows of the requirements table that apply to its
 * kind, mode, platform, regions and units: apim-requirements §1.1-§1.5) and what the network does with each: the
 * NSG verdict with its deciding rule (util/nsg-flows) and, for outbound rows, the next hops of the destinations
 * (engine/reach routesForSet). `apim-netcheck diff` compares these between two input sets.
 */
import { routesForSet } from "../../engine/reach/route-set.js";
import { providerKey } from "../../model/ids.js";
import type { CheckContext } from "../context.js";
import type { ApimPlacement } from "../placements.js";
import { type NsgRequirement, REQUIREMENTS } from "../requirements.js";
import { evaluateRequirement } from "./nsg-flows.js";
import { farAddresses, ruleLabel } from "./requirement-findings.js";

/** One requirement row at one placement, as the network treats it. */
export interface FlowRow {
  /** The instance and region (`apim-test (westeurope)`). */
  instance: string;
  /** Matches the same placement across input sets: service type and name, and region. */
  placementKey: string;
  requirement: Pick<NsgRequirement, "id" | "direction" | "source" | "destination" | "ports" | "protocol" | "purpose">;
  /** NSG verdict for the whole row; `Unknown` when unresolved, `n/a` when the subnet is not in the inputs. */
  verdict: "Allow" | "Deny" | "Unknown" | "n/a";
  /** The rule that denied (or could not decide), for a verdict other than Allow. */
  decidedBy?: string;
  /** Next hop types of the row's destinations (outbound rows only), sorted. */
  nextHops?: string[];
}

/** The v2 tiers' outbound rows (§1.5), as requirement rows. */
function v2Rows(): NsgRequirement[] {
  const outbound = (REQUIREMENTS.v2 as { outbound?: Pick<NsgRequirement, "destination" | "ports" | "protocol">[] })
    .outbound ?? [{ destination: "Storage", ports: ["443"], protocol: "Tcp" }];
  return outbound.map((o, i) => ({
    ...o,
    id: `v2-outbound-${i}`,
    direction: "Outbound",
    source: "VirtualNetwork",
    purpose: `${o.destination} (v2 tiers)`,
    modes: ["External", "Internal"],
    need: { stv2: "required" },
    check: "APIM-OUTBOUND-DEPENDENCY",
    sources: REQUIREMENTS.v2.sources,
  }));
}

/** The requirement rows that apply to `p`. */
export function rowsForPlacement(p: ApimPlacement): NsgRequirement[] {
  if (p.kind === "v2-injection" || p.kind === "v2-integration") return v2Rows();
  if (p.kind !== "classic-injection") return [];
  return REQUIREMENTS.nsgRules.filter((r) => {
    const need = r.need[p.platform];
    if (!need || need === "absent" || !r.modes.includes(p.mode as "External" | "Internal")) return false;
    return (!r.multiRegionOnly || p.multiRegion) && (!r.multiUnitOnly || p.units > 1);
  });
}

/** The key of a placement across input sets. */
export function placementKey(p: ApimPlacement): string {
  return `${providerKey(p.service.id)}|${p.location.toLowerCase().replace(/[\s_-]/g, "")}`;
}

/** Every applicable row of every placement, with the network's answer. */
export function requirementFlows(ctx: CheckContext): FlowRow[] {
  const out: FlowRow[] = [];
  for (const p of ctx.placements) {
    for (const r of rowsForPlacement(p)) {
      const { id, direction, source, destination, ports, protocol, purpose } = r;
      const row: FlowRow = {
        instance: p.label,
        placementKey: placementKey(p),
        requirement: { id, direction, source, destination, ports, protocol, purpose },
        verdict: "n/a",
      };
      const outcome = evaluateRequirement(ctx, p, r);
      if (outcome && p.subnet) {
        row.verdict = outcome.verdict;
        if (outcome.verdict !== "Allow" && outcome.layer) row.decidedBy = ruleLabel(outcome.layer);
        if (direction === "Outbound") {
          const hops = routesForSet(ctx.engine.routes(p.subnet), farAddresses(outcome)).map(
            (part) => part.hop.nextHopType,
          );
          row.nextHops = [...new Set(hops)].sort();
        }
      }
      out.push(row);
    }
  }
  return out;
}
