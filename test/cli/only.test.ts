/**
 * "Did you mean" (issue 16 item 6): `--only` with an id that is no check gets the id meant for a slip, else every
 * check id; a misspelt subnet and service tag get the one meant; what is not near keeps the plain message.
 */
import { describe, expect, it } from "vitest";
import { CHECKS } from "../../src/checks/index.js";
import { main } from "../../src/cli/main.js";
import { REPO_ROOT } from "../helpers/corpus.js";

async function run(...args: string[]) {
  let err = "";
  const code = await main(args, { out: () => {}, err: (s) => (err += s), isTty: false, env: {} });
  return { code, err: err.trim() };
}

describe("--only", () => {
  it("names the check meant for a slip", async () => {
    const r = await run("check", `${REPO_ROOT}/examples/forced-tunnel`, "--only", "APIM-FORCED-TUNEL");
    expect(r).toEqual({
      code: 2,
      err: 'apim-netcheck: --only: no check APIM-FORCED-TUNEL (did you mean "APIM-FORCED-TUNNEL"?)',
    });
  });

  it("lists every check id when nothing is near", async () => {
    const r = await run("check", `${REPO_ROOT}/examples/forced-tunnel`, "--only", "APIM-FOO");
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `apim-netcheck: --only: no check APIM-FOO (the checks: ${CHECKS.map((c) => c.meta.id).join(", ")})`,
    );
  });
});

describe("did you mean", () => {
  const example = `${REPO_ROOT}/examples/forced-tunnel`;

  it.each([
    ["vnet-apim/snet-apm", "unknown subnet vnet-apim/snet-apm (did you mean vnet-apim/snet-apim?)"],
    ["snet-apm", "unknown subnet snet-apm (did you mean vnet-apim/snet-apim?)"],
  ])("a subnet %s", async (subnet, message) => {
    expect(await run("routes", example, "--subnet", subnet)).toEqual({ code: 2, err: `apim-netcheck: ${message}` });
  });

  it("a subnet nothing is near keeps the list", async () => {
    const r = await run("routes", example, "--subnet", "vnet-apim/nope");
    expect(r.err).toMatch(/unknown subnet vnet-apim\/nope \(known: /);
  });

  it("a service tag", async () => {
    const r = await run("flow", example, "--from", "ApiManagment", "--to", "vnet-apim/snet-apim", "--port", "3443");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--from: ApiManagment is not a service tag .* \(did you mean ApiManagement\?\)$/);
    const regional = await run(
      "flow",
      example,
      "--from",
      "Storage.westeurop",
      "--to",
      "vnet-apim/snet-apim",
      "--port",
      "443",
    );
    expect(regional.err).toMatch(/\(did you mean Storage\.WestEurope\?\)$/i);
  });
});
