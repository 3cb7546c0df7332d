// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Bicep source, whose interpolation is ${…}
/**
 * The Bicep expression evaluator: literals, interpolation, operators as the ARM functions they compile to,
 * Unknown values (comparisons Unknown, placeholders kept inside built strings), safe access, spreads, loops with
 * index and filter, lambdas over the ARM library, user-defined functions, imports, the `az`/`sys` namespaces
 * and the `load*()` file functions; and what is refused (an error at the expression) or not evaluated offline
 * (a warning).
 */
import { describe, expect, it } from "vitest";
import { evaluateVar } from "../../../test/helpers/bicep.js";
import { isUnknown, unknownReason } from "../../model/unknown.js";

const value = (expr: string, extra = "") => evaluateVar(`${extra}\nvar x = ${expr}\n`).value;
const reported = (expr: string, extra = "") =>
  evaluateVar(`${extra}\nvar x = ${expr}\n`).reports.map((r) => `${r.severity} ${r.code}`);

describe("expressions extraction", () => {
  it("literals, arrays, objects, multi-line strings and interpolation", () => {
    expect(value("[1, 'a', true, null, { k: 'v' }]")).toEqual([1, "a", true, null, { k: "v" }]);
    expect(value("'''\nline\n'''")).toBe("line\n");
    expect(value("'a${1 + 2}b${true}'")).toBe("a3bTrue");
    expect(value("'${a}-${o}-${null}'", "var a = [1]\nvar o = { a: 1 }")).toBe('[1]-{"a":1}-');
    expect(value("{ 'quoted key': 1, '${'dyn'}amic': 2 }")).toEqual({ "quoted key": 1, dynamic: 2 });
  });

  it("operators compile to ARM functions: integer division truncates, == is deep, =~ ignores case", () => {
    expect(value("[7 / 2, -7 / 2, 7 % 3, 2 * 3 - 1, -(4)]")).toEqual([3, -3, 1, 5, -4]);
    expect(value("[{ a: [1] } == { a: [1] }, 'A' == 'a', 'A' =~ 'a', 'A' !~ 'b', 1 != 2]")).toEqual([
      true,
      false,
      true,
      true,
      true,
    ]);
    expect(value("[1 < 2, 'b' >= 'a', !true, true && false, false || true]")).toEqual([true, true, false, false, true]);
    expect(value("[null ?? 'd', 'v' ?? 'd', true ? 1 : 2, false ? 1 : 2]")).toEqual(["d", "v", 1, 2]);
  });

  it("&& and || decide on a known operand without reading the other", () => {
    expect(value("false && p.missing == 'x'", "param p object = {}")).toBe(false);
    expect(value("true || p.missing == 'x'", "param p object = {}")).toBe(true);
  });

  it("member and index access: case-insensitive names, .? and [?i] give null, [^i] counts from the end, ! passes through", () => {
    expect(value("o.KEY", "var o = { key: 1 }")).toBe(1);
    expect(value("[o.?nope, o[?'nope'], a[?5], a[^1], a[0]!]", "var o = { key: 1 }\nvar a = [1, 2, 3]")).toEqual([
      null,
      null,
      null,
      3,
      1,
    ]);
  });

  it("spreads: objects merge with later members winning, arrays concatenate", () => {
    expect(value("{ a: 1, ...o, c: 3 }", "var o = { a: 0, b: 2 }")).toEqual({ a: 0, b: 2, c: 3 });
    expect(value("[0, ...a, ...[]]", "var a = [1, 2]")).toEqual([0, 1, 2]);
    expect(value("{ ...null, a: 1 }")).toEqual({ a: 1 });
  });

  it("loops: item and index, filters, nested", () => {
    expect(value("[for (s, i) in ['a', 'b']: '${s}${i}']")).toEqual(["a0", "b1"]);
    expect(value("[for n in range(0, 5): if (n % 2 == 0) { n: n }]")).toEqual([{ n: 0 }, { n: 2 }, { n: 4 }]);
    expect(value("[for i in range(0, 2): [for j in range(0, 2): i * 2 + j]]")).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });

  it("lambdas through the ARM library: map, filter, reduce, sort, toObject, groupBy", () => {
    expect(value("map(range(1, 3), n => n * 10)")).toEqual([10, 20, 30]);
    expect(value("map(['a', 'b'], (s, i) => '${i}${s}')")).toEqual(["0a", "1b"]);
    expect(value("filter(range(0, 6), n => n > 3)")).toEqual([4, 5]);
    expect(value("reduce([{ a: 1 }, { b: 2 }], {}, (cur, next) => union(cur, next))")).toEqual({ a: 1, b: 2 });
    expect(value("sort([3, 1, 2], (a, b) => a < b)")).toEqual([1, 2, 3]);
    expect(value("toObject([{ k: 'x', v: 1 }], e => e.k, e => e.v)")).toEqual({ x: 1 });
    expect(value("groupBy(['ab', 'ac', 'b'], s => substring(s, 0, 1))")).toEqual({ a: ["ab", "ac"], b: ["b"] });
  });

  it("the shared function library: concat, format, contains, cidrSubnet, resourceId, uniqueString, az. and sys.", () => {
    expect(value("concat([1], [2])")).toEqual([1, 2]);
    expect(value("format('{0}-{1}', 'a', 2)")).toBe("a-2");
    expect(value("contains(['a'], 'a')")).toBe(true);
    expect(value("cidrSubnet('10.0.0.0/16', 24, 3)")).toBe("10.0.3.0/24");
    expect(value("sys.toLower('AB')")).toBe("ab");
    expect(value("az.resourceId('Microsoft.Network/virtualNetworks', 'v')")).toBe(
      "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/resourceGroup/providers/Microsoft.Network/virtualNetworks/v",
    );
    expect(value("uniqueString('a')")).toMatch(/^[a-z0-9]{13}$/);
    expect(value("resourceGroup().name")).toBe("resourceGroup");
    expect(value("subscription().subscriptionId")).toBe("00000000-0000-0000-0000-000000000000");
    expect(value("any('x')")).toBe("x");
    expect(value("nameof(o.key)", "var o = { key: 1 }")).toBe("key");
  });

  it("user-defined functions, also calling each other", () => {
    const extra = "func double(n int) int => n * 2\nfunc quad(n int) int => double(double(n))";
    expect(value("quad(3)", extra)).toBe(12);
  });

  it("imports: exported variables and functions of a local file, named or through a namespace", () => {
    const files = {
      "shared.bicep":
        "@export()\nvar rule = { priority: 4096 }\n@export()\nfunc tag(s string) string => 'x-${s}'\n@export()\ntype t = string\n",
    };
    const run = (src: string) => evaluateVar(src, "x", files);
    expect(run("import { rule, tag, t } from './shared.bicep'\nvar x = [rule.priority, tag('a')]\n").value).toEqual([
      4096,
      "x-a",
    ]);
    expect(run("import * as s from './shared.bicep'\nvar x = [s.rule.priority, s.tag('b')]\n").value).toEqual([
      4096,
      "x-b",
    ]);
  });

  it("imports from a registry module restored by bicep restore: its compiled variables and functions", () => {
    const template = {
      $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      contentVersion: "1.0.0.0",
      functions: [
        {
          namespace: "__bicep",
          members: {
            twice: {
              parameters: [{ name: "s", type: "string" }],
              output: { type: "string", value: "[concat(parameters('s'), parameters('s'))]" },
            },
          },
        },
      ],
      variables: { denyAll: { priority: 4096, access: "Deny" } },
      resources: [],
    };
    const cache = { "br/mcr.microsoft.com/bicep$rules/1.0.0$/main.json": JSON.stringify(template) };
    const src = "import { denyAll, twice } from 'br/public:rules:1.0.0'\nvar x = [denyAll.priority, twice('ab')]\n";
    expect(evaluateVar(src, "x", {}, { cache }).value).toEqual([4096, "abab"]);
    const unread = evaluateVar(src, "x");
    expect(unread.reports.map((r) => r.code)).toEqual(["bicep/registry-module-not-cached"]);
    expect(isUnknown((unread.value as unknown[])[0])).toBe(true);
  });

  it("load*() read files relative to the .bicep file", () => {
    const files = { "rules.json": '{"rules":[{"name":"a"}]}', "p.xml": "<policies/>", "c.yaml": "a:\n  - 1\n" };
    const run = (expr: string) => evaluateVar(`var x = ${expr}\n`, "x", files).value;
    expect(run("loadJsonContent('rules.json').rules[0].name")).toBe("a");
    expect(run("loadJsonContent('./rules.json', '$.rules[0]')")).toEqual({ name: "a" });
    expect(run("loadTextContent('p.xml')")).toBe("<policies/>");
    expect(run("loadYamlContent('c.yaml')")).toEqual({ a: [1] });
    expect(run("loadFileAsBase64('p.xml')")).toBe(Buffer.from("<policies/>").toString("base64"));
  });
});

describe("expressions conversion (Unknown values)", () => {
  const unknown = (expr: string, extra = "param p string") => {
    const v = value(expr, extra);
    expect(isUnknown(v), `${expr} gives ${JSON.stringify(v)}`).toBe(true);
    return unknownReason(v as string);
  };

  it("comparisons, conditions and arithmetic with an Unknown are Unknown, never false", () => {
    expect(unknown("p == 'a'")).toBe("parameters('p')");
    expect(unknown("p != 'a'")).toBe("parameters('p')");
    expect(unknown("p =~ 'a'")).toBe("parameters('p')");
    expect(unknown("p == 'a' ? 1 : 2")).toBe("parameters('p')");
    expect(unknown("length(p) + 1")).toBe("parameters('p')");
    expect(value("false && p == 'a'", "param p string")).toBe(false);
    expect(unknown("true && p == 'a'")).toBe("parameters('p')");
  });

  it("built strings keep the placeholder, so names built from one Unknown still match", () => {
    const v = value("'vnet-${p}'", "param p string");
    expect(v).toBe("vnet-<unknown: parameters('p')>");
    // As ARM's equals: a comparison involving an Unknown is Unknown, even of equal placeholders.
    expect(isUnknown(value("'vnet-${p}' == 'vnet-${p}'", "param p string"))).toBe(true);
  });

  it("a value known only at deployment, a missing file, a function not evaluated offline: Unknown with a reason", () => {
    expect(unknown("newGuid()", "")).toBe("newGuid()");
    expect(unknown("loadTextContent('nope.xml')", "")).toBe("loadTextContent('nope.xml')");
    expect(unknown("[for x in p: x]", "param p array")).toBe("parameters('p')");
  });
});

describe("expressions warns", () => {
  it("refusals are errors at the expression: a missing property, a bad index, a wrong type, an undeclared name", () => {
    expect(reported("o.nope", "var o = {}")).toEqual(["error bicep/invalid-expression"]);
    expect(reported("[1][3]")).toEqual(["error bicep/invalid-expression"]);
    expect(reported("1 + 'a'")).toEqual(["error bicep/invalid-expression"]);
    expect(reported("nope")).toEqual(["error bicep/undeclared"]);
    expect(reported("equals(1, 1)")).toEqual(["error bicep/unknown-function"]);
  });

  it("what is not evaluated offline is a warning, and what a missing file would give", () => {
    expect(reported("newGuid()")).toEqual(["warning bicep/unsupported-function"]);
    expect(reported("loadTextContent('nope.xml')")).toEqual(["warning bicep/load-file-missing"]);
    expect(reported("[for x in p: x]", "param p array")).toEqual([
      "warning bicep/unknown-parameter",
      "warning bicep/unknown-loop",
    ]);
  });

  it("the error is placed at the innermost expression that raised it", () => {
    const { reports } = evaluateVar("var o = {}\nvar x = [\n  1\n  o.nope\n]\n");
    expect(reports.map((r) => [r.code, r.src.line, r.src.column])).toEqual([["bicep/invalid-expression", 4, 3]]);
  });

  it("variables that refer to each other, recursive functions and over-long loops are refused", () => {
    expect(evaluateVar("var x = y\nvar y = x\n").reports.map((r) => r.code)).toEqual(["bicep/circular-reference"]);
    expect(reported("f(1)", "func f(n int) int => f(n)")).toEqual(["error bicep/recursive-function"]);
    expect(reported("[for i in range(0, 801): i]")).toEqual(["error bicep/loop-count"]);
  });
});
