// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Bicep source, whose interpolation is ${…}
import { describe, expect, it } from "vitest";
import type { ModuleDecl, ResourceDecl, Statement } from "./ast.js";
import { parseBicep } from "./parser.js";

/** The statements of `source`, which must parse without diagnostics. */
function statements(source: string, file = "main.bicep"): Statement[] {
  const { ast, diagnostics } = parseBicep(source, file);
  expect(diagnostics.map((d) => d.message)).toEqual([]);
  return ast.statements;
}

function one(source: string, file?: string): Statement {
  const all = statements(source, file);
  expect(all).toHaveLength(1);
  return all[0]!;
}

describe("statements of a .bicep file", () => {
  it("targetScope and metadata", () => {
    expect(one("targetScope = 'subscription'")).toMatchObject({
      kind: "TargetScopeDecl",
      value: { parts: ["subscription"] },
    });
    expect(one("metadata description = 'x'")).toMatchObject({ kind: "MetadataDecl", name: { name: "description" } });
  });

  it("param with a type, a default, decorators, or a resourceInput type", () => {
    expect(one("param location string = resourceGroup().location")).toMatchObject({
      kind: "ParamDecl",
      name: { name: "location" },
      type: { kind: "TypeRef", name: { name: "string" } },
      default: { kind: "MemberExpr" },
      decorators: [],
    });
    expect(one("param tags resourceInput<'Microsoft.Network/virtualNetworks@2025-05-01'>.tags?")).toMatchObject({
      type: { kind: "NullableType", base: { kind: "TypeMember", name: { name: "tags" } } },
      default: null,
    });
    expect(one("@secure()\n@minLength(3)\n@sys.description('The password.')\nparam pw string")).toMatchObject({
      decorators: [
        { name: { name: "secure" }, namespace: null, args: [] },
        { name: { name: "minLength" }, args: [{ value: 3 }] },
        { name: { name: "description" }, namespace: { name: "sys" }, args: [{ parts: ["The password."] }] },
      ],
    });
    expect(one("@allowed([\n  'a'\n  'b'\n])\nparam sku string = 'a'")).toMatchObject({
      decorators: [{ args: [{ kind: "ArrayExpr" }] }],
    });
    expect(one("@metadata({\n  example: 1\n})\n@export\nparam p int")).toMatchObject({
      decorators: [{ args: [{ kind: "ObjectExpr" }] }, { args: null }],
    });
  });

  it("var, untyped and typed", () => {
    expect(one("var x = 1")).toMatchObject({ kind: "VarDecl", type: null, value: { value: 1 } });
    expect(one("var x string[] = []")).toMatchObject({ kind: "VarDecl", type: { kind: "ArrayType" } });
  });

  it("resource: object, existing, condition, loop, with a line break before 'if'", () => {
    expect(one("resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {\n  name: 'v'\n}")).toMatchObject({
      kind: "ResourceDecl",
      name: { name: "vnet" },
      typeRef: { parts: ["Microsoft.Network/virtualNetworks@2024-05-01"] },
      existing: false,
      value: { kind: "ObjectExpr", properties: [{ key: { name: "name" } }] },
    });
    expect(
      one("resource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {\n  name: n\n  scope: resourceGroup(rg)\n}"),
    ).toMatchObject({ existing: true });
    expect(one("resource r 'T@v' = if (deploy) {\n  name: 'r'\n}")).toMatchObject({
      value: { kind: "IfExpr", condition: { name: "deploy" }, body: { kind: "ObjectExpr" } },
    });
    expect(one("resource r 'T@v' =\n  if (deploy) {\n  name: 'r'\n}")).toMatchObject({ value: { kind: "IfExpr" } });
    expect(one("@batchSize(1)\nresource r 'T@v' = [for (x, i) in xs: if (x.on) {\n  name: x.name\n}]")).toMatchObject({
      decorators: [{ name: { name: "batchSize" } }],
      value: { kind: "ForExpr", item: { name: "x" }, index: { name: "i" }, body: { kind: "IfExpr" } },
    });
  });

  it("resource with child resources in its body, with decorators, and a parent property", () => {
    const vnet = one(
      "resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {\n  name: 'v'\n  resource: 'a property named resource'\n  @description('first')\n  resource snet 'subnets' = {\n    name: 'a'\n  }\n  resource snet2 'subnets' existing = {\n    name: 'b'\n  }\n}",
    ) as ResourceDecl;
    const body = vnet.value;
    if (body.kind !== "ObjectExpr") throw new Error("object expected");
    expect(body.members.map((m) => m.kind)).toEqual([
      "ObjectProperty",
      "ObjectProperty",
      "ResourceDecl",
      "ResourceDecl",
    ]);
    expect(body.resources).toMatchObject([
      { name: { name: "snet" }, typeRef: { parts: ["subnets"] }, decorators: [{ name: { name: "description" } }] },
      { name: { name: "snet2" }, existing: true },
    ]);
    expect(
      one("resource s 'Microsoft.Network/virtualNetworks/subnets@2024-05-01' = {\n  parent: vnet\n  name: 's'\n}"),
    ).toMatchObject({
      value: { properties: [{ key: { name: "parent" }, value: { kind: "IdentExpr", name: "vnet" } }, {}] },
    });
  });

  it("refuses a child resource outside a resource body", () => {
    const { diagnostics } = parseBicep("var v = {\n  resource r 'T@v' = {}\n}\n");
    expect(diagnostics.map((d) => d.message)).toEqual(["expected ':' after the property name, found 'r'"]);
  });

  it("module with a path, registry and template spec references, condition and loop", () => {
    const paths = [
      "./x.bicep",
      "br:contoso.azurecr.io/bicep/vnet:1.0.0",
      "br/public:avm/res/network/virtual-network:0.1.0",
      "ts:sub/rg/spec:v1",
    ];
    for (const path of paths) {
      expect(
        (one(`module m '${path}' = {\n  name: 'm'\n  params: {\n    a: 1\n  }\n}`) as ModuleDecl).path.parts,
      ).toEqual([path]);
    }
    expect(one("module m './x.bicep' = if (on) {\n  name: 'm'\n}")).toMatchObject({
      kind: "ModuleDecl",
      value: { kind: "IfExpr" },
    });
    expect(one("module m './x.bicep' = [for x in xs: {\n  name: x\n}]")).toMatchObject({
      value: { kind: "ForExpr", body: { kind: "ObjectExpr" } },
    });
  });

  it("output with a type or a resource type", () => {
    expect(one("output id string = vnet.id")).toMatchObject({
      kind: "OutputDecl",
      name: { name: "id" },
      type: { kind: "TypeRef" },
      value: { kind: "MemberExpr" },
    });
    expect(one("output kv resource 'Microsoft.KeyVault/vaults@2023-07-01' = kv")).toMatchObject({
      type: { kind: "ResourceType", typeRef: { parts: ["Microsoft.KeyVault/vaults@2023-07-01"] } },
    });
  });

  it("type and func", () => {
    expect(one("@export()\ntype t = 'a' | 'b'")).toMatchObject({
      kind: "TypeDecl",
      decorators: [{ name: { name: "export" } }],
      value: { kind: "UnionType" },
    });
    expect(one("@discriminator('kind')\ntype u = a | b")).toMatchObject({
      decorators: [{ args: [{ parts: ["kind"] }] }],
    });
    expect(one("func join(a string, b int[]) string => '${a}-${length(b)}'")).toMatchObject({
      kind: "FuncDecl",
      name: { name: "join" },
      params: [
        { name: { name: "a" }, type: { name: { name: "string" } } },
        { name: { name: "b" }, type: { kind: "ArrayType" } },
      ],
      returnType: { kind: "TypeRef" },
      body: { kind: "StringExpr" },
    });
    expect(one("func f() bool =>\n  true")).toMatchObject({ params: [], body: { value: true } });
  });

  it("import: symbols with aliases, quoted names, wildcard, and the older provider form", () => {
    expect(one("import {a, b as c} from './x.bicep'")).toMatchObject({
      kind: "ImportDecl",
      wildcard: null,
      symbols: [
        { name: { name: "a" }, alias: null },
        { name: { name: "b" }, alias: { name: "c" } },
      ],
      from: { parts: ["./x.bicep"] },
    });
    expect(one("import {\n  'a-b' as ab\n  c\n} from 'br/public:avm/utl/types/avm-common-types:0.7.0'")).toMatchObject({
      symbols: [{ name: { kind: "StringExpr", parts: ["a-b"] }, alias: { name: "ab" } }, { name: { name: "c" } }],
    });
    expect(one("import * as ns from './x.bicep'")).toMatchObject({
      kind: "ImportDecl",
      symbols: [],
      wildcard: { name: "ns" },
    });
    expect(one("import 'az@1.0.0'")).toMatchObject({
      kind: "ExtensionDecl",
      keyword: "import",
      specification: { parts: ["az@1.0.0"] },
      config: null,
      alias: null,
    });
    expect(one("import 'kubernetes@1.0.0' with {\n  namespace: 'default'\n} as k8s")).toMatchObject({
      keyword: "import",
      config: { kind: "ObjectExpr" },
      alias: { name: "k8s" },
    });
  });

  it("extension by name or reference, with configuration and alias", () => {
    expect(one("extension microsoftGraphV1")).toMatchObject({
      kind: "ExtensionDecl",
      keyword: "extension",
      specification: { kind: "Identifier", name: "microsoftGraphV1" },
    });
    expect(
      one("extension 'br:mcr.microsoft.com/bicep/extensions/microsoftgraph/v1.0:0.1.8-preview' as graph"),
    ).toMatchObject({
      specification: { kind: "StringExpr" },
      alias: { name: "graph" },
    });
    expect(one("extension kubernetes with {\n  kubeConfig: cfg\n} as k8s")).toMatchObject({
      config: { properties: [{}] },
      alias: { name: "k8s" },
    });
  });

  it("assert and test", () => {
    expect(one("assert isLong = length(name) > 3")).toMatchObject({
      kind: "AssertDecl",
      name: { name: "isLong" },
      value: { kind: "BinaryExpr" },
    });
    expect(one("test t './main.bicep' = {\n  params: {}\n}")).toMatchObject({
      kind: "TestDecl",
      path: { parts: ["./main.bicep"] },
    });
  });

  it("skips comments and pragmas anywhere", () => {
    const all = statements(
      "// header\n/* block\n   comment */\n#disable-next-line no-unused-params\nparam a string // trailing\n\n\nvar b = {\n  // inside\n  x: 1 /* inline */\n}\n",
    );
    expect(all.map((s) => s.kind)).toEqual(["ParamDecl", "VarDecl"]);
  });
});

describe("statements of a .bicepparam file", () => {
  it("using, extends, param assignments, var, import and extensionConfig", () => {
    const all = statements(
      "using './main.bicep'\nextends './base.bicepparam'\nimport {t} from './types.bicep'\nparam location = 'westeurope'\nparam subnets = [\n  { name: 'a' }\n]\nvar prefix = 'x'\nextensionConfig k8s with {\n  namespace: 'y'\n}\n",
      "main.bicepparam",
    );
    expect(all.map((s) => s.kind)).toEqual([
      "UsingDecl",
      "ExtendsDecl",
      "ImportDecl",
      "ParamAssignment",
      "ParamAssignment",
      "VarDecl",
      "ExtensionConfigDecl",
    ]);
    expect(all[0]).toMatchObject({ path: { parts: ["./main.bicep"] }, config: null });
    expect(all[3]).toMatchObject({ name: { name: "location" }, value: { parts: ["westeurope"] } });
    expect(one("using none", "x.bicepparam")).toMatchObject({ kind: "UsingDecl", path: null });
    expect(one("using './main.bicep' with {\n  mode: 'stack'\n}", "x.bicepparam")).toMatchObject({
      config: { kind: "ObjectExpr" },
    });
  });

  it("reports statements that belong in the other kind of file", () => {
    const bicepparam = parseBicep("using './main.bicep'\nparam a string\nresource r 'T@v' = {}\n", "x.bicepparam");
    expect(bicepparam.diagnostics.map((d) => [d.code, d.src.line, d.message])).toEqual([
      [
        "bicep/not-in-this-file",
        2,
        "a .bicepparam file assigns parameters ('param name = value'); their types belong in the .bicep file",
      ],
      ["bicep/not-in-this-file", 3, "'resource' is not allowed in a .bicepparam file"],
    ]);
    const bicep = parseBicep("using './main.bicep'\nparam a = 1\n", "main.bicep");
    expect(bicep.diagnostics.map((d) => d.message)).toEqual([
      "'using' belongs in a .bicepparam file",
      "a parameter of a .bicep file needs a type: 'param name type' (a value alone belongs in a .bicepparam file)",
    ]);
    expect(bicep.ast.statements).toHaveLength(2);
    expect(parseBicep("param a = 1\n", "x.bicep", { fileKind: "bicepparam" }).diagnostics).toEqual([]);
  });
});
