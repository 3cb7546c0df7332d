import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Change, Value } from "../../model/change.js";
import { applyEdits, type EditContext, type EditRequest, type TextEdit } from "../edits.js";
import { parseJson } from "../json/parse.js";
import { armEdits } from "./edit.js";

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/resourceGroup/providers";
const NSG = "Microsoft.Network/networkSecurityGroups";
const RULE = `${NSG}/securityRules`;

const FORMS: Record<string, { type: string; apiVersion: string; location?: string }> = {
  [RULE.toLowerCase()]: { type: RULE, apiVersion: "2023-05-01" },
  [NSG.toLowerCase()]: { type: NSG, apiVersion: "2023-05-01" },
  "microsoft.network/virtualnetworks/virtualnetworkpeerings": {
    type: "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
    apiVersion: "2023-05-01",
  },
};

function doc(text: string) {
  const parsed = parseJson(text, "t.json");
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.doc;
}

/** `text` with `requests` written; the outcome beside it. */
function write(text: string, requests: EditRequest[], ctx: EditContext = {}) {
  const outcome = armEdits(text, doc(text), requests, { typeForm: (t) => FORMS[t.toLowerCase()], ...ctx });
  const after = applyEdits(text, outcome.edits);
  return { ...outcome, after, value: doc(after).value as Template };
}

// biome-ignore lint/suspicious/noExplicitAny: templates are free-form JSON that tests read into.
type Template = any;

const rule = (name: string, priority: number, extra: Record<string, Value> = {}) => ({
  name,
  properties: {
    protocol: "Tcp",
    sourcePortRange: "*",
    destinationPortRange: "3443",
    sourceAddressPrefix: "ApiManagement",
    destinationAddressPrefix: "VirtualNetwork",
    access: "Allow",
    priority,
    direction: "Inbound",
    ...extra,
  },
});

function createRule(nsg: string, name: string, priority: number): Change {
  return {
    op: "create",
    resource: {
      type: RULE,
      names: [nsg, name],
      id: `${SUB}/${NSG}/${nsg}/securityRules/${name}`,
      properties: rule(name, priority).properties,
    },
  };
}

function restateRule(nsg: string, name: string, properties: Record<string, Value>, changed: string[]): Change {
  return {
    op: "restate",
    resource: { type: RULE, names: [nsg, name], id: `${SUB}/${NSG}/${nsg}/securityRules/${name}`, properties },
    changed,
  };
}

function deleteRule(nsg: string, name: string): Change {
  return { op: "delete", target: { type: RULE, names: [nsg, name], id: `${SUB}/${NSG}/${nsg}/securityRules/${name}` } };
}

function template(resources: unknown[], extra: Record<string, unknown> = {}): Template {
  return {
    $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    contentVersion: "1.0.0.0",
    ...extra,
    resources,
  };
}

const nsg = (rules?: unknown[], extra: Record<string, unknown> = {}) => ({
  type: NSG,
  apiVersion: "2023-05-01",
  name: "nsg-apim",
  location: "westeurope",
  ...extra,
  properties: rules === undefined ? {} : { securityRules: rules },
});

const pretty = (v: unknown, indent: string | number = 2, newline = "\n") =>
  `${JSON.stringify(v, null, indent).replace(/\n/g, newline)}${newline}`;

/** The lines of `before` that no edit touches appear in `after`, in order (text outside the edits is kept). */
function expectUntouchedLinesKept(before: string, after: string, edits: TextEdit[]): void {
  const starts = [0];
  for (let i = before.indexOf("\n"); i >= 0; i = before.indexOf("\n", i + 1)) starts.push(i + 1);
  const lineOf = (o: number) => starts.filter((s) => s <= o).length - 1;
  const touched = new Set<number>();
  for (const e of edits)
    for (let l = lineOf(e.offset); l <= lineOf(Math.max(e.offset, e.offset + e.length - 1)); l++) touched.add(l);
  const oldLines = before.split("\n");
  const newLines = after.split("\n");
  let at = 0;
  oldLines.forEach((line, i) => {
    if (touched.has(i)) return;
    while (at < newLines.length && newLines[at] !== line) at++;
    expect(at, `line ${i + 1} ${JSON.stringify(line)} kept`).toBeLessThan(newLines.length);
    at++;
  });
}

describe("ARM edit writer: children", () => {
  it("appends a rule to the inline securityRules in the array's own indentation", () => {
    const text = pretty(template([nsg([rule("Deny-All", 200)])]));
    const r = write(text, [{ change: createRule("nsg-apim", "Allow-3443", 180), pointer: "/resources/0" }]);
    expect(r.refused).toEqual([]);
    expect(r.value.resources[0].properties.securityRules).toEqual([rule("Deny-All", 200), rule("Allow-3443", 180)]);
    expect(r.after).toContain(
      '          },\n          {\n            "name": "Allow-3443",\n            "properties": {\n',
    );
    expectUntouchedLinesKept(text, r.after, r.edits);
  });

  it("adds securityRules to a parent declared without it, and properties to one without them", () => {
    const a = write(pretty(template([nsg(undefined)])), [
      { change: createRule("nsg-apim", "R", 100), pointer: "/resources/0" },
    ]);
    expect(a.value.resources[0].properties).toEqual({ securityRules: [rule("R", 100)] });
    const bare = { type: NSG, apiVersion: "2023-05-01", name: "nsg-apim", location: "westeurope" };
    const b = write(pretty(template([bare])), [{ change: createRule("nsg-apim", "R", 100), pointer: "/resources/0" }]);
    expect(b.value.resources[0].properties).toEqual({ securityRules: [rule("R", 100)] });
  });

  it("adds a resource of its own when the parent is not in the file, or the template declares rules on their own", () => {
    const standalone = { type: RULE, apiVersion: "2023-05-01", name: "nsg-apim/Existing", properties: {} };
    const r = write(pretty(template([nsg(undefined, { name: "[variables('nsgName')]" }), standalone])), [
      { change: createRule("nsg-apim", "R", 100), pointer: "/resources/0" },
    ]);
    expect(r.value.resources[2]).toEqual({
      type: RULE,
      apiVersion: "2023-05-01",
      name: "[concat(variables('nsgName'), '/R')]",
      dependsOn: [`[resourceId('${NSG}', variables('nsgName'))]`],
      properties: rule("R", 100).properties,
    });
    const elsewhere = write(pretty(template([])), [{ change: createRule("nsg-apim", "R", 100) }]);
    expect(elsewhere.value.resources).toEqual([
      { type: RULE, apiVersion: "2023-05-01", name: "nsg-apim/R", properties: rule("R", 100).properties },
    ]);
  });

  it("writes into a one-line array on its line, and into an empty one over lines", () => {
    const text =
      '{\n  "resources": [\n    { "type": "Microsoft.Network/networkSecurityGroups", "name": "n", "properties": { "securityRules": [] } }\n  ]\n}\n';
    const r = write(text, [{ change: createRule("n", "R", 100), pointer: "/resources/0" }]);
    expect(r.value.resources[0].properties.securityRules).toEqual([rule("R", 100)]);
    const one =
      '{ "resources": [ { "type": "Microsoft.Network/routeTables", "name": "rt", "properties": { "routes": [ { "name": "a", "properties": {} } ] } } ] }';
    const route: Change = {
      op: "create",
      resource: {
        type: "Microsoft.Network/routeTables/routes",
        names: ["rt", "b"],
        id: `${SUB}/Microsoft.Network/routeTables/rt/routes/b`,
        properties: { addressPrefix: "ApiManagement", nextHopType: "Internet" },
      },
    };
    const s = write(one, [{ change: route, pointer: "/resources/0" }]);
    expect(s.after).toBe(
      '{ "resources": [ { "type": "Microsoft.Network/routeTables", "name": "rt", "properties": { "routes": [ { "name": "a", "properties": {} }, { "name": "b", "properties": { "addressPrefix": "ApiManagement", "nextHopType": "Internet" } } ] } } ] }',
    );
  });

  it("appends after a trailing comment, which stays with its line", () => {
    const text =
      '{\n  "resources": [\n    {\n      "type": "Microsoft.Network/networkSecurityGroups", "name": "n",\n      "properties": { "securityRules": [\n        { "name": "a" } // the only one\n      ] }\n    }\n  ]\n}\n';
    const r = write(text, [{ change: createRule("n", "R", 100), pointer: "/resources/0" }]);
    expect(r.after).toContain('{ "name": "a" }, // the only one\n        {\n          "name": "R",');
    expect(r.value.resources[0].properties.securityRules.map((x: { name: string }) => x.name)).toEqual(["a", "R"]);
  });

  it("adds a new resource under a symbolic name in a languageVersion 2.0 template", () => {
    const text = pretty({ languageVersion: "2.0", resources: { nsg: nsg([]) } });
    const change: Change = {
      op: "create",
      resource: { type: NSG, names: ["nsg-new"], id: `${SUB}/${NSG}/nsg-new`, location: "westeurope", properties: {} },
    };
    const r = write(text, [{ change }]);
    expect(r.value.resources.nsg_new).toEqual({
      type: NSG,
      apiVersion: "2023-05-01",
      name: "nsg-new",
      location: "westeurope",
      properties: {},
    });
  });

  it("writes a reference as the template names the resource, and makes the new resource depend on it", () => {
    const vnet = (name: string, extra: Record<string, unknown> = {}) => ({
      type: "Microsoft.Network/virtualNetworks",
      apiVersion: "2023-05-01",
      name,
      ...extra,
      properties: { addressSpace: { addressPrefixes: ["10.0.0.0/16"] } },
    });
    const text = pretty(template([vnet("[variables('a')]"), vnet("[variables('b')]")]));
    const peering: Change = {
      op: "create",
      resource: {
        type: "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
        names: ["vnet-a", "a-to-b"],
        id: `${SUB}/Microsoft.Network/virtualNetworks/vnet-a/virtualNetworkPeerings/a-to-b`,
        properties: {
          remoteVirtualNetwork: {
            id: {
              $ref: {
                type: "Microsoft.Network/virtualNetworks",
                names: ["vnet-b"],
                id: `${SUB}/Microsoft.Network/virtualNetworks/vnet-b`,
              },
            },
          },
        },
      },
    };
    const declaredAt = (id: string) => (id.endsWith("/vnet-b") ? "/resources/1" : undefined);
    const r = write(text, [{ change: peering, pointer: "/resources/0" }], { declaredAt });
    const b = "[resourceId('Microsoft.Network/virtualNetworks', variables('b'))]";
    expect(r.value.resources[0].properties.virtualNetworkPeerings).toEqual([
      { name: "a-to-b", properties: { remoteVirtualNetwork: { id: b } } },
    ]);
    expect(r.value.resources[0].dependsOn).toEqual([b]);
    // vnet-b already names vnet-a: a dependsOn the other way could close a cycle, so none is added.
    const cyclic = pretty(
      template([vnet("[variables('a')]"), vnet("[variables('b')]", { dependsOn: ["[variables('a')]"] })]),
    );
    expect(
      write(cyclic, [{ change: peering, pointer: "/resources/0" }], { declaredAt }).value.resources[0].dependsOn,
    ).toBeUndefined();
  });
});

describe("ARM edit writer: restate, patch, delete", () => {
  it("a restatement changes only the properties it names, in place", () => {
    const text = pretty(template([nsg([rule("A", 300, { description: "keep me" })])]));
    const r = write(text, [
      {
        change: restateRule("nsg-apim", "A", rule("A", 170).properties, ["priority"]),
        pointer: "/resources/0/properties/securityRules/0",
      },
    ]);
    expect(r.edits).toEqual([{ offset: text.indexOf("300"), length: 3, text: "170" }]);
    expect(r.value.resources[0].properties.securityRules[0].properties.description).toBe("keep me");
  });

  it("a restatement takes out an association it no longer has, and the plural of a changed singular", () => {
    const subnet = {
      name: "s",
      properties: {
        addressPrefixes: ["10.0.1.0/24"],
        routeTable: { id: "[resourceId('Microsoft.Network/routeTables', 'rt')]" },
        delegations: [],
      },
    };
    const vnet = { type: "Microsoft.Network/virtualNetworks", name: "v", properties: { subnets: [subnet] } };
    const text = pretty(template([vnet]));
    const change: Change = {
      op: "restate",
      resource: {
        type: "Microsoft.Network/virtualNetworks/subnets",
        names: ["v", "s"],
        id: `${SUB}/Microsoft.Network/virtualNetworks/v/subnets/s`,
        properties: { addressPrefix: "10.0.0.0/23" },
      },
      changed: ["addressPrefix", "routeTable"],
    };
    const r = write(text, [{ change, pointer: "/resources/0/properties/subnets/0" }]);
    expect(r.refused).toEqual([]);
    expect(r.value.resources[0].properties.subnets[0].properties).toEqual({
      delegations: [],
      addressPrefix: "10.0.0.0/23",
    });
  });

  it("a patch sets its paths in properties, adding the objects on the way", () => {
    const ip = {
      type: "Microsoft.Network/publicIPAddresses",
      name: "ip",
      properties: { publicIPAllocationMethod: "Static" },
    };
    const text = pretty(template([ip]), 4);
    const change: Change = {
      op: "patch",
      target: { type: ip.type, names: ["ip"], id: `${SUB}/${ip.type}/ip` },
      set: { "dnsSettings.domainNameLabel": "apim-x", publicIPAllocationMethod: "Static" },
    };
    const r = write(text, [{ change, pointer: "/resources/0" }]);
    expect(r.value.resources[0].properties).toEqual({
      publicIPAllocationMethod: "Static",
      dnsSettings: { domainNameLabel: "apim-x" },
    });
    expect(r.after).toContain(
      '"Static",\n                "dnsSettings": {\n                    "domainNameLabel": "apim-x"\n                }\n',
    );
  });

  it("deletes an element and its comma, first, middle, last or only, keeping the comments around", () => {
    const text = [
      "{",
      '  "resources": [',
      "    {",
      '      "type": "Microsoft.Network/networkSecurityGroups", "name": "n",',
      '      "properties": {',
      '        "securityRules": [',
      '          { "name": "a" }, // first',
      '          { "name": "b" }, /* second */',
      "          // the last one:",
      '          { "name": "c" }',
      "        ]",
      "      }",
      "    }",
      "  ]",
      "}",
      "",
    ].join("\n");
    const names = (r: ReturnType<typeof write>) =>
      r.value.resources[0].properties.securityRules.map((x: { name: string }) => x.name);
    for (const [drop, keep] of [
      [["a"], ["b", "c"]],
      [["b"], ["a", "c"]],
      [["c"], ["a", "b"]],
      [["a", "c"], ["b"]],
      [["a", "b", "c"], []],
    ] as const) {
      const r = write(
        text,
        drop.map((n) => ({
          change: deleteRule("n", n),
          pointer: `/resources/0/properties/securityRules/${"abc".indexOf(n)}`,
        })),
      );
      expect(r.refused).toEqual([]);
      expect(names(r)).toEqual(keep);
      if (!(drop as readonly string[]).includes("c")) expect(r.after).toContain("// the last one:");
      expectUntouchedLinesKept(text, r.after, r.edits);
    }
  });
});

describe("ARM edit writer: refusals", () => {
  const pointer = "/resources/0/properties/securityRules/0";

  it("refuses a declaration made by a copy loop", () => {
    const looped = write(pretty(template([nsg([rule("A", 300)], { copy: { name: "n", count: 2 } })])), [
      { change: restateRule("nsg-apim", "A", { priority: 170 }, ["priority"]), pointer },
    ]);
    expect(looped.refused).toEqual([{ index: 0, reason: expect.stringMatching(/copy loop \(\/resources\/0\)/) }]);
    const property = nsg(undefined);
    property.properties = { copy: [{ name: "securityRules", count: 2, input: rule("[copyIndex()]", 100) }] } as never;
    const r = write(pretty(template([property])), [
      { change: createRule("nsg-apim", "R", 100), pointer: "/resources/0" },
    ]);
    expect(r.refused[0]?.reason).toMatch(/made by a copy loop/);
    expect(r.edits).toEqual([]);
  });

  it("refuses to overwrite an expression, and writes nothing of the change", () => {
    const text = pretty(
      template([nsg([rule("A", "[parameters('p')]" as never)])], { parameters: { p: { type: "int" } } }),
    );
    const r = write(text, [
      {
        change: restateRule("nsg-apim", "A", { priority: 170, access: "Deny" }, ["access", "priority"]),
        pointer,
      },
    ]);
    expect(r.refused).toEqual([
      {
        index: 0,
        reason: expect.stringMatching(/replace the expression \[parameters\('p'\)\] at .*priority \(line \d+\)/),
      },
    ]);
    expect(r.after).toBe(text);
  });

  it("refuses an Unknown that is no parameter of the template, and a target the file does not declare", () => {
    const text = pretty(template([nsg([])], { parameters: { known: { type: "string" } } }));
    const unknown = createRule("nsg-apim", "R", 100) as Extract<Change, { op: "create" }>;
    unknown.resource.properties.sourceAddressPrefix = "<unknown: reference('x').prefix>";
    const param = createRule("nsg-apim", "S", 110) as Extract<Change, { op: "create" }>;
    param.resource.properties.sourceAddressPrefix = "<unknown: parameters('other')>";
    const fine = createRule("nsg-apim", "T", 120) as Extract<Change, { op: "create" }>;
    fine.resource.properties.sourceAddressPrefix = "10.<unknown: parameters('known')>";
    const r = write(text, [
      { change: unknown, pointer: "/resources/0" },
      { change: param, pointer: "/resources/0" },
      { change: fine, pointer: "/resources/0" },
      { change: deleteRule("nsg-apim", "Z") },
    ]);
    expect(r.refused).toEqual([
      { index: 0, reason: expect.stringMatching(/Unknown offline \(reference\('x'\)\.prefix\)/) },
      { index: 1, reason: expect.stringMatching(/parameter 'other', which this template does not declare/) },
      { index: 3, reason: "it is not declared in this file" },
    ]);
    expect(r.value.resources[0].properties.securityRules).toEqual([
      rule("T", 120, { sourceAddressPrefix: "[concat('10.', parameters('known'))]" }),
    ]);
  });
});

describe("ARM edit writer: layout", () => {
  const cases: [string, string | number, string][] = [
    ["2 spaces", 2, "\n"],
    ["4 spaces, CRLF", 4, "\r\n"],
    ["tabs", "\t", "\n"],
    ["tabs, CRLF", "\t", "\r\n"],
  ];
  for (const [label, indent, newline] of cases) {
    it(`keeps ${label}`, () => {
      const text = pretty(template([nsg([rule("A", 300), rule("B", 310)])]), indent, newline);
      const r = write(text, [
        { change: createRule("nsg-apim", "C", 180), pointer: "/resources/0" },
        {
          change: restateRule("nsg-apim", "A", { priority: 170 }, ["priority"]),
          pointer: "/resources/0/properties/securityRules/0",
        },
        { change: deleteRule("nsg-apim", "B"), pointer: "/resources/0/properties/securityRules/1" },
      ]);
      expect(r.value.resources[0].properties.securityRules).toEqual([rule("A", 170), rule("C", 180)]);
      // Reformatting the expected value the file's way gives the file: nothing else moved.
      expect(r.after).toBe(pretty(template([nsg([rule("A", 170), rule("C", 180)])]), indent, newline));
    });
  }
});

describe("ARM edit writer: properties", () => {
  const style = fc.record({
    indent: fc.constantFrom<string | number>(2, 4, "\t"),
    newline: fc.constantFrom("\n", "\r\n"),
    comments: fc.boolean(),
  });
  const scenario = fc.record({
    count: fc.integer({ min: 0, max: 5 }),
    withArray: fc.boolean(),
    ops: fc.array(fc.constantFrom("keep", "delete", "restate"), { minLength: 5, maxLength: 5 }),
    creates: fc.integer({ min: 0, max: 3 }),
    patch: fc.option(fc.boolean(), { nil: undefined }),
  });

  it("applying the edits and parsing again gives the intended value; untouched lines stay; the layout is the file's", () => {
    fc.assert(
      fc.property(style, scenario, (s, sc) => {
        const rules = Array.from({ length: sc.count }, (_, i) => rule(`r${i}`, 200 + i));
        const base = template([
          nsg(sc.count || sc.withArray ? rules : undefined),
          { type: "Microsoft.Web/sites", name: "x" },
        ]);
        let text = pretty(base, s.indent, s.newline);
        // Line comments at the end of every third line (JSONC, as Azure accepts).
        if (s.comments)
          text = text
            .split(s.newline)
            .map((l, i) => (i % 3 === 1 && l ? `${l} // c${i}` : l))
            .join(s.newline);
        const requests: EditRequest[] = [];
        const expected = structuredClone(rules) as { name: string; properties: Record<string, unknown> }[];
        sc.ops.slice(0, sc.count).forEach((op, i) => {
          const pointer = `/resources/0/properties/securityRules/${i}`;
          if (op === "delete") requests.push({ change: deleteRule("nsg-apim", `r${i}`), pointer });
          if (op === "restate")
            requests.push({ change: restateRule("nsg-apim", `r${i}`, { priority: 900 + i }, ["priority"]), pointer });
        });
        for (let k = 0; k < sc.creates; k++)
          requests.push({ change: createRule("nsg-apim", `n${k}`, 400 + k), pointer: "/resources/0" });
        if (sc.patch !== undefined)
          requests.push({
            change: {
              op: "patch",
              target: { type: NSG, names: ["nsg-apim"], id: `${SUB}/${NSG}/nsg-apim` },
              set: { flushConnection: sc.patch },
            },
            pointer: "/resources/0",
          });
        sc.ops.slice(0, sc.count).forEach((op, i) => {
          if (op === "restate") expected[i]!.properties.priority = 900 + i;
        });
        const kept = expected.filter((_, i) => sc.ops[i] !== "delete" || i >= sc.count);
        const all = [...kept, ...Array.from({ length: sc.creates }, (_, k) => rule(`n${k}`, 400 + k))];
        const r = write(text, requests);
        expect(r.refused).toEqual([]);
        const props = r.value.resources[0].properties;
        if (all.length > 0 || sc.count > 0 || sc.withArray) expect(props.securityRules ?? []).toEqual(all);
        else expect(props.securityRules).toBeUndefined();
        expect(props.flushConnection).toBe(sc.patch);
        expect(r.value.resources[1]).toEqual({ type: "Microsoft.Web/sites", name: "x" });
        expectUntouchedLinesKept(text, r.after, r.edits);
        // Every line break is the file's, and every new line is indented with the file's character.
        if (s.newline === "\r\n") expect(r.after.replace(/\r\n/g, "")).not.toContain("\n");
        const unit = s.indent === "\t" ? "\t" : " ";
        for (const line of r.after.split(s.newline)) expect(/^[ \t]*/.exec(line)![0].replaceAll(unit, "")).toBe("");
      }),
      { numRuns: 300 },
    );
  });
});
