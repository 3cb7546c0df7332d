/**
 * Formats we know but do not read as network inputs are named, with what to give instead, rather than called
 * unrecognised:
 * unit cases for each shape and its near misses, the load path (a named file stops with that sentence, a
 * directory walk lists it as ignored), and every Bicep and Terraform file of ../shared/corpus.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CORPUS, describeCorpus, HAS_CORPUS } from "../../test/helpers/corpus.js";
import { writeTemp } from "../../test/helpers/edit-fixture.js";
import { InputError } from "../model/diagnostics.js";
import { parseJson } from "./json/parse.js";
import { assertUsable, loadDocuments, loadInputs, toDocument } from "./load.js";
import { recogniseOtherFormat } from "./other-formats.js";

const text = (t: string) => recogniseOtherFormat({ file: "x", text: t })?.format;
const json = (value: unknown) => {
  const source = JSON.stringify(value);
  const parsed = parseJson(source, "x.json");
  if (!parsed.ok) throw new Error("test JSON did not parse");
  return recogniseOtherFormat({ file: "x.json", text: source, json: parsed.doc })?.format;
};

describe("recogniseOtherFormat", () => {
  it("Bicep and .bicepparam are read (ingest/bicep), so they are not named here", () => {
    expect(text("resource vnet 'Microsoft.Network/virtualNetworks@2023-05-01' = {\n}")).toBeUndefined();
    expect(text("targetScope = 'subscription'\n")).toBeUndefined();
    expect(text("using './main.bicep'\nparam location = 'westeurope'\n")).toBeUndefined();
  });

  it("Terraform: labelled blocks and unlabelled terraform/locals blocks", () => {
    expect(text('resource "azurerm_network_security_group" "apim" {\n}')).toBe("terraform");
    expect(text('data "azurerm_subnet" "apim" {\n}')).toBe("terraform");
    expect(text('variable "location" {\n  type = string\n}')).toBe("terraform");
    expect(text('provider "azurerm" {\n  features {}\n}')).toBe("terraform");
    expect(text('terraform {\n  required_version = ">= 1.5"\n}')).toBe("terraform");
    expect(text('locals {\n  name = "x"\n}')).toBe("terraform");
  });

  it("Terraform plan and state JSON", () => {
    expect(json({ format_version: "1.2", planned_values: {} })).toBe("terraform-plan");
    expect(json({ format_version: "1.2", resource_changes: [] })).toBe("terraform-plan");
    expect(json({ version: 4, terraform_version: "1.9.0", resources: [] })).toBe("terraform-state");
  });

  it("the Service Tags file, which belongs to --service-tags", () => {
    expect(json({ changeNumber: 375, cloud: "Public", values: [] })).toBe("service-tags");
    expect(json({ changeNumber: "375", cloud: "Public", values: [] })).toBeUndefined();
  });

  it("a million blank lines are answered, not backtracked over (a `^\\s*` pattern here never returns)", () => {
    const blank = "\n".repeat(1_000_000);
    expect(text(`${blank}x`)).toBeUndefined();
    expect(text(`${blank}locals {`)).toBe("terraform");
  });

  it("near misses stay unrecognised", () => {
    expect(text("name: vnet\nresources: []\n")).toBeUndefined(); // YAML
    expect(text("the resource 'x' is described here")).toBeUndefined(); // prose, not at a line start
    expect(text("resource vnet = {\n}")).toBeUndefined(); // no quoted type
    expect(json({ format_version: "1.2" })).toBeUndefined();
    expect(json({ terraform_version: "1.9.0" })).toBeUndefined();
    expect(json([{ format_version: "1.2", planned_values: {} }])).toBeUndefined();
  });
});

describe("loading a format that is not read yet", () => {
  it("a named file alone stops the run with what it is and what to give instead", () => {
    // Terraform configurations and plans are read now (ingest/terraform); a state file is not.
    const file = writeTemp(
      "terraform.tfstate.json",
      JSON.stringify({ version: 4, terraform_version: "1.9.0", resources: [] }),
    );
    const loaded = loadInputs([file]);
    expect(loaded.model.inputs.map((i) => [i.format, i.status])).toEqual([["terraform-state", "ignored"]]);
    expect(() => assertUsable(loaded)).toThrowError(InputError);
    expect(() => assertUsable(loaded)).toThrowError(/terraform\.tfstate\.json: a Terraform state file, not read yet: /);
  });

  it("in a directory walk it is listed as ignored with its format, and the walk goes on", () => {
    const docs = [
      toDocument("state.json", JSON.stringify({ version: 4, terraform_version: "1.9.0", resources: [] })),
      toDocument("other.txt", "hello"),
    ];
    const { model } = loadDocuments(docs);
    expect(model.inputs.map((i) => [i.file, i.format, i.status])).toEqual([
      ["state.json", "terraform-state", "ignored"],
      ["other.txt", "unrecognised", "ignored"],
    ]);
    expect(model.diagnostics.map((d) => d.severity)).toEqual(["warning", "warning"]);
    expect(model.diagnostics.map((d) => d.message)).toEqual([
      expect.stringMatching(/^a Terraform state file, not read yet: .*; skipped$/),
      "not a supported input format; skipped",
    ]);
  });
});

function filesEnding(dir: string, endings: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesEnding(join(dir, e.name), endings) : endings.test(e.name) ? [join(dir, e.name)] : [],
  );
}

describeCorpus("every Terraform and Bicep file of the corpus is read", () => {
  const files = HAS_CORPUS ? filesEnding(CORPUS, /\.(bicep|tf)$/) : [];
  it("there are some", () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });
  it.each(files)("%s", (file) => {
    const { model } = loadInputs([file]);
    if (file.endsWith(".bicep")) {
      // Read now (ingest/bicep; test/bicep/corpus.test.ts checks what each gives).
      expect(model.inputs[0]).toMatchObject({ format: "bicep" });
      expect(model.diagnostics.filter((d) => d.code === "input/not-read")).toEqual([]);
      return;
    }
    // Read now (ingest/terraform; test/terraform/corpus.test.ts checks what each gives): a root module, or a
    // module directory read through the root that calls it.
    expect(model.inputs[0]!.format).toMatch(/^terraform/);
    expect(model.diagnostics.filter((d) => d.code === "input/not-read")).toEqual([]);
  });
});

describeCorpus("walking the whole corpus leaves no file unexplained", () => {
  it("every file found is read or named (Bicep, Terraform, a plan, the Service Tags file)", () => {
    const { model } = loadInputs([CORPUS]);
    expect(model.inputs.filter((i) => i.format === "unrecognised")).toEqual([]);
    // Each input not read has a warning of its own at its file; the one file of no input format is counted.
    const named = new Set(model.diagnostics.filter((d) => d.severity === "warning").map((d) => d.src?.file));
    for (const i of model.inputs.filter((x) => x.status === "ignored" || x.status === "failed"))
      expect(named, i.file).toContain(i.file);
    expect(model.diagnostics.filter((d) => d.code === "input/not-an-input").map((d) => d.message)).toEqual([
      expect.stringContaining("SOURCES.md"),
    ]);
    const formats = new Set(model.inputs.map((i) => i.format));
    for (const f of ["bicep", "terraform", "terraform-plan", "service-tags", "arm-template"])
      expect(formats).toContain(f);
  });
});
