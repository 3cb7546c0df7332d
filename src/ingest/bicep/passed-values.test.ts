// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Bicep source, whose interpolation is ${…}
/**
 * A value passed into a module keeps the caller's place (SourceRef.via, locator.ts `passedFrom`): a parameter
 * read as such, a member of an object the caller wrote, an item of a loop over a parameter, through several
 * module levels and from a `.bicepparam` file; a module used twice cites each caller; a value the module writes
 * itself (a default, a variable, an interpolation) has no `via`.
 */
import { describe, expect, it } from "vitest";
import { loadBicep, VROOT } from "../../../test/helpers/bicep.js";
import { toLocation } from "../../checks/types.js";
import type { NetworkModel } from "../../model/network.js";
import { formatSource, type SourceRef, valueSource } from "../../model/source.js";

const where = (src: SourceRef | undefined) => formatSource(src).replace(`${VROOT}/`, "");

/** `file:line:col` of a place and of each place it was passed from. */
function chain(src: SourceRef): string[] {
  return [where(src), ...(src.via ?? []).map(where)];
}

const prefixOf = (model: NetworkModel, subnet = 0) =>
  valueSource(model.virtualNetworks[0]!.subnets[subnet]!.src, ["addressPrefix"]);

/** A module making one VNet with one subnet (line 7, column 57: the prefix) from its parameters. */
const VNET_MODULE = `param name string
param prefix string
resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  properties: {
    addressSpace: { addressPrefixes: ['10.0.0.0/8'] }
    subnets: [{ name: 's', properties: { addressPrefix: prefix } }]
  }
}
`;

describe("passed values extraction", () => {
  it("a scalar parameter of a module is placed where the module uses it, via where the caller writes it", () => {
    const { model } = loadBicep({
      "main.bicep":
        "module net 'net.bicep' = {\n  name: 'net'\n  params: {\n    name: 'v'\n    prefix: '10.1.1.0/24'\n  }\n}\n",
      "net.bicep": VNET_MODULE,
    });
    expect(chain(prefixOf(model))).toEqual(["net.bicep:7:57", "main.bicep:5:13"]);
  });

  it("a value passed on through a middle module and given by a .bicepparam file lists every caller, outermost last", () => {
    const { model } = loadBicep(
      {
        "main.bicepparam": "using './main.bicep'\nparam prefix = '10.1.1.0/24'\n",
        "main.bicep": "param prefix string\nmodule mid 'mid.bicep' = {\n  name: 'mid'\n  params: { p: prefix }\n}\n",
        "mid.bicep":
          "param p string\nmodule net 'net.bicep' = {\n  name: 'net'\n  params: { name: 'v', prefix: (p) }\n}\n",
        "net.bicep": VNET_MODULE,
      },
      { inputs: ["main.bicepparam", "main.bicep"] },
    );
    expect(chain(prefixOf(model))).toEqual([
      "net.bicep:7:57",
      "mid.bicep:4:32",
      "main.bicep:4:16",
      "main.bicepparam:2:16",
    ]);
  });

  it("a member of an object parameter, and an item of a loop over an array parameter, cite the caller's member", () => {
    const { model } = loadBicep({
      "main.bicep": [
        "module net 'net.bicep' = {",
        "  name: 'net'",
        "  params: {",
        "    settings: { subnet: { prefix: '10.1.1.0/24' } }",
        "    rules: [",
        "      { name: 'r0', port: '3443' }",
        "    ]",
        "  }",
        "}",
        "",
      ].join("\n"),
      "net.bicep": [
        "param settings object",
        "param rules array",
        "resource nsg 'Microsoft.Network/networkSecurityGroups@2024-05-01' = {",
        "  name: 'nsg'",
        "  properties: {",
        "    securityRules: [for r in rules: { name: r.name, properties: { destinationPortRange: r.port } }]",
        "  }",
        "}",
        "resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {",
        "  name: 'v'",
        "  properties: {",
        "    addressSpace: { addressPrefixes: ['10.0.0.0/8'] }",
        "    subnets: [{ name: 's', properties: { addressPrefix: settings.subnet['prefix'] } }]",
        "  }",
        "}",
        "",
      ].join("\n"),
    });
    expect(chain(prefixOf(model))).toEqual(["net.bicep:13:57", "main.bicep:4:35"]);
    const rule = model.networkSecurityGroups[0]!.securityRules[0]!;
    expect(chain(valueSource(rule.src, ["destinationPortRange"]))).toEqual(["net.bicep:6:89", "main.bicep:6:27"]);
    // The rule object is the module's: it is placed there, and passed from nowhere.
    expect(chain(rule.src)).toEqual(["net.bicep:6:37"]);
  });

  it("a module used twice cites, for each deployment, its own caller", () => {
    const { model } = loadBicep({
      "main.bicep": [
        "module a 'net.bicep' = { name: 'a', params: { name: 'va', prefix: '10.1.0.0/24' } }",
        "module b 'net.bicep' = { name: 'b', params: { name: 'vb', prefix: '10.2.0.0/24' } }",
        "",
      ].join("\n"),
      "net.bicep": VNET_MODULE,
    });
    const places = model.virtualNetworks.map((v) => chain(valueSource(v.subnets[0]!.src, ["addressPrefix"])));
    expect(places).toEqual([
      ["net.bicep:7:57", "main.bicep:1:67"],
      ["net.bicep:7:57", "main.bicep:2:67"],
    ]);
  });
});

describe("passed values conversion", () => {
  it("via is read lazily, kept by toJSON and carried into a finding's location", () => {
    const { model } = loadBicep({
      "main.bicep": "module net 'net.bicep' = { name: 'net', params: { name: 'v', prefix: '10.1.1.0/24' } }\n",
      "net.bicep": VNET_MODULE,
    });
    const src = prefixOf(model);
    const json = JSON.parse(JSON.stringify(src));
    expect(json.via).toEqual([{ file: `${VROOT}/main.bicep`, pointer: "", line: 1, column: 70 }]);
    expect(toLocation(src)).toEqual({
      file: `${VROOT}/net.bicep`,
      line: 7,
      column: 57,
      via: [{ file: `${VROOT}/main.bicep`, line: 1, column: 70 }],
    });
    // The subnet itself is written in the module: no via, and none in its JSON.
    expect(JSON.parse(JSON.stringify(model.virtualNetworks[0]!.subnets[0]!.src)).via).toBeUndefined();
  });
});

describe("passed values warns", () => {
  it("a default, a variable, an interpolation and a loop variable of the module's own list have no via", () => {
    const module = [
      "param fromDefault string = '10.1.0.0/24'",
      "param given string",
      "var fromVar = given",
      "var own = [{ prefix: '10.4.0.0/24' }]",
      "resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {",
      "  name: 'v'",
      "  properties: {",
      "    addressSpace: { addressPrefixes: ['10.0.0.0/8'] }",
      "    subnets: concat([",
      "      { name: 'a', properties: { addressPrefix: fromDefault } }",
      "      { name: 'b', properties: { addressPrefix: fromVar } }",
      "      { name: 'c', properties: { addressPrefix: '${given}' } }",
      "    ], [for o in own: { name: 'd', properties: { addressPrefix: o.prefix } }])",
      "  }",
      "}",
      "",
    ].join("\n");
    const { model } = loadBicep({
      "main.bicep": "module net 'net.bicep' = { name: 'net', params: { given: '10.2.0.0/24' } }\n",
      "net.bicep": module,
    });
    const subnets = model.virtualNetworks[0]!.subnets;
    expect(subnets.map((s) => s.addressPrefix)).toEqual(["10.1.0.0/24", "10.2.0.0/24", "10.2.0.0/24", "10.4.0.0/24"]);
    for (let i = 0; i < subnets.length; i++) expect(prefixOf(model, i).via).toBeUndefined();
  });
});
