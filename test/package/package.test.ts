/**
 * The published package, end to end: pack the tarball (prepack builds dist/), install it offline into an empty
 * prefix, run the installed CLI on the example it ships from another directory, import the library as ESM and
 * type-check a TypeScript user of it against the shipped declarations. Then the CI integrations the package
 * ships: the GitHub Action's and the Azure Pipelines template's steps run against the installed package on a
 * workspace holding the example.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join, posix } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT } from "../helpers/corpus.js";
import { sarifSchemaErrors } from "../helpers/sarif-schema.js";
import { xmlProblem } from "../helpers/xml.js";
import { macros, runStep, type Step, substitute } from "./ci-runner.js";
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

  it("ships every file its Markdown links to (the README's and the docs')", () => {
    const pages = packed.files.filter((f) => f.endsWith(".md"));
    expect(pages.length).toBeGreaterThan(20);
    const missing = pages.flatMap((page) =>
      relativeLinks(readFileSync(join(installed(), page), "utf8"))
        .map((link) => posix.normalize(posix.join(posix.dirname(page), link)))
        .filter((target) => !packed.files.some((f) => f === target || f.startsWith(`${target}/`)))
        .map((target) => `${page} -> ${target}`),
    );
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

/** A workspace as a pipeline checks it out: the example under infra/. */
function workspace(): string {
  const dir = mkdtempSync(join(packed.root, "workspace-"));
  cpSync(join(installed(), "examples/forced-tunnel"), join(dir, "infra"), { recursive: true });
  return dir;
}

describe("the GitHub Action", () => {
  const action = parse(readFileSync(join(REPO_ROOT, "action.yml"), "utf8"));
  const steps: Step[] = action.runs.steps;
  const step = (id: string) => steps.find((s) => s.id === id)!;

  it("is a composite action: Node set up, every run step with a shell, only declared inputs used", () => {
    expect(action.runs.using).toBe("composite");
    expect(steps[0]!.uses).toMatch(/^actions\/setup-node@v\d+$/);
    expect(steps.some((s) => /^github\/codeql-action\/upload-sarif@v\d+$/.test(s.uses ?? ""))).toBe(true);
    for (const s of steps) if (s.run) expect(s.shell, s.name).toBe("bash");
    const used = [...readFileSync(join(REPO_ROOT, "action.yml"), "utf8").matchAll(/inputs\.([\w-]+)/g)].map(
      (m) => m[1],
    );
    expect(used.filter((name) => !(name! in action.inputs))).toEqual([]);
    // The repository's own workflow passes only inputs the action declares.
    const workflow = parse(readFileSync(join(REPO_ROOT, ".github/workflows/apim-netcheck.yml"), "utf8"));
    const uses = workflow.jobs.check.steps.find((s: Step) => s.uses === "./");
    expect(Object.keys(uses.with).filter((k) => !(k in action.inputs))).toEqual([]);
  });

  it("its check step writes the log, schema-valid SARIF and the exit code; its last step then fails the job", () => {
    const dir = workspace();
    const output = join(dir, "github-output");
    writeFileSync(output, "");
    const inputs: Record<string, string> = Object.fromEntries(
      Object.entries(action.inputs as Record<string, { default?: string }>).map(([k, v]) => [
        `inputs.${k}`,
        v.default ?? "",
      ]),
    );
    const values = { ...inputs, "inputs.paths": "infra", "github.action_path": installed() };
    const check = step("check");
    const env = Object.fromEntries(Object.entries(check.env ?? {}).map(([k, v]) => [k, substitute(String(v), values)]));
    const r = runStep(substitute(check.run!, values), { ...env, GITHUB_OUTPUT: output }, dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("APIM-FORCED-TUNNEL");
    const outputs = Object.fromEntries(
      readFileSync(output, "utf8")
        .trim()
        .split("\n")
        .map((l) => l.split("=") as [string, string]),
    );
    expect(outputs["exit-code"]).toBe("1");
    const sarif = JSON.parse(readFileSync(join(dir, outputs["sarif-file"]!), "utf8"));
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(sarif.runs[0].results.some((x: { ruleId: string }) => x.ruleId === "APIM-FORCED-TUNNEL")).toBe(true);

    const verdict = step("verdict");
    expect(verdict.if).toContain("steps.check.outputs.exit-code != '0'");
    const failed = runStep(substitute(verdict.run!, {}), { EXIT_CODE: outputs["exit-code"]! }, dir);
    expect(failed.status).toBe(1);
  });

  it("with fail-on never, the run passes", () => {
    const dir = workspace();
    const output = join(dir, "github-output");
    const check = step("check");
    const env = { APIM_NETCHECK_PATHS: "infra", APIM_NETCHECK_FAIL_ON: "never", APIM_NETCHECK_DEFER_EXIT: "true" };
    const values = { "github.action_path": installed() };
    expect(runStep(substitute(check.run!, values), { ...env, GITHUB_OUTPUT: output }, dir).status).toBe(0);
    expect(readFileSync(output, "utf8")).toContain("exit-code=0\n");
  });
});

describe("the Azure Pipelines template", () => {
  const template = parse(readFileSync(join(REPO_ROOT, "ci/azure-pipelines.yml"), "utf8"));
  const steps: Step[] = template.steps;

  it("sets up Node, runs the check, publishes the SARIF as CodeAnalysisLogs whatever happened, then fails", () => {
    expect(steps[0]!.task).toBe("NodeTool@0");
    const publish = steps.find((s) => s.task === "PublishBuildArtifacts@1")!;
    expect(publish.condition).toBe("always()");
    expect((publish as { inputs: { ArtifactName: string } }).inputs.ArtifactName).toBe("CodeAnalysisLogs");

    const dir = workspace();
    const staging = join(dir, "staging");
    const parameters: Record<string, string> = Object.fromEntries(
      (template.parameters as { name: string; default: string }[]).map((p) => [`parameters.${p.name}`, p.default]),
    );
    const values = { ...parameters, "parameters.paths": "infra", "parameters.toolPath": installed() };
    const variables = {
      "Build.ArtifactStagingDirectory": staging,
      "Build.SourcesDirectory": dir,
      "Agent.TempDirectory": staging,
    };
    const check = steps.find((s) => s.displayName === "apim-netcheck check")!;
    const env = Object.fromEntries(
      Object.entries(check.env ?? {}).map(([k, v]) => [k, macros(substitute(String(v), values), variables)]),
    );
    const r = runStep(macros(substitute(check.script!, values), variables), { ...env, TF_BUILD: "True" }, dir);
    expect(r.status).toBe(0);
    const exit = /##vso\[task\.setvariable variable=APIM_NETCHECK_EXIT_CODE\](\d+)/.exec(r.stdout)?.[1];
    expect(exit).toBe("1");
    const sarif = join(staging, "CodeAnalysisLogs/apim-netcheck.sarif");
    expect(existsSync(sarif)).toBe(true);
    expect(macros(String((publish as { inputs: { PathtoPublish: string } }).inputs.PathtoPublish), variables)).toBe(
      join(staging, "CodeAnalysisLogs"),
    );

    // The JUnit results, published to the Tests tab whatever happened (a step inserted when junitFile is given).
    const junit = join(staging, "apim-netcheck.junit.xml");
    expect(xmlProblem(readFileSync(junit, "utf8"))).toBeUndefined();
    expect(readFileSync(junit, "utf8")).toContain('<testsuite name="APIM-FORCED-TUNNEL"');
    const inserted = steps.find((s) => Object.keys(s)[0]!.startsWith("${{ if ne(parameters.junitFile"));
    const tests = (Object.values(inserted!)[0] as (Step & { inputs: Record<string, string> })[])[0]!;
    expect([tests.task, tests.condition, tests.inputs.testResultsFormat]).toEqual([
      "PublishTestResults@2",
      "always()",
      "JUnit",
    ]);
    expect(macros(substitute(tests.inputs.testResultsFiles!, values), variables)).toBe(junit);

    const fail = steps.at(-1)!;
    expect(fail.condition).toContain("ne(variables['APIM_NETCHECK_EXIT_CODE'], '0')");
    expect(runStep(macros(fail.script!, { APIM_NETCHECK_EXIT_CODE: exit! }), {}, dir).status).toBe(1);
  });
});
