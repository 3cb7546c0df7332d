/**
 * How an observed effective route table routes a set of addresses (checks/util/observed observedRouting, what
 * APIM-FORCED-TUNNEL decides from): longest prefix among the Active rows, rows of one prefix length sharing their
 * addresses (ECMP), Invalid rows ignored, prefixes that are not addresses named.
 */
import { describe, expect, it } from "vitest";
import { observedRouting } from "../../src/checks/util/observed.js";
import { AddressSet } from "../../src/engine/ip/address-set.js";
import type { EffectiveRoute, ObservedEffectiveRoutes } from "../../src/model/observed.js";

const SRC = { file: "routes.json", pointer: "", line: 1, column: 1 };
const row = (prefixes: string[], nextHopType: string, state = "Active", ip: string[] = []): EffectiveRoute => ({
  name: null,
  source: "User",
  state,
  addressPrefix: prefixes,
  nextHopType,
  nextHopIpAddress: ip,
});
const table = (routes: EffectiveRoute[]): ObservedEffectiveRoutes => ({
  scope: {},
  routes,
  rowSrc: routes.map((_, i) => ({ ...SRC, line: i + 2 })),
  src: SRC,
});
const TAG = AddressSet.parse("13.69.64.76/31", "13.69.66.144/28");

describe("observedRouting", () => {
  it("a user route for the tag's prefixes to Internet beats 0.0.0.0/0 to an appliance", () => {
    const { parts } = observedRouting(
      table([
        row(["0.0.0.0/0"], "VirtualAppliance", "Active", ["10.0.1.4"]),
        row(["13.69.64.76/31", "13.69.66.144/28"], "Internet"),
      ]),
      TAG,
    );
    expect(parts.map((p) => p.row.nextHopType)).toEqual(["Internet", "Internet"]);
    expect(parts.map((p) => p.src.line)).toEqual([3, 3]);
  });

  it("without it the appliance decides all of the tag, and an Invalid row counts for nothing", () => {
    const { parts } = observedRouting(
      table([
        row(["13.69.64.0/24"], "Internet", "Invalid"),
        row(["0.0.0.0/0"], "VirtualAppliance", "Active", ["10.0.1.4"]),
      ]),
      TAG,
    );
    expect(parts).toHaveLength(1);
    expect(parts[0]!.row.nextHopType).toBe("VirtualAppliance");
    expect(parts[0]!.set.equals(TAG)).toBe(true);
  });

  it("two rows of one prefix (ECMP) each get the addresses, and a prefix that is no address is named", () => {
    const { parts, unreadable } = observedRouting(
      table([
        row(["0.0.0.0/0"], "VirtualNetworkGateway", "Active", ["10.255.0.12"]),
        row(["0.0.0.0/0"], "VirtualNetworkGateway", "Active", ["10.255.0.13"]),
        row(["ApiManagement"], "Internet"),
      ]),
      TAG,
    );
    expect(parts.map((p) => p.row.nextHopIpAddress[0])).toEqual(["10.255.0.12", "10.255.0.13"]);
    expect(unreadable).toEqual(["ApiManagement"]);
  });
});
