/**
 * model/ids: the one-pass id parser (issue 17) answers exactly as the split-and-lower-case reading it replaced,
 * for ids as inputs write them and for any mix of segments, case, slashes and look-alike characters.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { displayName, type ParsedResourceId, parseResourceId, providerKey, shortName } from "./ids.js";

/** The reading the fast parser replaced: every segment lower-cased, then searched. */
function reference(id: string): ParsedResourceId | undefined {
  const parts = id.split("/").filter((p) => p.length > 0);
  const lower = parts.map((p) => p.toLowerCase());
  const providersAt = lower.lastIndexOf("providers");
  if (providersAt < 0 || providersAt + 3 > parts.length) return undefined;
  const subAt = lower.indexOf("subscriptions");
  const rgAt = lower.indexOf("resourcegroups");
  const rest = parts.slice(providersAt + 2);
  const types: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < rest.length; i += 2) {
    types.push(rest[i]!);
    names.push(rest[i + 1] ?? "");
  }
  return {
    subscriptionId: subAt >= 0 ? parts[subAt + 1] : undefined,
    resourceGroup: rgAt >= 0 ? parts[rgAt + 1] : undefined,
    type: [parts[providersAt + 1]!, ...types].join("/"),
    names,
  };
}

// Segments an id is made of, in any case, with characters whose lower case is ASCII or longer (Kelvin sign,
// dotted capital I) so that a segment only looking like a keyword is tried too.
const keyword = fc
  .constantFrom("providers", "subscriptions", "resourceGroups", "PROVIDERS", "ResourceGroups", "\u212Aeys")
  .chain((k) => fc.constantFrom(k, k.replace("i", "\u0130"), k.toUpperCase(), `${k}x`, k.slice(1)));
const segment = fc.oneof(
  keyword,
  fc.constantFrom("Microsoft.Network", "virtualNetworks", "vnet-1", "subnets", "snet", "", "rg", "0000"),
  fc.string({ maxLength: 6 }),
);
const id = fc
  .array(segment, { maxLength: 12 })
  .chain((segments) => fc.constantFrom(segments.join("/"), `/${segments.join("/")}`, `${segments.join("//")}/`));

describe("model/ids", () => {
  it("parseResourceId agrees with the split-and-lower-case reading", () => {
    fc.assert(
      fc.property(id, (text) => {
        expect(parseResourceId(text)).toEqual(reference(text));
      }),
      { numRuns: 2000 },
    );
  });

  it("reads ids as inputs write them", () => {
    const subnet =
      "/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.Network/virtualNetworks/vnet-1/subnets/snet-1";
    expect(parseResourceId(subnet)).toEqual({
      subscriptionId: "sub-1",
      resourceGroup: "rg-1",
      type: "Microsoft.Network/virtualNetworks/subnets",
      names: ["vnet-1", "snet-1"],
    });
    expect(displayName(subnet)).toBe("vnet-1/snet-1");
    expect(shortName(subnet)).toBe("snet-1");
    expect(providerKey(subnet.toUpperCase())).toBe(providerKey(subnet));
    expect(parseResourceId("/subscriptions/s/resourceGroups/rg")).toBeUndefined();
    expect(parseResourceId("/SUBSCRIPTIONS/s/PROVIDERS/Microsoft.Web/sites")?.names).toEqual([""]);
  });
});
