/**
 * Benchmark: what a command costs on the user's estate (issue 17). Generates hub-and-spoke estates
 * (bench/estate-gen.mjs) of about 500, 2,000 and 20,000 subnets (`--quick`: the smallest two; ESTATE_STRESS=1 adds
 * 50,000; ESTATE_SIZES=500,5000 chooses others) and runs each command of the compiled CLI (bin/apim-netcheck, or
 * ESTATE_CLI) in its own process, as a user does: `inventory`, `routes`, `flow` and `next-hop` about one subnet,
 * `check` (all checks), `diagram` (SVG, findings marked) and `report`. For each it prints the best wall time of
 * ESTATE_RUNS runs (default 3) and its CPU seconds (user + system, from `/usr/bin/time` when present: on a
 * machine shared with other work wall time says more about the neighbours than about us), each as a ratio to
 * reading and JSON.parse of the same bytes in this process (the figures that count: measured in the same run on
 * the same machine), and the peak resident memory of the child. A command over ESTATE_TIMEOUT seconds (default 600) is stopped and shown as
 * `>` that limit. The growth exponent of each command, log(t_large / t_small) / log(n_large / n_small) from the
 * smallest to the largest size, is computed on the CPU time above a process's fixed start-up (the same CLI on an empty
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
    ? // timeout(1) inside time(1): a timeout must stop the CLI itself, not only time(1), which would leave it running.
      spawnSync(TIME, ["-f", "%M %U %S", "-o", rss, "timeout", "-k", "5", String(timeout), process.execPath, ...argv], {
        stdio: "ignore",
      })
    : spawnSync(process.execPath, argv, { stdio: "ignore", timeout: timeout * 1000 });
  const seconds = (performance.now() - t0) / 1000;
  if (child.error?.code === "ETIMEDOUT" || child.signal || (timed && (child.status === 124 || child.status === 137)))
    return { seconds: timeout, timedOut: true };
  // check exits 1 with findings at --fail-on; anything else (2: input or internal error) is a failure shown as such.
  if (child.status !== 0) return { seconds, failed: `exit ${child.status}` };
  const [kb, user, system] = timed
    ? readFileSync(rss, "utf8").trim().split("\n").pop().split(" ").map(Number)
    : [Number.NaN, Number.NaN, Number.NaN];
  const cpu = Number.isFinite(user) ? round(user + system) : undefined;
  return { seconds, cpu, mib: Number.isFinite(kb) ? Math.round(kb / 1024) : undefined, timedOut: false };
}

/** The best of `runs` runs (fewest seconds, the largest peak memory seen); one timeout ends the series. */
function best(cli, args, dir, runs, timeout) {
  let result;
  for (let i = 0; i < runs; i++) {
    const r = once(cli, args, dir, timeout);
    if (r.timedOut || r.failed) return r;
    result = !result
      ? r
      : {
          ...(r.seconds < result.seconds ? r : result),
          cpu: Math.min(r.cpu ?? Number.POSITIVE_INFINITY, result.cpu ?? Number.POSITIVE_INFINITY),
          mib: Math.max(r.mib ?? 0, result.mib ?? 0),
        };
  }
  return result;
}

/** Best of `runs` in-process reads and parses of `file`: wall and CPU seconds. */
function parseSeconds(file, runs) {
  let wall = Number.POSITIVE_INFINITY;
  let cpu = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    collect();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    JSON.parse(readFileSync(file, "utf8"));
    const d = process.cpuUsage(c0);
    wall = Math.min(wall, (performance.now() - t0) / 1000);
    cpu = Math.min(cpu, (d.user + d.system) / 1e6);
  }
  return { wall, cpu };
}

/**
 * One NSG rule of 30,000 single-port ranges (issue 11 item 5): compiled and asked one verdict, in this process
 * through the engine next to the CLI (its dist/). The first run is cold (JIT included), as a command meets it.
 */
async function portRangesRule(cli) {
  const dist = join(dirname(cli), "../dist");
  const { prepareNsg } = await import(pathToFileURL(join(dist, "engine/nsg/index.js")).href);
  const { defaultSecurityRules } = await import(pathToFileURL(join(dist, "model/default-rules.js")).href);
  const { AddressSet } = await import(pathToFileURL(join(dist, "engine/ip/address-set.js")).href);
  const id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/ranges";
  const src = { file: "bench", pointer: "", line: 1, column: 1 };
  const rule = {
    id: `${id}/securityRules/r`,
    name: "r",
    type: "Microsoft.Network/networkSecurityGroups/securityRules",
    src,
    protocol: "Tcp",
    sourcePortRange: "*",
    destinationPortRanges: Array.from({ length: 30_000 }, (_, i) => `${2 * i}-${2 * i}`),
    sourceAddressPrefix: "*",
    destinationAddressPrefix: "*",
    access: "Deny",
    priority: 100,
    direction: "Inbound",
    isDefault: false,
  };
  const nsg = { id, name: "ranges", type: "Microsoft.Network/networkSecurityGroups", src, securityRules: [rule] };
  nsg.defaultSecurityRules = defaultSecurityRules(id, src);
  const resolver = { resolve: () => ({ kind: "set", set: AddressSet.ALL, as: "any" }) };
  const flow = {
    direction: "Inbound",
    protocol: "Tcp",
    source: { version: 4, value: 1n },
    destination: { version: 4, value: 2n },
    sourcePort: 1000,
    destinationPort: 5000,
  };
  const samples = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const decision = prepareNsg(nsg, { resolver, asgAddresses: () => ({ unknown: "none" }) }).evaluate(flow);
    const d = process.cpuUsage(c0);
    if (decision.access !== "Deny") throw new Error("the 30,000-range rule should deny port 5000");
    samples.push(`${Math.round(performance.now() - t0)} ms wall / ${Math.round((d.user + d.system) / 1000)} ms CPU`);
  }
  return `A rule of 30,000 port ranges, compiled and one verdict: ${samples.join(", then ")} (first run cold).`;
}

const round = (x, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const cell = (r) =>
  r.timedOut ? `>${r.seconds}` : r.failed ? `${r.failed} after ${round(r.seconds)}` : round(r.seconds);

/** Runs the benchmark. */
export async function run({ print = true, quick = false } = {}) {
  const env = process.env;
  const cli = env.ESTATE_CLI ?? join(here, "../bin/apim-netcheck");
  const runs = Number(env.ESTATE_RUNS ?? 3);
  const timeout = Number(env.ESTATE_TIMEOUT ?? 600);
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
    const start = best(cli, ["inventory", empty], dir, runs, timeout);
    startup = start.cpu ?? start.seconds;
    for (const size of sizes) {
      const estate = generateEstate(size);
      const file = join(dir, `estate-${size}.json`);
      writeFileSync(file, estate.text);
      estate.text = undefined;
      const parse = parseSeconds(file, runs);
      const what = `${estate.subnets} subnets, ${estate.nsgs} NSGs, ${estate.rules} rules, ${estate.apims} APIM`;
      rows.push([what, "JSON.parse", round(parse.wall, 3), 1, round(parse.cpu, 3), 1, ""]);
      for (const [name, args] of commands(file, dir, estate.spokes)) {
        if (only && !only.includes(name)) continue;
        const r = best(cli, args, dir, runs, timeout);
        const ok = !r.timedOut && !r.failed;
        rows.push([
          what,
          name,
          cell(r),
          ok ? round(r.seconds / parse.wall, 1) : "",
          r.cpu ?? "",
          ok && r.cpu !== undefined ? round(r.cpu / parse.cpu, 1) : "",
          r.mib ?? "",
        ]);
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
    const above = (p) => Math.max(0.01, (p.cpu ?? p.seconds) - startup);
    return `${name} ${round(Math.log(above(last) / above(first)) / Math.log(last.n / first.n))}`;
  });
  return {
    columns: ["estate", "command", "wall s", "x parse (wall)", "CPU s", "x parse (CPU)", "peak MiB"],
    rows,
    notes: [
      await portRangesRule(cli),
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
