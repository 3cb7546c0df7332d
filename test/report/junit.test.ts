/**
 * `check --format junit`: well-formed XML whatever the inputs are called; a suite per check (a check without
 * findings passes once), errors and warnings as failures, infos passing, accepted findings skipped with the
 * reason, and the counts on each element equal to what it holds.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CHECKS } from "../../src/checks/index.js";
import { main } from "../../src/cli/main.js";
import { REPO_ROOT } from "../helpers/corpus.js";
import { xmlProblem } from "../helpers/xml.js";

const EXAMPLE = join(REPO_ROOT, "examples/forced-tunnel");

async function run(...args: string[]) {
  let out = "";
  const code = await main(args, { out: (s) => (out += s), err: () => {}, isTty: false, env: {} });
  return { code, out };
}

const attr = (tag: string, name: string) => Number(new RegExp(`${name}="(\\d+)"`).exec(tag)?.[1]);

describe("--format junit", () => {
  it("a suite per check, failures for errors and warnings, the counts true, well-formed XML", async () => {
    const json = JSON.parse((await run("check", EXAMPLE, "--format", "json")).out);
    const { code, out } = await run("check", EXAMPLE, "--format", "junit");
    expect(code).toBe(1);
    expect(xmlProblem(out)).toBeUndefined();
    const suites = [...out.matchAll(/<testsuite [^>]*>/g)].map((m) => m[0]);
    expect(suites.length).toBe(CHECKS.length);
    const failing = json.findings.filter((f: { severity: string }) => f.severity !== "info").length;
    const head = /<testsuites [^>]*>/.exec(out)![0];
    expect(attr(head, "failures")).toBe(failing);
    expect(attr(head, "failures")).toBe((out.match(/<failure /g) ?? []).length);
    expect(attr(head, "tests")).toBe((out.match(/<testcase /g) ?? []).length);
    const tunnel = suites.find((s) => s.includes('name="APIM-FORCED-TUNNEL"'))!;
    expect(attr(tunnel, "failures")).toBe(1);
    expect(out).toContain('<failure type="error" message="');
  });

  it("a suppressed finding is skipped with its reason", async () => {
    const dir = mkdtempSync(join(tmpdir(), "apim-netcheck-junit-"));
    const config = join(dir, "c.yaml");
    writeFileSync(
      config,
      "suppressions:\n  - id: APIM-FORCED-TUNNEL\n    resource: '**'\n    reason: known & <accepted>\n",
    );
    const { out } = await run("check", EXAMPLE, "--format", "junit", "--config", config);
    expect(xmlProblem(out)).toBeUndefined();
    expect(out).toContain(`<skipped message="suppressed: known &amp; &lt;accepted&gt; (${config}:2)"/>`);
    expect(attr(/<testsuites [^>]*>/.exec(out)![0], "skipped")).toBe(1);
  });
});
