/**
 * Timing shared by the benchmarks: the best of `runs` runs of `fn` (after a collection when `--expose-gc`
 * allows it), so one slow run on a busy machine does not set the figure.
 */

/** Collects garbage when the process allows it (`node --expose-gc`), so a run does not pay for the last one's. */
export function collect() {
  if (typeof globalThis.gc === "function") globalThis.gc();
}

/** The best time of `runs` runs of `fn`, in whole milliseconds, and the last run's result. */
export function bestOf(runs, fn) {
  const samples = [];
  let result;
  for (let i = 0; i < runs; i++) {
    result = undefined;
    collect();
    const t0 = process.hrtime.bigint();
    result = fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { ms: Math.round(Math.min(...samples)), result };
}
