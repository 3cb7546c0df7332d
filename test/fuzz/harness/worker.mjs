/**
 * The fuzz worker: runs one fast-check property at a time, off the test's thread, so that a case that never
 * ends can be stopped. Before each case it writes the case number and the input (as fast-check prints it)
 * into shared memory; the test's watchdog (run.ts) reads them when the counter stops moving. TypeScript
 * targets load through ts-hooks.mjs.
 */
import { register } from "node:module";
import { parentPort, workerData } from "node:worker_threads";
import fc from "fast-check";

register("./ts-hooks.mjs", import.meta.url);

const { shared } = workerData;
const state = new Int32Array(shared, 0, 4);
const input = new Uint8Array(shared, 16);
const encoder = new TextEncoder();
const modules = new Map();

/** Records that a case starts: counter, then the input's text (cut to the buffer). */
function beat(value) {
  const text = fc.stringify(value);
  const { written } = encoder.encodeInto(text.length > input.length ? text.slice(0, input.length / 4) : text, input);
  Atomics.store(state, 1, written);
  Atomics.add(state, 0, 1);
}

async function target(module, name) {
  if (!modules.has(module)) modules.set(module, await import(module));
  const found = modules.get(module).targets?.[name];
  if (!found) throw new Error(`no fuzz target ${name} in ${module}`);
  return found;
}

parentPort.on("message", async (job) => {
  try {
    const t = await target(job.module, job.target);
    const timed = (started) => {
      const took = performance.now() - started;
      if (took > job.caseLimitMs) throw new Error(`slow case: ${took.toFixed(0)} ms (limit ${job.caseLimitMs} ms)`);
    };
    // A target marked `async` (the CLI's main() is) returns a promise per case: an async property awaits it.
    const property = t.async
      ? fc.asyncProperty(t.arbitrary, async (value) => {
          beat(value);
          const started = performance.now();
          await t.check(value);
          timed(started);
        })
      : fc.property(t.arbitrary, (value) => {
          beat(value);
          const started = performance.now();
          t.check(value);
          timed(started);
        });
    const started = performance.now();
    // Cases start: from here on the watchdog counts (loading the target's modules is not a case).
    Atomics.store(state, 2, 1);
    const details = await fc.check(property, { numRuns: job.runs, seed: job.seed, endOnFailure: job.endOnFailure });
    Atomics.store(state, 2, 0);
    parentPort.postMessage({
      ok: !details.failed,
      numRuns: details.numRuns,
      seed: details.seed,
      ms: Math.round(performance.now() - started),
      ...(details.failed
        ? {
            counterexample: fc.stringify(details.counterexample?.[0]).slice(0, 4000),
            path: details.counterexamplePath,
            error: String(details.errorInstance?.stack ?? details.error ?? "failed").slice(0, 4000),
          }
        : {}),
    });
  } catch (error) {
    Atomics.store(state, 2, 0);
    parentPort.postMessage({ ok: false, numRuns: 0, error: String(error?.stack ?? error) });
  }
});
