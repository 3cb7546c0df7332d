/**
 * Benchmark: ingest of a generated ~100 MB ARM template (VNets with subnets, NSGs with rules, route tables
 * with routes; names through parameters, `format()` and `resourceId()`), against `JSON.parse` of the same
 * text. "Ingest" is everything `apim-netcheck` does with an input after reading it: parse with locations,
 * detect the format, evaluate the template, build the model (every rule and route located). Runs the
 * compiled code in dist/ (`npm run build` first). Exports `run()` for the bench harness; runs on its own
 * when executed directly (`node --expose-gc bench/ingest.bench.mjs [megabytes]`). Target: ingest at most
 * 3 times `JSON.parse`. Also shown: parsing with locations alone, and parsing plus evaluating the template
 * (the ARM ingester's own work, before the shared converter builds the model). Each figure is the fastest of three runs (the machine is shared; the fastest run is the
 * least disturbed one), taken the same way for `JSON.parse` and for ingest.
 */
import { pathToFileURL } from "node:url";
import { evaluateTemplate } from "../dist/ingest/arm/resources.js";
import { defaultScope } from "../dist/ingest/arm/scope.js";
import { parseJson } from "../dist/ingest/json/parse.js";
import { loadDocuments, toDocument } from "../dist/ingest/load.js";
import { SourceIndex } from "../dist/ingest/locator.js";
import { generateTemplate } from "./gen-template.mjs";

const TARGET_RATIO = 3;
const RUNS = 3;

function collect() {
  if (typeof globalThis.gc === "function") globalThis.gc();
}

function time(fn) {
  const samples = [];
  let result;
  for (let i = 0; i < RUNS; i++) {
    result = undefined;
    collect();
    const t0 = process.hrtime.bigint();
    result = fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { ms: Math.round(Math.min(...samples)), result };
}

export const title = "ingest: generated ARM template against JSON.parse";

/** Runs the benchmark; returns the figures (and prints them when `print`). `quick` uses 20 MB. */
export function run({ print = true, quick = false, megabytes = quick ? 20 : 100 } = {}) {
  const generated = generateTemplate(megabytes * 1024 * 1024);
  // A flat string, as the CLI has after decoding the file.
  const text = Buffer.from(generated.text, "utf8").toString("utf8");
  const jsonParse = time(() => typeof JSON.parse(text));
  const parse = time(() => parseJson(text, "bench.json").ok);
  // Parse with locations and evaluate the template: the ARM ingester's own work, before the shared
  // converter builds the model from the evaluated (REST-shaped) resources.
  const template = time(() => {
    const doc = parseJson(text, "bench.json").doc;
    const sources = new SourceIndex();
    sources.addLocator(doc);
    const sink = { report() {}, alias: (built, origin) => sources.alias(built, origin) };
    return evaluateTemplate(doc.value, defaultScope("bench.json"), sink, [], { outputs: false }).resources.length;
  });
  const ingest = time(() => loadDocuments([toDocument("bench.json", text)]).model);
  const model = ingest.result;
  const rules = model.networkSecurityGroups.reduce((n, g) => n + g.securityRules.length, 0);
  const routes = model.routeTables.reduce((n, t) => n + t.routes.length, 0);
  const located = model.networkSecurityGroups.every((g) => g.securityRules.every((r) => r.src.line > 0));
  const figures = {
    name: "ingest: generated ARM template",
    megabytes: Math.round(text.length / 1024 / 1024),
    resources: generated.resources,
    rules,
    routes,
    jsonParseMs: jsonParse.ms,
    parseWithLocationsMs: parse.ms,
    parseAndEvaluateMs: template.ms,
    parseAndEvaluateRatio: Math.round((template.ms / jsonParse.ms) * 100) / 100,
    ingestMs: ingest.ms,
    ratio: Math.round((ingest.ms / jsonParse.ms) * 100) / 100,
    target: TARGET_RATIO,
    everyRuleLocated: located,
    met: ingest.ms / jsonParse.ms <= TARGET_RATIO && located,
  };
  if (print) {
    console.log(
      `${figures.name}: ${figures.megabytes} MB, ${figures.resources} resources, ${rules} rules, ${routes} routes; ` +
        `JSON.parse ${figures.jsonParseMs} ms, parse with locations ${figures.parseWithLocationsMs} ms, ` +
        `parse and evaluate ${figures.parseAndEvaluateMs} ms (${figures.parseAndEvaluateRatio} x), ` +
        `ingest ${figures.ingestMs} ms = ${figures.ratio} x JSON.parse; target ${TARGET_RATIO} x: ` +
        `${figures.met ? "met" : "MISSED"}`,
    );
  }
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) run({ megabytes: Number(process.argv[2] ?? 100) });
