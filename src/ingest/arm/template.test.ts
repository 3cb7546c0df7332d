import { describe, expect, it } from "vitest";
import { evaluate, expr, load, value } from "../../../test/arm/harness.js";
import { isUnknown } from "../../model/unknown.js";
import type { Json } from "./expression/values.js";

const NSG = "Microsoft.Network/networkSecurityGroups";
const ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/resourceGroup/providers";

function rule(name: string, priority: number | string) {
  return {
    name,
    properties: {
      protocol: "Tcp",
      sourcePortRange: "*",
      destinationPortRange: "443",
      sourceAddressPrefix: "*",
      destinationAddressPrefix: "*",
      access: "Allow",
      priority,
      direction: "Inbound",
    },
  };
}

describe("copy extraction", () => {
  it("a resource copy makes count resources named with copyIndex()", () => {
    const { resources } = evaluate({
      resources: [{ type: NSG, name: "[concat('nsg-', copyIndex(1))]", copy: { name: "nsgs", count: 3 } }],
    });
    expect(resources.map((r) => r.name)).toEqual(["nsg-1", "nsg-2", "nsg-3"]);
    expect(resources[1]!.id).toBe(`${ID}/${NSG}/nsg-2`);
  });

  it("a property copy builds the array, each item from its copyIndex", () => {
    const { resources } = evaluate({
      parameters: { ports: { type: "array", defaultValue: ["80", "443"] } },
      resources: [
        {
          type: NSG,
          name: "nsg",
          properties: {
            copy: [
              {
                name: "securityRules",
                count: "[length(parameters('ports'))]",
                input: {
                  name: "[concat('allow-', parameters('ports')[copyIndex('securityRules')])]",
                  properties: { priority: "[add(100, copyIndex('securityRules'))]" },
                },
              },
            ],
          },
        },
      ],
    });
    expect((resources[0]!.properties as Json).securityRules).toEqual([
      { name: "allow-80", properties: { priority: 100 } },
      { name: "allow-443", properties: { priority: 101 } },
    ]);
  });

  it("a variable copy (top-level and inside an object) builds arrays", () => {
    const template = {
      variables: {
        copy: [{ name: "subnets", count: 2, input: "[concat('10.0.', copyIndex('subnets'), '.0/24')]" }],
        holder: { copy: [{ name: "items", count: 2, input: { n: "[copyIndex('items')]" } }] },
      },
    };
    expect(value("[variables('subnets')]", template)).toEqual(["10.0.0.0/24", "10.0.1.0/24"]);
    expect(value("[variables('holder')]", template)).toEqual({ items: [{ n: 0 }, { n: 1 }] });
  });

  it("copy conversion: every copied rule locates to the copy's input declaration", () => {
    const { model } = load({
      resources: [
        {
          type: NSG,
          name: "nsg",
          properties: {
            copy: [
              {
                name: "securityRules",
                count: 2,
                input: rule("[concat('r', copyIndex('securityRules'))]", "[add(100, copyIndex('securityRules'))]"),
              },
            ],
          },
        },
      ],
    });
    const rules = model.networkSecurityGroups[0]!.securityRules;
    expect(rules.map((r) => [r.name, r.priority])).toEqual([
      ["r0", 100],
      ["r1", 101],
    ]);
    expect(rules.every((r) => r.src.line === rules[0]!.src.line && r.src.line > 5)).toBe(true);
    expect(rules[0]!.src.pointer).toBe("/resources/0/properties/copy/0/input");
  });

  it("copy warns: a count above 800 is refused, an Unknown count makes no items", () => {
    const big = evaluate({
      resources: [{ type: NSG, name: "[concat('n', copyIndex())]", copy: { name: "c", count: 801 } }],
    });
    expect(big.resources).toEqual([]);
    expect(big.diagnostics.map((d) => [d.severity, d.code])).toEqual([["error", "arm/copy-count"]]);
    const unknown = evaluate({
      parameters: { n: { type: "int" } },
      resources: [{ type: NSG, name: "[concat('n', copyIndex())]", copy: { name: "c", count: "[parameters('n')]" } }],
    });
    expect(unknown.resources).toEqual([]);
    expect(unknown.diagnostics.map((d) => d.code)).toEqual(["arm/unknown-parameter", "arm/unknown-copy-count"]);
  });
});

describe("condition extraction", () => {
  it("a false condition drops the resource (and its children); true keeps it", () => {
    const { resources } = evaluate({
      parameters: { withRt: { type: "bool", defaultValue: false } },
      resources: [
        {
          type: "Microsoft.Network/routeTables",
          name: "rt",
          condition: "[parameters('withRt')]",
          resources: [{ type: "routes", name: "r" }],
        },
        { type: NSG, name: "nsg", condition: "[not(parameters('withRt'))]" },
      ],
    });
    expect(resources.map((r) => r.name)).toEqual(["nsg"]);
  });

  it("condition warns: an Unknown condition keeps the resource and says so", () => {
    const { resources, diagnostics } = evaluate({
      parameters: { flag: { type: "bool" } },
      resources: [{ type: NSG, name: "nsg", condition: "[parameters('flag')]" }],
    });
    expect(resources).toHaveLength(1);
    expect(diagnostics.map((d) => d.code)).toContain("arm/unknown-condition");
  });
});

describe("child resource conversion", () => {
  it("a child nested in its parent gets the full type, the parent/child name and a child id", () => {
    const { resources } = evaluate({
      resources: [
        {
          type: "Microsoft.Network/virtualNetworks",
          name: "vnet",
          properties: { addressSpace: { addressPrefixes: ["10.0.0.0/16"] } },
          resources: [{ type: "subnets", name: "apim", properties: { addressPrefix: "10.0.1.0/24" } }],
        },
      ],
    });
    expect(resources.map((r) => [r.type, r.name, r.id])).toEqual([
      ["Microsoft.Network/virtualNetworks", "vnet", `${ID}/Microsoft.Network/virtualNetworks/vnet`],
      [
        "Microsoft.Network/virtualNetworks/subnets",
        "vnet/apim",
        `${ID}/Microsoft.Network/virtualNetworks/vnet/subnets/apim`,
      ],
    ]);
  });

  it("the model merges a nested subnet into its VNet, and its NSG link matches resourceId()", () => {
    const { model } = load({
      resources: [
        { type: NSG, name: "nsg" },
        {
          type: "Microsoft.Network/virtualNetworks",
          name: "vnet",
          properties: { addressSpace: { addressPrefixes: ["10.0.0.0/16"] } },
          resources: [
            {
              type: "subnets",
              name: "apim",
              properties: {
                addressPrefix: "10.0.1.0/24",
                networkSecurityGroup: { id: `[resourceId('${NSG}', 'nsg')]` },
              },
            },
          ],
        },
      ],
    });
    const subnet = model.virtualNetworks[0]!.subnets[0]!;
    expect(subnet.name).toBe("apim");
    expect(subnet.networkSecurityGroup?.id).toBe(model.networkSecurityGroups[0]!.id);
  });
});

describe("nested deployment extraction", () => {
  const inner = {
    type: "Microsoft.Resources/deployments",
    apiVersion: "2022-09-01",
    name: "network",
    properties: {
      mode: "Incremental",
      expressionEvaluationOptions: { scope: "inner" },
      parameters: { nsgName: { value: "[concat(parameters('prefix'), '-nsg')]" } },
      template: {
        $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        contentVersion: "1.0.0.0",
        parameters: { nsgName: { type: "string" }, prefix: { type: "string", defaultValue: "inner" } },
        resources: [{ type: NSG, name: "[parameters('nsgName')]" }],
        outputs: { nsgId: { type: "string", value: `[resourceId('${NSG}', parameters('nsgName'))]` } },
      },
    },
  };

  it("an inner-scope deployment gets its parameters from the parent and its outputs are referenced", () => {
    const { resources } = evaluate({
      parameters: { prefix: { type: "string", defaultValue: "outer" } },
      resources: [
        inner,
        {
          type: "Microsoft.Network/virtualNetworks",
          name: "vnet",
          properties: {
            subnets: [
              { name: "s", properties: { networkSecurityGroup: { id: "[reference('network').outputs.nsgId.value]" } } },
            ],
          },
        },
      ],
    });
    expect(resources.map((r) => r.name)).toEqual(["outer-nsg", "vnet"]);
    const subnets = (resources[1]!.properties as Json).subnets as Json[];
    expect(((subnets[0]!.properties as Json).networkSecurityGroup as Json).id).toBe(`${ID}/${NSG}/outer-nsg`);
  });

  it("an outer-scope deployment reads the parent's parameters; resourceGroup sets the ids' group", () => {
    const { resources } = evaluate({
      parameters: { nsgName: { type: "string", defaultValue: "parent-nsg" } },
      resources: [
        {
          type: "Microsoft.Resources/deployments",
          name: "outer",
          resourceGroup: "network-rg",
          properties: { template: { resources: [{ type: NSG, name: "[parameters('nsgName')]" }] } },
        },
      ],
    });
    expect(resources.map((r) => r.id)).toEqual([
      `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/network-rg/providers/${NSG}/parent-nsg`,
    ]);
  });

  it("nested deployment warns: a linked template is not read, and is listed as unmodeled", () => {
    const { model } = load({
      resources: [
        {
          type: "Microsoft.Resources/deployments",
          name: "linked",
          properties: { templateLink: { uri: "https://example.com/t.json" } },
        },
      ],
    });
    expect(model.diagnostics.map((d) => d.code)).toContain("arm/linked-template");
    expect(model.unmodeled.map((u) => u.type)).toEqual(["Microsoft.Resources/deployments"]);
  });
});

describe("reference extraction", () => {
  it("reference() to a resource of the template gives its properties; runtime-only ones are Unknown", () => {
    const template = {
      resources: [
        {
          type: "Microsoft.Network/publicIPAddresses",
          name: "pip",
          properties: { publicIPAllocationMethod: "Static" },
        },
      ],
    };
    expect(value("[reference('pip').publicIPAllocationMethod]", template)).toBe("Static");
    expect(
      value(
        "[reference(resourceId('Microsoft.Network/publicIPAddresses', 'pip'), '2023-05-01', 'Full').name]",
        template,
      ),
    ).toBe("pip");
    expect(isUnknown(value("[reference('pip').ipAddress]", template))).toBe(true);
  });

  it("reference warns: a resource outside the template is Unknown", () => {
    const { value: v, diagnostics } = expr(
      "[reference('/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/virtualNetworks/hub').addressSpace]",
    );
    expect(isUnknown(v)).toBe(true);
    expect(diagnostics.map((d) => d.code)).toEqual(["arm/external-reference"]);
  });
});

describe("parameter precedence conversion", () => {
  const template = {
    parameters: {
      a: { type: "string", defaultValue: "default" },
      b: { type: "int", defaultValue: 1 },
      c: { type: "array", defaultValue: [] },
    },
    resources: [
      { type: NSG, name: "[format('{0}-{1}-{2}', parameters('a'), parameters('b'), length(parameters('c')))]" },
    ],
  };

  it("defaults < files in order < name=value pairs in order (pairs win whatever their position)", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "arm-params-"));
    const file1 = join(dir, "one.json");
    const file2 = join(dir, "two.json");
    const schema = "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#";
    writeFileSync(file1, JSON.stringify({ $schema: schema, parameters: { a: { value: "file1" }, b: { value: 2 } } }));
    writeFileSync(file2, JSON.stringify({ $schema: schema, parameters: { a: { value: "file2" } } }));
    const { model } = load(template, "t.json", ["a=pair1", file1, "c=[1,2,3]", file2, "a=pair2"]);
    expect(model.networkSecurityGroups[0]!.name).toBe("pair2-2-3");
    const only = load(template, "t.json", [file1, file2]).model;
    expect(only.networkSecurityGroups[0]!.name).toBe("file2-2-0");
    expect(load(template).model.networkSecurityGroups[0]!.name).toBe("default-1-0");
  });

  it("parameter warns: neither value nor default gives a warning and a named placeholder, and loading goes on", () => {
    const { model } = load({
      parameters: { vnetName: { type: "string" } },
      resources: [{ type: "Microsoft.Network/virtualNetworks", name: "[parameters('vnetName')]" }],
    });
    expect(model.virtualNetworks[0]!.name).toBe("<unknown: parameters('vnetName')>");
    const warning = model.diagnostics.find((d) => d.code === "arm/unknown-parameter")!;
    expect(warning.severity).toBe("warning");
    expect(warning.src?.line).toBe(5);
  });

  it("parameter warns: a value outside allowedValues or of the wrong type is an error", () => {
    const t = { parameters: { sku: { type: "string", allowedValues: ["Developer", "Premium"] }, n: { type: "int" } } };
    const { model } = load(t, "t.json", ["sku=Basic", "n=two"]);
    expect(
      model.diagnostics
        .filter((d) => d.severity === "error")
        .map((d) => d.code)
        .sort(),
    ).toEqual(["arm/parameter-not-allowed", "arm/parameter-type"]);
  });
});

describe("malformed template warns", () => {
  it("a variable that refers to itself is an error at its line, not a stack overflow", () => {
    const { model } = load({
      variables: { a: "[variables('b')]", b: "[concat(variables('a'), 'x')]" },
      resources: [{ type: NSG, name: "[variables('a')]" }],
    });
    const error = model.diagnostics.find((d) => d.code === "arm/circular-reference")!;
    expect(error.severity).toBe("error");
    expect(error.message).toContain("variables('a') → variables('b') → variables('a')");
    expect(error.src?.line).toBeGreaterThan(1);
  });

  it("an unknown function is an error located at the property that uses it", () => {
    const { model } = load({ resources: [{ type: NSG, name: "nsg", location: "[notAFunction()]" }] });
    const error = model.diagnostics.find((d) => d.code === "arm/unknown-function")!;
    expect(error.src).toMatchObject({ line: 8, pointer: "/resources/0/location" });
  });

  it("wrong types are errors with locations (a resource without a name, a rule priority that is an object)", () => {
    const { model } = load({
      resources: [
        { type: NSG },
        { type: NSG, name: "n", properties: { securityRules: [rule("r", "[createObject()]")] } },
      ],
    });
    expect(model.diagnostics.filter((d) => d.severity === "error").map((d) => d.code)).toEqual([
      "arm/invalid-template",
      "input/wrong-type",
    ]);
  });

  it("__proto__ and constructor are plain data, never the prototype", () => {
    const { resources } = evaluate({
      variables: { o: '[json(\'{"__proto__": {"polluted": true}}\')]' },
      resources: [
        { type: NSG, name: "n", properties: { a: "[variables('o')]", b: "[createObject('constructor', 1)]" } },
      ],
    });
    const props = resources[0]!.properties as Json;
    expect(Object.getPrototypeOf(props.a)).toBe(Object.prototype);
    expect(Object.hasOwn(props.a as object, "__proto__")).toBe(true);
    expect(({} as Json).polluted).toBeUndefined();
    expect((props.b as Json).constructor).toBe(1);
    expect(isUnknown(expr("[createObject().constructor]").value)).toBe(true);
  });

  it("deep expressions and long variable chains are refused, not a crash", () => {
    const deep = `[${"concat(".repeat(150)}'x'${")".repeat(150)}]`;
    expect(expr(deep).diagnostics.map((d) => d.code)).toEqual(["arm/invalid-expression"]);
    const variables: Json = {};
    for (let i = 0; i < 400; i++) variables[`v${i}`] = `[variables('v${i + 1}')]`;
    variables.v400 = "end";
    expect(expr("[variables('v0')]", { variables }).diagnostics.map((d) => d.code)).toContain("arm/limit");
  });
});

describe("resource limits warn", () => {
  it("values doubled through variables are refused, not built", () => {
    const variables: Json = { v0: "[createArray(1, 2)]", s0: "[createObject('a', 1)]" };
    for (let i = 1; i <= 40; i++) {
      variables[`v${i}`] = `[concat(variables('v${i - 1}'), variables('v${i - 1}'))]`;
      variables[`s${i}`] = `[createObject('a', variables('s${i - 1}'), 'b', variables('s${i - 1}'))]`;
    }
    expect(expr("[length(variables('v40'))]", { variables }).diagnostics.map((d) => d.code)).toContain("arm/limit");
    expect(expr("[string(variables('s40'))]", { variables }).diagnostics.map((d) => d.code)).toContain("arm/limit");
    expect(expr("[equals(variables('s40'), json(string(variables('s3'))))]", { variables }).value).toBe(false);
  });
});

describe("user-defined function and symbolic name extraction", () => {
  it("a namespaced function computes from its own parameters", () => {
    const functions = [
      {
        namespace: "net",
        members: {
          subnetName: {
            parameters: [
              { name: "vnet", type: "string" },
              { name: "index", type: "int" },
            ],
            output: { type: "string", value: "[format('{0}-snet-{1}', parameters('vnet'), parameters('index'))]" },
          },
        },
      },
    ];
    expect(value("[net.subnetName('hub', 2)]", { functions })).toBe("hub-snet-2");
    // The same text means the template's parameter outside the function and the function's inside it.
    const same = [
      {
        namespace: "f",
        members: {
          echo: { parameters: [{ name: "p", type: "string" }], output: { type: "string", value: "[parameters('p')]" } },
        },
      },
    ];
    const template = {
      functions: same,
      parameters: { p: { type: "string", defaultValue: "outer" } },
      variables: { a: "[parameters('p')]" },
    };
    expect(value("[concat(variables('a'), '/', f.echo('inner'))]", template)).toBe("outer/inner");
    expect(expr("[net.nope()]", { functions }).diagnostics.map((d) => d.code)).toEqual(["arm/unknown-function"]);
  });

  it("languageVersion 2.0 resources by symbolic name; `existing` ones are referenced, not deployed", () => {
    const { resources, diagnostics } = evaluate({
      languageVersion: "2.0",
      resources: {
        hub: { type: "Microsoft.Network/virtualNetworks", name: "hub", existing: true },
        rt: { type: "Microsoft.Network/routeTables", name: "rt", properties: { disableBgpRoutePropagation: true } },
        nsg: { type: NSG, name: "[format('nsg-{0}', reference('rt').disableBgpRoutePropagation)]" },
      },
    });
    expect(resources.map((r) => r.name)).toEqual(["rt", "nsg-True"]);
    expect(diagnostics).toEqual([]);
  });

  it("an escaped [[ is a literal string", () => {
    expect(value("[[not an expression]")).toBe("[not an expression]");
  });
});

describe("extension resource conversion", () => {
  it("a resource with a scope gets an id under the resource the scope names", () => {
    const { resources } = evaluate({
      resources: [
        { type: "Microsoft.Authorization/locks", name: "lock", scope: "Microsoft.Network/virtualNetworks/hub" },
        { type: "Microsoft.Authorization/locks", name: "lock2", scope: `${ID}/Microsoft.Network/routeTables/rt` },
      ],
    });
    expect(resources.map((r) => r.id)).toEqual([
      `${ID}/Microsoft.Network/virtualNetworks/hub/providers/Microsoft.Authorization/locks/lock`,
      `${ID}/Microsoft.Network/routeTables/rt/providers/Microsoft.Authorization/locks/lock2`,
    ]);
  });

  it("a top-level template's outputs are not evaluated by the ingester (they do not change the network)", () => {
    const { model } = load({
      resources: [],
      outputs: { keys: { type: "object", value: "[listKeys('x', '2020-01-01')]" } },
    });
    expect(model.diagnostics).toEqual([]);
  });
});
