/**
 * Benchmark: Bicep ingest against ARM ingest of the same estate (bench/gen-bicep-estate.mjs writes both: a hub
 * and a loop of spoke modules, each spoke's rules, routes and subnets built by loops; and the ARM template of
 * nested deployments and copy loops `bicep build` makes of it). "Ingest" is what `apim-netcheck` does with the
 * inputs once read: parse, detect, evaluate, build the model. Both forms must give the same resources (counted
 * and compared). Target (issue 12): Bicep ingest at most 1.5 times ARM ingest. Each figure is the fastest of
 * five runs (the machine is shared). Runs the compiled code in dist/ (`npm run build` first). Exports `run()`
 * for the bench harness; runs on its own when executed directly (`node --expose-gc bench/bicep.bench.mjs`).
 */
import { pathToFileURL } from "node:url";
import { loadDocuments, toDocument } from "../dist/ingest/load.js";
import { generateEstate } from "./gen-bicep-estate.mjs";
import { bestOf } from "./timing.mjs";

const TARGET_RATIO = 1.5;
const RUNS = 5;

const time = (fn) => bestOf(RUNS, fn);

/** What both forms must agree on: resources by type, rules, routes, subnets, peerings, and no error. */
function summary(model) {
  const count = (list, f) => list.reduce((n, x) => n + f(x), 0);
  return {
    vnets: model.virtualNetworks.length,
    subnets: count(model.virtualNetworks, (v) => v.subnets.length),
    peerings: count(model.virtualNetworks, (v) => v.virtualNetworkPeerings.length),
    nsgs: model.networkSecurityGroups.length,
    rules: count(model.networkSecurityGroups, (n) => n.securityRules.length),
    routeTables: model.routeTables.length,
    routes: count(model.routeTables, (t) => t.routes.length),
    errors: model.diagnostics.filter((d) => d.severity === "error").length,
  };
}

export const title = "ingest: generated Bicep estate against the ARM template of the same estate";

/** Runs the benchmark; returns the figures (and prints them when `print`). `quick`: 40 spokes. */
export function run({ print = true, quick = false } = {}) {
  const estate = generateEstate({ spokes: quick ? 40 : 200, rules: 60, routes: 20, subnets: 8 });
  const armText = Buffer.from(estate.arm, "utf8").toString("utf8");
  const arm = time(() => loadDocuments([toDocument("bench/estate.json", armText)]).model);
  const bicep = time(
    () =>
      loadDocuments([
        toDocument("bench/main.bicep", estate.bicep.main),
        toDocument("bench/spoke.bicep", estate.bicep.spoke),
      ]).model,
  );
  const a = summary(arm.result);
  const b = summary(bicep.result);
  const same = JSON.stringify(a) === JSON.stringify(b) && a.errors === 0;
  const ratio = Math.round((bicep.ms / arm.ms) * 100) / 100;
  const figures = {
    name: "ingest: Bicep estate against ARM",
    spokes: estate.spokes,
    bicepBytes: estate.bicep.main.length + estate.bicep.spoke.length,
    armBytes: armText.length,
    resources: a.vnets + a.nsgs + a.routeTables,
    rules: a.rules,
    routes: a.routes,
    subnets: a.subnets,
    armIngestMs: arm.ms,
    bicepIngestMs: bicep.ms,
    ratio,
    target: TARGET_RATIO,
    met: ratio <= TARGET_RATIO && same,
    sameModel: same,
  };
  if (print) {
    console.log(
      `${figures.name}: ${figures.spokes} spokes, ${figures.rules} rules, ${figures.routes} routes, ${figures.subnets} subnets; ` +
        `ARM ${figures.armIngestMs} ms (${figures.armBytes} bytes), Bicep ${figures.bicepIngestMs} ms (${figures.bicepBytes} bytes) = ` +
        `${ratio} x; target ${TARGET_RATIO} x: ${figures.met ? "met" : "MISSED"}${same ? "" : " (the two models differ)"}`,
    );
  }
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) run();
