/**
 * The configuration file, suppressions and baselines (issue 16 items 3 and 4): a suppressed finding does not
 * count in the exit code and is listed as suppressed in text, JSON and SARIF (`suppressions` of kind external
 * with the reason, valid against the SARIF schema); an expired suppression is a warning and counts again; the
 * file's mistakes are one line with file:line:col; a baseline makes only new findings fail, and a finding whose
 * lines moved is not new (nor is its SARIF fingerprint different).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CHECKS } from "../../src/checks/index.js";
import { findConfig, parseConfig } from "../../src/cli/config.js";
import { main } from "../../src/cli/main.js";
import { REPO_ROOT } from "../helpers/corpus.js";
import { sarifSchemaErrors } from "../helpers/sarif-schema.js";

async function run(...args: string[]) {
  let out = "";
  let err = "";
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), isTty: false, env: {} });
  return { code, out, err };
}

const EXAMPLE = join(REPO_ROOT, "examples/forced-tunnel/network.json");
const IDS = CHECKS.map((c) => c.meta.id);
const dir = mkdtempSync(join(tmpdir(), "apim-netcheck-suppress-"));
let n = 0;
function file(name: string, text: string): string {
  const path = join(dir, `${n++}-${name}`);
  writeFileSync(path, text);
  return path;
}

/** Accepts the example's three errors; the forced tunnel until `expires`. */
function config(expires = "2999-12-31"): string {
  return file(
    "apim-netcheck.config.yaml",
    [
      "suppressions:",
      "  - id: APIM-FORCED-TUNNEL",
      "    resource: rt-apim/*",
      "    reason: the firewall returns the control plane to Internet (NET-123)",
      `    expires: ${expires}`,
      "  - id: APIM-INBOUND-MANAGEMENT",
      "    resource: nsg-apim",
      "    reason: management is through the self-hosted gateway",
      "  - id: APIM-BACKEND-UNREACHABLE",
      "    file: forced-tunnel/network.json",
      "    reason: the backend moves next sprint",
      "",
    ].join("\n"),
  );
}

describe("suppressions", () => {
  it("a suppressed finding does not count, and the text lists it as suppressed with its reason and place", async () => {
    const before = await run("check", EXAMPLE);
    expect(before.code).toBe(1);
    const cfg = config();
    const r = await run("check", EXAMPLE, "--config", cfg);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Suppressed (3, not counted):");
    expect(r.out).toContain("suppressed: the firewall returns the control plane to Internet (NET-123)");
    expect(r.out).toContain(`(${cfg}:2, until 2999-12-31)`);
    // --fail-on warning: the warnings still count.
    expect((await run("check", EXAMPLE, "--config", cfg, "--fail-on", "warning")).code).toBe(1);
  });

  it("JSON lists suppressed findings apart, with kind, justification and source; the summary counts the rest", async () => {
    const all = JSON.parse((await run("check", EXAMPLE, "--format", "json")).out);
    const r = JSON.parse((await run("check", EXAMPLE, "--format", "json", "--config", config())).out);
    expect(r.summary.error).toBe(0);
    expect(r.findings.length + r.suppressed.length).toBe(all.findings.length);
    const tunnel = r.suppressed.find((f: { id: string }) => f.id === "APIM-FORCED-TUNNEL");
    expect(tunnel.suppression).toMatchObject({
      kind: "external",
      justification: "the firewall returns the control plane to Internet (NET-123)",
      expires: "2999-12-31",
    });
  });

  it("SARIF keeps every result, the suppressed ones with suppressions of kind external, valid against the schema", async () => {
    const plain = JSON.parse((await run("check", EXAMPLE, "--format", "sarif")).out);
    const log = JSON.parse((await run("check", EXAMPLE, "--format", "sarif", "--config", config())).out);
    expect(sarifSchemaErrors(log)).toEqual([]);
    const results = log.runs[0].results;
    expect(results.length).toBe(plain.runs[0].results.length);
    const suppressed = results.filter((x: { suppressions?: unknown[] }) => x.suppressions);
    expect(suppressed.map((x: { ruleId: string }) => x.ruleId).sort()).toEqual([
      "APIM-BACKEND-UNREACHABLE",
      "APIM-FORCED-TUNNEL",
      "APIM-INBOUND-MANAGEMENT",
    ]);
    for (const x of suppressed) expect(x.suppressions[0]).toMatchObject({ kind: "external", status: "accepted" });
    expect(
      suppressed.find((x: { ruleId: string }) => x.ruleId === "APIM-INBOUND-MANAGEMENT").suppressions[0].justification,
    ).toMatch(/^management is through the self-hosted gateway \(.*:6\)$/);
    // Fingerprints are those of the run without suppressions.
    const prints = (l: typeof log) =>
      l.runs[0].results.map((x: { partialFingerprints?: unknown }) => x.partialFingerprints);
    expect(prints(log)).toEqual(prints(plain));
  });

  it("an expired suppression is a warning naming it, and its finding counts again", async () => {
    const cfg = config("2020-01-31");
    const r = await run("check", EXAMPLE, "--config", cfg, "--format", "json");
    expect(r.err).toContain(
      `${cfg}:2: warning: suppression of APIM-FORCED-TUNNEL for rt-apim/* expired on 2020-01-31: its findings count again`,
    );
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json.findings.map((f: { id: string }) => f.id)).toContain("APIM-FORCED-TUNNEL");
    expect(json.suppressed).toHaveLength(2);
  });
});

describe("the configuration file", () => {
  it("gives inputs, fail-on, checks turned off and severities, and a flag given wins", async () => {
    const cfg = file(
      "apim-netcheck.config.json",
      JSON.stringify({
        inputs: [EXAMPLE],
        failOn: "info",
        checks: { "NSG-RULE-SHADOWED": "off", "APIM-FORCED-TUNNEL": "info", "APIM-DEPENDENCY-TUNNELED": false },
      }),
    );
    const r = await run("check", "--config", cfg, "--format", "json");
    const json = JSON.parse(r.out);
    const ids = json.findings.map((f: { id: string; severity: string }) => `${f.id} ${f.severity}`);
    expect(ids).toContain("APIM-FORCED-TUNNEL info");
    expect(ids.some((i: string) => i.startsWith("NSG-RULE-SHADOWED") || i.startsWith("APIM-DEPENDENCY"))).toBe(false);
    expect(r.code).toBe(1);
    expect((await run("check", "--config", cfg, "--fail-on", "never")).code).toBe(0);
  });

  it("is found upward from the working directory, and not above the repository root", () => {
    const repo = join(dir, "repo");
    mkdirSync(join(repo, ".git"), { recursive: true });
    mkdirSync(join(repo, "infra", "nsg"), { recursive: true });
    writeFileSync(join(dir, "apim-netcheck.config.yaml"), "failOn: never\n");
    expect(findConfig(join(repo, "infra", "nsg"))).toBeUndefined();
    writeFileSync(join(repo, ".apim-netcheck.yaml"), "failOn: never\n");
    expect(findConfig(join(repo, "infra", "nsg"))).toBe(join(repo, ".apim-netcheck.yaml"));
    writeFileSync(join(repo, "infra", "apim-netcheck.config.json"), "{}");
    expect(findConfig(join(repo, "infra", "nsg"))).toBe(join(repo, "infra", "apim-netcheck.config.json"));
  });

  it.each([
    ["failon: never\n", 'c.yaml:1:1: unknown key "failon" (did you mean "failOn"?)'],
    ["failOn: sometimes\n", "c.yaml:1:9: failOn must be one of error, warning, info, never, not sometimes"],
    [
      "checks:\n  APIM-FORCED-TUNEL: off\n",
      'c.yaml:2:3: checks: no check APIM-FORCED-TUNEL (did you mean "APIM-FORCED-TUNNEL"?)',
    ],
    ["checks:\n  APIM-DNS: loud\n", "c.yaml:2:13: checks.APIM-DNS must be off, on, error, warning or info, not loud"],
    [
      "suppressions:\n  - id: APIM-DNS\n    resource: x\n",
      "c.yaml:2:5: suppressions[0]: reason is required (why the finding is accepted)",
    ],
    [
      "suppressions:\n  - id: APIM-DNS\n    reason: r\n",
      "c.yaml:2:5: suppressions[0]: resource or file is required (which finding of the check is accepted)",
    ],
    [
      "suppressions:\n  - id: APIM-DNS\n    resource: x\n    reason: r\n    expires: 2027-02-30\n",
      "c.yaml:5:14: suppressions[0].expires must be a date YYYY-MM-DD, not 2027-02-30",
    ],
    [
      "suppressions:\n  - id: APIM-DNS\n    reson: r\n",
      'c.yaml:3:5: suppressions[0]: unknown key "reson" (did you mean "reason"?)',
    ],
    ["- a\n", "c.yaml:1:1: expected an object (inputs, checks, suppressions, ...)"],
  ])("refuses %j with one line naming the place", (text, message) => {
    expect(() => parseConfig(text, "c.yaml", IDS)).toThrow(message);
  });

  it("a mistake in the file is exit 2 and one line", async () => {
    const r = await run("check", EXAMPLE, "--config", file("bad.yaml", "platform: stv3\n"));
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/bad\.yaml:1:11: platform must be one of stv1, stv2, not stv3/);
  });
});

describe("baselines", () => {
  /** The example written at one path with `lines` blank lines before its resources. */
  const network = join(dir, "network.json");
  function variant(lines: number): string {
    writeFileSync(
      network,
      readFileSync(EXAMPLE, "utf8").replace('  "resources": [\n', `  "resources": [\n${"\n".repeat(lines)}`),
    );
    return network;
  }

  it("--write-baseline then --baseline: nothing is new, so nothing fails; all is listed as suppressed", async () => {
    const baseline = join(dir, "baseline.json");
    const first = await run("check", EXAMPLE, "--write-baseline", baseline);
    expect(first.code).toBe(1);
    const r = await run("check", EXAMPLE, "--baseline", baseline, "--fail-on", "info", "--format", "json");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.findings).toEqual([]);
    expect(json.suppressed.every((f: { suppression: { kind: string } }) => f.suppression.kind === "baseline")).toBe(
      true,
    );
  });

  it("a finding whose lines moved is not new, and keeps its SARIF fingerprint", async () => {
    const before = await run("check", variant(0), "--format", "sarif");
    const moved = variant(7);
    const after = await run("check", moved, "--format", "sarif");
    const lines = (t: string) =>
      JSON.parse(t).runs[0].results.map(
        (x: { locations: { physicalLocation: { region: { startLine: number } } }[] }) =>
          x.locations[0]?.physicalLocation.region.startLine,
      );
    expect(lines(after.out)[0]).toBe(lines(before.out)[0] + 7);
    const prints = (t: string) =>
      JSON.parse(t).runs[0].results.map((x: { partialFingerprints?: unknown }) => x.partialFingerprints);
    expect(prints(after.out)).toEqual(prints(before.out));
    // The SARIF of the earlier run as the baseline: nothing new in the moved file.
    const sarif = file("before.sarif", before.out);
    expect((await run("check", moved, "--baseline", sarif, "--fail-on", "info")).code).toBe(0);
  });

  it("only a new finding fails, and it is the one reported", async () => {
    const baseline = file(
      "old.json",
      (await run("check", EXAMPLE, "--format", "json", "--only", "APIM-FORCED-TUNNEL")).out,
    );
    const r = await run("check", EXAMPLE, "--baseline", baseline, "--format", "json");
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json.findings.map((f: { id: string }) => f.id)).not.toContain("APIM-FORCED-TUNNEL");
    expect(json.findings.map((f: { id: string }) => f.id)).toContain("APIM-INBOUND-MANAGEMENT");
  });

  it("a file that is no baseline is exit 2 and one line", async () => {
    const r = await run("check", EXAMPLE, "--baseline", file("x.json", '{"a":1}'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--baseline .*x\.json: neither a baseline, check JSON nor SARIF/);
  });
});
