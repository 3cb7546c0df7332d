/**
 * The published package, end to end: pack the tarball (prepack builds dist/), install it offline into an empty
 * prefix, run the installed CLI on the example it ships from another directory, import the library as ESM and
 * type-check a TypeScript user of it against the shipped declarations.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/corpus.js";
import { type Packed, packAndInstall } from "./packed.js";

let packed: Packed;
beforeAll(() => {
  packed = packAndInstall();
}, 300_000);

const installed = () => join(packed.prefix, "node_modules", "apim-netcheck");

/** The relative links of a Markdown text (no URLs, no in-page anchors), without their anchors. */
function relativeLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!.replace(/#.*$/, ""))
    .filter((link) => link !== "" && !/^[a-z][a-z0-9+.-]*:/i.test(link));
}

describe("the packed tarball", () => {
  it("ships the entry points, their declarations, LICENSE, and no source maps or tests", () => {
    for (const f of [
      "package.json",
      "LICENSE",
      "README.md",
      "bin/apim-netcheck",
      "dist/cli/main.js",
      "dist/api/index.js",
      "dist/api/index.d.ts",
      "examples/forced-tunnel/network.json",
    ]) {
      expect(packed.files, f).toContain(f);
    }
    expect(packed.files.filter((f) => f.endsWith(".map") || /\.test\.(js|ts)$/.test(f))).toEqual([]);
    expect(readFileSync(join(installed(), "LICENSE"), "utf8")).toMatch(/^MIT License/);
  });

  it("ships every file the README links to", () => {
    const links = relativeLinks(readFileSync(join(REPO_ROOT, "README.md"), "utf8"));
    expect(links.length).toBeGreaterThan(10);
    const missing = links.filter((link) => !packed.files.some((f) => f === link || f.startsWith(`${link}/`)));
    expect(missing).toEqual([]);
  });

  it("runs no script when installed (no preinstall, install, postinstall or prepare)", () => {
    const manifest = JSON.parse(readFileSync(join(installed(), "package.json"), "utf8"));
    for (const hook of ["preinstall", "install", "postinstall", "prepare"])
      expect(manifest.scripts?.[hook]).toBeUndefined();
    expect(manifest.exports["."].types).toBe("./dist/api/index.d.ts");
  });
});

describe("the installed package", () => {
  it("runs the CLI on the bundled example, the help's own example, from another directory", () => {
    const elsewhere = mkdtempSync(join(packed.root, "cwd-"));
    const example = join(installed(), "examples/forced-tunnel");
    const r = spawnSync(packed.bin, ["check", example, "--format", "json"], { cwd: elsewhere, encoding: "utf8" });
    expect(r.stderr).not.toMatch(/internal error|Cannot find/);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.findings.map((f: { id: string }) => f.id)).toContain("APIM-FORCED-TUNNEL");
    // The help names the example by its path in the package.
    const help = spawnSync(packed.bin, ["--help"], { cwd: elsewhere, encoding: "utf8" });
    expect(help.stdout).toContain("apim-netcheck check examples/forced-tunnel");
  });

  it("imports the library as ESM from a project that depends on it", () => {
    const script = join(packed.prefix, "use.mjs");
    writeFileSync(
      script,
      [
        'import { load, check, render, VERSION } from "apim-netcheck";',
        "const network = load(process.argv[2]);",
        "const result = check(network);",
        'const sarif = JSON.parse(render(result, "sarif"));',
        "console.log(JSON.stringify({ version: VERSION, ids: result.findings.map((f) => f.id), runs: sarif.runs.length }));",
      ].join("\n"),
    );
    const r = spawnSync(process.execPath, [script, join(installed(), "examples/forced-tunnel")], {
      cwd: packed.prefix,
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    expect(out.ids).toContain("APIM-FORCED-TUNNEL");
    expect(out.runs).toBe(1);
    expect(out.version).toBe(JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).version);
  });

  it("type-checks a TypeScript user against the shipped declarations", () => {
    const file = join(packed.prefix, "use.ts");
    writeFileSync(
      file,
      [
        'import { check, load, type Finding } from "apim-netcheck";',
        'const findings: Finding[] = check(load(["main.json"]), { platform: "stv2" }).findings;',
        'const severity: "error" | "warning" | "info" | undefined = findings[0]?.severity;',
        "export { severity };",
        "// @ts-expect-error: platform is stv1 or stv2",
        'check(load("x"), { platform: "stv3" });',
      ].join("\n"),
    );
    const tsc = join(REPO_ROOT, "node_modules/typescript/bin/tsc");
    const flags = ["--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext"];
    const r = spawnSync(
      process.execPath,
      [tsc, ...flags, "--types", "node", "--typeRoots", join(REPO_ROOT, "node_modules/@types"), file],
      {
        cwd: packed.prefix,
        encoding: "utf8",
      },
    );
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
