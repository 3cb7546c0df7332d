/**
 * Facts of the bundled Service Tags file (Public, changeNumber 375, 2025-10-28) that the checks rely on, asserted
 * on the real data: regional tags inside their global tag, ApiManagement inside AzureCloud (IPv4 only, as the
 * data shows), and the APIM control-plane IPs of apim-requirements §2.4 inside their regional tag.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../test/helpers/corpus.js";
import { loadServiceTagCatalog } from "../../ingest/servicetags/load.js";
import { AddressSet } from "../ip/address-set.js";
import { tagsContaining } from "./containing.js";

const catalog = loadServiceTagCatalog();
const get = (name: string) => {
  const set = catalog.get(name);
  if (!set) throw new Error(`${name} is not in the bundle`);
  return set;
};
const ipv4 = (set: AddressSet) => set.intersect(AddressSet.ALL_V4);
const ipv6 = (set: AddressSet) => set.subtract(AddressSet.ALL_V4);

describe("regional tags are inside their global tag (reference §2.4 orders them; apim-requirements §5)", () => {
  for (const [regional, global] of [
    ["Storage.WestEurope", "Storage"],
    ["Sql.EastUS", "Sql"],
    ["AzureKeyVault.NorthEurope", "AzureKeyVault"],
    ["EventHub.WestUS2", "EventHub"],
    ["ApiManagement.AustraliaCentral", "ApiManagement"],
    ["ApiManagement.WestEurope", "ApiManagement"],
    ["AzureCloud.westeurope", "AzureCloud"],
  ] as const) {
    it(`${regional} ⊂ ${global}`, () => {
      const r = get(regional);
      expect(r.isEmpty()).toBe(false);
      expect(get(global).covers(r)).toBe(true);
      expect(r.covers(get(global))).toBe(false);
    });
  }

  it("holds for every tag with a region whose global tag exists, and every such tag has one", () => {
    const regional = catalog.names().filter((n) => catalog.regionOf(n));
    expect(regional.length).toBeGreaterThan(2500);
    const outside = regional.filter((n) => {
      const global = catalog.get(n.slice(0, n.indexOf(".")));
      return !global?.covers(get(n));
    });
    expect(outside).toEqual([]);
  });

  it("the dotted tags without a region (AzureFrontDoor.Frontend, ...) have no global tag of that name", () => {
    const dottedGlobal = catalog.names().filter((n) => n.includes(".") && !catalog.regionOf(n));
    expect(dottedGlobal).toContain("AzureFrontDoor.Frontend");
    expect(catalog.get("AzureFrontDoor")).toBeUndefined();
  });

  it("every ApiManagement.<region> is inside AzureCloud.<same region>", () => {
    const regions = catalog.names().filter((n) => n.startsWith("ApiManagement."));
    expect(regions.length).toBeGreaterThan(60);
    for (const name of regions) {
      const cloud = catalog.regionalName("AzureCloud", catalog.regionOf(name)!);
      expect(cloud, name).toBeDefined();
      expect(get(cloud!).covers(get(name)), `${name} ⊂ ${cloud}`).toBe(true);
    }
  });
});

describe("ApiManagement and AzureCloud (what the data shows)", () => {
  it("ApiManagement's IPv4 prefixes are all inside AzureCloud", () => {
    expect(get("AzureCloud").covers(ipv4(get("ApiManagement")))).toBe(true);
  });

  it("but not its IPv6 ones: 2603:1020:406::1 is in the global ApiManagement tag only", () => {
    const outside = ipv6(get("ApiManagement")).subtract(get("AzureCloud"));
    expect(outside.toCidrs()).toEqual(["2603:1020:406::1/128"]);
    expect(tagsContaining(catalog, "2603:1020:406::1")).toEqual(["ApiManagement"]);
  });

  it("AzureCloud holds IPv6 prefixes in this file (apim-requirements §5 says 'no IPv6': outdated)", () => {
    expect(ipv6(get("AzureCloud")).isEmpty()).toBe(false);
  });

  it("other global tags are not inside AzureCloud either (Storage has IPv4 outside it)", () => {
    expect(get("AzureCloud").covers(ipv4(get("Storage")))).toBe(false);
  });
});

// The project's copy of the reference table (data/apim/control-plane-ips.tsv, from apim-control-plane-ips.tsv).
const TSV = join(REPO_ROOT, "data", "apim", "control-plane-ips.tsv");

describe("APIM control-plane IPs (apim-requirements §2.4) against ApiManagement regional tags", () => {
  const rows = readFileSync(TSV, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => {
      const [environment, region, ip, , status] = line.split("\t");
      return { environment: environment!, region: region!, ip: ip!, status: status! };
    });
  const publicRows = rows.filter((r) => r.environment === "Azure Public");

  it("20.37.52.67 is in ApiManagement.AustraliaCentral", () => {
    expect(get("ApiManagement.AustraliaCentral").has("20.37.52.67")).toBe(true);
    expect(tagsContaining(catalog, "20.37.52.67")).toEqual([
      "ApiManagement.AustraliaCentral",
      "ApiManagement",
      "AzureCloud.australiacentral",
      "AzureCloud",
    ]);
  });

  it("every public IP, old and new, is in the ApiManagement tag of its own region", () => {
    expect(publicRows.length).toBeGreaterThan(50);
    const unmatched: string[] = [];
    for (const row of publicRows) {
      expect(get("ApiManagement").has(row.ip), row.ip).toBe(true);
      const name = catalog.regionalName("ApiManagement", row.region.replace(/\s*\(Global\)$/, ""));
      const regional = tagsContaining(catalog, row.ip).filter((t) => t.startsWith("ApiManagement."));
      expect(regional, row.ip).toHaveLength(1);
      if (name) expect(regional[0], `${row.region} ${row.ip}`).toBe(name);
      else unmatched.push(`${row.region} → ${regional[0]}`);
    }
    // The table's "India Central/West" are the Jio India regions in the tag names.
    expect(unmatched).toEqual([
      "India Central → ApiManagement.JioIndiaCentral",
      "India West → ApiManagement.JioIndiaWest",
    ]);
  });

  it("the historic 'Global' IPs (removed from the docs) are still in the regional tags", () => {
    const historic = publicRows.filter((r) => r.status === "historic_removed");
    expect(historic.map((r) => tagsContaining(catalog, r.ip)[0])).toEqual([
      "ApiManagement.SouthCentralUS",
      "ApiManagement.NorthCentralUS",
    ]);
  });

  it("Government and 21Vianet IPs are in no tag of the public file", () => {
    const others = rows.filter((r) => r.environment !== "Azure Public");
    expect(others.length).toBeGreaterThan(10);
    for (const row of others) expect(tagsContaining(catalog, row.ip), row.ip).toEqual([]);
  });
});

describe("tagsContaining", () => {
  it("answers for private and platform addresses with no tag", () => {
    expect(tagsContaining(catalog, "10.0.0.1")).toEqual([]);
    expect(tagsContaining(catalog, "168.63.129.16")).toEqual([]);
    expect(tagsContaining(catalog, "not an address")).toEqual([]);
  });

  it("takes prefixes: the tags that contain all of it", () => {
    const tags = tagsContaining(catalog, "20.37.52.64/30");
    expect(tags).not.toContain("ApiManagement.AustraliaCentral");
    expect(tags).toContain("AzureCloud");
  });
});
