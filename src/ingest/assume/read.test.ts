import { describe, expect, it } from "vitest";
import { routeFixture } from "../../../test/helpers/routes.js";
import { InputError } from "../../model/diagnostics.js";
import { parseAssumptions, readAssumptions } from "./read.js";

function failure(text: string): string {
  try {
    parseAssumptions(text, "assume.yaml");
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error("expected the file to be refused");
}

describe("--assume files", () => {
  it("assumptions extraction: YAML with locations", () => {
    const file = routeFixture("assume-bgp-default-route.yaml");
    const { gatewayRoutes } = readAssumptions(file);
    expect(gatewayRoutes).toEqual([
      {
        gateway: "er-gw",
        prefixes: ["0.0.0.0/0", "10.50.0.0/16"],
        nextHopIpAddress: ["10.255.0.4", "10.255.0.5"],
        src: { file, pointer: "/gatewayRoutes/0", line: 3, column: 5 },
      },
    ]);
  });

  it("assumptions conversion: JSON gives the same; one string is a list of one", () => {
    const json = JSON.stringify({ gatewayRoutes: [{ gateway: " hub-vgw ", prefixes: "10.0.0.0/8" }] });
    const { gatewayRoutes } = parseAssumptions(json, "assume.json");
    expect(gatewayRoutes).toMatchObject([
      { gateway: "hub-vgw", prefixes: ["10.0.0.0/8"], nextHopIpAddress: undefined },
    ]);
    expect(gatewayRoutes[0]!.src).toMatchObject({ line: 1, column: 19 });
    expect(parseAssumptions("", "empty.yaml")).toEqual({ gatewayRoutes: [] });
  });

  it("routeServerRoutes: per BGP connection the prefixes the NVA advertises, next hops optional", () => {
    const text = "routeServerRoutes:\n  - routeServer: rs-hub\n    bgpConnection: nva1\n    prefixes: [0.0.0.0/0]\n";
    const { routeServerRoutes } = parseAssumptions(text, "assume.yaml");
    expect(routeServerRoutes).toEqual([
      {
        routeServer: "rs-hub",
        bgpConnection: "nva1",
        prefixes: ["0.0.0.0/0"],
        nextHopIpAddress: undefined,
        src: { file: "assume.yaml", pointer: "/routeServerRoutes/0", line: 2, column: 5 },
      },
    ]);
    expect(failure("routeServerRoutes:\n  - routeServer: rs\n    prefixes: [10.0.0.0/8]\n")).toBe(
      "assume.yaml:2:5: bgpConnection must name a BGP connection (name or peer IP)",
    );
    expect(
      failure("routeServerRoutes:\n  - routeServer: rs\n    bgpConnection: n\n    prefixes: [10.0.0.1/8]\n"),
    ).toContain("has host bits set");
  });

  it.each([
    [
      "gatewayRoute:\n  - gateway: g\n",
      'assume.yaml:1:1: unknown key "gatewayRoute" (expected gatewayRoutes, routeServerRoutes, networkManagerCommits)',
    ],
    [
      "gatewayRoutes:\n  - gateway: g\n    prefix: [0.0.0.0/0]\n",
      'assume.yaml:3:5: unknown key "prefix" (expected gateway, prefixes, nextHopIpAddress)',
    ],
    ["gatewayRoutes:\n  - gateway: g\n", "assume.yaml:2:5: prefixes is missing (the prefixes the gateway learns)"],
    [
      "gatewayRoutes:\n  - gateway: g\n    prefixes: [10.0.0.0/33]\n",
      "assume.yaml:3:16: 10.0.0.0/33 is not a CIDR prefix",
    ],
    ["gatewayRoutes:\n  - gateway: g\n    prefixes: [Storage]\n", "assume.yaml:3:16: Storage is not a CIDR prefix"],
    [
      "gatewayRoutes:\n  - gateway: g\n    prefixes: [10.1.2.3/8]\n",
      "assume.yaml:3:16: 10.1.2.3/8 has host bits set (did you mean 10.0.0.0/8?)",
    ],
    [
      "gatewayRoutes:\n  - prefixes: [0.0.0.0/0]\n",
      "assume.yaml:2:5: gateway must name a virtual network gateway (name or id)",
    ],
    [
      "gatewayRoutes:\n  - gateway: g\n    prefixes: [0.0.0.0/0]\n    nextHopIpAddress: [10.0.0]\n",
      "assume.yaml:4:24: 10.0.0 is not an IP address",
    ],
    ["gatewayRoutes: {}\n", "assume.yaml:1:16: gatewayRoutes must be a list"],
    ["- 1\n", 'assume.yaml:1:1: expected an object with "gatewayRoutes"'],
  ])("assumptions warns: %j is refused with one line", (text, message) => {
    expect(failure(text)).toBe(message);
  });

  it("assumptions warns: a syntax error names its line", () => {
    expect(failure("gatewayRoutes:\n  - gateway: [g\n")).toMatch(/^assume\.yaml:\d+:\d+: invalid YAML\/JSON: /);
    expect(failure('{"gatewayRoutes": [}')).toMatch(/^assume\.yaml:1:\d+: invalid YAML\/JSON: /);
  });
});
