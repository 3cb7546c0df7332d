// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Bicep source, whose interpolation is ${…}
import { describe, expect, it } from "vitest";
import type { ArrayExpr, Expr, ObjectExpr, StringExpr } from "./ast.js";
import { parseBicep } from "./parser.js";
import { printExpr } from "./print.js";

/** The value of `var v = <source>`, which must parse without diagnostics. */
function expr(source: string, before = ""): Expr {
  const { ast, diagnostics } = parseBicep(`${before}var v = ${source}\n`);
  expect(diagnostics.map((d) => d.message)).toEqual([]);
  const last = ast.statements[ast.statements.length - 1];
  if (last?.kind !== "VarDecl") throw new Error("no variable");
  return last.value;
}

function messages(source: string): string[] {
  return parseBicep(source).diagnostics.map((d) => d.message);
}

/** Structure with every operator application in parentheses. */
function shape(e: Expr): string {
  switch (e.kind) {
    case "BinaryExpr":
      return `(${shape(e.left)} ${e.operator} ${shape(e.right)})`;
    case "UnaryExpr":
      return `(${e.operator}${shape(e.operand)})`;
    case "TernaryExpr":
      return `(${shape(e.condition)} ? ${shape(e.whenTrue)} : ${shape(e.whenFalse)})`;
    case "MemberExpr":
      return `${shape(e.object)}${e.safe ? ".?" : "."}${e.name.name}`;
    case "NonNullExpr":
      return `${shape(e.expr)}!`;
    case "ParenExpr":
      return `[${shape(e.expr)}]`;
    case "LambdaExpr":
      return `(${e.params.map((p) => p.name).join(", ")} => ${shape(e.body)})`;
    default:
      return printExpr(e);
  }
}

describe("expressions: precedence and associativity", () => {
  it.each([
    ["1 + 2 * 3", "(1 + (2 * 3))"],
    ["1 * 2 + 3", "((1 * 2) + 3)"],
    ["a - b - c", "((a - b) - c)"],
    ["a / b % c * d", "(((a / b) % c) * d)"],
    ["a + b < c - d", "((a + b) < (c - d))"],
    ["a < b == c >= d", "((a < b) == (c >= d))"],
    ["a == b && c != d || e", "(((a == b) && (c != d)) || e)"],
    ["a || b && c", "(a || (b && c))"],
    ["a =~ b !~ c", "((a =~ b) !~ c)"],
    ["a ?? b || c", "(a ?? (b || c))"],
    ["a || b ?? c", "((a || b) ?? c)"],
    ["a ?? b ?? c", "((a ?? b) ?? c)"],
    ["-a.b + 1", "((-a.b) + 1)"],
    ["!a && b", "((!a) && b)"],
    ["!a!", "(!a!)"],
    ["-1 * -2", "((-1) * (-2))"],
    ["a ? b : c ? d : e", "(a ? b : (c ? d : e))"],
    ["a ? b ? c : d : e", "(a ? (b ? c : d) : e)"],
    ["a || b ? c : d", "((a || b) ? c : d)"],
    ["a ?? b ? c : d", "((a ?? b) ? c : d)"],
    ["(a + b) * c", "([(a + b)] * c)"],
    ["x => x + 1", "(x => (x + 1))"],
    ["x => a ? b : c", "(x => (a ? b : c))"],
    ["c ? x => x : y", "(c ? (x => x) : y)"],
  ])("%s is %s", (source, want) => {
    expect(shape(expr(source))).toBe(want);
  });

  it("refuses a prefix operator on a prefix operator, as Bicep does", () => {
    expect(messages("var v = !!a")[0]).toBe("expected an expression, found '!'");
    expect(messages("var v = - -1")[0]).toBe("expected an expression, found '-'");
    expect(shape(expr("!(!a)"))).toBe("(![(!a)])");
  });
});

describe("expressions: literals", () => {
  it("reads integers, with their digits, and booleans and null", () => {
    expect(expr("42")).toMatchObject({ kind: "IntExpr", value: 42, text: "42" });
    expect(expr("9223372036854775807")).toMatchObject({ kind: "IntExpr", text: "9223372036854775807" });
    expect(expr("-5")).toMatchObject({ kind: "UnaryExpr", operator: "-", operand: { kind: "IntExpr", value: 5 } });
    expect(expr("true")).toMatchObject({ kind: "BoolExpr", value: true });
    expect(expr("false")).toMatchObject({ kind: "BoolExpr", value: false });
    expect(expr("null")).toMatchObject({ kind: "NullExpr" });
    expect(messages("var v = 18446744073709551616")).toEqual(["integer literal too large"]);
  });

  it("reads strings into text and holes", () => {
    expect(expr("'abc'")).toMatchObject({ kind: "StringExpr", parts: ["abc"], multiline: false });
    expect(expr("''")).toMatchObject({ parts: [""] });
    const s = expr("'a${b}c${d.e}'") as StringExpr;
    expect(s.parts).toMatchObject(["a", { kind: "IdentExpr", name: "b" }, "c", { kind: "MemberExpr" }, ""]);
    expect((expr("'${x}'") as StringExpr).parts).toMatchObject(["", { name: "x" }, ""]);
  });

  it("reads quotes and calls nested inside a hole", () => {
    const s = expr("'${concat('a', 'b${c}')}-x'") as StringExpr;
    expect(s.parts[0]).toBe("");
    expect(s.parts[1]).toMatchObject({
      kind: "CallExpr",
      callee: { name: "concat" },
      args: [{ parts: ["a"] }, { parts: ["b", { name: "c" }, ""] }],
    });
    expect(s.parts[2]).toBe("-x");
  });

  it("reads multi-line strings, with holes in $''' strings", () => {
    expect(expr("'''\nline 1\nline 2'''")).toMatchObject({
      kind: "StringExpr",
      parts: ["line 1\nline 2"],
      multiline: true,
    });
    expect(expr("$'''\nname: ${n}\n'''")).toMatchObject({ parts: ["name: ", { name: "n" }, "\n"], multiline: true });
  });

  it("refuses objects and arrays inside a hole, except inside a lambda there", () => {
    expect(messages("var v = '${{a: 1}}'")[0]).toBe("an object is not allowed inside '${…}'");
    expect(messages("var v = '${[1]}'")[0]).toBe("an array is not allowed inside '${…}'");
    expect(expr("'${map(xs, x => {a: x})}'")).toMatchObject({ kind: "StringExpr" });
  });
});

describe("expressions: arrays and objects", () => {
  it("separates array items by line breaks or commas, with a trailing comma allowed", () => {
    const want = [{ value: 1 }, { value: 2 }, { value: 3 }];
    expect((expr("[\n  1\n  2\n\n  3\n]") as ArrayExpr).items).toMatchObject(want);
    expect((expr("[1, 2, 3]") as ArrayExpr).items).toMatchObject(want);
    expect((expr("[1, 2, 3,]") as ArrayExpr).items).toMatchObject(want);
    expect((expr("[\n  1, 2\n  3\n]") as ArrayExpr).items).toMatchObject(want);
    expect(expr("[]")).toMatchObject({ kind: "ArrayExpr", items: [] });
  });

  it("reads spreads in arrays", () => {
    expect((expr("[...a, 1, ...b.c]") as ArrayExpr).items).toMatchObject([
      { kind: "SpreadExpr", expr: { name: "a" } },
      { kind: "IntExpr" },
      { kind: "SpreadExpr", expr: { kind: "MemberExpr" } },
    ]);
  });

  it("reads object properties with identifier, quoted and interpolated keys", () => {
    const o = expr("{\n  name: 'x'\n  'quoted-key': 1\n  '${prefix}-k': true\n  if: 2\n}") as ObjectExpr;
    expect(o.properties.map((p) => (p.key.kind === "Identifier" ? p.key.name : p.key.parts))).toEqual([
      "name",
      ["quoted-key"],
      ["", { kind: "IdentExpr", name: "prefix", range: expect.anything() }, "-k"],
      "if",
    ]);
    expect((expr("{ a: 1, b: 2 }") as ObjectExpr).properties).toHaveLength(2);
    expect((expr("{ a: 1, b: 2, }") as ObjectExpr).properties).toHaveLength(2);
    expect(expr("{}")).toMatchObject({ kind: "ObjectExpr", members: [] });
  });

  it("keeps spreads and properties in source order, with views by kind", () => {
    const o = expr("{\n  a: 1\n  ...base\n  b: 2\n}") as ObjectExpr;
    expect(o.members.map((m) => m.kind)).toEqual(["ObjectProperty", "SpreadExpr", "ObjectProperty"]);
    expect(o.properties.map((p) => p.key.kind === "Identifier" && p.key.name)).toEqual(["a", "b"]);
    expect(o.spreads).toHaveLength(1);
    expect(o.resources).toEqual([]);
  });
});

describe("expressions: access, calls and lambdas", () => {
  it("reads member, safe, index, safe index, from-end index, non-null and child resource access", () => {
    expect(expr("a.b.?c")).toMatchObject({
      kind: "MemberExpr",
      safe: true,
      name: { name: "c" },
      object: { kind: "MemberExpr", safe: false },
    });
    expect(expr("a[0]")).toMatchObject({ kind: "IndexExpr", safe: false, fromEnd: false, index: { value: 0 } });
    expect(expr("a[?'k']")).toMatchObject({ kind: "IndexExpr", safe: true, index: { parts: ["k"] } });
    expect(expr("a[^1]")).toMatchObject({ kind: "IndexExpr", fromEnd: true });
    expect(expr("a!.b")).toMatchObject({ kind: "MemberExpr", object: { kind: "NonNullExpr", expr: { name: "a" } } });
    expect(expr("vnet::subnet.id")).toMatchObject({
      kind: "MemberExpr",
      object: { kind: "ResourceAccessExpr", name: { name: "subnet" } },
    });
  });

  it("reads calls with arguments over several lines", () => {
    expect(expr("f()")).toMatchObject({ kind: "CallExpr", namespace: null, callee: { name: "f" }, args: [] });
    expect(expr("f(\n  1,\n  'a'\n)")).toMatchObject({ args: [{ value: 1 }, { parts: ["a"] }] });
    expect(expr("f(1, 2,)")).toMatchObject({ args: [{}, {}] });
    expect(messages("var v = f(1\n2)")[0]).toMatch(/^expected ',' or '\)' to close the call opened at 1:10/);
  });

  it("tells namespace calls from method calls", () => {
    expect(expr("az.resourceGroup().location")).toMatchObject({
      kind: "MemberExpr",
      object: { kind: "CallExpr", namespace: { name: "az" }, callee: { name: "resourceGroup" } },
    });
    expect(expr("sys.concat('a', 'b')")).toMatchObject({ kind: "CallExpr", namespace: { name: "sys" } });
    expect(expr("kv.getSecret('x')")).toMatchObject({
      kind: "MethodCallExpr",
      object: { name: "kv" },
      method: { name: "getSecret" },
    });
    expect(expr("stg.listKeys().keys[0].value")).toMatchObject({
      kind: "MemberExpr",
      object: { kind: "IndexExpr", object: { kind: "MemberExpr", object: { kind: "MethodCallExpr" } } },
    });
  });

  it("counts import and extension aliases as namespaces, unless a declaration or a local takes the name", () => {
    expect(expr("fns.build()", "import * as fns from './f.bicep'\n")).toMatchObject({
      kind: "CallExpr",
      namespace: { name: "fns" },
    });
    expect(expr("k8s.f()", "extension kubernetes with {\n  n: 1\n} as k8s\n")).toMatchObject({
      kind: "CallExpr",
      namespace: { name: "k8s" },
    });
    expect(expr("graph.f()", "extension graph\n")).toMatchObject({ kind: "CallExpr", namespace: { name: "graph" } });
    expect(expr("az.f()", "param az object\n")).toMatchObject({ kind: "MethodCallExpr" });
    expect(expr("map(xs, az => az.f())")).toMatchObject({
      args: [{}, { kind: "LambdaExpr", body: { kind: "MethodCallExpr" } }],
    });
    expect(expr("[for sys in xs: sys.f()]")).toMatchObject({ body: { kind: "MethodCallExpr" } });
  });

  it("refuses '.?' before a call", () => {
    expect(messages("var v = a.?f()")[0]).toBe("'.?' cannot be used to call a function");
  });

  it("reads lambdas with no, one and several parameters", () => {
    expect(expr("x => x.id")).toMatchObject({
      kind: "LambdaExpr",
      params: [{ name: "x" }],
      body: { kind: "MemberExpr" },
    });
    expect(expr("(x) => x")).toMatchObject({ params: [{ name: "x" }] });
    expect(expr("(acc, x) => union(acc, x)")).toMatchObject({
      params: [{ name: "acc" }, { name: "x" }],
      body: { kind: "CallExpr" },
    });
    expect(expr("() => 1")).toMatchObject({ params: [], body: { value: 1 } });
    expect(expr("reduce(xs, {}, (cur, next) =>\n  union(cur, next))")).toMatchObject({
      args: [{}, {}, { kind: "LambdaExpr" }],
    });
    expect(messages("var v = (a.b) => 1")[0]).toBe("expected lambda parameter names in '(…) =>'");
  });

  it("reads parentheses holding one expression", () => {
    expect(expr("(\n  a\n)")).toMatchObject({ kind: "ParenExpr", expr: { name: "a" } });
    expect(messages("var v = (a, b)")[0]).toBe("expected exactly one expression between '(' and ')'");
  });
});

describe("expressions: loops", () => {
  it("reads [for item in list: body] and [for (item, index) in list: body]", () => {
    expect(expr("[for s in subnets: s.name]")).toMatchObject({
      kind: "ForExpr",
      item: { name: "s" },
      index: null,
      iterable: { name: "subnets" },
      body: { kind: "MemberExpr" },
    });
    expect(expr("[for (s, i) in subnets: {\n  name: '${i}'\n}]")).toMatchObject({
      item: { name: "s" },
      index: { name: "i" },
      body: { kind: "ObjectExpr" },
    });
    expect(expr("[\n  for x in range(0, 3): x\n]")).toMatchObject({ kind: "ForExpr" });
  });

  it("reads a filtering loop body", () => {
    expect(expr("[for i in range(0, 3): if (i > 0) {\n  n: i\n}]")).toMatchObject({
      body: { kind: "IfExpr", condition: { kind: "BinaryExpr" }, body: { kind: "ObjectExpr" } },
    });
  });
});

describe("expressions: line breaks", () => {
  it("allows a line break after a binary operator, before ? and :, and inside parentheses", () => {
    expect(shape(expr("a &&\n  b"))).toBe("(a && b)");
    expect(shape(expr("a\n  ? b\n  : c"))).toBe("(a ? b : c)");
    expect(shape(expr("a ?\n  b :\n  c"))).toBe("(a ? b : c)");
    expect(shape(expr("(\n  a +\n  b\n)"))).toBe("[(a + b)]");
  });

  it("ends an expression at a line break before a binary operator outside brackets", () => {
    expect(messages("var v = a\n  && b")[0]).toBe(
      "expected a declaration (param, var, resource, module, output…), found '&&'",
    );
  });
});
