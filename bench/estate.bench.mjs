/**
 * Benchmark: what a command costs on the user's estate (issue 17). Generates hub-and-spoke estates
 * (bench/estate-gen.mjs) of about 500, 2,000 and 20,000 subnets (`--quick`: the smallest two; ESTATE_STRESS=1 adds
 * 50,000; ESTATE_SIZES=500,5000 chooses others) and runs each command of the compiled CLI (bin/apim-netcheck, or
 * ESTATE_CLI) in its own process, as a user does: `inventory`, `routes`, `flow` and `next-hop` about one subnet,
 * `check` (all checks), `diagram` (SVG, findings marked) and `report`. For each it prints the best wall time of
 * ESTATE_RUNS runs (default 3), the ratio to reading and JSON.parse of the same bytes in this process (the figure
 * that counts: both are measured in the same run on the same machine), and the peak resident memory of the child
 * (`/usr/bin/time`, when present). A command over ESTATE_TIMEOUT seconds (default 300) is stopped and shown as
 * `>` that limit. The growth exponent of each command, log(t_large / t_small) / log(n_large / n_small) from the
 * smallest to the largest size, is computed on the time above a process's fixed start-up (the same CLI on an empty
 * template), so start-up does not hide growth. Exports `run()` for the bench harness.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generateEstate } from "./estate-gen.mjs";
import { collect } from "./timing.mjs";

export const title = "estate: commands on generated hub-and-spoke estates (child processes)";

const here = dirname(fileURLToPath(import.meta.url));
const TIME = "/usr/bin/time";

/** The commands, as argument lists for an estate of `spokes` spokes in `file` (outputs go to `dir`). */
function commands(file, dir, spokes) {
  const a = Math.floor(spokes / 2);
  const b = (a + 7) % spokes;
  const subnet = `vnet-spoke-${a}/snet-1`;
  // An address in the middle of spoke b's second subnet (the generator's /26 layout: see estate-gen.mjs).
  const n = (1 << 16) + b * 1024 + 64 + 10;
  const address = `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  return [
    ["inventory", ["inventory", file]],
    ["routes", ["routes", file, "--subnet", subnet]],
    ["flow", ["flow", file, "--from", subnet, "--to", address, "--port", "443"]],
    ["next-hop", ["next-hop", file, "--from", subnet, "--to", address]],
    ["check", ["check", file, "--fail-on", "never", "--format", "json"]],
    ["diagram", ["diagram", file, "--format", "svg", "--out", join(dir, "diagram.svg")]],
    ["report", ["report", file, "--out", join(dir, "report.html")]],
  ];
}

/** One run of the CLI with `args`: wall seconds, peak RSS in MiB (or undefined), and whether it timed out. */
function once(cli, args, dir, timeout) {
  const rss = join(dir, "rss.txt");
  const timed = existsSync(TIME);
  const argv = [cli, ...args];
  const t0 = performance.now();
  const child = timed
    ? spawnSync(TIME, ["-f", "%M", "-o", rss, process.execPath, ...argv], { stdio: "ignore", timeout: timeout * 1000 })
    : spawnSync(process.execPath, argv, { stdio: "ignore", timeout: timeout * 1000 });
  const seconds = (performance.now() - t0) / 1000;
  if (child.error?.code === "ETIMEDOUT" || child.signal) return { seconds: timeout, timedOut: true };
  // check exits 1 with findings at --fail-on; anything else (2: input or internal error) is a failure shown as such.
  if (child.status !== 0) return { seconds, failed: `exit ${child.status}` };
  const kb = timed ? Number(readFileSync(rss, "utf8").trim().split("\n").pop()) : Number.NaN;
  return { seconds, mib: Number.isFinite(kb) ? Math.round(kb / 1024) : undefined, timedOut: false };
}

/** The best of `runs` runs (fewest seconds, the largest peak memory seen); one timeout ends the series. */
function best(cli, args, dir, runs, timeout) {
  let result;
  for (let i = 0; i < runs; i++) {
    const r = once(cli, args, dir, timeout);
    if (r.timedOut || r.failed) return r;
    result = !result ? r : { ...(r.seconds < result.seconds ? r : result), mib: Math.max(r.mib ?? 0, result.mib ?? 0) };
  }
  return result;
}

/** Best of `runs` in-process reads and parses of `file`, in seconds. */
function parseSeconds(file, runs) {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    collect();
    const t0 = performance.now();
    JSON.parse(readFileSync(file, "utf8"));
    min = Math.min(min, (performance.now() - t0) / 1000);
  }
  return min;
}

const round = (x, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const cell = (r) =>
  r.timedOut ? `>${r.seconds}` : r.failed ? `${r.failed} after ${round(r.seconds)}` : round(r.seconds);

/** Runs the benchmark. */
export async function run({ print = true, quick = false } = {}) {
  const env = process.env;
  const cli = env.ESTATE_CLI ?? join(here, "../bin/apim-netcheck");
  const runs = Number(env.ESTATE_RUNS ?? 3);
  const timeout = Number(env.ESTATE_TIMEOUT ?? 300);
  const sizes = env.ESTATE_SIZES
    ? env.ESTATE_SIZES.split(",").map(Number)
    : [500, 2000, ...(quick ? [] : [20_000]), ...(env.ESTATE_STRESS ? [50_000] : [])];
  const only = env.ESTATE_COMMANDS?.split(",");
  const dir = mkdtempSync(join(tmpdir(), "apim-netcheck-estate-bench-"));
  const rows = [];
  const series = new Map();
  let startup = 0;
  try {
    const empty = join(dir, "empty.json");
    writeFileSync(empty, JSON.stringify({ contentVersion: "1.0.0.0", resources: [] }));
    startup = best(cli, ["inventory", empty], dir, runs, timeout).seconds;
    for (const size of sizes) {
      const estate = generateEstate(size);
      const file = join(dir, `estate-${size}.json`);
      writeFileSync(file, estate.text);
      estate.text = undefined;
      const parse = parseSeconds(file, runs);
      const what = `${estate.subnets} subnets, ${estate.nsgs} NSGs, ${estate.rules} rules, ${estate.apims} APIM`;
      rows.push([what, "JSON.parse", round(parse, 3), 1, ""]);
      for (const [name, args] of commands(file, dir, estate.spokes)) {
        if (only && !only.includes(name)) continue;
        const r = best(cli, args, dir, runs, timeout);
        const ok = !r.timedOut && !r.failed;
        rows.push([what, name, cell(r), ok ? round(r.seconds / parse, 1) : "", r.mib ?? ""]);
        if (print) console.log(rows[rows.length - 1].join(" | "));
        if (!series.has(name)) series.set(name, []);
        series.get(name).push({ n: estate.subnets, ...r });
      }
      rmSync(file, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const growth = [...series].map(([name, points]) => {
    const first = points[0];
    const last = points[points.length - 1];
    const bad = (p) => p.timedOut || p.failed;
    if (points.length < 2 || bad(first) || bad(last)) return `${name} -`;
    const above = (p) => Math.max(0.01, p.seconds - startup);
    return `${name} ${round(Math.log(above(last) / above(first)) / Math.log(last.n / first.n))}`;
  });
  return {
    columns: ["estate", "command", "seconds", "x JSON.parse", "peak MiB"],
    rows,
    notes: [
      `Growth exponents (time above start-up, ${round(startup)} s, from the smallest to the largest size): ${growth.join(", ")}.`,
      `Best of ${runs} runs; ${cli}.`,
    ],
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await run({ print: true, quick: process.argv.includes("--quick") });
  for (const row of result.rows) console.log(row.join(" | "));
  for (const note of result.notes) console.log(note);
}
