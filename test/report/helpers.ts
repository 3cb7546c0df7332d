/**
 * Test helper for the report tests: loads inputs into an engine without the CLI's refusal of what Azure would
 * refuse (so fixtures can hold names and priority conflicts Azure rejects: the report must still be safe and
 * exact on them), and lists flows to ask both the engine and the page's flow tester.
 */
import { runChecks } from "../../src/checks/run.js";
import type { Finding } from "../../src/checks/types.js";
import { EngineContext } from "../../src/engine/reach/context.js";
import { loadInputs } from "../../src/ingest/load.js";
import { loadServiceTagCatalog } from "../../src/ingest/servicetags/load.js";
import { Topology } from "../../src/model/topology.js";
import type { ReportContext } from "../../src/report/context.js";
import { REPO_ROOT } from "../helpers/corpus.js";

export const EXAMPLE = `${REPO_ROOT}/examples/forced-tunnel`;
export const HOSTILE = `${REPO_ROOT}/test/fixtures/report/hostile-names.json`;
export const FLOW_CASES = `${REPO_ROOT}/test/fixtures/report/flow-tester-cases.json`;

let catalog: ReturnType<typeof loadServiceTagCatalog> | undefined;

/** An engine over `paths`, loaded as the CLI loads them but without refusing invalid NSGs. */
export function engineFor(...paths: string[]): EngineContext {
  const { model } = loadInputs(paths);
  catalog ??= loadServiceTagCatalog();
  return new EngineContext(new Topology(model), catalog);
}

/** Findings and a report context for `engine` (as `check` builds them). */
export function reportInputs(engine: EngineContext): { findings: Finding[]; ctx: ReportContext } {
  const model = engine.topology.model;
  return {
    findings: runChecks(engine),
    ctx: {
      toolVersion: "test",
      checks: [],
      inputs: model.inputs,
      unmodeled: model.unmodeled,
      assumptions: [],
      diagnostics: model.diagnostics,
      serviceTags: engine.catalog.meta,
    },
  };
}

/** A small deterministic generator (xorshift), so the flow lists are the same on every run. */
export function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}
