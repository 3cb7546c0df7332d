/**
 * Every input accounted for, deployment units, and every report written (issue "Never a silent pass (I)"),
 * through main() as a user runs it: files skipped are named on stderr without --verbose; symbolic links are
 * followed and loops named; an unreadable directory is one line and the walk goes on; a run in which nothing
 * usable was read exits 2 with one line; a list export with one bad item loads the rest; the same file given twice
 * counts once; a resource declared twice never doubles findings; two definitions of one NSG in one unit is a
 * conflict named with both places; unrelated templates are separate units; a template Azure would refuse still
 * gets complete JSON and SARIF.
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { loadInputs } from "../../src/ingest/load.js";
import { CORPUS, corpusPath, describeCorpus, REPO_ROOT } from "../helpers/corpus.js";
import { sarifSchemaErrors } from "../helpers/sarif-schema.js";

async function run(...args: string[]) {
  let out = "";
  let err = "";
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), isTty: false, env: {} });
  return { code, out, err };
}

const EXAMPLE = join(REPO_ROOT, "examples/forced-tunnel/network.json");
const MGMT = join(REPO_ROOT, "test/fixtures/checks/nsg-allows-management-endpoint/deny-3443-before-allow.json");
const dir = () => mkdtempSync(join(tmpdir(), "apim-netcheck-inputs-"));

describe("every input accounted for", () => {
  it("files it does not read are named on stderr without --verbose, and the rest is analysed", async () => {
    const d = dir();
    copyFileSync(EXAMPLE, join(d, "network.json"));
    writeFileSync(join(d, "main.bicep"), "resource nsg 'Microsoft.Network/networkSecurityGroups@2023-05-01' = {\n}\n");
    // A Terraform plan is read now (ingest/terraform); a state file is not.
    writeFileSync(join(d, "state.json"), JSON.stringify({ version: 4, terraform_version: "1.9.0", resources: [] }));
    writeFileSync(join(d, "notes.json"), '{ "hello": "world" }');
    writeFileSync(join(d, "broken.json"), '{ "resources": [');
    const r = await run("check", d, "--quiet", "--fail-on", "never");
    expect(r.code).toBe(0);
    expect(r.out).toContain("APIM-INBOUND-MANAGEMENT");
    expect(r.err).toMatch(/state\.json: warning: input\/not-read: a Terraform state file/);
    expect(r.err).toMatch(/notes\.json: warning: input\/unrecognised: /);
    // A file that is not valid JSON is a refusal: a TEMPLATE-INVALID finding at its line, not only a line on stderr.
    expect(r.out).toMatch(/TEMPLATE-INVALID[\s\S]*broken\.json:1:\d+/);
  });

  it("symbolic links are followed, a loop is named and not followed, a broken link is named", async () => {
    const d = dir();
    mkdirSync(join(d, "real"));
    copyFileSync(EXAMPLE, join(d, "real", "network.json"));
    symlinkSync(join(d, "real"), join(d, "linked"));
    symlinkSync(d, join(d, "real", "back-to-top"));
    symlinkSync(join(d, "missing.json"), join(d, "dangling.json"));
    const { model } = loadInputs([join(d, "linked")]);
    // Read through the link, once (the same file reached twice counts once).
    expect(model.inputs.filter((i) => i.format === "arm-template")).toHaveLength(1);
    expect(model.diagnostics.map((d) => d.code)).toContain("input/symlink-loop");
    const all = loadInputs([d]).model;
    expect(all.inputs.filter((i) => i.format === "arm-template")).toHaveLength(1);
    expect(all.diagnostics.filter((x) => x.code === "input/unreadable").map((x) => x.message)).toEqual([
      expect.stringMatching(/^a broken symbolic link; skipped$/),
    ]);
  });

  it.skipIf(process.getuid?.() === 0)(
    "an unreadable directory is one line and the walk goes on (skipped as root, who reads every directory)",
    () => {
      const d = dir();
      copyFileSync(EXAMPLE, join(d, "network.json"));
      mkdirSync(join(d, "locked"));
      chmodSync(join(d, "locked"), 0);
      const { model } = loadInputs([d]);
      expect(model.inputs.some((i) => i.format === "arm-template")).toBe(true);
      expect(model.diagnostics.filter((x) => x.code === "input/unreadable")).toHaveLength(1);
      chmodSync(join(d, "locked"), 0o755);
    },
  );

  it("nothing usable read: exit 2 with one line that counts what was skipped", async () => {
    const d = dir();
    writeFileSync(join(d, "a.json"), '{ "hello": 1 }');
    writeFileSync(join(d, "b.json"), "[1, 2]");
    // A text file of no input format is walked past, and the line says so too.
    writeFileSync(join(d, "c.txt"), "hello\n");
    const r = await run("check", d);
    expect(r.code).toBe(2);
    const lines = r.err.trim().split("\n");
    expect(lines.at(-1)).toMatch(/^apim-netcheck: nothing usable was read: 2 file\(s\) skipped \(the first: /);
    expect(lines.at(-1)).toContain("besides, 1 file(s) of no input format");
    expect(lines.at(-1)).toContain("c.txt");
  });

  it("a list export with one item lacking a name loads the others and names the item at its place", () => {
    const d = dir();
    const file = join(d, "export.json");
    const ok = JSON.parse(readFileSync(join(REPO_ROOT, "test/fixtures/export/apim-spoke.rest.json"), "utf8"));
    const items = Array.isArray(ok) ? ok : (ok.value ?? [ok]);
    writeFileSync(file, JSON.stringify([...items, { type: "Microsoft.Network/networkSecurityGroups" }], null, 2));
    const { model } = loadInputs([file]);
    expect(model.inputs[0]).toMatchObject({ format: "azure-export", status: "parsed" });
    expect(model.virtualNetworks.length).toBeGreaterThan(0);
    const [bad] = model.diagnostics.filter((x) => x.code === "input/not-a-resource");
    expect(bad!.message).toMatch(/^item \d+ of the list is not a resource/);
    expect(bad!.src!.line).toBeGreaterThan(1);
  });
});

describe("deployment units and repeated declarations", () => {
  it("the same file given twice counts once: findings are not doubled", async () => {
    const once = JSON.parse((await run("check", MGMT, "--format", "json")).out).findings.length;
    const twice = JSON.parse((await run("check", MGMT, MGMT, "--format", "json")).out).findings.length;
    expect(twice).toBe(once);
  });

  it("a resource declared twice, identically, in two files of one unit is read once", async () => {
    const d = dir();
    copyFileSync(MGMT, join(d, "a.json"));
    copyFileSync(MGMT, join(d, "b.json"));
    const once = JSON.parse((await run("check", MGMT, "--format", "json")).out).findings;
    const r = JSON.parse((await run("check", d, "--format", "json")).out);
    // The two files declare the same resources and refer to nothing outside themselves: two units, each checked,
    // and the instance of each is named with its unit.
    expect(r.units).toHaveLength(2);
    expect(r.findings.length).toBe(2 * once.length);
    expect(
      new Set(r.findings.map((f: { instance?: string }) => f.instance?.replace(/ — .*/, ""))).size,
    ).toBeLessThanOrEqual(2);
  });

  it("two different definitions of one NSG in one unit: a warning naming both places, the later used", () => {
    const d = dir();
    const template = JSON.parse(readFileSync(MGMT, "utf8"));
    const nsgOnly = {
      ...template,
      resources: [
        {
          ...template.resources[0],
          properties: { securityRules: [template.resources[0].properties.securityRules[0]] },
        },
        // Refers to the VNet of a.json, so the two files are one unit.
        {
          type: "Microsoft.Network/virtualNetworks/subnets",
          apiVersion: "2023-05-01",
          name: "vnet-apim/snet-other",
          properties: { addressPrefix: "10.1.2.0/24" },
        },
      ],
    };
    writeFileSync(join(d, "a.json"), JSON.stringify(template, null, 2));
    writeFileSync(join(d, "b.json"), JSON.stringify(nsgOnly, null, 2));
    const { model, units } = loadInputs([d]);
    expect(units).toHaveLength(1);
    const conflict = model.diagnostics.find((x) => x.code === "input/conflicting-definition");
    expect(conflict!.message).toMatch(
      /network security group nsg-apim is declared twice, differently: at .*a\.json:\d+:\d+ and here/,
    );
    expect(conflict!.src!.file).toMatch(/b\.json$/);
    expect(model.networkSecurityGroups).toHaveLength(1);
  });

  it("an APIM service declared twice never doubles its findings", async () => {
    const template = JSON.parse(readFileSync(MGMT, "utf8"));
    const apim = template.resources.find((r: { type: string }) => r.type === "Microsoft.ApiManagement/service");
    const d = dir();
    writeFileSync(join(d, "twice.json"), JSON.stringify({ ...template, resources: [...template.resources, apim] }));
    const once = JSON.parse((await run("check", MGMT, "--format", "json")).out).findings.length;
    expect(JSON.parse((await run("check", join(d, "twice.json"), "--format", "json")).out).findings.length).toBe(once);
  });
});

const QUICKSTARTS = [
  "api-management-create-with-internal-vnet-publicip",
  "api-management-create-with-external-vnet-publicip",
  "api-management-create-with-internal-vnet",
];

describeCorpus("real inputs", () => {
  it("the three quickstart templates as one folder give exactly the union of the errors each gives alone", async () => {
    const d = dir();
    for (const q of QUICKSTARTS)
      copyFileSync(corpusPath("azure-quickstart-templates", q, "azuredeploy.json"), join(d, `${q}.json`));
    const errors = (out: string) =>
      (JSON.parse(out).findings as { id: string; severity: string; message: string; location: { line: number } }[])
        .filter((f) => f.severity === "error")
        .map((f) => `${f.id}|${f.location.line}|${f.message}`)
        .sort();
    const alone = [];
    for (const q of QUICKSTARTS)
      alone.push(...errors((await run("check", join(d, `${q}.json`), "--format", "json")).out));
    const together = await run("check", d, "--format", "json");
    expect(errors(together.out)).toEqual(alone.sort());
    expect(JSON.parse(together.out).units).toHaveLength(3);
  });

  const landingZone = () =>
    corpusPath(
      "apim-landing-zone-accelerator/v1-027fe50/reference-implementations/AppGW-IAPIM-Func/bicep/networking/networking.json",
    );

  it("the landing zone's networking.json (Azure refuses it) gives SARIF 2.1.0 that validates, with the refusals located", async () => {
    const r = await run("check", landingZone(), "--format", "sarif", "--fail-on", "never");
    expect(r.code).toBe(0);
    const log = JSON.parse(r.out);
    expect(sarifSchemaErrors(log)).toEqual([]);
    const refusals = log.runs[0].results.filter(
      (x: { ruleId: string; level: string }) => x.ruleId === "NSG-RULE-INVALID" && x.level === "error",
    );
    expect(
      refusals.map(
        (x: { locations: { physicalLocation: { region: { startLine: number } } }[] }) =>
          x.locations[0]!.physicalLocation.region.startLine,
      ),
    ).toEqual([695, 708, 708]);
  });

  it("and a complete JSON document with the same refusals", async () => {
    const r = await run("check", landingZone(), "--format", "json", "--fail-on", "never");
    const json = JSON.parse(r.out);
    const refusals = json.findings.filter(
      (f: { id: string; severity: string }) => f.id === "NSG-RULE-INVALID" && f.severity === "error",
    );
    expect(refusals.map((f: { location: { line: number } }) => f.location.line)).toEqual([695, 708, 708]);
    expect(json.summary.error).toBeGreaterThanOrEqual(3);
    expect(json.inputs).toHaveLength(1);
  });

  it("walking the whole corpus names on stderr every file it does not read", async () => {
    const r = await run("inventory", CORPUS, "--format", "json");
    const inv = JSON.parse(r.out) as { inputs: { file: string; status: string }[] };
    const notRead = inv.inputs.filter((i) => i.status === "ignored" || i.status === "failed");
    expect(notRead.length).toBeGreaterThan(0);
    const check = await run("check", CORPUS, "--quiet", "--fail-on", "never");
    for (const i of notRead) expect(check.err, i.file).toContain(`${i.file}:`);
  });
});
