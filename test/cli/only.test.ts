/** `--only` with an id that is no check: the id meant for a slip, else every check id (issue 16 item 6). */
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
