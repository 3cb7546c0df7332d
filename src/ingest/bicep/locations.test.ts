// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Bicep source, whose interpolation is ${…}
import { describe, expect, it } from "vitest";
import type { Node, ObjectExpr, Range, ResourceDecl } from "./ast.js";
import { findProperty } from "./ast.js";
import { parseBicep } from "./parser.js";
import { rangeProblems } from "./walk.js";

const at = (r: Range) => `${r.line}:${r.col}`;
const span = (r: Range) => `${r.line}:${r.col}-${r.endLine}:${r.endCol}`;

const VNET = [
  "@description('The network.')", //   1
  "resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {", // 2
  "  name: 'vnet-${suffix}'", //        3
  "  properties: {", //                 4
  "    addressSpace: {", //             5
  "      addressPrefixes: [", //        6
  "        '10.0.0.0/16'", //           7
  "      ]", //                         8
  "    }", //                           9
  "  }", //                             10
  "}", //                               11
  "",
].join("\n");

function vnet(text = VNET): ResourceDecl {
  const { ast, diagnostics } = parseBicep(text);
  expect(diagnostics).toEqual([]);
  return ast.statements[0] as ResourceDecl;
}

function checkLocations(root: Node, text: string): void {
  expect(rangeProblems(root, text)).toEqual([]);
}

describe("locations", () => {
  it("gives a resource, its name and its type string their places; decorators keep their own", () => {
    const r = vnet();
    expect(span(r.range)).toBe("2:1-11:2");
    expect(span(r.name.range)).toBe("2:10-2:14");
    expect(span(r.typeRef.range)).toBe("2:15-2:61");
    expect(span(r.decorators[0]!.range)).toBe("1:1-1:29");
  });

  it("gives every property the place of its key and of its value", () => {
    const body = vnet().value as ObjectExpr;
    const name = findProperty(body, "name")!;
    expect([at(name.key.range), at(name.value.range), span(name.range)]).toEqual(["3:3", "3:9", "3:3-3:25"]);
    const properties = findProperty(body, "properties")!;
    const addressSpace = findProperty(properties.value as ObjectExpr, "addressSpace")!;
    const prefixes = findProperty(addressSpace.value as ObjectExpr, "addressPrefixes")!;
    expect([at(prefixes.key.range), span(prefixes.value.range)]).toEqual(["6:7", "6:24-8:8"]);
    expect(prefixes.value).toMatchObject({ kind: "ArrayExpr", items: [{ range: { line: 7, col: 9, endCol: 22 } }] });
  });

  it("places expressions inside interpolation holes", () => {
    const name = findProperty(vnet().value as ObjectExpr, "name")!;
    expect(name.value).toMatchObject({
      kind: "StringExpr",
      parts: ["vnet-", { kind: "IdentExpr", range: { line: 3, col: 17, endCol: 23 } }, ""],
    });
  });

  it("counts lines after multi-line strings and comments, and with CRLF line breaks", () => {
    const text = "var a = '''\none\ntwo\n'''\n/* x\ny */ var b = {\r\n  k: 1\r\n}\r\n";
    const { ast, diagnostics } = parseBicep(text);
    expect(diagnostics).toEqual([]);
    expect(ast.statements.map((s) => span(s.range))).toEqual(["1:1-4:4", "6:6-8:2"]);
    checkLocations(ast, text);
  });

  it("counts columns in UTF-16 code units", () => {
    const { ast } = parseBicep("var a = '😀é' == b\n");
    expect(ast.statements[0]).toMatchObject({ value: { right: { range: { col: 18 } } } });
  });

  it("agrees with the offsets on every node of a file using most of the language", () => {
    const text = [
      "targetScope = 'resourceGroup'",
      "import {a as b} from './x.bicep'",
      "@minValue(1)",
      "param count int = 2",
      "type t = {",
      "  @description('x')",
      "  name: 'a' | 'b'",
      "  *: resourceInput<'T@v'>.properties[*]?",
      "}",
      "func f(x string) string => '${x}!'",
      "var v = [for (x, i) in range(0, count): {",
      "  id: x.?y[?0]! ?? az.resourceGroup().id",
      "  ...map(xs, (a, b) => a + b)",
      "}]",
      "resource r 'T@v' = if (count > 1) {",
      "  resource c 'child' = {",
      "    name: $'''",
      "      ${v[^1]}'''",
      "  }",
      "}",
      "output o string = r::c.name",
      "",
    ].join("\n");
    const { ast, diagnostics } = parseBicep(text);
    expect(diagnostics).toEqual([]);
    checkLocations(ast, text);
  });

  it("places diagnostics by line and column, as a SourceRef and a range", () => {
    const { diagnostics } = parseBicep("param a string\nvar = 1\n", "net.bicep");
    expect(diagnostics).toEqual([
      {
        severity: "error",
        code: "bicep/syntax",
        message: "expected a variable name after 'var', found '='",
        src: { file: "net.bicep", pointer: "", line: 2, column: 5 },
        range: { start: 19, end: 20, line: 2, col: 5, endLine: 2, endCol: 6 },
      },
    ]);
  });
});
