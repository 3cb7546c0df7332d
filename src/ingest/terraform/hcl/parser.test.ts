// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are HCL source, whose interpolation is ${…}
import { describe, expect, it } from "vitest";
import { type Attribute, type Block, blocksOf, type Expr, LineMap, traversalText } from "./ast.js";
import { MAX_DEPTH, parseHcl, parseHclExpression } from "./parser.js";

function expr(text: string): Expr {
  const { expr, problems } = parseHclExpression(text);
  expect(problems).toEqual([]);
  return expr!;
}

function attr(text: string, name: string): Attribute {
  const { body } = parseHcl(text);
  return body.items.find((i): i is Attribute => i.kind === "Attribute" && i.name === name)!;
}

describe("HCL bodies extraction", () => {
  it("reads blocks with labels, nested blocks and attributes, with their spans", () => {
    const text = 'resource "azurerm_subnet" "apim" {\n  name = "snet"\n  delegation {\n    name = "d"\n  }\n}\n';
    const { body, problems } = parseHcl(text);
    expect(problems).toEqual([]);
    const [block] = blocksOf(body, "resource");
    expect(block!.labels.map((l) => l.value)).toEqual(["azurerm_subnet", "apim"]);
    expect(block!.body.items.map((i) => (i.kind === "Attribute" ? i.name : (i as Block).type))).toEqual([
      "name",
      "delegation",
    ]);
    const lines = new LineMap(text);
    const nested = blocksOf(block!.body, "delegation")[0]!;
    expect(lines.position(nested.start)).toEqual({ line: 3, column: 3 });
  });

  it("reads one-line blocks, comments of the three kinds and a byte-order mark", () => {
    const { body, problems } = parseHcl('\ufeff# a\n// b\n/* c\n d */ locals { a = 1 }\nvariable "x" {}\n');
    expect(problems).toEqual([]);
    expect(body.items.map((i) => (i as Block).type)).toEqual(["locals", "variable"]);
  });

  it("keeps newlines inside parentheses, brackets and for expressions, and ends attributes at a newline", () => {
    const a = attr("count = ((var.a &&\n  var.b) ||\n  var.c) ? 1 : 0\nnext = 2\n", "count");
    expect(a.expr.kind).toBe("Conditional");
    const list = attr('x = [\n  "a",\n  "b",\n]\n', "x");
    expect(list.expr.kind === "Tuple" && list.expr.items.length).toBe(2);
    const forObj = attr("m = { for k, v in var.m : k => {\n  name = v\n  }\n}\n", "m");
    expect(forObj.expr.kind).toBe("For");
  });
});

describe("HCL expressions extraction", () => {
  it("follows the precedence of the specification", () => {
    const e = expr("1 + 2 * 3 == 7 && !false || a");
    expect(e.kind === "Binary" && e.op).toBe("||");
    const left = (e as { left: Expr }).left;
    expect(left.kind === "Binary" && left.op).toBe("&&");
  });

  it("reads traversals, legacy indexes, splats and calls with an expanded last argument", () => {
    expect(traversalText(expr('module.spoke["app"].subnets[0].id'))).toBe('module.spoke["app"].subnets[0].id');
    const legacy = expr("a.0.b");
    expect(legacy.kind === "GetAttr" && legacy.object.kind).toBe("Index");
    const splat = expr("azurerm_subnet.s[*].id");
    expect(splat.kind).toBe("Splat");
    const call = expr("concat(a, b...)");
    expect(call.kind === "Call" && call.expandFinal).toBe(true);
    expect(expr("provider::azapi::parse_resource_id(a)").kind).toBe("Call");
  });

  it("reads templates with interpolations, strip markers, escapes and directives", () => {
    const t = expr('"a ${b} \\"c\\" $${d} %{if x}y%{else}z%{endif}"');
    expect(t.kind).toBe("Template");
    const parts = (t as { parts: { kind: string; value?: string }[] }).parts;
    expect(parts.map((p) => p.kind)).toEqual(["text", "interp", "text", "if"]);
    expect(parts[2]!.value).toBe(' "c" ${d} ');
    const stripped = expr('"a  ${~ b ~}  c"');
    expect((stripped as { parts: { value?: string }[] }).parts.map((p) => p.value)).toEqual(["a", undefined, "c"]);
  });

  it("reads heredocs, indented ones without their common indentation", () => {
    const plain = attr("x = <<EOT\nline ${v}\nEOT\n", "x");
    expect(plain.expr.kind === "Template" && plain.expr.parts.map((p) => p.kind)).toEqual(["text", "interp", "text"]);
    const indented = attr("x = <<-EOT\n    a\n      b\n    EOT\n", "x");
    expect(
      indented.expr.kind === "Template" && indented.expr.parts[0]!.kind === "text" && indented.expr.parts[0]!.value,
    ).toBe("a\n  b\n");
  });

  it("reads object constructors with names, expressions and colons as keys", () => {
    const o = expr('{ a = 1, "b" = 2\n (local.k) : 3 }');
    expect(o.kind === "Object" && o.items.map((i) => i.keyIsName)).toEqual([true, false, false]);
  });
});

describe("HCL parser warns", () => {
  it("reports a syntax error with its place and reads the blocks after it", () => {
    const text = 'resource "a" "b" {\n  x = = 1\n}\n\nresource "c" "d" {\n  y = 2\n}\n';
    const { body, problems } = parseHcl(text);
    expect(problems).toHaveLength(1);
    expect(new LineMap(text).position(problems[0]!.start)).toEqual({ line: 2, column: 7 });
    expect(problems[0]!.message).toMatch(/expected an expression/);
    expect(blocksOf(body).map((b) => b.labels[0]!.value)).toEqual(["c"]);
  });

  it("refuses unterminated strings and heredocs, unknown escapes and unbalanced directives", () => {
    for (const text of ['x = "abc\n', "x = <<EOT\nno end\n", 'x = "\\q"\n', 'x = "%{if a}b"\n', 'x = "%{endfor}"\n']) {
      expect(parseHcl(text).problems.length, text).toBeGreaterThan(0);
    }
  });

  it("refuses nesting deeper than its limit instead of overflowing the stack", () => {
    const deep = `x = ${"[".repeat(MAX_DEPTH + 50)}${"]".repeat(MAX_DEPTH + 50)}\n`;
    const { problems } = parseHcl(deep);
    expect(problems[0]!.message).toMatch(/nesting deeper than/);
    const deepBlocks = `${"a {\n".repeat(MAX_DEPTH + 5)}${"}\n".repeat(MAX_DEPTH + 5)}`;
    expect(parseHcl(deepBlocks).problems[0]!.message).toMatch(/nesting deeper than/);
  });
});
