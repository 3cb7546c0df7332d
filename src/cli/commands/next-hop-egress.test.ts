/**
 * `next-hop` says where Internet-bound traffic leaves when the next hop is `Internet` (reference part 2 §11.2): the
 * subnet's NAT gateway with its public IP, default outbound access (and whether it was assumed), or none for a
 * private subnet; a route to an appliance has no such line. The JSON answer keeps Network Watcher's fields only,
 * the egress goes to stderr beside it. `routes` adds the same line under a table with Internet rows when a NAT
 * gateway or a private subnet decides the egress, and nothing for an ordinary subnet.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../test/helpers/corpus.js";
import { type CliIo, main } from "../main.js";

const fx = (name: string) => join(REPO_ROOT, "test/fixtures/checks/outbound-egress", name);

async function nextHop(file: string, ...extra: string[]) {
  let out = "";
  let err = "";
  const io: CliIo = { out: (s) => (out += s), err: (s) => (err += s), isTty: false, env: {} };
  const argv = ["next-hop", fx(file), "--from", "vnet-apim/snet-apim", "--to", "8.8.8.8", ...extra];
  const status = await main(argv, io);
  return { status, out, err };
}

describe("next-hop: the egress of an Internet next hop", () => {
  it("names the NAT gateway and its public IP", async () => {
    const { status, out } = await nextHop("nat-gateway.json");
    expect(status).toBe(0);
    expect(out.split("\n")[1]).toBe(
      "egress: NAT gateway natgw-apim (public IP pip-natgw 20.50.1.10) (a NAT gateway takes over the subnet's Internet-bound traffic; reference part 2 §11.2)",
    );
  });

  it("says none for a private subnet without one, and default outbound access (assumed) for an old api-version", async () => {
    expect((await nextHop("private-no-nat.json")).out.split("\n")[1]).toMatch(
      /^egress: none: subnet snet-apim is private \(defaultOutboundAccess false\) and has no NAT gateway/,
    );
    expect((await nextHop("not-private.json")).out.split("\n")[1]).toMatch(
      /^egress: default outbound access .*; assumed: .*api-version 2023-05-01/,
    );
    expect((await nextHop("unstated-new-api.json")).out.split("\n")[1]).toMatch(/^egress: Unknown: /);
  });

  it("keeps Network Watcher's JSON fields and puts the egress on stderr", async () => {
    const { out, err } = await nextHop("nat-gateway.json", "--format", "json");
    expect(Object.keys(JSON.parse(out))).toEqual([
      "nextHopType",
      "nextHopIpAddress",
      "routeTableId",
      "routeName",
      "source",
    ]);
    expect(err).toMatch(/^egress: NAT gateway natgw-apim/m);
  });

  it("has no egress line when a route sends the traffic to an appliance", async () => {
    const { out } = await nextHop("private-firewall.json");
    expect(out).toMatch(/next hop VirtualAppliance 10\.1\.2\.4/);
    expect(out).not.toContain("egress:");
  });
});

async function routes(file: string, ...extra: string[]) {
  let out = "";
  let err = "";
  const io: CliIo = { out: (s) => (out += s), err: (s) => (err += s), isTty: false, env: {} };
  const status = await main(["routes", fx(file), "--subnet", "vnet-apim/snet-apim", ...extra], io);
  return { status, out, err };
}

describe("routes: the egress of the Internet rows", () => {
  it("names the NAT gateway under the table, and on stderr beside the JSON", async () => {
    const text = await routes("nat-gateway.json");
    expect(text.status).toBe(0);
    expect(text.out).toMatch(/\nInternet egress: NAT gateway natgw-apim \(public IP pip-natgw 20\.50\.1\.10\)/);
    const json = await routes("nat-gateway.json", "--format", "json");
    expect(Object.keys(JSON.parse(json.out))).toEqual(["value"]);
    expect(json.err).toMatch(/^Internet egress: NAT gateway natgw-apim/m);
  });

  it("says none for a private subnet, and nothing for an ordinary one", async () => {
    expect((await routes("private-no-nat.json")).out).toMatch(/\nInternet egress: none: subnet snet-apim is private/);
    expect((await routes("not-private.json")).out).not.toContain("egress");
  });
});
