/**
 * @module checks/run
 * Checks layer: runs the registered checks over one analysis and orders the findings for people: by instance,
 * then severity (errors first), then check id.
 */
import type { EngineContext } from "../engine/reach/context.js";
import type { Check, CheckContext, ExtraBackend } from "./context.js";
import { CHECKS } from "./index.js";
import { apimPlacements, type PlacementOptions } from "./placements.js";
import { type Finding, SEVERITY_RANK } from "./types.js";
import { PriorityBook } from "./util/fixes.js";

export interface RunOptions extends PlacementOptions {
  /** Only these check ids (all when empty). */
  only?: string[];
  /** Backends named outside the inputs (`--backend host:port`). */
  backends?: ExtraBackend[];
}

/** The context checks run in, for an engine over a loaded model. */
export function checkContext(
  engine: EngineContext,
  options: PlacementOptions & { backends?: ExtraBackend[] } = {},
): CheckContext {
  return {
    model: engine.topology.model,
    topology: engine.topology,
    catalog: engine.catalog,
    engine,
    placements: apimPlacements(engine.topology, options),
    extraBackends: options.backends ?? [],
    priorities: new PriorityBook(),
  };
}

/** Runs the checks; findings sorted by instance, severity, id. */
export function runChecks(
  engine: EngineContext,
  options: RunOptions = {},
  checks: readonly Check[] = CHECKS,
): Finding[] {
  const ctx = checkContext(engine, options);
  // Each check runs at most once; a check that reads others' findings (ctx.findingsOf) gets them from the
  // registry even when --only leaves them out of the report.
  const done = new Map<string, Finding[]>();
  const runOnce = (check: Check) => {
    let found = done.get(check.meta.id);
    if (!found) {
      found = check.run(ctx);
      done.set(check.meta.id, found);
    }
    return found;
  };
  ctx.findingsOf = (ids) =>
    ids.flatMap((id) => {
      const check = checks.find((c) => c.meta.id === id) ?? CHECKS.find((c) => c.meta.id === id);
      return check ? runOnce(check) : [];
    });
  const selected = options.only?.length ? checks.filter((c) => options.only!.includes(c.meta.id)) : checks;
  const findings = selected.flatMap((check) => [...runOnce(check)]);
  return findings.sort(compareFindings);
}

/** The order findings are shown in: by instance, severity (errors first), check id, place. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.instance ?? "~").localeCompare(b.instance ?? "~") ||
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    a.id.localeCompare(b.id) ||
    a.location.file.localeCompare(b.location.file) ||
    a.location.line - b.location.line
  );
}
