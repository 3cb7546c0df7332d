/**
 * Property: a random expression over the shared function library, printed as Bicep and as its ARM `[...]`
 * equivalent (the form Bicep compiles it to: `a + b` is `add(a, b)`, `c ? a : b` is `if(c, a, b)`,
 * `'x${a}'` is `format('x{0}', a)`, a lambda is `lambda('x', …)`), evaluates to the same value in both
 * evaluators — Unknown values included (a parameter with no value) — or is refused by both. The one documented
 * difference: Bicep's `&&`, `||` and `??` decide on a known operand without evaluating the other, so where ARM
 * refuses the other operand Bicep may still give a value.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluateVar } from "../../../test/helpers/bicep.js";
import { TemplateEvaluator } from "../arm/evaluator.js";
import { defaultScope } from "../arm/scope.js";
import { parseBicep } from "./parser.js";

/** An expression in both languages. */
interface Both {
  bicep: string;
  arm: string;
  lazy: boolean;
}

const both = (bicep: string, arm: string, ...parts: Both[]): Both => ({ bicep, arm, lazy: parts.some((p) => p.lazy) });
const lazy = (e: Both): Both => ({ ...e, lazy: true });

const TEXT = fc.string({ unit: fc.constantFrom("a", "B", "-", "'", "{", "}", "$", " ", "/", "0"), maxLength: 5 });
const bicepString = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\$/g, "\\$")}'`;
const armString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const strLit = TEXT.map((s) => both(bicepString(s), armString(s)));
const intLit = fc.nat({ max: 20 }).map((n) => both(String(n), String(n)));
const boolLit = fc.boolean().map((b) => both(String(b), `${b}()`));
const unknownStr = fc.constant(both("p", "parameters('p')"));
const unknownInt = fc.constant(both("n", "parameters('n')"));

const call = (name: string, ...args: Both[]) =>
  both(`${name}(${args.map((a) => a.bicep).join(", ")})`, `${name}(${args.map((a) => a.arm).join(", ")})`, ...args);
const op = (symbol: string, fn: string, a: Both, b: Both) =>
  both(`(${a.bicep} ${symbol} ${b.bicep})`, `${fn}(${a.arm}, ${b.arm})`, a, b);

const { str, int, bool, arr } = fc.letrec<{ str: Both; int: Both; bool: Both; arr: Both }>((tie) => ({
  str: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    strLit,
    unknownStr,
    tie("str").map((a) => call("toLower", a)),
    tie("str").map((a) => call("toUpper", a)),
    fc.tuple(tie("str"), tie("str")).map(([a, b]) => call("concat", a, b)),
    fc.tuple(tie("str"), tie("str"), tie("str")).map(([a, b, c]) => call("replace", a, b, c)),
    tie("int").map((a) => call("string", a)),
    fc.tuple(tie("arr"), strLit).map(([a, b]) => call("join", a, b)),
    tie("str").map((a) => call("uniqueString", a)),
    tie("str").map((a) => call("base64", a)),
    tie("str").map((a) => call("trim", a)),
    fc
      .tuple(tie("str"), fc.nat({ max: 8 }))
      .map(([a, n]) => call("padLeft", a, both(String(n), String(n)), both("'x'", "'x'"))),
    fc.tuple(tie("int"), tie("int")).map(([a, b]) => call("substring", both("'abcdefghij'", "'abcdefghij'"), a, b)),
    fc
      .nat({ max: 40 })
      .map((n) =>
        call("cidrSubnet", both("'10.0.0.0/16'", "'10.0.0.0/16'"), both("24", "24"), both(String(n), String(n))),
      ),
    tie("str").map((a) =>
      call("resourceId", both("'Microsoft.Network/virtualNetworks'", "'Microsoft.Network/virtualNetworks'"), a),
    ),
    fc
      .tuple(TEXT, fc.oneof(tie("str"), tie("int"), tie("bool")), TEXT)
      .map(([a, x, b]) =>
        both(
          `'${bicepString(a).slice(1, -1)}\${${x.bicep}}${bicepString(b).slice(1, -1)}'`,
          `format(${armString(`${a.replace(/[{}]/g, "$&$&")}{0}${b.replace(/[{}]/g, "$&$&")}`)}, ${x.arm})`,
          x,
        ),
      ),
    fc
      .tuple(tie("bool"), tie("str"), tie("str"))
      .map(([c, a, b]) => both(`(${c.bicep} ? ${a.bicep} : ${b.bicep})`, `if(${c.arm}, ${a.arm}, ${b.arm})`, c, a, b)),
    fc
      .tuple(tie("str"), tie("str"))
      .map(([a, b]) => lazy(both(`(${a.bicep} ?? ${b.bicep})`, `coalesce(${a.arm}, ${b.arm})`, a, b))),
    fc.tuple(tie("str"), strLit).map(([a, b]) => call("last", call("split", a, b))),
  ),
  int: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    intLit,
    unknownInt,
    tie("str").map((a) => call("length", a)),
    tie("arr").map((a) => call("length", a)),
    fc.tuple(tie("int"), tie("int")).map(([a, b]) => op("+", "add", a, b)),
    fc.tuple(tie("int"), tie("int")).map(([a, b]) => op("-", "sub", a, b)),
    fc.tuple(tie("int"), tie("int")).map(([a, b]) => op("*", "mul", a, b)),
    fc.tuple(tie("int"), tie("int")).map(([a, b]) => op("/", "div", a, b)),
    fc.tuple(tie("int"), tie("int")).map(([a, b]) => op("%", "mod", a, b)),
    fc.tuple(tie("int"), tie("int")).map(([a, b]) => call("min", a, b)),
    fc.tuple(tie("int"), tie("int")).map(([a, b]) => call("max", a, b)),
    fc.tuple(tie("str"), tie("str")).map(([a, b]) => call("indexOf", a, b)),
    tie("int").map((a) => call("int", call("string", a))),
  ),
  bool: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    boolLit,
    fc.tuple(tie("str"), tie("str")).map(([a, b]) => op("==", "equals", a, b)),
    fc.tuple(tie("arr"), tie("arr")).map(([a, b]) => op("==", "equals", a, b)),
    fc
      .tuple(tie("int"), tie("int"))
      .map(([a, b]) => both(`(${a.bicep} != ${b.bicep})`, `not(equals(${a.arm}, ${b.arm}))`, a, b)),
    fc.tuple(tie("int"), tie("int")).map(([a, b]) => op("<", "less", a, b)),
    fc.tuple(tie("str"), tie("str")).map(([a, b]) => op(">=", "greaterOrEquals", a, b)),
    tie("bool").map((a) => both(`!(${a.bicep})`, `not(${a.arm})`, a)),
    fc.tuple(tie("bool"), tie("bool")).map(([a, b]) => lazy(op("&&", "and", a, b))),
    fc.tuple(tie("bool"), tie("bool")).map(([a, b]) => lazy(op("||", "or", a, b))),
    fc.tuple(tie("str"), tie("str")).map(([a, b]) => call("contains", a, b)),
    fc.tuple(tie("arr"), tie("int")).map(([a, b]) => call("contains", a, b)),
    tie("arr").map((a) => call("empty", a)),
    fc.tuple(tie("str"), tie("str")).map(([a, b]) => call("startsWith", a, b)),
  ),
  arr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc
      .array(fc.oneof(intLit, strLit), { maxLength: 4 })
      .map((items) =>
        both(`[${items.map((i) => i.bicep).join(", ")}]`, `createArray(${items.map((i) => i.arm).join(", ")})`),
      ),
    fc
      .tuple(fc.nat({ max: 5 }), fc.nat({ max: 6 }))
      .map(([a, b]) => call("range", both(String(a), String(a)), both(String(b), String(b)))),
    fc.tuple(tie("arr"), tie("arr")).map(([a, b]) => call("concat", a, b)),
    fc.tuple(tie("arr"), tie("int")).map(([a, b]) => call("take", a, b)),
    fc.tuple(tie("arr"), tie("int")).map(([a, b]) => call("skip", a, b)),
    fc.tuple(tie("arr"), tie("arr")).map(([a, b]) => call("union", a, b)),
    fc.tuple(tie("str"), strLit).map(([a, b]) => call("split", a, b)),
    tie("arr").map((a) =>
      both(`map(${a.bicep}, x => string(x))`, `map(${a.arm}, lambda('x', string(lambdaVariables('x'))))`, a),
    ),
    fc
      .tuple(tie("arr"), intLit)
      .map(([a, v]) =>
        both(
          `filter(${a.bicep}, x => x != ${v.bicep})`,
          `filter(${a.arm}, lambda('x', not(equals(lambdaVariables('x'), ${v.arm}))))`,
          a,
        ),
      ),
    tie("arr").map((a) =>
      both(
        `sort(${a.bicep}, (x, y) => string(x) < string(y))`,
        `sort(${a.arm}, lambda('x', 'y', less(string(lambdaVariables('x')), string(lambdaVariables('y')))))`,
        a,
      ),
    ),
  ),
}));

const PARAMS = "param p string\nparam n int\n";

function viaBicep(expr: string): { value?: unknown; error?: string; syntax?: boolean } {
  // Bicep refuses array and object literals inside `${…}` (a syntax error): such cases are not compared.
  if (parseBicep(`var x = ${expr}\n`, "x.bicep").diagnostics.length > 0) return { syntax: true };
  const { value, reports } = evaluateVar(`${PARAMS}var x = ${expr}\n`);
  const error = reports.find((r) => r.severity === "error");
  return error ? { error: error.message } : { value };
}

function viaArm(expr: string): { value?: unknown; error?: string } {
  const errors: string[] = [];
  const template = {
    $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    contentVersion: "1.0.0.0",
    parameters: { p: { type: "string" }, n: { type: "int" } },
    variables: { x: `[${expr}]` },
    resources: [],
  };
  const sink = { report: (s: string, _c: string, m: string) => void (s === "error" && errors.push(m)), alias() {} };
  const ev = new TemplateEvaluator(template, defaultScope("t.json"), sink, { copies: 10_000 }, []);
  const value = ev.variable("x");
  return errors.length > 0 ? { error: errors[0] } : { value };
}

describe("Bicep expressions evaluate as their ARM equivalents", () => {
  for (const [name, arbitrary] of Object.entries({ string: str, int, bool, array: arr })) {
    it(`${name} expressions`, () => {
      fc.assert(
        fc.property(arbitrary, (e) => {
          const b = viaBicep(e.bicep);
          fc.pre(!b.syntax);
          const a = viaArm(e.arm);
          const shown = `\nBicep: ${e.bicep}\nARM:   [${e.arm}]\n`;
          if (a.error !== undefined) {
            if (b.error === undefined) expect(e.lazy, `ARM refuses (${a.error}) what Bicep gives${shown}`).toBe(true);
            return;
          }
          expect(b.error, `Bicep refuses (${b.error}) what ARM gives${shown}`).toBeUndefined();
          expect(b.value, shown).toEqual(a.value);
        }),
        { numRuns: 400 },
      );
    });
  }
});
