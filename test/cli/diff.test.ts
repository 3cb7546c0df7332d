/** CLI tests of `apim-netcheck diff <before...> --to <after...>` through main() with a capturing io. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { REPO_ROOT } from "../helpers/corpus.js";
import { editFixture } from "../helpers/edit-fixture.js";

async function run(...args: string[]) {
  let out = "";
  let err = "";
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), isTty: false, env: {} });
  return { code, out, err };
}

const MGMT = join(REPO_ROOT, "test/fixtures/checks/nsg-allows-management-endpoint");
const BROKEN = join(MGMT, "deny-3443-before-allow.json");
const GOOD = join(MGMT, "allows-3443.json");

describe("apim-netcheck diff", () => {
  it("a fix: the 3443 finding disappears and the management flow goes from Deny to Allow (exit 0)", async () => {
    const r = await run("diff", BROKEN, "--to", GOOD);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Findings that appear \(0\):\n {2}none/);
    expect(r.out).toMatch(/- ERROR +APIM-INBOUND-MANAGEMENT {2}apim-test \(westeurope\)/);
    expect(r.out).toContain("Inbound TCP 3443 ApiManagement → subnet");
    expect(r.out).toContain("Deny by nsg-apim securityRules/Deny-All-In (priority 200)  →  Allow");
  });

  it("a regression: the finding appears and the run fails (exit 1), unless --fail-on never", async () => {
    const r = await run("diff", GOOD, "--to", BROKEN, "--format", "json");
    expect(r.code).toBe(1);
    const body = JSON.parse(r.out);
    expect(body.appeared.map((f: { id: string }) => f.id)).toContain("APIM-INBOUND-MANAGEMENT");
    expect(body.disappeared).toEqual([]);
    expect(body.flows).toEqual([
      expect.objectContaining({
        instance: "apim-test (westeurope)",
        requirement: expect.objectContaining({ id: "management", ports: ["3443"] }),
        before: expect.objectContaining({ verdict: "Allow" }),
        after: expect.objectContaining({
          verdict: "Deny",
          decidedBy: "nsg-apim securityRules/Deny-All-In (priority 200)",
        }),
      }),
    ]);
    expect(body.summary.appeared.error).toBe(1);
    expect((await run("diff", GOOD, "--to", BROKEN, "--fail-on", "never")).code).toBe(0);
  });

  it("only new findings count for the exit code: what was already broken before does not fail the run", async () => {
    const r = await run("diff", BROKEN, "--to", BROKEN, "--format", "json");
    expect(r.code).toBe(0);
    const body = JSON.parse(r.out);
    expect(body.appeared).toEqual([]);
    expect(body.disappeared).toEqual([]);
    expect(body.flows).toEqual([]);
    expect(body.unchanged).toBeGreaterThan(0);
  });

  it("a route change shows as a next hop change of the outbound flows, and the tunnel findings disappear", async () => {
    const example = join(REPO_ROOT, "examples/forced-tunnel/network.json");
    const direct = editFixture(example, (t) => {
      const table = t.resources.find((r: { type: string }) => r.type === "Microsoft.Network/routeTables");
      table.properties.routes = table.properties.routes.filter(
        (r: { name: string }) => r.name !== "default-to-firewall",
      );
    });
    const body = JSON.parse((await run("diff", example, "--to", direct, "--format", "json")).out);
    const storage = body.flows.find((c: { requirement: { id: string } }) => c.requirement.id === "storage");
    expect(storage.before.nextHops).toEqual(["VirtualAppliance"]);
    expect(storage.after.nextHops).toEqual(["Internet"]);
    expect(body.disappeared.map((f: { id: string }) => f.id)).toContain("APIM-DEPENDENCY-TUNNELED");
    expect(body.appeared).toEqual([]);
  });

  it("usage errors exit 2: no --to, a bad --format", async () => {
    expect((await run("diff", GOOD)).code).toBe(2);
    const bad = await run("diff", GOOD, "--to", BROKEN, "--format", "xml");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--format must be text or json");
  });
});
