/**
 * Test helper for routing: loads a fixture of test/fixtures/routes/ into a model and topology, and builds a
 * small service tag catalog from a file in the official shape, whose prefixes are chosen so that no two of
 * them are adjacent (address sets merge adjacent prefixes).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { catalogFromServiceTagsJson, type ServiceTagCatalog } from "../../src/engine/servicetags/catalog.js";
import { loadInputs } from "../../src/ingest/load.js";
import type { EffectiveRoute } from "../../src/model/network.js";
import { Topology } from "../../src/model/topology.js";
import { REPO_ROOT } from "./corpus.js";

export const ROUTE_FIXTURES = join(REPO_ROOT, "test/fixtures/routes");

/** The path of a routing fixture. */
export function routeFixture(name: string): string {
  return join(ROUTE_FIXTURES, name);
}

/** Loads one or more routing fixtures into a topology. */
export function loadRouteFixture(...names: string[]): Topology {
  const { model } = loadInputs(names.map(routeFixture));
  return new Topology(model);
}

/** The small Service Tags file (official shape) the routing tests use; the CLI tests pass it as --service-tags. */
export const TEST_SERVICE_TAGS = routeFixture("service-tags/ServiceTags_Public_20250101.json");

/**
 * A catalog of TEST_SERVICE_TAGS, built through the real constructor: Storage 20.60.0.0/16, 52.239.0.0/16
 * (WestEurope: the first, NorthEurope: the second), Sql 104.40.0.0/17, AzureCloud all of them and 40.0.0.0/8.
 */
export function testCatalog(): ServiceTagCatalog {
  return catalogFromServiceTagsJson(JSON.parse(readFileSync(TEST_SERVICE_TAGS, "utf8")), TEST_SERVICE_TAGS);
}

/** Rows as sorted JSON strings, to compare tables as multisets. */
export function multiset(rows: EffectiveRoute[]): string[] {
  return rows
    .map((r) =>
      JSON.stringify({
        name: r.name ?? null,
        source: r.source,
        state: r.state,
        addressPrefix: r.addressPrefix,
        nextHopType: r.nextHopType,
        nextHopIpAddress: r.nextHopIpAddress,
        disableBgpRoutePropagation: r.disableBgpRoutePropagation ?? false,
      }),
    )
    .sort();
}
