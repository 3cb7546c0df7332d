// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are HCL source, whose interpolation is ${…}
import { describe, expect, it } from "vitest";
import { isUnknown, unknownValue } from "../../../model/unknown.js";
import { parseHclExpression } from "../hcl/parser.js";
import { cidrhost, cidrnetmask, cidrsubnet, cidrsubnets } from "./cidr.js";
import { Evaluator, type Host, Namespace, RefusedError } from "./evaluator.js";
import { convert, readType } from "./types.js";
import { isSet, Unknown, unknown, type Value } from "./values.js";

/** `var.*` from `vars` (a missing one is Unknown, as a variable with no value is). */
function evaluator(vars: Record<string, Value> = {}): Evaluator {
  const host: Host = {
    root: (name) => (name === "var" ? new Namespace("var") : unknown(name)),
    member: (_ns, name) => (Object.hasOwn(vars, name) ? vars[name]! : unknown(`var.${name}`)),
    warn() {},
  };
  return new Evaluator(host, 0);
}

function run(text: string, vars: Record<string, Value> = {}): Value {
  const { expr, problems } = parseHclExpression(text);
  expect(problems).toEqual([]);
  return evaluator(vars).eval(expr!);
}

const plain = (v: Value) => JSON.parse(JSON.stringify(v, (_k, x) => (x instanceof Unknown ? `?${x.reason}` : x)));

describe("expressions conversion", () => {
  it("computes operators, conditionals, for expressions and splats as Terraform does", () => {
    expect(run("1 + 2 * 3")).toBe(7);
    expect(run('"10" + 1')).toBe(11);
    expect(run("5 % 3 == 2 && !false")).toBe(true);
    expect(run('var.x ? "a" : "b"', { x: false })).toBe("b");
    expect(plain(run("[for i, v in ['a','b'] : \"${i}-${v}\"]".replace(/'/g, '"')))).toEqual(["0-a", "1-b"]);
    expect(plain(run("{ for k, v in { b = 2, a = 1 } : upper(k) => v if v > 1 }"))).toEqual({ B: 2 });
    expect(plain(run('{ for v in ["x", "y", "x"] : v => v... }'))).toEqual({ x: ["x", "x"], y: ["y"] });
    expect(plain(run("[{ id = 1 }, { id = 2 }][*].id"))).toEqual([1, 2]);
    expect(run('"${1}${true}"')).toBe("1true");
    expect(run('"%{ for x in [1, 2] }${x},%{ endfor }"')).toBe("1,2,");
  });

  it("keeps a template of one interpolation as its value, unconverted", () => {
    expect(plain(run('"${[1, 2]}"'))).toEqual([1, 2]);
  });

  it("evaluates the functions networking code uses", () => {
    expect(run('cidrsubnet("10.0.0.0/16", 8, 2)')).toBe("10.0.2.0/24");
    expect(run('cidrhost("10.0.1.0/24", 4)')).toBe("10.0.1.4");
    expect(plain(run('cidrsubnets("10.0.0.0/16", 8, 8, 4)'))).toEqual(["10.0.0.0/24", "10.0.1.0/24", "10.0.16.0/20"]);
    expect(plain(run("merge({ a = 1 }, { b = 2 }, null)"))).toEqual({ a: 1, b: 2 });
    expect(run('lookup({ a = 1 }, "b", 3)')).toBe(3);
    expect(plain(run('concat(["a"], ["b"])'))).toEqual(["a", "b"]);
    expect(plain(run('flatten([["a"], [["b"]], []])'))).toEqual(["a", "b"]);
    expect(run('format("%s-%03d", "vm", 7)')).toBe("vm-007");
    expect(run('join(",", ["a", "b"])')).toBe("a,b");
    expect(plain(run('split(",", "a,b")'))).toEqual(["a", "b"]);
    expect(isSet(run('toset(["b", "a", "b"])'))).toBe(true);
    expect(plain(run('toset(["b", "a", "b"])'))).toEqual(["a", "b"]);
    expect(plain(run('tolist(toset(["a"]))'))).toEqual(["a"]);
    expect(plain(run('tomap({ a = "x" })'))).toEqual({ a: "x" });
    expect(run('try(var.o.missing, "fallback")', { o: {} as never })).toBe("fallback");
    expect(run("can(var.o.missing)", { o: {} as never })).toBe(false);
    expect(run('coalesce("", null, "x")')).toBe("x");
    expect(run("length({ a = 1, b = 2 })")).toBe(2);
    expect(plain(run("keys({ b = 1, a = 2 })"))).toEqual(["a", "b"]);
    expect(plain(run("values({ b = 1, a = 2 })"))).toEqual([2, 1]);
    expect(plain(run('zipmap(["a"], [1])'))).toEqual({ a: 1 });
    expect(run('contains(["a", "b"], "b")')).toBe(true);
    expect(run('replace("a-b-c", "-", "")')).toBe("abc");
    expect(run('replace("a1b22", "/[0-9]+/", "#")')).toBe("a#b#");
    expect(run('lower("ABC")') === "abc" && run('upper("abc")') === "ABC").toBe(true);
    expect(run("jsonencode({ b = [1, true], a = null })")).toBe('{"a":null,"b":[1,true]}');
    expect(plain(run('jsondecode("{\\"a\\": [1]}")'))).toEqual({ a: [1] });
    expect(run('basename("/subscriptions/s/resourceGroups/rg")')).toBe("rg");
    expect(plain(run("range(3)"))).toEqual([0, 1, 2]);
    expect(run('one(["x"])')).toBe("x");
  });

  it("keeps the placeholder of an unknown inside the strings built from it, so names still match", () => {
    const name = run('"${var.prefix}-vnet"');
    expect(name).toBe(`${unknownValue("var.prefix")}-vnet`);
    expect(run('lower("${var.prefix}-VNET")')).toBe(`${unknownValue("var.prefix")}-vnet`);
    expect(run('join("/", ["a", var.b])')).toBe(`a/${unknownValue("var.b")}`);
  });
});

describe("expressions warns", () => {
  it("answers Unknown, never false, for a comparison or a condition on an unknown", () => {
    expect(run("var.x == 1")).toBeInstanceOf(Unknown);
    expect(run('"${var.p}-a" == "b-a"')).toBeInstanceOf(Unknown);
    expect(run("var.flag ? 1 : 0")).toBeInstanceOf(Unknown);
    expect(run("var.flag ? 1 : 1")).toBe(1);
    expect(run("false && var.x")).toBe(false);
    expect(run("true || var.x")).toBe(true);
    expect(run("cidrsubnet(var.space, 4, 1)")).toBeInstanceOf(Unknown);
    expect(run("length(var.list)")).toBeInstanceOf(Unknown);
    expect(run('contains(["a", var.b], "c")')).toBeInstanceOf(Unknown);
    expect(isUnknown(run("jsonencode({ a = var.x })"))).toBe(true);
  });

  it("refuses what Terraform refuses, and try() catches it", () => {
    const ev = evaluator({ m: {} as never, l: [1] });
    for (const text of ["var.m.nope", "var.l[3]", '1 + "a"', "nosuch(1)", "1 / 0", 'cidrsubnet("10.0.0.0/30", 8, 0)']) {
      expect(() => ev.eval(parseHclExpression(text).expr!), text).toThrow(RefusedError);
    }
    expect(run('try(cidrsubnet("10.0.0.0/30", 8, 0), "none")')).toBe("none");
  });
});

describe("types conversion", () => {
  it("applies optional() defaults, drops attributes the type lacks and makes sets", () => {
    const type = readType(
      parseHclExpression(
        "map(object({ name = string, priority = optional(number, 100), ports = optional(set(string)) }))",
      ).expr!,
      [],
    );
    const value = run('{ a = { name = "x", extra = 1, ports = ["443", "443"] } }');
    const out = convert(value, type, evaluator());
    expect(out.ok && plain(out.value)).toEqual({ a: { name: "x", priority: 100, ports: ["443"] } });
    const missing = convert(run("{ a = {} }"), type, evaluator());
    expect(!missing.ok && missing.problem).toMatch(/"name" is required/);
  });
});

describe("cidr functions conversion", () => {
  it("handles IPv6 and negative host numbers, and refuses what does not fit", () => {
    expect(cidrsubnet("fd00::/48", 16, 1)).toBe("fd00:0:0:1::/64");
    expect(cidrhost("10.0.0.0/24", -2)).toBe("10.0.0.254");
    expect(cidrnetmask("10.0.0.0/20")).toBe("255.255.240.0");
    expect(cidrsubnets("10.0.0.0/24", [2, 2])).toEqual(["10.0.0.0/26", "10.0.0.64/26"]);
    expect(() => cidrsubnet("10.0.0.0/24", 2, 4)).toThrow(RangeError);
    expect(() => cidrhost("10.0.0.0/30", 4)).toThrow(RangeError);
  });
});
