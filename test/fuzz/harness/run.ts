/**
 * Runs fuzz targets (test/fuzz/targets/*.ts) in a worker thread with a watchdog: a case that stops reporting
 * progress for `hangMs` is a hang, the worker is stopped and the outcome names the input. Cases that finish
 * but take longer than `caseLimitMs` fail inside the worker. Run counts: FUZZ_RUNS multiplies the default
 * (`npm run fuzz` sets it), FUZZ_SEED fixes the seed to replay a failure.
 */
import { Worker } from "node:worker_threads";

export interface FuzzJob {
  /** file: URL of the targets module. */
  module: string;
  target: string;
  runs: number;
  seed: number;
  caseLimitMs: number;
  endOnFailure?: boolean;
}

export interface FuzzOutcome {
  ok: boolean;
  numRuns: number;
  seed?: number;
  ms?: number;
  counterexample?: string;
  path?: string;
  error?: string;
  hung?: boolean;
}

const INPUT_BYTES = 64 * 1024;

/** How many times the default number of runs this session asks for (`FUZZ_RUNS`, default 1). */
export function runScale(): number {
  const scale = Number(process.env.FUZZ_RUNS ?? "1");
  return Number.isFinite(scale) && scale > 0 ? scale : 1;
}

/** A seed for CI runs, so that a build does not turn red by chance (`npm run fuzz` explores fresh seeds). */
const CI_SEED = 20_261_127;

/** The seed: FUZZ_SEED when set (to replay), a fixed one under CI, otherwise a fresh one (printed on failure). */
export function fuzzSeed(): number {
  const fixed = Number(process.env.FUZZ_SEED);
  if (process.env.FUZZ_SEED !== undefined && Number.isInteger(fixed)) return fixed;
  if (process.env.CI) return CI_SEED;
  return (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
}

export class FuzzWorker {
  private worker: Worker | undefined;
  private readonly shared = new SharedArrayBuffer(16 + INPUT_BYTES);
  private readonly state = new Int32Array(this.shared, 0, 4);

  constructor(private readonly hangMs = 20_000) {}

  private start(): Worker {
    this.worker ??= new Worker(new URL("./worker.mjs", import.meta.url), {
      workerData: { shared: this.shared },
      resourceLimits: { maxOldGenerationSizeMb: 1536, stackSizeMb: 8 },
    });
    return this.worker;
  }

  /** Runs one job; resolves with its outcome (never rejects). */
  run(job: FuzzJob): Promise<FuzzOutcome> {
    const worker = this.start();
    Atomics.store(this.state, 2, 0);
    return new Promise((resolve) => {
      let last = Atomics.load(this.state, 0);
      let lastMove = Date.now();
      const finish = (outcome: FuzzOutcome) => {
        clearInterval(watchdog);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        resolve(outcome);
      };
      const current = () => {
        const length = Atomics.load(this.state, 1);
        return new TextDecoder().decode(new Uint8Array(this.shared, 16, length).slice());
      };
      const onMessage = (outcome: FuzzOutcome) => finish(outcome);
      const onError = (error: Error) => {
        this.worker = undefined;
        finish({ ok: false, numRuns: 0, error: `worker died: ${error.message}`, counterexample: current() });
      };
      const onExit = (code: number) => {
        this.worker = undefined;
        finish({ ok: false, numRuns: 0, error: `worker exited (${code})`, counterexample: current() });
      };
      const watchdog = setInterval(() => {
        const now = Atomics.load(this.state, 0);
        if (now !== last || Atomics.load(this.state, 2) === 0) {
          last = now;
          lastMove = Date.now();
        } else if (Date.now() - lastMove > this.hangMs) {
          const input = current();
          void worker.terminate();
          this.worker = undefined;
          finish({
            ok: false,
            numRuns: now,
            seed: job.seed,
            hung: true,
            error: `no progress for ${this.hangMs} ms`,
            counterexample: input,
          });
        }
      }, 100);
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }
}

/** A failure as one readable message (seed and path replay it: FUZZ_SEED=<seed>). */
export function describeOutcome(name: string, outcome: FuzzOutcome): string {
  if (outcome.ok) return `${name}: ${outcome.numRuns} cases in ${outcome.ms} ms`;
  return [
    `${name}: ${outcome.hung ? "HANG" : "FAILED"} after ${outcome.numRuns} case(s) (seed ${outcome.seed}, path ${outcome.path})`,
    `input: ${outcome.counterexample}`,
    `error: ${outcome.error}`,
  ].join("\n");
}
