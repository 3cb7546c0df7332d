import { describe, expect, it } from "vitest";
import type { ObjectExpr, ResourceDecl } from "./ast.js";
import { MAX_NESTING, MAX_TREE_HEIGHT } from "./parse-base.js";
import { parseBicep } from "./parser.js";
import { rangeProblems } from "./walk.js";

function parse(text: string, file = "main.bicep") {
  const result = parseBicep(text, file);
  expect(rangeProblems(result.ast, text)).toEqual([]);
  return {
    ...result,
    where: result.diagnostics.map((d) => `${d.src.line}:${d.src.column} ${d.code} ${d.message}`),
    names: result.ast.statements.map((s) => ("name" in s ? s.name.name : s.kind)),
  };
}

describe("error recovery", () => {
  it("says which bracket is left open and where it was opened", () => {
    const r = parse("param a string\n\nvar b = {\n  x: 1\n\nparam c string\n");
    expect(r.where).toEqual(["6:1 bicep/syntax expected '}' to close the object opened at 3:9, found 'param'"]);
    expect(r.names).toEqual(["a", "b", "c"]);
    expect(r.ast.statements[1]).toMatchObject({ value: { kind: "ObjectExpr", properties: [{ key: { name: "x" } }] } });
  });

  it("reports an open bracket at the end of the file once", () => {
    expect(parse("var a = [\n  {\n    b: f(1,\n").where).toEqual([
      "4:1 bicep/syntax expected ')' to close the call opened at 3:9, found the end of the file",
    ]);
    expect(parse("var a = [for x in y: {\n  b: x\n").where).toEqual([
      "3:1 bicep/syntax expected '}' to close the object opened at 1:22, found the end of the file",
    ]);
  });

  it("loses only the broken statement", () => {
    const r = parse(
      "param a string\nvar = 1\nparam c int\nresource 'T@v' = {\n  name: 'x'\n}\noutput d string = 'd'\n",
    );
    expect(r.where).toEqual([
      "2:5 bicep/syntax expected a variable name after 'var', found '='",
      "4:10 bicep/syntax expected a resource name after 'resource', found the string 'T@v'",
    ]);
    expect(r.names).toEqual(["a", "c", "d"]);
  });

  it("does not skip the next statement when a construct fails at its first token", () => {
    const r = parse("resource r 'T@v' = if (on)\nparam after string\n");
    expect(r.where).toEqual(["2:1 bicep/syntax expected '{' after the condition, found 'param'"]);
    expect(r.names).toEqual(["after"]);
  });

  it("skips lines that are not declarations with one diagnostic", () => {
    const r = parse("param a string\nthis is not bicep\n  nor this }\n)\nparam b string\n");
    expect(r.where).toEqual([
      "2:1 bicep/syntax expected a declaration (param, var, resource, module, output…), found 'this'",
    ]);
    expect(r.names).toEqual(["a", "b"]);
  });

  it("keeps the other properties of an object when one is broken", () => {
    const r = parse(
      "resource r 'T@v' = {\n  name: 'x'\n  bad bad\n  location: 'y'\n  tags: {\n    a: ]\n    b: 1\n  }\n}\nparam p string\n",
    );
    expect(r.where).toEqual([
      "3:7 bicep/syntax expected ':' after the property name, found 'bad'",
      "6:8 bicep/syntax expected an expression, found ']'",
    ]);
    const body = (r.ast.statements[0] as ResourceDecl).value as ObjectExpr;
    expect(body.properties.map((p) => p.key.kind === "Identifier" && p.key.name)).toEqual(["name", "location", "tags"]);
    expect((body.properties[2]!.value as ObjectExpr).properties).toHaveLength(1);
    expect(r.names).toEqual(["r", "p"]);
  });

  it("keeps the other items of an array when one is broken", () => {
    const r = parse("var a = [\n  1\n  2 +\n  3\n  )\n]\n");
    expect(r.ast.statements[0]).toMatchObject({ value: { items: [{ value: 1 }, { kind: "BinaryExpr" }] } });
    expect(r.where).toEqual(["5:3 bicep/syntax expected ']' to close the array opened at 1:9, found ')'"]);
  });

  it("reports a missing separator and reads on", () => {
    const r = parse("var o = { a: 1 b: 2 }\n");
    expect(r.where).toEqual(["1:16 bicep/syntax expected ',' or a line break between properties, found 'b'"]);
    expect(r.ast.statements[0]).toMatchObject({ value: { properties: [{}, {}] } });
  });

  it("reports what follows a complete declaration on its line", () => {
    const r = parse("param a string = 'x' 'y'\nparam b string\n");
    expect(r.where).toEqual(["1:22 bicep/syntax expected a line break after the declaration, found the string 'y'"]);
    expect(r.names).toEqual(["a", "b"]);
  });

  it("reports a dangling decorator", () => {
    expect(parse("@description('x')\n\n").where).toEqual([
      "3:1 bicep/syntax expected a declaration after the decorator, found the end of the file",
    ]);
  });

  it("reports an unterminated string once, from the lexer", () => {
    const r = parse("var a = 'abc\nvar b = 1\n");
    expect(r.where).toEqual([
      "1:9 bicep/token unterminated string: a line break before the closing quote (use '''…''' for text on several lines)",
    ]);
    expect(r.names).toEqual(["a", "b"]);
  });

  it("keeps every message on one line", () => {
    const inputs = [
      "var a = '''\nx\n'''' ]",
      "param p string = {\n",
      "resource r '''\nT\n''' {",
      "@\n",
      "var x = a[",
      "type t = {\n  a:\n}",
    ];
    for (const text of inputs) {
      const { diagnostics } = parse(text);
      expect(diagnostics.length).toBeGreaterThan(0);
      for (const d of diagnostics) expect(d.message).not.toMatch(/[\r\n]/);
    }
  });

  it("never throws and keeps every node inside the text on junk", () => {
    const junk = [
      "",
      "\n\n",
      "}",
      "]]]",
      "@@@",
      "'''",
      "$'''${",
      "resource",
      "param x = ",
      "var x = [for",
      "import {",
      "x => =>",
      "a.b.c.",
      "type t = |",
      "#disable-next-line",
    ];
    for (const text of junk) expect(() => parse(text)).not.toThrow();
  });
});

describe("limits", () => {
  it("reports nesting deeper than the limit and reads the next statement", () => {
    const deep = (n: number) => `${"[".repeat(n)}1${"]".repeat(n)}`;
    expect(parse(`var ok = ${deep(MAX_NESTING - 5)}\n`).diagnostics).toEqual([]);
    const r = parse(`var deep = ${deep(100_000)}\nparam after string\n`);
    expect(r.diagnostics.map((d) => d.code)).toContain("bicep/too-deep");
    expect(r.where[0]).toBe(`1:${12 + MAX_NESTING} bicep/too-deep nesting deeper than ${MAX_NESTING} levels`);
    expect(r.names).toContain("after");
  });

  it("refuses a statement whose tree would be taller than the limit, and reads the next one", () => {
    const chain = Array.from({ length: MAX_TREE_HEIGHT + 10 }, (_, i) => `a${i}`).join(" + ");
    const r = parse(`var long = ${chain}\nparam after string\n`);
    expect(r.where).toEqual([`1:1 bicep/too-deep expression chain deeper than ${MAX_TREE_HEIGHT} levels`]);
    expect(r.names).toEqual(["after"]);
    expect(parse(`var fine = ${Array(500).fill("a").join(" + ")}\n`).diagnostics).toEqual([]);
  });

  it("parses a generated 5 MB file in linear time", () => {
    const block = (i: number) =>
      [
        `@description('Subnet ${i}')`,
        `resource snet${i} 'Microsoft.Network/virtualNetworks/subnets@2024-05-01' = [for (s, j) in subnets: if (s.on) {`,
        `  parent: vnet`,
        `  name: 'snet-${i}-\${j}'`,
        `  properties: {`,
        `    addressPrefix: cidrSubnet(s.prefix ?? '10.0.0.0/16', 24, ${i % 250})`,
        `    networkSecurityGroup: empty(s.?nsg) ? null : { id: s.nsg! }`,
        `    routeTable: { id: rt.id }`,
        `    delegations: map(s.delegations, d => { name: d, properties: { serviceName: d } })`,
        `  }`,
        `}]`,
        ``,
      ].join("\n");
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 5_000_000; i++) {
      parts.push(block(i));
      size += parts[parts.length - 1]!.length;
    }
    const text = parts.join("");
    const started = performance.now();
    const { ast, diagnostics } = parseBicep(text);
    const ms = performance.now() - started;
    expect(diagnostics).toEqual([]);
    expect(ast.statements).toHaveLength(parts.length);
    // Well under a second on a laptop; the bound leaves room for a busy CI machine.
    expect(ms).toBeLessThan(5000);
  });
});
