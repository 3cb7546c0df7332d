// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Bicep source, whose interpolation is ${…}
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bicepExpr, bicepProgram, bicepType } from "../../../test/fuzz/targets/bicep.js";
import type { Expr, Program, Range, StringExpr, TypeExpr } from "./ast.js";
import { parseBicep } from "./parser.js";
import { print, printExpr, printType } from "./print.js";
import { treeShape } from "./walk.js";

const R: Range = { start: 0, end: 0, line: 0, col: 0, endLine: 0, endCol: 0 };
const id = (name: string): Expr => ({ kind: "IdentExpr", name, range: R });
const str = (text: string, multiline = false): StringExpr => ({
  kind: "StringExpr",
  parts: [text],
  multiline,
  range: R,
});

function reparsedExpr(text: string): Expr {
  const { ast, diagnostics } = parseBicep(`var v = ${text}\n`);
  expect(diagnostics.map((d) => d.message)).toEqual([]);
  return (ast.statements[0] as { value: Expr }).value;
}

/** parse(print(tree)) is the tree, up to parentheses (the printer adds them where precedence needs them). */
function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

describe("printer", () => {
  it("escapes single-line strings so that they read back the same", () => {
    const text = "it's \\ a\nb\r\tc ${x} $y {z}";
    expect(printExpr(str(text))).toBe("'it\\'s \\\\ a\\nb\\r\\tc \\${x} $y {z}'");
    expect(reparsedExpr(printExpr(str(text)))).toMatchObject({ parts: [text] });
  });

  it("prints multi-line strings with a line break after the quotes, and enough $ for their holes", () => {
    expect(printExpr(str("\nabc'", true))).toBe("'''\n\nabc''''");
    const withHole: StringExpr = { kind: "StringExpr", parts: ["a${b}", id("c"), "$"], multiline: true, range: R };
    expect(printExpr(withHole)).toBe("$$'''\na${b}$${c}$'''");
    expect(reparsedExpr(printExpr(withHole))).toMatchObject({ parts: ["a${b}", { name: "c" }, "$"], multiline: true });
    expect(printExpr(str("has ''' inside", true))).toBe("'has \\'\\'\\' inside'");
  });

  it("adds parentheses where precedence needs them and no others", () => {
    const sum: Expr = { kind: "BinaryExpr", operator: "+", left: id("a"), right: id("b"), range: R };
    const product: Expr = { kind: "BinaryExpr", operator: "*", left: sum, right: sum, range: R };
    expect(printExpr(product)).toBe("(a + b) * (a + b)");
    const chain: Expr = {
      kind: "BinaryExpr",
      operator: "-",
      left: id("a"),
      right: { ...sum, operator: "-" },
      range: R,
    };
    expect(printExpr(chain)).toBe("a - (a - b)");
    const negated: Expr = {
      kind: "UnaryExpr",
      operator: "!",
      operand: { kind: "UnaryExpr", operator: "!", operand: id("a"), range: R },
      range: R,
    };
    expect(printExpr(negated)).toBe("!(!a)");
    const lambda: Expr = { kind: "LambdaExpr", params: [], body: id("x"), range: R };
    expect(
      printExpr({
        kind: "MemberExpr",
        object: lambda,
        name: { kind: "Identifier", name: "p", range: R },
        safe: false,
        range: R,
      }),
    ).toBe("(() => x).p");
  });

  it("prints objects and arrays one member a line, and on one line inside a hole", () => {
    const { ast } = parseBicep("var v = {\n  a: [\n    1\n  ]\n  ...b\n  'c-d': '${map(x, y => { k: [y] })}'\n}\n");
    expect(print(ast)).toBe("var v = {\n  a: [\n    1\n  ]\n  ...b\n  'c-d': '${map(x, y => { k: [y] })}'\n}\n");
  });

  it("prints types, with a space between two '?'", () => {
    const base: TypeExpr = {
      kind: "TypeRef",
      namespace: null,
      name: { kind: "Identifier", name: "string", range: R },
      range: R,
    };
    const twice: TypeExpr = { kind: "NullableType", base: { kind: "NullableType", base, range: R }, range: R };
    expect(printType(twice)).toBe("string? ?");
    const union: TypeExpr = { kind: "UnionType", members: [base, base], range: R };
    expect(printType({ kind: "ArrayType", item: union, range: R })).toBe("(string | string)[]");
  });

  it("prints a program the parser reads back to the same tree", () => {
    const text =
      "@description('d')\nparam p string = 'x'\nresource r 'T@v' = [for (x, i) in xs: if (x.on) {\n  name: x.name\n  @batchSize(2)\n  resource c 'child' existing = {\n    name: 'c'\n  }\n}]\nimport * as ns from './x.bicep'\noutput o resource 'T@v' = r\n";
    const { ast } = parseBicep(text);
    expect(print(ast)).toBe(text);
  });
});

describe("printer properties (fast-check)", () => {
  const roundTrips = (program: Program) => {
    const { ast, diagnostics } = parseBicep(print(program), program.file);
    return diagnostics.length === 0 && same(treeShape(ast, { parens: false }), treeShape(program, { parens: false }));
  };
  const asProgram = (statement: Program["statements"][number]): Program => ({
    kind: "Program",
    file: "p.bicep",
    fileKind: "bicep",
    statements: [statement],
    range: R,
  });

  it("every generated expression prints to text that parses back to it", () => {
    fc.assert(
      fc.property(bicepExpr, (value) =>
        roundTrips(
          asProgram({
            kind: "VarDecl",
            decorators: [],
            name: { kind: "Identifier", name: "v", range: R },
            type: null,
            value,
            range: R,
          }),
        ),
      ),
      { numRuns: 1500 },
    );
  });

  it("every generated type prints to text that parses back to it", () => {
    fc.assert(
      fc.property(bicepType, (value) =>
        roundTrips(
          asProgram({
            kind: "TypeDecl",
            decorators: [],
            name: { kind: "Identifier", name: "t", range: R },
            value,
            range: R,
          }),
        ),
      ),
      { numRuns: 1500 },
    );
  });

  it("every generated program prints to text that parses back to it", () => {
    fc.assert(fc.property(bicepProgram, roundTrips), { numRuns: 500 });
  });

  it("printing is stable: print(parse(print(tree))) is print(tree)", () => {
    fc.assert(
      fc.property(bicepProgram, (program) => {
        const once = print(program);
        return print(parseBicep(once).ast) === once;
      }),
      { numRuns: 300 },
    );
  });
});
