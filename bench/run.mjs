/**
 * Benchmark harness (`npm run bench`, after a build). Runs every `bench/*.bench.mjs` module in name order and
 * prints one table per module: adding a benchmark is adding a file. A module exports `run(options)`
 * (options: `{ quick, print: false }`) and optionally `title`. `run` may return:
 * - `{ columns: string[], rows: (string|number)[][], notes?: string[] }`: printed as that table;
 * - an array of flat objects: one row each, the keys as columns;
 * - one flat object of figures: printed as a figure/value table (`name`, if present, becomes the title).
 *
 * Usage: node --expose-gc bench/run.mjs [--quick] [--json] [name-filter ...]
 */
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const options = { quick: args.includes("--quick"), json: args.includes("--json") };
const filters = args.filter((a) => !a.startsWith("--"));

function format(value) {
  if (typeof value !== "number") return String(value);
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(value >= 10 ? 1 : 2);
}

function table(columns, rows) {
  const cells = [columns, ...rows.map((r) => r.map(format))];
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? "").length)));
  const line = (r) =>
    `| ${r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(" | ")} |`;
  return [
    line(columns),
    `|${widths.map((w, i) => (i === 0 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`,
    ...cells.slice(1).map(line),
  ].join("\n");
}

/** Normalizes the shapes a bench module may return (see the module note) to `{ columns, rows, notes }`. */
function toTable(result) {
  if (result && Array.isArray(result.columns) && Array.isArray(result.rows)) return result;
  const cell = (v) => (typeof v === "number" || typeof v === "string" ? v : JSON.stringify(v));
  if (Array.isArray(result)) {
    const columns = [...new Set(result.flatMap((r) => Object.keys(r)))];
    return { columns, rows: result.map((r) => columns.map((c) => cell(r[c] ?? ""))) };
  }
  const { name, ...figures } = result ?? {};
  return { name, columns: ["figure", "value"], rows: Object.entries(figures).map(([k, v]) => [k, cell(v)]) };
}

const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.mjs"))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`no bench modules matched ${filters.join(", ") || "bench/*.bench.mjs"}`);
  process.exit(2);
}
const results = [];
for (const file of files) {
  const mod = await import(pathToFileURL(join(here, file)).href);
  const started = performance.now();
  const result = toTable(await mod.run({ ...options, print: false }));
  results.push({
    file,
    title: mod.title ?? result.name ?? file,
    seconds: (performance.now() - started) / 1000,
    ...result,
  });
  if (!options.json) {
    const last = results[results.length - 1];
    console.log(`\n## ${last.title} (${file}, ${last.seconds.toFixed(1)} s)\n`);
    console.log(table(last.columns, last.rows));
    for (const note of last.notes ?? []) console.log(`\n${note}`);
  }
}
if (options.json) console.log(JSON.stringify(results, null, 2));
console.log(
  options.json
    ? ""
    : `\nnode ${process.version}, ${process.platform}/${process.arch}${globalThis.gc ? ", --expose-gc" : ""}`,
);
