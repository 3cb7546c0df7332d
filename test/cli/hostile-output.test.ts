/**
 * Output that cannot be forged or break: whatever the names in the inputs hold (escape sequences, BEL, a
 * carriage return, a newline followed by a forged summary line, a bidi override), no command writes an active
 * character to stdout or stderr, no forged line appears, and the SVG is well-formed XML. Output failures are
 * one line and an exit code, never a Node stack: a closed pipe, a full disk, `--out` at a directory, a
 * missing folder, an input file, a symbolic link, and `--out -` for stdout.
 */
import { execFileSync, spawnSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { REPO_ROOT } from "../helpers/corpus.js";
import { xmlProblem } from "../helpers/xml.js";

/** What a terminal acts on (a CRLF pair's CR excepted), and the bidi controls. */
const ACTIVE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/;
const EVIL = "\u001b]0;owned\u0007\u001b[2J\rx\nSummary: 0 error(s)\u202e";

const dir = mkdtempSync(join(tmpdir(), "apim-netcheck-hostile-"));
afterAll(() => (process.env.KEEP_TMP ? undefined : rmSync(dir, { recursive: true, force: true })));

/** The bundled example with every VNet, subnet, NSG and route table name given a hostile tail. */
function hostileExample(): string {
  const text = readFileSync(join(REPO_ROOT, "examples/forced-tunnel/network.json"), "utf8");
  const template = JSON.parse(text);
  const rename = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rename);
    if (value && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = rename(v);
      return out;
    }
    // Every literal name (and every reference to it) of the example ends in these characters.
    return typeof value === "string"
      ? value.replace(/\b(vnet-[a-z]+|snet-[a-z]+|nsg-[a-z]+|rt-[a-z]+)\b/g, `$1${EVIL}`)
      : value;
  };
  const file = join(dir, "network.json");
  writeFileSync(file, JSON.stringify(rename(template), null, 2));
  return file;
}

async function run(...args: string[]) {
  let out = "";
  let err = "";
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), isTty: false, env: {} });
  return { code, out, err };
}

describe("names that hold terminal controls and forged lines", () => {
  const file = hostileExample();
  const subnet = `${JSON.parse(readFileSync(file, "utf8")).variables.apimVnetName}/snet-apim${EVIL}`;

  const commands: string[][] = [
    ["check", file],
    ["check", file, "--format", "markdown"],
    ["check", file, "--format", "json"],
    ["check", file, "--format", "sarif"],
    ["inventory", file],
    ["routes", file, "--subnet", subnet],
    ["routes", file, "--subnet", subnet, "--format", "json"],
    ["flow", file, "--from", "ApiManagement", "--to", subnet, "--port", "3443"],
    ["next-hop", file, "--from", subnet, "--to", "13.66.1.1"],
    ["diff", file, "--after", file],
    ["fix", file, "--dry-run", "--fail-on", "info"],
    ["diagram", file],
    ["routes", file, "--subnet", `nope${EVIL}/x`],
  ];
  for (const args of commands)
    it(`${JSON.stringify(args.slice(2)).slice(0, 60)} ${args[0]}: nothing active on stdout or stderr, no forged line`, async () => {
      const { out, err } = await run(...args);
      expect(out + err).not.toMatch(ACTIVE);
      expect((out + err).split("\n").filter((l) => l.startsWith("Summary: 0 error(s)"))).toEqual([]);
    });

  it("the SVG diagram is well-formed XML", async () => {
    const { out, code } = await run("diagram", file, "--format", "svg");
    expect(code).toBe(0);
    expect(xmlProblem(out)).toBeUndefined();
    expect(xmlProblem(`<svg>${"\u0001"}</svg>`)).toBeDefined();
  });
});

describe("output that cannot be written", () => {
  const example = join(REPO_ROOT, "examples/forced-tunnel");
  const bin = join(REPO_ROOT, "bin/apim-netcheck");
  const built = existsSync(join(REPO_ROOT, "dist/cli/main.js"));

  it.skipIf(!built)("diagram | head -1: the first line, no stack, status 0", () => {
    const out = execFileSync(
      "bash",
      ["-c", `node ${bin} diagram ${example} | head -1; echo "status=\${PIPESTATUS[0]}"`],
      {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    expect(out).toMatch(/^flowchart|^%%|^graph/);
    expect(out).toContain("status=0");
  });

  it.skipIf(!built || !existsSync("/dev/full"))("check > /dev/full: one line naming the failure, exit 2", () => {
    const r = spawnSync("bash", ["-c", `node ${bin} check ${example} > /dev/full`], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe("apim-netcheck: standard output: no space left on device (ENOSPC)");
  });

  it("report --out at a directory, a missing folder, an input: one line each, exit 2, nothing written", async () => {
    const input = join(dir, "input.json");
    writeFileSync(input, readFileSync(join(example, "network.json")));
    const before = readFileSync(input, "utf8");
    for (const [out, what] of [
      [dir, "is a directory"],
      [join(dir, "no/such/report.html"), "does not exist"],
      [input, "is an input"],
    ] as const) {
      const r = await run("report", input, "--out", out);
      expect(r.code).toBe(2);
      expect(r.err).toContain(what);
      expect(r.err).not.toContain("internal error");
    }
    expect(readFileSync(input, "utf8")).toBe(before);
    const link = join(dir, "link-to-input.json");
    symlinkSync(input, link);
    expect((await run("report", input, "--out", link)).err).toContain("is an input");
  });

  it("--out over a symbolic link replaces the link, never writes through it; --out - is stdout", async () => {
    const target = join(dir, "elsewhere.txt");
    writeFileSync(target, "keep me\n");
    const link = join(dir, "diagram.mmd");
    symlinkSync(target, link);
    const r = await run("diagram", example, "--out", link);
    expect(r.code).toBe(0);
    expect(readFileSync(target, "utf8")).toBe("keep me\n");
    expect(lstatSync(link).isSymbolicLink()).toBe(false);
    expect(readFileSync(link, "utf8")).toMatch(/^flowchart|^%%|^graph/);
    mkdirSync(join(dir, "cwd"), { recursive: true });
    const dash = await run("diagram", example, "--out", "-");
    expect(dash.out).toMatch(/^flowchart|^%%|^graph/);
    expect(existsSync("-")).toBe(false);
  });
});
