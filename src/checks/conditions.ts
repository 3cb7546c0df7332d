/**
 * @module checks/conditions
 * Checks layer: the check pack over a network with conditions no input decides (issue "Never a silent pass
 * (I)": an ARM `condition` that cannot be decided is evaluated both ways). Each combination of the conditions
 * (up to three: eight networks; more are taken together, all true and all false, and that is said) is checked on
 * its own; a finding every combination gives is kept as it is, one that only some give becomes Unknown — a
 * warning that names the condition, where it is written, what to give, and in which case the finding holds.
 */
import { type UndecidedCondition, undecidedConditions, withConditionsFalse } from "../engine/whatif/conditions.js";
import type { NetworkModel } from "../model/network.js";
import { formatSource } from "../model/source.js";
import { howToGive } from "../model/unknown.js";
import { findingKey } from "./compare.js";
import { evidenceAt } from "./context.js";
import type { Finding } from "./types.js";

/** More undecided conditions than this are taken together (all true, all false) rather than in every combination. */
const MAX_COMBINED = 3;

interface World {
  /** The conditions taken as false. */
  absent: Set<string>;
}

function worldsOf(conditions: UndecidedCondition[]): { worlds: World[]; together: boolean } {
  if (conditions.length > MAX_COMBINED)
    return { worlds: [{ absent: new Set() }, { absent: new Set(conditions.map((c) => c.condition)) }], together: true };
  const worlds: World[] = [];
  for (let mask = 0; mask < 1 << conditions.length; mask++)
    worlds.push({ absent: new Set(conditions.filter((_, i) => mask & (1 << i)).map((c) => c.condition)) });
  return { worlds, together: false };
}

/** `vnet-hub` or `vnet-hub and 2 more`: the resources of a condition, for sentences. */
function resourcesOf(c: UndecidedCondition): string {
  const [first, ...rest] = c.resources;
  return rest.length === 0 ? (first?.name ?? "?") : `${first?.name} and ${rest.length} more`;
}

function conditionClause(c: UndecidedCondition): string {
  const give = howToGive(c.condition);
  return `the condition ${c.condition} (${formatSource(c.src)}) of ${resourcesOf(c)}, which no input decides${give ? ` (give it with ${give})` : ""}`;
}

/** `if vnet-hub is deployed and nsg-x is not`, for one world. */
function worldClause(world: World, conditions: UndecidedCondition[]): string {
  return conditions
    .map((c) => `${resourcesOf(c)} ${world.absent.has(c.condition) ? "is not deployed" : "is deployed"}`)
    .join(" and ");
}

/**
 * Runs `run` (the check pack on one network) over every way the undecided conditions of `model` can go, and
 * merges the findings as the module note says. `notes` are sentences for the run's assumptions.
 */
export function runAcrossConditions(
  model: NetworkModel,
  run: (network: NetworkModel) => Finding[],
): { findings: Finding[]; notes: string[] } {
  const conditions = undecidedConditions(model);
  if (conditions.length === 0) return { findings: run(model), notes: [] };
  const { worlds, together } = worldsOf(conditions);
  const results = worlds.map((world) => {
    const byKey = new Map<string, Finding>();
    for (const f of run(withConditionsFalse(model, world.absent))) byKey.set(`${findingKey(f)}|${f.message}`, f);
    return { world, byKey };
  });
  const keys = [...new Set(results.flatMap((r) => [...r.byKey.keys()]))];
  const findings: Finding[] = [];
  for (const key of keys) {
    const holding = results.filter((r) => r.byKey.has(key));
    const f = holding[0]!.byKey.get(key)!;
    if (holding.length === results.length) {
      findings.push(f);
      continue;
    }
    const when = holding.map((r) => worldClause(r.world, conditions)).join("; or if ");
    findings.push({
      ...f,
      severity: f.severity === "info" ? "info" : "warning",
      message: `Unknown: whether this holds depends on ${conditions.map(conditionClause).join(" and on ")}. It holds if ${when}: ${f.message}`,
      evidence: [
        ...f.evidence,
        ...conditions.map((c) => evidenceAt("unknown", `undecided: ${conditionClause(c)}`, c.src)),
      ],
    });
  }
  const notes = conditions.map(
    (c) =>
      `${conditionClause(c)}: the network is checked with and without ${resourcesOf(c)}${together ? ` (the ${conditions.length} undecided conditions are taken together: all true, then all false)` : ""}`,
  );
  return { findings, notes };
}
