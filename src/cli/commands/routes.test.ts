import { describe, expect, it } from "vitest";
import { corpusPath, describeCorpus } from "../../../test/helpers/corpus.js";
import { routeFixture, TEST_SERVICE_TAGS } from "../../../test/helpers/routes.js";
import { type CliIo, main } from "../main.js";

async function run(...argv: string[]) {
  let out = "";
  let err = "";
  const io: CliIo = { out: (s) => (out += s), err: (s) => (err += s), isTty: false, env: {} };
  const status = await main([...argv, "--service-tags", TEST_SERVICE_TAGS], io);
  return { status, out, err };
}

const DOCS = routeFixture("docs-udr-routing-example.json");

describe("apim-netcheck routes", () => {
  it("prints { value: [...] } exactly as az does, and the assumptions on stderr", async () => {
    const { status, out, err } = await run(
      "routes",
      DOCS,
      "--subnet",
      "Virtual-network-1/Subnet2",
      "--format",
      "json",
      "--reserved-routes",
      "docs-2023-example",
    );
    expect(status).toBe(0);
    const json = JSON.parse(out);
    expect(Object.keys(json)).toEqual(["value"]);
    expect(json.value).toHaveLength(8);
    expect(Object.keys(json.value[0])).toEqual([
      "name",
      "source",
      "state",
      "addressPrefix",
      "nextHopType",
      "nextHopIpAddress",
      "disableBgpRoutePropagation",
    ]);
    expect(json.value[3]).toEqual({
      name: null,
      source: "VirtualNetworkGateway",
      state: "Active",
      addressPrefix: ["10.10.0.0/16"],
      nextHopType: "VirtualNetworkGateway",
      nextHopIpAddress: ["20.5.5.5"],
      disableBgpRoutePropagation: false,
    });
    expect(err).toBe("Assumed: reserved None routes: profile docs-2023-example (2023-05-27)\n");
  });

  it("prints an aligned table with each user route's file:line and the assumptions", async () => {
    const { status, out } = await run("routes", DOCS, "--subnet", "Virtual-network-1/Subnet1");
    expect(status).toBe(0);
    const lines = out.trimEnd().split("\n");
    expect(lines[0]).toBe(
      "Effective routes of Virtual-network-1/Subnet1 (route table Subnet1-RouteTable, gateway route propagation on)",
    );
    expect(lines[1]).toMatch(/^Source\s+State\s+Address Prefixes\s+Next Hop Type\s+Next Hop IP\s+From$/);
    const header = lines[1]!;
    const nva = lines.find((l) => l.includes("Default-NVA"))!;
    expect(nva.indexOf("VirtualAppliance")).toBe(header.indexOf("Next Hop Type"));
    expect(nva).toMatch(
      /^User\s+Active\s+0\.0\.0\.0\/0\s+VirtualAppliance\s+10\.0\.100\.4\s+Subnet1-RouteTable\/Default-NVA .*docs-udr-routing-example\.json:\d+:\d+$/,
    );
    expect(lines.find((l) => l.includes("VirtualNetworkGateway"))).toMatch(
      /gateway vgw1, connection vgw1-to-on-premises$/,
    );
    expect(lines.at(-1)).toMatch(
      /^Assumed: reserved None routes: profile observed-2025 \(2024-2025\); service endpoint Microsoft\.Storage/,
    );
  });

  it("reads --assume and lists it", async () => {
    const { out } = await run(
      "routes",
      routeFixture("forced-tunnel-expressroute.json"),
      "--subnet",
      "vnet1/plain",
      "--assume",
      routeFixture("assume-bgp-default-route.yaml"),
    );
    expect(out).toMatch(
      /VirtualNetworkGateway\s+Active\s+0\.0\.0\.0\/0\s+VirtualNetworkGateway\s+10\.255\.0\.5\s+--assume .*assume-bgp-default-route\.yaml:3:5/,
    );
    expect(out).toMatch(/Assumed: .*gateway er-gw learns 0\.0\.0\.0\/0, 10\.50\.0\.0\/16 over BGP/);
    expect(out).not.toMatch(/Internet/);
  });

  it.each([
    [
      ["--subnet", "Virtual-network-1/Nope"],
      /^apim-netcheck: unknown subnet Virtual-network-1\/Nope \(did you mean Virtual-network-1\/Subnet1\?\)\n$/,
    ],
    [
      ["--subnet", "Virtual-network-1/Subnet1", "--format", "xml"],
      /^apim-netcheck: --format must be text or json, not xml\n$/,
    ],
    [
      ["--subnet", "Virtual-network-1/Subnet1", "--reserved-routes", "1999"],
      /^apim-netcheck: unknown --reserved-routes profile 1999 \(known: docs-2023, /,
    ],
  ])("usage errors exit 2 with one line: %j", async (args, message) => {
    const { status, out, err } = await run("routes", DOCS, ...args);
    expect(status).toBe(2);
    expect(out).toBe("");
    expect(err).toMatch(message);
  });

  it("a bad --assume file exits 2 with file:line:col", async () => {
    const { status, err } = await run("routes", DOCS, "--subnet", "Virtual-network-1/Subnet1", "--assume", DOCS);
    expect(status).toBe(2);
    expect(err).toMatch(
      /^apim-netcheck: .*docs-udr-routing-example\.json:1:1: expected an object with "gatewayRoutes"\n$/,
    );
  });
});

describe("apim-netcheck next-hop", () => {
  it("answers in Network Watcher's JSON shape, plus the route's name and source", async () => {
    const { status, out, err } = await run(
      "next-hop",
      DOCS,
      "--from",
      "Virtual-network-1/Subnet1",
      "--to",
      "10.0.0.20",
      "--format",
      "json",
    );
    expect(status).toBe(0);
    const json = JSON.parse(out);
    expect(Object.keys(json)).toEqual(["nextHopType", "nextHopIpAddress", "routeTableId", "routeName", "source"]);
    expect(json).toMatchObject({
      nextHopType: "VnetLocal",
      nextHopIpAddress: "",
      routeName: "Within-Subnet1",
      source: "User",
    });
    expect(json.routeTableId).toMatch(/\/routeTables\/Subnet1-RouteTable$/);
    expect(err).toMatch(/^Assumed: /);
  });

  it("takes a source address, and prints one line with the route's file:line", async () => {
    const { status, out } = await run("next-hop", DOCS, "--from", "10.0.0.9", "--to", "8.8.8.8");
    expect(status).toBe(0);
    const [line, assumed] = out.split("\n");
    expect(line).toMatch(
      /^10\.0\.0\.9 \(Virtual-network-1\/Subnet1\) -> 8\.8\.8\.8: next hop VirtualAppliance 10\.0\.100\.4 \(route Default-NVA of route table Subnet1-RouteTable \(0\.0\.0\.0\/0\) at .*docs-udr-routing-example\.json:\d+:\d+\)$/,
    );
    expect(assumed).toMatch(/^Assumed: reserved None routes/);
  });

  it("names system routes as Network Watcher does", async () => {
    const { out } = await run(
      "next-hop",
      DOCS,
      "--from",
      "Virtual-network-1/Subnet2",
      "--to",
      "10.10.1.1",
      "--format",
      "json",
    );
    expect(JSON.parse(out)).toEqual({
      nextHopType: "VirtualNetworkGateway",
      nextHopIpAddress: "20.5.5.5",
      routeTableId: "System Route",
      routeName: null,
      source: "VirtualNetworkGateway",
    });
  });

  it.each([
    [["--from", "nowhere/none", "--to", "8.8.8.8"], /^apim-netcheck: unknown subnet nowhere\/none /],
    [["--from", "172.31.0.1", "--to", "8.8.8.8"], /^apim-netcheck: no subnet in the inputs holds 172\.31\.0\.1; /],
    [
      ["--from", "Virtual-network-1/Subnet1", "--to", "example.com"],
      /^apim-netcheck: --to must be an IP address, not example\.com\n$/,
    ],
  ])("usage errors exit 2: %j", async (args, message) => {
    const { status, err } = await run("next-hop", DOCS, ...args);
    expect(status).toBe(2);
    expect(err).toMatch(message);
  });
});

describeCorpus("apim-netcheck routes on the REST spec example", () => {
  it("prints the six rows of NetworkInterfaceEffectiveRouteTableList.json with the classic profile", async () => {
    const example = corpusPath("azure-rest-api-specs/network-2023-05-01/NetworkInterfaceEffectiveRouteTableList.json");
    const { status, out } = await run(
      "routes",
      routeFixture("rest-spec-effective-routes.json"),
      "--subnet",
      "vnet1/default",
      "--format",
      "json",
      "--reserved-routes",
      "classic",
    );
    expect(status).toBe(0);
    const { readFileSync } = await import("node:fs");
    const expected = JSON.parse(readFileSync(example, "utf8")).responses["200"].body.value;
    const strip = (rows: Record<string, unknown>[]) =>
      rows.map(({ name: _n, disableBgpRoutePropagation: _d, ...rest }) => JSON.stringify(rest)).sort();
    expect(strip(JSON.parse(out).value)).toEqual(strip(expected));
  });

  it("next-hop JSON starts with the fields of Network Watcher's answer in NetworkWatcherNextHopGet.json", async () => {
    const { readFileSync } = await import("node:fs");
    const example = JSON.parse(
      readFileSync(corpusPath("azure-rest-api-specs/network-2024-01-01/NetworkWatcherNextHopGet.json"), "utf8"),
    );
    const body = example.responses["200"].body;
    const { out } = await run(
      "next-hop",
      DOCS,
      "--from",
      "Virtual-network-1/Subnet1",
      "--to",
      "10.0.0.10",
      "--format",
      "json",
    );
    const ours = JSON.parse(out);
    expect(Object.keys(ours).slice(0, 3)).toEqual(Object.keys(body));
    expect(typeof ours.nextHopIpAddress).toBe(typeof body.nextHopIpAddress);
    expect(ours.nextHopType).toBe(body.nextHopType); // VnetLocal within the source's own range, as in the example
  });

  it("compares the computed table with an export given as input, and names the profile that fits", async () => {
    const example = corpusPath("azure-rest-api-specs/network-2023-05-01/NetworkInterfaceEffectiveRouteTableList.json");
    const fixture = routeFixture("rest-spec-effective-routes.json");
    const newest = await run("routes", fixture, example, "--subnet", "vnet1/default");
    expect(newest.out).toMatch(
      /\nObserved: .*NetworkInterfaceEffectiveRouteTableList\.json:\d+:\d+ differs: 17 rows only computed, 0 only in the export; it equals the table with --reserved-routes docs-2023\n/,
    );
    // Each differing row is listed, as the table prints it (the 17 reserved None routes the example lacks).
    const listed = newest.out.split("\n").filter((l) => l.startsWith("  only computed:"));
    expect(listed).toHaveLength(17);
    for (const line of listed) expect(line).toMatch(/^ {2}only computed: {6}Default Active \S+ None$/);
    // The JSON answer carries the comparison beside Azure's `value`.
    const json = JSON.parse(
      (await run("routes", fixture, example, "--subnet", "vnet1/default", "--format", "json")).out,
    );
    expect(json.observed).toHaveLength(1);
    expect(json.observed[0]).toMatchObject({ equal: false, onlyObserved: [], equalWithReservedRoutes: ["docs-2023"] });
    expect(json.observed[0].onlyComputed).toHaveLength(17);
    expect(json.observed[0].onlyComputed[0]).toMatchObject({ source: "Default", nextHopType: "None" });
    const classic = await run(
      "routes",
      fixture,
      example,
      "--subnet",
      "vnet1/default",
      "--reserved-routes",
      "classic",
      "--format",
      "json",
    );
    expect(classic.err).toMatch(/\nObserved: .* equals the computed table\n$/);
  });
});

// routes --nic (issue 14 item 7): a NIC's effective routes are its subnet's (reference §2.1), same JSON shape.
describe("apim-netcheck routes --nic", () => {
  it("gives the JSON of the NIC's subnet, unchanged, and says IP forwarding does not change it", async () => {
    const byNic = await run("routes", DOCS, "--nic", "nva-nic", "--format", "json");
    const bySubnet = await run("routes", DOCS, "--subnet", "Virtual-network-1/NVA-subnet", "--format", "json");
    expect(byNic.status).toBe(0);
    expect(JSON.parse(byNic.out)).toEqual(JSON.parse(bySubnet.out));
    expect(Object.keys(JSON.parse(byNic.out))).toEqual(["value"]);
    expect(byNic.err).toMatch(
      /NIC nva-nic has the routes of its subnet Virtual-network-1\/NVA-subnet: .*IP forwarding \(enabled on this NIC\)/,
    );
  });

  it("names the NIC and its subnet in the text table, and takes the NIC's id as well as its name", async () => {
    const id =
      "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-net/providers/Microsoft.Network/networkInterfaces/NVA-NIC";
    const { status, out } = await run("routes", DOCS, "--nic", id);
    expect(status).toBe(0);
    expect(out.split("\n")[0]).toBe(
      "Effective routes of NIC nva-nic, in Virtual-network-1/NVA-subnet (no route table, gateway route propagation on)",
    );
  });

  it("refuses an unknown NIC with the nearest name, and --nic together with --subnet", async () => {
    const slip = await run("routes", DOCS, "--nic", "nva-nik");
    expect(slip.status).toBe(2);
    expect(slip.err).toContain("unknown NIC nva-nik (did you mean nva-nic?)");
    const both = await run("routes", DOCS, "--nic", "nva-nic", "--subnet", "Virtual-network-1/NVA-subnet");
    expect(both.status).toBe(2);
    expect(both.err).toContain("give one of --subnet <vnet/subnet> or --nic <name>");
  });
});

describe("apim-netcheck routes with a learned-routes export", () => {
  const dir = "test/fixtures/checks/control-plane-returns-to-internet";
  it("adds --assume's gateway routes to the export's instead of replacing them", async () => {
    const { status, out } = await run(
      "routes",
      `${dir}/expressroute-transit.json`,
      `${dir}/expressroute-learned-routes.json`,
      "--assume",
      routeFixture("assume-bgp-default-route.yaml"),
      "--subnet",
      "vnet-apim/snet-apim",
    );
    expect(status).toBe(0);
    // From the export (ergw-hub) and from --assume (er-gw, not in these inputs: said, not applied).
    expect(out).toMatch(/0\.0\.0\.0\/0 .*the learned-routes export .*expressroute-learned-routes\.json:12:5/);
    expect(out).toMatch(
      /Unknown: --assume .*assume-bgp-default-route\.yaml:3:5 names gateway er-gw, which is not in the inputs; not applied/,
    );
  });
});
