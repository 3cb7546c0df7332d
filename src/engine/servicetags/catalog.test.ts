import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../model/diagnostics.js";
import { AddressSet } from "../ip/address-set.js";
import {
  catalogFromServiceTagsJson,
  dateFromFileName,
  describeServiceTags,
  ServiceTagsFormatError,
} from "./catalog.js";
import { parsePrefixList } from "./prefix-list.js";

/** A small file in the official shape (apim-requirements §5.1). */
function tagsFile(values: unknown[] = defaultValues()): Record<string, unknown> {
  return { changeNumber: 7, cloud: "Public", values };
}

function entry(
  name: string,
  prefixes: string[],
  region = "",
  regionId = 0,
  networkFeatures: string[] | null = ["API", "NSG"],
) {
  return {
    name,
    id: name,
    properties: {
      changeNumber: 1,
      region,
      regionId,
      platform: "Azure",
      systemService: "AzureStorage",
      addressPrefixes: prefixes,
      networkFeatures,
    },
  };
}

function defaultValues() {
  return [
    entry("Storage", ["20.38.96.0/19", "2603:1000::/40"], "", 0, ["API", "NSG", "UDR", "FW"]),
    entry("Storage.WestEurope", ["20.38.108.0/23"], "westeurope", 18, null),
    entry("AzureCloud.centralfrance", ["20.39.0.0/16"], "centralfrance", 19),
    entry("AzureCloud", ["20.39.0.0/16", "20.38.96.0/19"]),
    entry("ApiManagement.FranceCentral", ["20.39.80.2/31"], "centralfrance", 19),
  ];
}

const SOURCE = "tags/ServiceTags_Public_20251028.json";

describe("catalogFromServiceTagsJson (apim-requirements §5.1)", () => {
  const catalog = catalogFromServiceTagsJson(tagsFile(), SOURCE);

  it("keeps cloud, changeNumber, the source and the date from the file name", () => {
    expect(catalog.meta).toEqual({ cloud: "Public", changeNumber: 7, date: "2025-10-28", source: SOURCE });
    expect(describeServiceTags(catalog.meta)).toBe("service tags: Public, changeNumber 7, 2025-10-28");
  });

  it("looks tags up case-insensitively and gives the file's spelling", () => {
    expect(catalog.get("storage.westeurope")?.toCidrs()).toEqual(["20.38.108.0/23"]);
    expect(catalog.get(" STORAGE ")?.has("2603:1000::1")).toBe(true);
    expect(catalog.canonicalName("storage.WESTEUROPE")).toBe("Storage.WestEurope");
    expect(catalog.get("Storage.NorthEurope")).toBeUndefined();
    expect(catalog.canonicalName("Nope")).toBeUndefined();
  });

  it("caches each tag's set", () => {
    expect(catalog.get("Storage")).toBe(catalog.get("storage"));
  });

  it("gives networkFeatures, [] where the file has null", () => {
    expect(catalog.networkFeatures("storage")).toEqual(["API", "NSG", "UDR", "FW"]);
    expect(catalog.networkFeatures("Storage.WestEurope")).toEqual([]);
    expect(catalog.entry("Storage.WestEurope")?.networkFeatures).toBeNull();
    expect(catalog.networkFeatures("Nope")).toEqual([]);
  });

  it("gives the region of regional tags only", () => {
    expect(catalog.regionOf("Storage.WestEurope")).toBe("westeurope");
    expect(catalog.regionOf("Storage")).toBeUndefined();
    expect(catalog.regionOf("Nope")).toBeUndefined();
  });

  it("lists names in file order", () => {
    expect(catalog.names()).toEqual([
      "Storage",
      "Storage.WestEurope",
      "AzureCloud.centralfrance",
      "AzureCloud",
      "ApiManagement.FranceCentral",
    ]);
  });

  it("finds a regional tag for an ARM location, through the region id when the file's names differ", () => {
    expect(catalog.regionalName("storage", "West Europe")).toBe("Storage.WestEurope");
    // AzureCloud uses the internal name `centralfrance`; ApiManagement.FranceCentral reveals its region id.
    expect(catalog.regionalName("AzureCloud", "francecentral")).toBe("AzureCloud.centralfrance");
    expect(catalog.regionalName("Storage", "francecentral")).toBeUndefined();
    expect(catalog.regionalName("Nope", "westeurope")).toBeUndefined();
  });

  it("returns whole entries", () => {
    expect(catalog.entry("apimanagement.francecentral")).toMatchObject({
      name: "ApiManagement.FranceCentral",
      region: "centralfrance",
      regionId: 19,
      addressPrefixes: ["20.39.80.2/31"],
    });
  });
});

describe("a file that is not a Service Tags file gives one typed line", () => {
  const cases: [string, unknown, RegExp][] = [
    ["an array", [], /expected a JSON object/],
    ["no values", { cloud: "Public", changeNumber: 1 }, /"values" is missing/],
    ["no cloud", { changeNumber: 1, values: [entry("A", [])] }, /"cloud" is missing/],
    ["a fractional changeNumber", { cloud: "Public", changeNumber: 1.5, values: [entry("A", [])] }, /changeNumber/],
    ["empty values", tagsFile([]), /"values" is empty/],
    ["an entry without name", tagsFile([{ properties: { addressPrefixes: [] } }]), /values\[0\]\.name/],
    [
      "prefixes not strings",
      tagsFile([entry("A", [1 as unknown as string])]),
      /addressPrefixes: missing or not an array/,
    ],
    [
      "a bad prefix",
      tagsFile([entry("A", ["10.0.0.0/8", "10.0.0.0/33"])]),
      /addressPrefixes\[1\]: "10\.0\.0\.0\/33" is not a CIDR/,
    ],
    ["a duplicate tag", tagsFile([entry("A", []), entry("a", [])]), /the tag a appears twice/],
    ["bad networkFeatures", tagsFile([entry("A", [], "", 0, "NSG" as unknown as string[])]), /networkFeatures/],
  ];
  for (const [what, json, message] of cases) {
    it(what, () => {
      let error: unknown;
      try {
        catalogFromServiceTagsJson(json, "x.json");
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ServiceTagsFormatError);
      expect(error).toBeInstanceOf(InputError);
      const text = (error as Error).message;
      expect(text).toMatch(/^x\.json: not a Service Tags file: /);
      expect(text).toMatch(message);
      expect(text).not.toContain("\n");
    });
  }

  it("counts the other problems", () => {
    expect(() => catalogFromServiceTagsJson(tagsFile([entry("A", ["x"]), entry("B", ["y"])]), "x.json")).toThrow(
      /\(and 1 more problems\)/,
    );
  });
});

describe("dateFromFileName", () => {
  it("reads the date of official file names only", () => {
    expect(dateFromFileName("/a/ServiceTags_Public_20251028.json")).toBe("2025-10-28");
    expect(dateFromFileName("C:\\t\\ServiceTags_AzureGovernment_20240101.json")).toBe("2024-01-01");
    expect(dateFromFileName("tags.json")).toBeUndefined();
  });
});

describe("parsePrefixList agrees with the general parser", () => {
  const v4 = fc
    .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }))
    .map(([n, len]) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${len}`);
  const v6 = fc
    .tuple(
      fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }),
      fc.integer({ min: 0, max: 128 }),
      fc.boolean(),
    )
    .map(([groups, len, compress]) => {
      const text = groups.map((g) => g.toString(16)).join(":");
      return `${compress ? text.replace(/(^|:)0(:0)+(:|$)/, "::") : text}/${len}`;
    });
  it("on random IPv4 and IPv6 prefixes, compressed or not", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(v4, v6), { maxLength: 8 }), (prefixes) => {
        const fast = parsePrefixList(prefixes);
        const slow = prefixes.length > 0 ? AddressSet.parse(...prefixes) : AddressSet.EMPTY;
        expect(fast).toBeInstanceOf(AddressSet);
        expect((fast as AddressSet).equals(slow)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
  it("names the first bad entry", () => {
    expect(parsePrefixList(["10.0.0.0/8", "1::2::3/64"])).toBe(1);
    expect(parsePrefixList(["10.0.0.0/8", "10.0.0.0/"])).toBe(1);
    expect(parsePrefixList(["::ffff:1.2.3.4/128", "Storage"])).toBe(1);
  });
});
