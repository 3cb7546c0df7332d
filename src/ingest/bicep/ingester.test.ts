// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Bicep source, whose interpolation is ${…}
/**
 * The Bicep ingesters in a run: which inputs are roots (a module of another input is read through it, a
 * compiled main.json beside its source through the source), a syntax error as an error at file:line:col with
 * the rest still analysed, detection from content, and the limits that keep hostile input bounded (loops,
 * steps, nesting, string sizes): a diagnostic, never a hang.
 */
import { describe, expect, it } from "vitest";
import { codes, loadBicep, VROOT } from "../../../test/helpers/bicep.js";
import { formatSource } from "../../model/source.js";
import { toDocument } from "../load.js";
import { isBicep, isBicepparam } from "./plan.js";

describe("roots extraction", () => {
  it("a compiled template beside its .bicep source is read through the source", () => {
    const compiled = JSON.stringify({
      $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      contentVersion: "1.0.0.0",
      metadata: { _generator: { name: "bicep", version: "0.30.0" } },
      resources: [{ type: "Microsoft.Network/networkSecurityGroups", apiVersion: "2023-09-01", name: "n" }],
    });
    const result = loadBicep({
      "main.bicep": "resource n 'Microsoft.Network/networkSecurityGroups@2023-09-01' = { name: 'n' }\n",
      "main.json": compiled,
    });
    expect(result.model.inputs.map((i) => [i.file.replace(`${VROOT}/`, ""), i.format, i.resources])).toEqual([
      ["main.bicep", "bicep", 1],
      ["main.json", "bicep-build-output", 0],
    ]);
    expect(result.model.networkSecurityGroups).toHaveLength(1);
  });

  it("files that call each other in a cycle stay roots, and the cycle is refused", () => {
    const result = loadBicep({
      "a.bicep": "module b './b.bicep' = { name: 'b' }\n",
      "b.bicep": "module a './a.bicep' = { name: 'a' }\n",
    });
    expect(result.model.inputs.map((i) => i.format)).toEqual(["bicep", "bicep"]);
    expect(codes(result, "error")).toEqual(["error bicep/module-cycle", "error bicep/module-cycle"]);
  });

  it("Bicep is detected from content; Terraform, YAML and prose are not", () => {
    const doc = (file: string, text: string) => toDocument(file, text);
    expect(isBicep(doc("x", "targetScope = 'subscription'\n"))).toBe(true);
    expect(isBicep(doc("x", "import { a } from './t.bicep'\n"))).toBe(true);
    expect(isBicep(doc("types.bicep", "// only comments\n"))).toBe(true);
    expect(isBicepparam(doc("x", "using './main.bicep'\nparam a = 1\n"))).toBe(true);
    expect(isBicep(doc("main.tf", "import {\n  to = azurerm_subnet.a\n}\n"))).toBe(false);
    expect(isBicep(doc("x", "the resource 'x' is described here\n"))).toBe(false);
  });
});

describe("syntax warns", () => {
  it("a syntax error is an error at file:line:col; the rest of the file and the run are analysed", () => {
    const broken = "var x = 1 + )\nresource b 'Microsoft.Network/networkSecurityGroups@2023-09-01' = { name: 'b' }\n";
    const result = loadBicep({
      "broken.bicep": broken,
      "ok.bicep": "resource c 'Microsoft.Network/networkSecurityGroups@2023-09-01' = { name: 'c' }\n",
    });
    const errors = result.model.diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => [d.code, formatSource(d.src).replace(`${VROOT}/`, "")])).toEqual([
      ["bicep/syntax", "broken.bicep:1:13"],
    ]);
    expect(result.model.inputs.map((i) => i.status)).toEqual(["partial", "parsed"]);
    expect(result.model.networkSecurityGroups.map((n) => n.name).sort()).toEqual(["b", "c"]);
  });
});

describe("limits warns", () => {
  const bounded = (src: string) => {
    const started = Date.now();
    const result = loadBicep({ "main.bicep": src });
    expect(Date.now() - started).toBeLessThan(5_000);
    return codes(result, "error");
  };

  it("loops of loops of lambdas stop at the step budget", () => {
    const src =
      "var x = map(range(0, 800), i => map(range(0, 800), j => map(range(0, 800), k => i + j + k)))\nresource n 'Microsoft.Network/networkSecurityGroups@2023-09-01' = { name: 'n', tags: { x: string(length(x)) } }\n";
    expect(bounded(src)).toContain("error bicep/limit");
  });

  it("strings doubled through variables stop at 1,000,000 characters; arrays at 100,000 items", () => {
    let src = "var s0 = 'xxxxxxxxxxxxxxxx'\nvar a0 = range(0, 800)\n";
    for (let i = 1; i <= 20; i++)
      src += `var s${i} = '\${s${i - 1}}\${s${i - 1}}'\nvar a${i} = concat(a${i - 1}, a${i - 1})\n`;
    src +=
      "resource n 'Microsoft.Network/networkSecurityGroups@2023-09-01' = { name: 'n', tags: { s: s20, a: string(length(a20)) } }\n";
    expect(bounded(src)).toEqual(["error bicep/limit", "error bicep/limit"]);
  });

  it("functions calling functions nest at most so deep", () => {
    let src = "func f0(n int) int => n\n";
    for (let i = 1; i < 3000; i++) src += `func f${i}(n int) int => f${i - 1}(n)\n`;
    src += "var x = f2999(1)\nresource n 'Microsoft.Network/networkSecurityGroups@2023-09-01' = { name: 'n-${x}' }\n";
    expect(bounded(src)).toEqual(["error bicep/limit"]);
  });
});
