import { describe, expect, it } from "vitest";
import type { ObjectType, TypeExpr } from "./ast.js";
import { parseBicep } from "./parser.js";
import { printType } from "./print.js";

/** The type of `type t = <source>`, which must parse without diagnostics. */
function type(source: string, before = ""): TypeExpr {
  const { ast, diagnostics } = parseBicep(`${before}type t = ${source}\n`);
  expect(diagnostics.map((d) => d.message)).toEqual([]);
  const last = ast.statements[ast.statements.length - 1];
  if (last?.kind !== "TypeDecl") throw new Error("no type");
  return last.value;
}

/** Structure, with every postfix and union in brackets. */
function shape(t: TypeExpr): string {
  switch (t.kind) {
    case "UnionType":
      return `{${t.members.map(shape).join(" | ")}}`;
    case "ArrayType":
      return `${shape(t.item)}[]`;
    case "NullableType":
      return `${shape(t.base)}?`;
    case "NonNullableType":
      return `${shape(t.base)}!`;
    case "UnaryType":
      return `(${t.operator}${shape(t.operand)})`;
    case "ParenType":
      return `<${shape(t.inner)}>`;
    case "TypeMember":
      return `${shape(t.object)}.${t.name.name}`;
    default:
      return printType(t);
  }
}

describe("types", () => {
  it("reads type names and namespaced names", () => {
    expect(type("string")).toMatchObject({ kind: "TypeRef", namespace: null, name: { name: "string" } });
    expect(type("sys.string")).toMatchObject({ kind: "TypeRef", namespace: { name: "sys" }, name: { name: "string" } });
    expect(type("types.subnetType", "import * as types from './types.bicep'\n")).toMatchObject({
      kind: "TypeRef",
      namespace: { name: "types" },
    });
    expect(type("myType.prop")).toMatchObject({
      kind: "TypeMember",
      object: { kind: "TypeRef", name: { name: "myType" } },
      name: { name: "prop" },
    });
  });

  it("reads literal types and unions, with a leading | and line breaks before |", () => {
    expect(type("'a'")).toMatchObject({ kind: "LiteralType", value: { kind: "StringExpr", parts: ["a"] } });
    expect(type("10")).toMatchObject({ kind: "LiteralType", value: { kind: "IntExpr", value: 10 } });
    expect(type("-1")).toMatchObject({ kind: "UnaryType", operator: "-", operand: { kind: "LiteralType" } });
    expect(type("true")).toMatchObject({ kind: "LiteralType", value: { kind: "BoolExpr" } });
    expect(shape(type("'a' | 'b' | 'c'"))).toBe("{'a' | 'b' | 'c'}");
    expect(shape(type("\n  | 'a'\n  | 'b'"))).toBe("{'a' | 'b'}");
    expect(shape(type("| 'a'"))).toBe("{'a'}");
  });

  it("reads array, nullable and non-null suffixes, binding tighter than |", () => {
    expect(shape(type("string[]"))).toBe("string[]");
    expect(shape(type("string[][]?"))).toBe("string[][]?");
    expect(shape(type("('a' | 'b')[]"))).toBe("<{'a' | 'b'}>[]");
    expect(shape(type("'a' | 'b'[]"))).toBe("{'a' | 'b'[]}");
    expect(shape(type("int?!"))).toBe("int?!");
    expect(shape(type("-1?"))).toBe("(-1)?");
  });

  it("reads object types with optional members, decorators, quoted keys and '*'", () => {
    const t = type(
      "{\n  @description('The name.')\n  name: string\n  sku: string?\n  'x-y': int\n  @minLength(3)\n  *: string\n}",
    ) as ObjectType;
    expect(
      t.properties.map((p) => [
        p.key.kind === "Identifier" ? p.key.name : p.key.parts[0],
        p.value.kind,
        p.decorators.length,
      ]),
    ).toEqual([
      ["name", "TypeRef", 1],
      ["sku", "NullableType", 0],
      ["x-y", "TypeRef", 0],
    ]);
    expect(t.additional).toMatchObject({
      kind: "ObjectTypeAdditional",
      value: { name: { name: "string" } },
      decorators: [{ name: { name: "minLength" } }],
    });
    expect(type("{ a: int, b: string }")).toMatchObject({ properties: [{}, {}] });
    expect(type("{}")).toMatchObject({ kind: "ObjectType", properties: [], additional: null });
  });

  it("points an optional property written 'name?:' to Bicep's 'name: type?'", () => {
    const { diagnostics } = parseBicep("type t = {\n  name?: string\n}\n");
    expect(diagnostics.map((d) => d.message)).toEqual([
      "expected ':' after the property name (an optional property is written 'name: type?'), found '?'",
    ]);
  });

  it("reads tuple types with decorated items", () => {
    expect(type("[string, int]")).toMatchObject({
      kind: "TupleType",
      items: [{ value: { name: { name: "string" } } }, { value: { name: { name: "int" } } }],
    });
    expect(type("[\n  @description('first')\n  string\n  int\n]")).toMatchObject({
      items: [{ decorators: [{}] }, { decorators: [] }],
    });
  });

  it("reads parameterized types and access into them", () => {
    expect(type("resourceInput<'Microsoft.Network/virtualNetworks@2024-05-01'>.properties.subnets")).toMatchObject({
      kind: "TypeMember",
      name: { name: "subnets" },
      object: {
        kind: "TypeMember",
        object: { kind: "ParameterizedType", name: { name: "resourceInput" }, args: [{ kind: "LiteralType" }] },
      },
    });
    expect(type("resourceOutput<'T@v'>")).toMatchObject({ kind: "ParameterizedType", namespace: null });
    expect(type("resource<'T@v'>")).toMatchObject({ kind: "ParameterizedType", name: { name: "resource" } });
    expect(type("sys.resourceInput<'T@v'>")).toMatchObject({ kind: "ParameterizedType", namespace: { name: "sys" } });
  });

  it("reads index, items and additional-properties access", () => {
    expect(type("myTuple[0]")).toMatchObject({ kind: "TypeIndex", index: { value: 0 } });
    expect(type("myArray[*]")).toMatchObject({ kind: "TypeItems" });
    expect(type("myObject.*")).toMatchObject({ kind: "TypeAdditionalProperties" });
  });

  it("reads a resource type in parameters and outputs", () => {
    const { ast, diagnostics } = parseBicep(
      "param p resource 'Microsoft.KeyVault/vaults@2023-07-01'\noutput o resource = kv\n",
    );
    expect(diagnostics).toEqual([]);
    expect(ast.statements).toMatchObject([
      {
        kind: "ParamDecl",
        type: { kind: "ResourceType", typeRef: { parts: ["Microsoft.KeyVault/vaults@2023-07-01"] } },
      },
      { kind: "OutputDecl", type: { kind: "ResourceType", typeRef: null } },
    ]);
  });
});
