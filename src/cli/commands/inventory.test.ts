import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../test/helpers/corpus.js";
import { type CliIo, main } from "../main.js";

async function run(...argv: string[]) {
  let out = "";
  let err = "";
  const io: CliIo = { out: (s) => (out += s), err: (s) => (err += s), isTty: false, env: {} };
  const status = await main(argv, io);
  return { status, out, err };
}

const TEMPLATE = join(REPO_ROOT, "test/fixtures/arm/apim-spoke.json");
const SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

function temp(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "inventory-")), name);
  writeFileSync(file, text);
  return file;
}

describe("apim-netcheck inventory", () => {
  it("lists inputs, resources with file:line, and parameters with their origin (text)", async () => {
    const { status, out } = await run("inventory", TEMPLATE, "-p", "prefix=blue");
    expect(status).toBe(0);
    expect(out).toMatch(/apim-spoke\.json\s+arm-template, parsed, 6 resources/);
    expect(out).toMatch(/nsg-blue-apim\/Allow-Management\s+\S*apim-spoke\.json:36:22/);
    expect(out).toContain('prefix = "blue"  (command line;');
    expect(out).toMatch(/location = "westeurope"\s+\(default; \S*apim-spoke\.json:6:17\)/);
    expect(out).toContain("Unknown values (0)");
  });

  it("json: parameter origins, Unknown values by cause and unmodeled resources", async () => {
    const file = temp(
      "t.json",
      JSON.stringify({
        $schema: SCHEMA,
        contentVersion: "1.0.0.0",
        parameters: { name: { type: "string" } },
        resources: [
          { type: "Microsoft.Network/routeTables", name: "[parameters('name')]" },
          { type: "Microsoft.Storage/storageAccounts", name: "st" },
        ],
      }),
    );
    const { status, out } = await run("inventory", file, "--format", "json");
    expect(status).toBe(0);
    const inv = JSON.parse(out);
    expect(inv.parameters).toEqual([expect.objectContaining({ name: "name", origin: "unknown" })]);
    expect(inv.unknowns).toEqual([expect.objectContaining({ field: "name", reason: "parameters('name')" })]);
    expect(inv.unmodeled).toEqual([expect.objectContaining({ type: "Microsoft.Storage/storageAccounts", name: "st" })]);
    expect(inv.diagnostics.map((d: { code: string }) => d.code)).toEqual(["arm/unknown-parameter"]);
  });

  it("exits 1 for a template Azure would refuse, listing it with file:line and the reason", async () => {
    const file = temp(
      "bad.json",
      JSON.stringify(
        {
          $schema: SCHEMA,
          variables: { a: "[variables('a')]" },
          resources: [{ type: "Microsoft.Network/routeTables", name: "[variables('a')]" }],
        },
        null,
        2,
      ),
    );
    const { status, out, err } = await run("inventory", file);
    expect(status).toBe(1);
    expect(out).toMatch(/bad\.json:4:\d+: error: arm\/circular-reference: variable 'a' refers to itself/);
    expect(err).toMatch(
      /1 thing\(s\) Azure would refuse, listed under Diagnostics \(the first: .*bad\.json:4:\d+: arm\/circular-reference\)/,
    );
    expect(err.split("\n").filter(Boolean)).toHaveLength(1);
  });

  it("warns of a service tag that the catalog in use does not know, as every other command does", async () => {
    const rule = (name: string, sourceAddressPrefix: string, priority: number) => ({
      name,
      properties: {
        protocol: "Tcp",
        sourcePortRange: "*",
        destinationPortRange: "3443",
        sourceAddressPrefix,
        destinationAddressPrefix: "VirtualNetwork",
        access: "Allow",
        priority,
        direction: "Inbound",
      },
    });
    const file = temp(
      "tags.json",
      JSON.stringify({
        $schema: SCHEMA,
        resources: [
          {
            type: "Microsoft.Network/networkSecurityGroups",
            apiVersion: "2023-05-01",
            name: "nsg",
            location: "westeurope",
            properties: { securityRules: [rule("known", "ApiManagement", 100), rule("typo", "ApiManagment", 110)] },
          },
        ],
      }),
    );
    const { status, out } = await run("inventory", file, "--format", "json");
    expect(status).toBe(0);
    const warnings = JSON.parse(out).diagnostics.filter((d: { code: string }) => d.code === "nsg/unknown-service-tag");
    expect(warnings.map((d: { message: string }) => d.message)).toEqual([
      expect.stringContaining("Security rule typo: 'ApiManagment' is not a service tag"),
    ]);
  });

  it("exits 2 with one line for bad JSON and for a missing file, never a stack trace", async () => {
    const bad = await run("inventory", temp("broken.json", '{\n  "a": [1,\n}'));
    expect(bad.status).toBe(2);
    expect(bad.err).toMatch(/broken\.json:3:1: invalid JSON/);
    const missing = await run("inventory", "/no/such/file.json");
    expect(missing.status).toBe(2);
    expect(missing.err).toContain("no such file or directory");
    expect(`${bad.err}${missing.err}`).not.toContain("    at ");
  });

  it("a parameters file named as an input is recognised and said not to be applied", async () => {
    const params = temp(
      "p.json",
      JSON.stringify({
        $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
        parameters: {},
      }),
    );
    const { status, out } = await run("inventory", TEMPLATE, params);
    expect(status).toBe(0);
    expect(out).toMatch(/p\.json\s+arm-parameters, parsed, 0 resources/);
    expect(out).toContain("arm/parameters-not-applied");
  });
});
