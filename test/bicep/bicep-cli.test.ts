/**
 * `--bicep-cli`: Bicep compiled by the user's own compiler, as ground truth. A stand-in `bicep` on PATH (a
 * script that prints a quickstart's committed azuredeploy.json for its main.bicep, and refuses other files the
 * way the compiler does) shows the wiring: the root is compiled and read as ARM, giving exactly the findings of
 * the ARM template; a module is compiled through its caller, not on its own; a refusal is an error in the
 * compiler's words; no compiler on PATH is one line and exit 2. Where a real `bicep` is installed, every
 * quickstart's main.bicep compiled by it gives the resources our own reader gives (skipped otherwise).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileBicepInputs } from "../../src/ingest/bicep/compiled-inputs.js";
import { loadInputs } from "../../src/ingest/load.js";
import { corpusPath, describeCorpus, REPO_ROOT } from "../helpers/corpus.js";

const BIN = join(REPO_ROOT, "bin/apim-netcheck");
const QUICKSTART = "azure-quickstart-templates/api-management-create-with-internal-vnet-publicip";

/** A directory holding a stand-in `bicep`: `build <f> --stdout` prints `<f minus .bicep>.arm.json`, else refuses. */
function fakeCompiler(): string {
  const dir = mkdtempSync(join(tmpdir(), "apim-netcheck-fake-bicep-"));
  const script = join(dir, "bicep");
  writeFileSync(
    script,
    `#!/usr/bin/env node
const fs = require("node:fs");
const [command, file] = process.argv.slice(2);
const twin = file.replace(/\\.bicep$/, ".arm.json");
if (command === "build" && fs.existsSync(twin)) process.stdout.write(fs.readFileSync(twin, "utf8"));
else { process.stderr.write(file + "(3,7) : Error BCP018: Expected the \\"=\\" character at this location.\\n"); process.exit(1); }
`,
  );
  chmodSync(script, 0o755);
  return dir;
}

function cli(pathDirs: string[], ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: { ...process.env, PATH: [...pathDirs, "/usr/bin", "/bin"].join(delimiter) },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

type Report = { findings?: { id: string; resource: string; severity: string; location: { file: string } }[] };
const findingKeys = (out: string) =>
  ((JSON.parse(out) as Report).findings ?? []).map((f) => `${f.severity} ${f.id} ${f.resource}`).sort();

describeCorpus("--bicep-cli with a stand-in compiler", () => {
  const compiler = fakeCompiler();
  const work = mkdtempSync(join(tmpdir(), "apim-netcheck-bicep-cli-"));
  copyFileSync(join(corpusPath(QUICKSTART), "main.bicep"), join(work, "main.bicep"));
  copyFileSync(join(corpusPath(QUICKSTART), "azuredeploy.json"), join(work, "main.arm.json"));

  it("compiles the root and reads it as ARM: the findings of the ARM template, located in the compiled form", () => {
    const viaCli = cli([compiler], "check", join(work, "main.bicep"), "--bicep-cli", "--format", "json", "--verbose");
    const arm = cli([], "check", join(work, "main.arm.json"), "--format", "json");
    expect(viaCli.code).toBe(arm.code);
    expect(findingKeys(viaCli.out)).toEqual(findingKeys(arm.out));
    expect(viaCli.err).toContain("info: bicep/compiled-by-cli: compiled by bicep and read as ARM");
    for (const f of (JSON.parse(viaCli.out) as Report).findings ?? [])
      expect(f.location.file).toMatch(/main\.bicep \(bicep build\)$/);
  });

  it("a file the compiler refuses is an error in its words (TEMPLATE-INVALID), not a silent pass", () => {
    const bad = mkdtempSync(join(tmpdir(), "apim-netcheck-bicep-cli-bad-"));
    writeFileSync(
      join(bad, "main.bicep"),
      "param location string\nresource x 'Microsoft.Network/virtualNetworks@2023-05-01' = {\n",
    );
    // Alone, nothing usable was read: one line naming the compiler's error, exit 2.
    const alone = cli([compiler], "check", bad, "--bicep-cli");
    expect(alone.code).toBe(2);
    expect(alone.err.trim()).toMatch(/main\.bicep:1:1: bicep build refuses it: .*Error BCP018/);
    // Beside a template that reads, the refusal is a finding and the rest is checked.
    const r = cli(
      [compiler],
      "check",
      bad,
      join(REPO_ROOT, "examples/forced-tunnel"),
      "--bicep-cli",
      "--format",
      "json",
    );
    expect(r.code).toBe(1);
    const findings = (JSON.parse(r.out) as Report).findings ?? [];
    expect(findings.map((f) => f.id)).toContain("TEMPLATE-INVALID");
    expect(r.out).toContain("Error BCP018");
  });
});

describe("--bicep-cli without a compiler", () => {
  it("is one line and exit 2", () => {
    const empty = mkdtempSync(join(tmpdir(), "apim-netcheck-no-bicep-"));
    const r = spawnSync(process.execPath, [BIN, "check", join(REPO_ROOT, "examples/forced-tunnel"), "--bicep-cli"], {
      encoding: "utf8",
      env: { PATH: empty },
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^apim-netcheck: --bicep-cli: neither bicep nor az is on PATH/);
  });
});

describe("which files are compiled", () => {
  it("a module is compiled through its caller, never on its own; a .bicepparam with its template", () => {
    const seen: string[] = [];
    const { docs, notes } = compileBicepInputs(
      [
        { file: "main.bicep", text: "module net './net.bicep' = {\n  name: 'net'\n}\n" },
        { file: "net.bicep", text: "param prefix string\n" },
        { file: "app.bicep", text: "param name string\n" },
        { file: "app.bicepparam", text: "using './app.bicep'\nparam name = 'x'\n" },
      ],
      (path, command) => {
        seen.push(`${command} ${path.split("/").at(-1)}`);
        return command === "build"
          ? {
              ok: true,
              compiler: "bicep",
              json: '{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","contentVersion":"1.0.0.0","resources":[]}',
            }
          : {
              ok: true,
              compiler: "bicep",
              json: JSON.stringify({
                parametersJson: JSON.stringify({ parameters: { name: { value: "x" } } }),
                templateJson: JSON.stringify({
                  contentVersion: "1.0.0.0",
                  parameters: { name: { type: "string" } },
                  resources: [],
                }),
              }),
            };
      },
    );
    expect(seen.sort()).toEqual(["build main.bicep", "build-params app.bicepparam"]);
    expect(docs.map((d) => d.file)).toEqual(["main.bicep (bicep build)", "app.bicepparam (bicep build-params)"]);
    // The .bicepparam value is the template's default, so -p still overrides it.
    expect(JSON.parse(docs[1]!.text).parameters.name.defaultValue).toBe("x");
    expect(
      notes
        .filter((n) => n.code === "bicep/compiled-through-caller")
        .map((n) => n.file)
        .sort(),
    ).toEqual(["app.bicep", "net.bicep"]);
  });
});

const realBicep = spawnSync("bicep", ["--version"], { encoding: "utf8" }).status === 0;

describe.skipIf(!realBicep)("--bicep-cli against the built-in reader (a real bicep is installed)", () => {
  it("every quickstart main.bicep gives the same NSG rules and subnets compiled as read", () => {
    for (const dir of [
      "api-management-create-with-internal-vnet-publicip",
      "api-management-create-with-external-vnet-publicip",
    ]) {
      const file = join(corpusPath("azure-quickstart-templates"), dir, "main.bicep");
      const ours = loadInputs([file]).model;
      const theirs = loadInputs([file], {
        compileBicep: (path) => {
          const r = spawnSync("bicep", ["build", path, "--stdout"], { encoding: "utf8" });
          return r.status === 0 ? { ok: true, json: r.stdout, compiler: "bicep" } : { ok: false, reason: r.stderr };
        },
      }).model;
      const rules = (m: typeof ours) =>
        m.networkSecurityGroups
          .flatMap((n) => n.securityRules.map((r) => `${n.name}/${r.name} ${r.priority} ${r.direction} ${r.access}`))
          .sort();
      expect(rules(theirs)).toEqual(rules(ours));
      const subnets = (m: typeof ours) =>
        m.virtualNetworks.flatMap((v) => v.subnets.map((s) => `${v.name}/${s.name}`)).sort();
      expect(subnets(theirs)).toEqual(subnets(ours));
    }
  });
});
