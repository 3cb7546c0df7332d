/**
 * Test helper for routing: loads a fixture of test/fixtures/routes/ into a model and topology, and builds a
 * small service tag catalog in the official file's shape, with fixed prefixes chosen so that no two of them
 * are adjacent (address sets merge adjacent prefixes).
 */
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

/** The prefixes of the test catalog's tags. */
export const TEST_TAGS: Record<string, { prefixes: string[]; region?: string; regionId?: number }> = {
  Storage: { prefixes: ["20.60.0.0/16", "52.239.0.0/16", "2603:1000::/40"] },
  "Storage.WestEurope": { prefixes: ["20.60.0.0/16"], region: "westeurope", regionId: 18 },
  "Storage.NorthEurope": { prefixes: ["52.239.0.0/16"], region: "northeurope", regionId: 17 },
  Sql: { prefixes: ["104.40.0.0/17"] },
  AzureCloud: { prefixes: ["20.60.0.0/16", "40.0.0.0/8", "52.239.0.0/16", "104.40.0.0/17"] },
  "AzureCloud.westeurope": { prefixes: ["40.0.0.0/8"], region: "westeurope", regionId: 18 },
};

/** A catalog with the TEST_TAGS, built through the real constructor. */
export function testCatalog(): ServiceTagCatalog {
  const values = Object.entries(TEST_TAGS).map(([name, t]) => ({
    name,
    id: name,
    properties: {
      changeNumber: 1,
      region: t.region ?? "",
      regionId: t.regionId ?? 0,
      platform: "Azure",
      systemService: "",
      addressPrefixes: t.prefixes,
      networkFeatures: ["API", "NSG", "UDR", "FW"],
    },
  }));
  return catalogFromServiceTagsJson(
    { changeNumber: 1, cloud: "Public", values },
    "test/ServiceTags_Public_20250101.json",
  );
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
