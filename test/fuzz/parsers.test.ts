/**
 * Fuzzing every parser (issue 6): the JSON parser, the ARM expression parser and evaluator, the --assume
 * reader, the Service Tags loader and the export ingesters. No exception escapes but the documented typed
 * errors (InputError and its subclasses), no case runs longer than its limit, and none hangs: the properties
 * run in a worker thread under a watchdog (harness/run.ts). At least 10,000 cases per parser family per run;
 * `npm run fuzz` (FUZZ_RUNS=20) runs twenty times as many. A failure prints its seed: FUZZ_SEED replays it.
 * Under CI the seed is fixed (same cases each run, so a red build is never luck); elsewhere it is fresh.
 */
import { afterAll, describe, expect, it } from "vitest";
import { describeOutcome, FuzzWorker, fuzzSeed, runScale } from "./harness/run.js";

interface Family {
  module: string;
  /** Target name → cases per run at FUZZ_RUNS=1 (they add up to at least 10,000 per family). */
  targets: Record<string, number>;
  caseLimitMs?: number;
  /** Cases per run the family must reach (10,000 for a parser). */
  minimum?: number;
}

const FAMILIES: Record<string, Family> = {
  "JSON parser": {
    module: "./targets/json.ts",
    targets: { "random JSON": 3000, "mutated JSON": 4000, "syntax noise": 2000, "JSON with comments": 1000 },
  },
  "ARM expressions": {
    module: "./targets/arm.ts",
    targets: {
      "expression noise": 2000,
      "generated expressions parse": 2000,
      "mutated expressions parse": 2000,
      "expressions evaluated in a template": 2500,
      "mutated expressions evaluated in a template": 1500,
    },
  },
  "--assume reader": {
    module: "./targets/inputs.ts",
    targets: { "assume: generated": 4000, "assume: mutated": 4000, "assume: noise": 2000 },
  },
  "Service Tags loader": {
    module: "./targets/inputs.ts",
    targets: { "service tags: generated": 6000, "service tags: mutated text": 4000 },
  },
  "export ingesters": {
    module: "./targets/inputs.ts",
    targets: { "exports: loadDocuments": 10000 },
  },
  "text inputs (Bicep and Terraform named)": {
    module: "./targets/inputs.ts",
    targets: { "text inputs: generated": 5000, "text inputs: mutated": 5000 },
  },
  "Bicep parser": {
    module: "./targets/bicep.ts",
    targets: {
      "bicep: noise": 3000,
      "bicep: mutated snippets": 3000,
      "bicep: generated programs print and parse back": 2000,
      "bicep: mutated generated programs": 2000,
    },
  },
  "Bicep evaluator": {
    module: "./targets/bicep-eval.ts",
    targets: {
      "bicep eval: generated programs": 4000,
      "bicep eval: mutated main file": 3000,
      "bicep eval: mutated run of modules and parameters": 3000,
    },
  },
  "Terraform reader": {
    module: "./targets/terraform.ts",
    targets: {
      "terraform: noise parse": 3000,
      "terraform: mutated configurations parse": 3000,
      "terraform: mutated configurations read": 2000,
      "terraform: generated expressions read": 1000,
      "terraform: mutated plans read": 1000,
    },
  },
  /** Not a parser: the whole analysis behind `check` on networks with weird values (about 15 ms a case). */
  "whole analysis": {
    module: "./targets/pipeline.ts",
    targets: { "network analysed by every check": 200 },
    caseLimitMs: 15_000,
    minimum: 200,
  },
  /**
   * Not a parser: main() for every command and format on networks with hostile, Unknown, invalid and duplicated
   * names and values, az fixes executed with a stub az, Bicep and Terraform fixes parsed back (targets/cli.ts).
   * A case of the first four is one run of the CLI (5-20 ms of CPU, several times that on a busy machine), so
   * they run hundreds; the fix text of every kind of change, rendered below main() (targets/cli-fix-text.ts,
   * under a millisecond a case), runs the thousands.
   */
  "whole CLI": {
    module: "./targets/cli.ts",
    targets: {
      "cli: check in every format and fix form": 300,
      "cli: inventory, routes, flow, next-hop": 700,
      "cli: diff, diagram, report, fix --dry-run": 250,
      "cli: fixes executed and parsed back": 300,
      "fix text: every change to every type, in every form": 5200,
      "fix text: several changes in one fix": 3250,
    },
    caseLimitMs: 15_000,
  },
};

const scale = runScale();
const worker = new FuzzWorker();
afterAll(() => worker.close());

describe.each(Object.entries(FAMILIES))("fuzz: %s", (family, spec) => {
  const total = Object.values(spec.targets).reduce((a, b) => a + b, 0);
  const minimum = spec.minimum ?? 10_000;
  it(`at least ${minimum} cases (${total * scale} this run)`, () => {
    expect(total).toBeGreaterThanOrEqual(minimum);
  });

  it.each(Object.entries(spec.targets))(
    "%s",
    async (target, runs) => {
      const outcome = await worker.run({
        module: new URL(spec.module, import.meta.url).href,
        target,
        runs: Math.round(runs * scale),
        seed: fuzzSeed(),
        caseLimitMs: spec.caseLimitMs ?? 2000,
      });
      expect(outcome.ok, describeOutcome(`${family} / ${target}`, outcome)).toBe(true);
    },
    120_000 * scale,
  );
});
