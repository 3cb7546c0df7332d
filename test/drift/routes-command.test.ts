/**
 * `routes` with observed exports (issue 14 item 6): an export that names its NIC is compared on that NIC's
 * subnet only, with the differing rows listed; asked about another subnet, it is not compared there.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { type CliIo, main } from "../../src/cli/main.js";
import { REPO_ROOT } from "../helpers/corpus.js";

async function run(...argv: string[]) {
  let out = "";
  const io: CliIo = { out: (s) => (out += s), err: () => {}, isTty: false, env: {} };
  const status = await main(argv, io);
  return { status, out };
}

const FX = join(REPO_ROOT, "test/fixtures/checks/observed-routes-differ/forced-tunnel");

it("an export taken from a NIC is compared on its subnet, rows listed, and not on another subnet", async () => {
  const dir = mkdtempSync(join(tmpdir(), "drift-routes-"));
  const template = JSON.parse(readFileSync(join(FX, "apim-probe.json"), "utf8"));
  const vnet = template.resources.find((r: { type: string }) => r.type === "Microsoft.Network/virtualNetworks");
  vnet.properties.subnets.push({ name: "snet-other", properties: { addressPrefix: "10.1.2.0/24" } });
  writeFileSync(join(dir, "template.json"), JSON.stringify(template, null, 2));
  copyFileSync(join(FX, "effective-routes.json"), join(dir, "effective-routes.json"));

  const own = await run("routes", dir, "--subnet", "vnet-apim/snet-apim");
  expect(own.status).toBe(0);
  expect(own.out).toMatch(
    /\nObserved: .*effective-routes\.json:\d+:\d+ differs: 22 rows only computed, 2 only in the export\n/,
  );
  expect(own.out).toContain(
    "  only in the export: VirtualNetworkGateway Active 0.0.0.0/0 VirtualNetworkGateway 10.255.0.12\n",
  );

  const other = await run("routes", dir, "--subnet", "vnet-apim/snet-other");
  expect(other.status).toBe(0);
  expect(other.out).not.toContain("Observed:");
});
