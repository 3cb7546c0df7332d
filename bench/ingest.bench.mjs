/**
 * Benchmark: ingest of a generated ~100 MB ARM template (VNets with subnets, NSGs with rules, route tables
 * with routes; names through parameters, `format()` and `resourceId()`), against `JSON.parse` of the same
 * text. "Ingest" is everything `apim-netcheck` does with an input after reading it, until the model is built:
 * parse, detect the format, evaluate the template, build the model. Locations are lazy (style.md): each rule
 * and route holds a place that is worked out on first read, and the first read in a document makes that
 * document's structure index (a second pass over the text). So two more figures say what a run pays beyond
 * ingest: ingest plus the location of every rule and route (what `inventory` pays, it lists them all), and
 * ingest plus one location (what a `check` run citing a finding pays at least). Runs the compiled code in
 * dist/ (`npm run build` first). Exports `run()` for the bench harness; runs on its own when executed directly
 * (`node --expose-gc bench/ingest.bench.mjs [megabytes]`). Target (issue 4): ingest at most 3 times
 * `JSON.parse`. Also shown: parsing alone, and parsing plus evaluating the template (the ARM ingester's own
 * work, before the shared converter builds the model). Each figure is the fastest of three runs (the machine
 * is shared; the fastest run is the least disturbed one), taken the same way for `JSON.parse` and the rest.
 */
import { pathToFileURL } from "node:url";
import { evaluateTemplate } from "../dist/ingest/arm/resources.js";
import { defaultScope } from "../dist/ingest/arm/scope.js";
import { parseJson } from "../dist/ingest/json/parse.js";
import { loadDocuments, toDocument } from "../dist/ingest/load.js";
import { SourceIndex } from "../dist/ingest/locator.js";
import { formatSource } from "../dist/model/source.js";
import { generateTemplate } from "./gen-template.mjs";
import { bestOf } from "./timing.mjs";

const TARGET_RATIO = 3;
const RUNS = 3;

const time = (fn) => bestOf(RUNS, fn);

export const title = "ingest: generated ARM template against JSON.parse";

/** Runs the benchmark; returns the figures (and prints them when `print`). `quick` uses 20 MB. */
export function run({ print = true, quick = false, megabytes = quick ? 20 : 100 } = {}) {
  const generated = generateTemplate(megabytes * 1024 * 1024);
  // A flat string, as the CLI has after decoding the file.
  const text = Buffer.from(generated.text, "utf8").toString("utf8");
  const jsonParse = time(() => typeof JSON.parse(text));
  const parse = time(() => parseJson(text, "bench.json").ok);
  // Parse and evaluate the template: the ARM ingester's own work, before the shared
  // converter builds the model from the evaluated (REST-shaped) resources.
  const template = time(() => {
    const doc = parseJson(text, "bench.json").doc;
    const sources = new SourceIndex();
    sources.addLocator(doc);
    const sink = { report() {}, alias: (built, origin) => sources.alias(built, origin) };
    return evaluateTemplate(doc.value, defaultScope("bench.json"), sink, [], { outputs: false }).resources.length;
  });
  const load = () => {
    const doc = toDocument("bench.json", text);
    return { doc, model: loadDocuments([doc]).model };
  };
  const ingest = time(load);
  // Counted from the last ingest, before anything reads a location: the structure index is not made yet.
  const rules = ingest.result.model.networkSecurityGroups.reduce((n, g) => n + g.securityRules.length, 0);
  const routes = ingest.result.model.routeTables.reduce((n, t) => n + t.routes.length, 0);
  const indexedByIngest = ingest.result.doc.json.indexed;
  ingest.result = undefined;
  const locateAll = time(() => {
    const built = load().model;
    let lines = 0;
    for (const g of built.networkSecurityGroups) for (const r of g.securityRules) if (r.src.line > 0) lines++;
    for (const t of built.routeTables) for (const r of t.routes) if (r.src.line > 0) lines++;
    return lines;
  });
  const firstLocation = time(() => {
    const built = load().model;
    const nsg = built.networkSecurityGroups[built.networkSecurityGroups.length - 1];
    return formatSource(nsg.securityRules[nsg.securityRules.length - 1].src);
  });
  const ratio = (ms) => Math.round((ms / jsonParse.ms) * 100) / 100;
  const located = locateAll.result === rules + routes;
  const figures = {
    name: "ingest: generated ARM template",
    megabytes: Math.round(text.length / 1024 / 1024),
    resources: generated.resources,
    rules,
    routes,
    jsonParseMs: jsonParse.ms,
    parseMs: parse.ms,
    parseAndEvaluateMs: template.ms,
    parseAndEvaluateRatio: ratio(template.ms),
    ingestMs: ingest.ms,
    ratio: ratio(ingest.ms),
    target: TARGET_RATIO,
    met: ingest.ms / jsonParse.ms <= TARGET_RATIO && located,
    ingestAndEveryLocationMs: locateAll.ms,
    ingestAndEveryLocationRatio: ratio(locateAll.ms),
    ingestAndFirstLocationMs: firstLocation.ms,
    ingestAndFirstLocationRatio: ratio(firstLocation.ms),
    firstLocation: firstLocation.result,
    structureIndexMadeByIngest: indexedByIngest,
    everyRuleAndRouteLocated: located,
  };
  if (print) {
    console.log(
      `${figures.name}: ${figures.megabytes} MB, ${figures.resources} resources, ${figures.rules} rules, ` +
        `${figures.routes} routes; JSON.parse ${figures.jsonParseMs} ms, parse ${figures.parseMs} ms, ` +
        `parse and evaluate ${figures.parseAndEvaluateMs} ms (${figures.parseAndEvaluateRatio} x), ` +
        `ingest ${figures.ingestMs} ms = ${figures.ratio} x JSON.parse; target ${TARGET_RATIO} x: ` +
        `${figures.met ? "met" : "MISSED"}; ingest and every location ${figures.ingestAndEveryLocationMs} ms ` +
        `(${figures.ingestAndEveryLocationRatio} x), ingest and the first location ` +
        `${figures.ingestAndFirstLocationMs} ms (${figures.ingestAndFirstLocationRatio} x)`,
    );
  }
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) run({ megabytes: Number(process.argv[2] ?? 100) });
