import { describe, expect, it } from "vitest";
import { loadDocuments, toDocument } from "../../ingest/load.js";
import { validateRouteTable } from "./validate.js";

function table(routes: object[]) {
  const doc = toDocument(
    "rt.json",
    JSON.stringify({ type: "Microsoft.Network/routeTables", name: "rt", properties: { routes } }, null, 2),
  );
  return loadDocuments([doc]).model.routeTables[0]!;
}
const route = (name: string, properties: object) => ({ name, properties });
const codes = (t: ReturnType<typeof table>, opts = {}) =>
  validateRouteTable(t, opts).map((d) => `${d.severity}:${d.code}`);

describe("route table validation (reference §2.4)", () => {
  it("VirtualAppliance without a next hop IP is refused with Azure's code and message", () => {
    const [d] = validateRouteTable(
      table([route("fw", { addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance" })]),
    );
    expect(d).toMatchObject({ severity: "error", code: "route/MissingNextHopIpAddress" });
    expect(d!.message).toBe(
      "NextHopIpAddress cannot be Null or Empty in route fw when NextHopType is VirtualAppliance.",
    );
    expect(d!.src?.line).toBeGreaterThan(1);
  });

  it("a next hop IP with another next hop type, an unknown type, a bad IP are refused", () => {
    expect(
      codes(
        table([route("a", { addressPrefix: "10.0.0.0/8", nextHopType: "Internet", nextHopIpAddress: "10.0.0.4" })]),
      ),
    ).toEqual(["error:route/next-hop-ip-not-allowed"]);
    expect(codes(table([route("b", { addressPrefix: "10.0.0.0/8", nextHopType: "VNetPeering" })]))).toEqual([
      "error:route/invalid-next-hop-type",
    ]);
    expect(
      codes(
        table([
          route("c", { addressPrefix: "10.0.0.0/8", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.0.0/24" }),
        ]),
      ),
    ).toEqual(["error:route/invalid-next-hop-ip"]);
  });

  it("tags Azure does not route (VirtualNetwork, Internet, ...) are refused; ApiManagement is fine", () => {
    expect(codes(table([route("a", { addressPrefix: "Internet", nextHopType: "Internet" })]))).toEqual([
      "error:route/tag-not-allowed",
    ]);
    expect(codes(table([route("b", { addressPrefix: "ApiManagement", nextHopType: "Internet" })]))).toEqual([]);
    expect(
      codes(table([route("c", { addressPrefix: "NoSuchTag", nextHopType: "Internet" })]), {
        isServiceTag: () => false,
      }),
    ).toEqual(["warning:route/unknown-service-tag"]);
  });

  it("more than 25 service-tag routes in one table are refused (§2.4); a prefix with host bits warns", () => {
    const many = Array.from({ length: 26 }, (_, i) =>
      route(`t${i}`, { addressPrefix: `Storage.Region${i}`, nextHopType: "Internet" }),
    );
    expect(codes(table(many))).toEqual(["error:route/too-many-service-tag-routes"]);
    expect(codes(table([route("h", { addressPrefix: "10.0.0.5/24", nextHopType: "None" })]))).toEqual([
      "warning:route/host-bits-set",
    ]);
    expect(codes(table([route("x", { addressPrefix: "10.0.0.0/33", nextHopType: "None" })]))).toEqual([
      "error:route/invalid-address-prefix",
    ]);
  });
});
