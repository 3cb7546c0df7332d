/**
 * The drift findings in every output (issue 14 item 6): `check` in text, JSON and SARIF shows the rows only on
 * each side of DRIFT-ROUTES, each with its place, and the observed origin of APIM-FORCED-TUNNEL.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type CliIo, main } from "../../src/cli/main.js";
import { REPO_ROOT } from "../helpers/corpus.js";

async function check(format: string) {
  let out = "";
  const io: CliIo = { out: (s) => (out += s), err: () => {}, isTty: false, env: {} };
  const dir = join(REPO_ROOT, "test/fixtures/checks/observed-routes-differ/forced-tunnel");
  await main(["check", dir, "--format", format], io);
  return out;
}

const ROW = "only observed: VirtualNetworkGateway Active 0.0.0.0/0 VirtualNetworkGateway 10.255.0.12";

describe("drift findings in the outputs", () => {
  it("text lists the rows with their places", async () => {
    const text = await check("text");
    expect(text).toContain("DRIFT-ROUTES");
    expect(text).toMatch(
      new RegExp(`${ROW.replace(/\./g, "\\.")} +\\(.*forced-tunnel/effective-routes\\.json:27:11\\)`),
    );
    expect(text).toContain("only computed: Default Active 0.0.0.0/0 Internet");
    expect(text).toMatch(/decided from the effective routes observed in .*effective-routes\.json/);
  });

  it("JSON carries each row as evidence with Azure's fields", async () => {
    const json = JSON.parse(await check("json"));
    const drift = json.findings.find((f: { id: string }) => f.id === "DRIFT-ROUTES");
    const row = drift.evidence.find((e: { text: string }) => e.text === ROW);
    expect(row).toMatchObject({
      kind: "observed-route",
      location: { line: 27 },
      data: { source: "VirtualNetworkGateway", addressPrefix: ["0.0.0.0/0"], nextHopIpAddress: ["10.255.0.12"] },
    });
  });

  it("SARIF has the rule, the result as a warning and the observed rows as related locations", async () => {
    const sarif = JSON.parse(await check("sarif"));
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toContain("DRIFT-ROUTES");
    const result = run.results.find((r: { ruleId: string }) => r.ruleId === "DRIFT-ROUTES");
    expect(result.level).toBe("warning");
    const related = result.relatedLocations.map((l: { message: { text: string } }) => l.message.text);
    expect(related).toContain(ROW);
  });
});
