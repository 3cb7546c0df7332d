/**
 * The fuzz harness catches what it is meant to: a case that never ends (the worker is stopped and the
 * input named), a case over its time limit, and an exception that is not a documented typed error.
 */
import { afterAll, describe, expect, it } from "vitest";
import { FuzzWorker } from "./harness/run.js";

const MODULE = new URL("./targets/self-test.ts", import.meta.url).href;
const worker = new FuzzWorker(1500);
afterAll(() => worker.close());

describe("fuzz harness", () => {
  it("a hang stops the worker and names the input", async () => {
    const outcome = await worker.run({ module: MODULE, target: "hangs on 7", runs: 200, seed: 1, caseLimitMs: 1000 });
    expect(outcome).toMatchObject({ ok: false, hung: true, counterexample: "7" });
    // The next job gets a fresh worker.
    const next = await worker.run({ module: MODULE, target: "well behaved", runs: 100, seed: 1, caseLimitMs: 1000 });
    expect(next).toMatchObject({ ok: true, numRuns: 100 });
  });

  it("a case over its time limit fails with its input", async () => {
    const outcome = await worker.run({ module: MODULE, target: "slow on 7", runs: 100, seed: 2, caseLimitMs: 100 });
    expect(outcome.ok).toBe(false);
    expect(outcome.counterexample).toBe("7");
    expect(outcome.error).toMatch(/slow case: \d+ ms \(limit 100 ms\)/);
  });

  it("only documented typed errors may escape", async () => {
    const outcome = await worker.run({
      module: MODULE,
      target: "typed errors only",
      runs: 100,
      seed: 3,
      caseLimitMs: 1000,
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.counterexample).toBe("3");
    expect(outcome.error).toContain("TypeError: undocumented");
  });
});
