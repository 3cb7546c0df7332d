import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { corpusPath, describeCorpus, REPO_ROOT } from "../../../test/helpers/corpus.js";
import { loadAnalysis } from "../../cli/context.js";
import { BUNDLE_COLUMNS } from "../../engine/servicetags/bundle.js";
import { describeServiceTags, ServiceTagsFormatError } from "../../engine/servicetags/catalog.js";
import { InputError } from "../../model/diagnostics.js";
import { BUNDLED_SERVICE_TAGS, loadServiceTagCatalog, readBundle } from "./load.js";

const OFFICIAL = corpusPath("AzureServiceTagsJson", "Public", "ServiceTags_Public_20251028.json");
const tmp = mkdtempSync(join(tmpdir(), "servicetags-"));

function write(name: string, content: string | Buffer): string {
  const file = join(tmp, name);
  writeFileSync(file, content);
  return file;
}

const SMALL = JSON.stringify({
  changeNumber: 3,
  cloud: "AzureGovernment",
  values: [{ name: "ApiManagement", id: "ApiManagement", properties: { addressPrefixes: ["52.127.0.0/16"] } }],
});

describe("the bundled catalog", () => {
  it("is the public snapshot of 2025-10-28, changeNumber 375, 3039 tags", () => {
    const catalog = loadServiceTagCatalog();
    expect(describeServiceTags(catalog.meta)).toBe("service tags: Public, changeNumber 375, 2025-10-28");
    expect(catalog.meta.source).toBe("bundled:ServiceTags_Public_20251028.json");
    expect(catalog.names()).toHaveLength(3039);
  });

  it("is read once per process", () => {
    expect(loadServiceTagCatalog()).toBe(loadServiceTagCatalog());
  });

  it("is ready to query well under 150 ms (read, decompress, parse, index)", () => {
    // Best of three uncached reads; the first tag look-up is part of "ready to query".
    const times = [0, 1, 2].map(() => {
      const t0 = performance.now();
      readBundle().get("ApiManagement.WestEurope");
      return performance.now() - t0;
    });
    expect(Math.min(...times)).toBeLessThan(150);
  });

  it("keeps every column the reader expects", () => {
    const bundle = JSON.parse(brotliDecompressSync(readFileSync(BUNDLED_SERVICE_TAGS)).toString("utf8"));
    expect(bundle.columns).toEqual([...BUNDLE_COLUMNS]);
    expect(bundle.values[0]).toHaveLength(BUNDLE_COLUMNS.length);
  });
});

describeCorpus("the bundle against the official file (corpus)", () => {
  it("holds the same cloud, changeNumber and, tag by tag, every field", () => {
    const official = JSON.parse(readFileSync(OFFICIAL, "utf8"));
    const catalog = loadServiceTagCatalog();
    expect(catalog.meta.cloud).toBe(official.cloud);
    expect(catalog.meta.changeNumber).toBe(official.changeNumber);
    expect(catalog.names()).toEqual(official.values.map((v: { name: string }) => v.name));
    for (const v of official.values) {
      const p = v.properties;
      expect(catalog.entry(v.name)).toEqual({
        name: v.name,
        id: v.id,
        changeNumber: p.changeNumber,
        region: p.region,
        regionId: p.regionId,
        platform: p.platform,
        systemService: p.systemService,
        networkFeatures: p.networkFeatures,
        addressPrefixes: p.addressPrefixes,
      });
    }
  });

  it("is what the script makes from the official file", () => {
    const out = join(tmp, "regenerated.json.br");
    execFileSync(process.execPath, [join(REPO_ROOT, "scripts", "bundle-service-tags.mjs"), OFFICIAL, out]);
    const made = brotliDecompressSync(readFileSync(out)).toString("utf8");
    const shipped = brotliDecompressSync(readFileSync(BUNDLED_SERVICE_TAGS)).toString("utf8");
    expect(made).toBe(shipped);
  });

  it("loads the official file given with --service-tags, with the same sets", () => {
    const file = loadServiceTagCatalog(OFFICIAL);
    const bundled = loadServiceTagCatalog();
    expect(file.meta).toEqual({ cloud: "Public", changeNumber: 375, date: "2025-10-28", source: OFFICIAL });
    for (const name of ["AzureCloud", "ApiManagement.WestEurope", "Storage", "AzureActiveDirectory"]) {
      expect(file.get(name)!.equals(bundled.get(name)!)).toBe(true);
    }
  });
});

describe("--service-tags FILE", () => {
  it("reads an official-shaped file", () => {
    const catalog = loadServiceTagCatalog(write("ServiceTags_AzureGovernment_20240102.json", SMALL));
    expect(describeServiceTags(catalog.meta)).toBe("service tags: AzureGovernment, changeNumber 3, 2024-01-02");
    expect(catalog.get("apimanagement")?.has("52.127.1.1")).toBe(true);
  });

  it("reads a gzip-compressed file", () => {
    const catalog = loadServiceTagCatalog(write("tags.json.gz", gzipSync(SMALL)));
    expect(catalog.meta.date).toBeUndefined();
    expect(catalog.get("ApiManagement")?.toCidrs()).toEqual(["52.127.0.0/16"]);
  });

  it("refuses invalid JSON with line and column, as one typed line", () => {
    const file = write("broken.json", '{\n  "cloud": "Public",\n  "values": [,]\n}');
    expect(() => loadServiceTagCatalog(file)).toThrow(ServiceTagsFormatError);
    expect(() => loadServiceTagCatalog(file)).toThrow(/broken\.json:3:14: not a Service Tags file: invalid JSON: /);
  });

  it("refuses JSON of another shape (an ARM template)", () => {
    const file = write("template.json", JSON.stringify({ $schema: "x", resources: [] }));
    expect(() => loadServiceTagCatalog(file)).toThrow(/template\.json: not a Service Tags file: "values" is missing/);
  });

  it("refuses a file that is not compressed as its name says", () => {
    expect(() => loadServiceTagCatalog(write("plain.json.br", SMALL))).toThrow(/not brotli compressed/);
  });

  it("says when the file cannot be read (InputError, exit 2)", () => {
    let error: unknown;
    try {
      loadServiceTagCatalog(join(tmp, "missing.json"));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/missing\.json: cannot read the file \(ENOENT\)/);
  });
});

describe("the analysis context (cli/context.ts) uses the loader", () => {
  const input = write(
    "vnet.json",
    JSON.stringify({
      type: "Microsoft.Network/virtualNetworks",
      name: "v",
      properties: { addressSpace: { addressPrefixes: ["10.0.0.0/16"] }, subnets: [] },
    }),
  );

  it("takes the bundled catalog by default", () => {
    expect(loadAnalysis([input], {}).catalog).toBe(loadServiceTagCatalog());
  });

  it("stops with the typed one-line error for a bad --service-tags file", () => {
    const bad = write("not-tags.json", "[1, 2]");
    expect(() => loadAnalysis([input], { serviceTags: bad })).toThrow(ServiceTagsFormatError);
    expect(() => loadAnalysis([input], { serviceTags: bad })).toThrow(
      `${bad}: not a Service Tags file: expected a JSON object with "cloud", "changeNumber" and "values"`,
    );
  });
});
