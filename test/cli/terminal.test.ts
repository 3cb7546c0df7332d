/**
 * The terminal experience, through main() with a capturing io: colour only on a terminal and never with
 * NO_COLOR (https://no-color.org), --quiet and --verbose, the progress note on stderr, --help with an example
 * for every command, and --version.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type CliIo, main } from "../../src/cli/main.js";
import { Progress } from "../../src/cli/progress.js";
import { VERSION } from "../../src/cli/version.js";
import { formatText } from "../../src/report/text.js";
import { REPO_ROOT } from "../helpers/corpus.js";
import { fixtureContext, fixtureFindings } from "../helpers/report-fixture.js";

const EXAMPLE = `${REPO_ROOT}/examples/forced-tunnel`;
const ESC = "\u001b[";

async function run(args: string[], io: Partial<CliIo> = {}) {
  let out = "";
  let err = "";
  const code = await main(args, {
    out: (s) => (out += s),
    err: (s) => (err += s),
    isTty: false,
    env: {},
    ...io,
  });
  return { code, out, err };
}

/** The example plus a JSON file that is no Azure input (an info diagnostic, shown only with --verbose). */
const dir = mkdtempSync(join(tmpdir(), "apim-netcheck-terminal-"));
// The example with its mode in lower case: Azure reads `internal` as Internal, which is an info diagnostic.
writeFileSync(
  join(dir, "network.json"),
  readFileSync(join(EXAMPLE, "network.json"), "utf8").replace(
    '"virtualNetworkType": "Internal"',
    '"virtualNetworkType": "internal"',
  ),
);
writeFileSync(join(dir, "notes.json"), '{ "hello": "world" }\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("colour", () => {
  it("on a terminal: severities and names in colour", async () => {
    const { out } = await run(["check", EXAMPLE], { isTty: true });
    expect(out).toContain(`${ESC}31mERROR`);
    expect(out).toContain(`${ESC}1mSummary${ESC}0m`);
  });

  it("NO_COLOR (any non-empty value) turns it off; an empty NO_COLOR does not", async () => {
    expect((await run(["check", EXAMPLE], { isTty: true, env: { NO_COLOR: "1" } })).out).not.toContain(ESC);
    expect((await run(["check", EXAMPLE], { isTty: true, env: { NO_COLOR: "" } })).out).toContain(ESC);
  });

  it("not a terminal: no colour", async () => {
    const { out, code } = await run(["check", EXAMPLE]);
    expect(code).toBe(1);
    expect(out).not.toContain(ESC);
    expect(out).toMatch(/^ERROR {3}APIM-INBOUND-MANAGEMENT/m);
  });

  it("an escape sequence in an input name cannot drive the terminal", () => {
    const [first] = fixtureFindings();
    const hostile = { ...first!, message: "rule \u001b[2J\u001b]0;owned\u0007 denies", instance: "apim\u001b[31m" };
    const out = formatText([hostile], fixtureContext(), { color: false, fix: "none", verbose: false, quiet: false });
    expect(out).not.toContain("\u001b");
    expect(out).toContain("rule \\u001b[2J\\u001b]0;owned\\u0007 denies");
    expect(out).toContain("apim\\u001b[31m: 1 error(s)");
  });
});

describe("--quiet and --verbose", () => {
  it("--quiet: findings without evidence or fixes, no diagnostics, no inputs footer", async () => {
    const normal = await run(["check", dir]);
    const quiet = await run(["check", dir, "--quiet"]);
    expect(quiet.code).toBe(normal.code);
    expect(normal.out).toContain("    why:");
    expect(normal.out).toContain("    fix (az-cli):");
    expect(quiet.out).not.toContain("why:");
    expect(quiet.out).not.toContain("fix (");
    expect(quiet.out).not.toContain("Inputs:");
    expect(quiet.out).toContain("APIM-INBOUND-MANAGEMENT");
    // Even --quiet names the file it did not read: never a silent skip.
    expect(quiet.err).toMatch(
      /^\S*notes\.json: warning: input\/unrecognised: not a recognised Azure input .*; skipped\n$/,
    );
  });

  it("--quiet prints each info finding it counts on one line (its place and first sentence)", () => {
    const opts = { color: false, fix: "none" as const, verbose: false };
    const out = formatText(fixtureFindings(), fixtureContext(), { ...opts, quiet: true });
    const infos = out.split("\n").filter((l) => l.startsWith("INFO "));
    expect(infos).toEqual([
      expect.stringMatching(/^INFO {4}APIM-OUTBOUND-STORAGE {2}\S+:\d+:\d+ {2}Outbound TCP 443 .*\.$/),
    ]);
    expect(out).not.toContain("why:");
    expect(out).toContain("Summary: 2 error(s), 1 warning(s), 1 info");
  });

  it("--verbose: info diagnostics on stderr, every assumption and each unmodeled resource", async () => {
    const normal = await run(["check", dir]);
    const verbose = await run(["check", dir, "--verbose"]);
    expect(normal.err).not.toContain(": info: ");
    expect(verbose.err).toMatch(
      /network\.json:\d+:\d+: info: apim\/non-canonical-case: .*'internal' is read as Internal/,
    );
    const ctx = { ...fixtureContext(), assumptions: Array.from({ length: 8 }, (_, i) => `assumption ${i}`) };
    const opts = { color: false, fix: "none" as const, quiet: false };
    const short = formatText(fixtureFindings(), ctx, { ...opts, verbose: false });
    const long = formatText(fixtureFindings(), ctx, { ...opts, verbose: true });
    expect(short).toContain("(3 more with --verbose)");
    expect(short).not.toContain("assumption 7");
    expect(long).toContain("assumption 7");
    expect(long).toContain(
      "  - Microsoft.Network/applicationGateways agw-<i>front</i> (templates/my net/spoke #1.json:60:5)",
    );
  });
});

describe("progress on stderr", () => {
  it("after the delay, on a terminal stderr: a note per phase, cleared before the report", async () => {
    const env = { APIM_NETCHECK_PROGRESS_DELAY_MS: "0" };
    const { out, err } = await run(["check", EXAMPLE, "--format", "json"], { errIsTty: true, env });
    expect(err).toMatch(/apim-netcheck: loading inputs… \(\d+\.\d s\)/);
    expect(err).toMatch(/apim-netcheck: evaluating checks… \(\d+\.\d s\)/);
    expect(err.endsWith("\r\u001b[2K")).toBe(true);
    expect(JSON.parse(out).findings.length).toBeGreaterThan(0);
  });

  it("never when stderr is not a terminal, with --quiet, or when the run is quick", async () => {
    const env = { APIM_NETCHECK_PROGRESS_DELAY_MS: "0" };
    expect((await run(["check", EXAMPLE], { errIsTty: false, env })).err).toBe("");
    expect((await run(["check", EXAMPLE, "--quiet"], { errIsTty: true, env })).err).toBe("");
    expect((await run(["check", EXAMPLE], { errIsTty: true })).err).not.toContain("…");
  });

  it("is cleared when the run stops on bad input", async () => {
    const env = { APIM_NETCHECK_PROGRESS_DELAY_MS: "0" };
    const bad = `${REPO_ROOT}/test/fixtures/bad/truncated.json`;
    const { code, err } = await run(["check", bad], { errIsTty: true, env });
    expect(code).toBe(2);
    const lastLine = err.split("\r\u001b[2K").at(-1)!;
    expect(lastLine).toMatch(/^apim-netcheck: .*truncated\.json:\d+:\d+: /);
  });

  it("Progress waits for the delay, then shows elapsed time; done clears only what it wrote", () => {
    let now = 0;
    let err = "";
    const io: CliIo = { out: () => {}, err: (s) => (err += s), isTty: false, env: {} };
    const progress = new Progress(io, { enabled: true, now: () => now });
    progress.step("loading inputs");
    progress.done();
    expect(err).toBe("");
    now = 1500;
    progress.step("evaluating checks");
    expect(err).toBe("\r\u001b[2Kapim-netcheck: evaluating checks… (1.5 s)");
    progress.done();
    expect(err.endsWith("(1.5 s)\r\u001b[2K")).toBe(true);
  });
});

describe("--help and --version", () => {
  it("every command has --help with an example, and so does the program", async () => {
    const top = await run(["--help"]);
    expect(top.code).toBe(0);
    expect(top.out).toContain("Example:");
    const names = [
      ...top.out
        .split("Commands:")[1]!
        .split("Example:")[0]!
        .matchAll(/^ {2}([a-z][a-z-]*)/gm),
    ].map((m) => m[1]!);
    const commands = names.filter((n) => n !== "help");
    expect(commands).toEqual(expect.arrayContaining(["check", "flow", "routes", "next-hop", "inventory"]));
    for (const name of commands) {
      const { code, out } = await run([name, "--help"]);
      expect(code, name).toBe(0);
      expect(out, name).toMatch(new RegExp(`Examples?:\\n {2}apim-netcheck ${name} \\S`));
    }
  });

  it("--version and -V print the version of package.json", async () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    expect(VERSION).toBe(pkg.version);
    for (const flag of ["--version", "-V"]) {
      const { code, out } = await run([flag]);
      expect(code).toBe(0);
      expect(out).toBe(`${VERSION}\n`);
    }
  });

  it("an unknown format is a usage error (exit 2, one line)", async () => {
    const { code, err } = await run(["check", EXAMPLE, "--format", "xml"]);
    expect(code).toBe(2);
    expect(err).toBe("apim-netcheck: --format must be text, json, sarif, markdown or junit, not xml\n");
  });
});
