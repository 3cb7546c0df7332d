/**
 * Bounded evaluation (issue 11 item 3): each attack of the issue, built here in a few hundred bytes, ends in
 * one located error diagnostic (or, for what Azure allows, a value), never a hang, an out-of-memory or an
 * exception. Nothing here is timed: the limits bound the runtime, and vitest's timeout is only the backstop.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TemplateEvaluator } from "../../src/ingest/arm/evaluator.js";
import type { Json } from "../../src/ingest/arm/expression/values.js";
import { AZURE_LIMITS, BUDGET_LIMITS } from "../../src/ingest/arm/limits.js";
import { evaluateTemplate } from "../../src/ingest/arm/resources.js";
import { defaultScope } from "../../src/ingest/arm/scope.js";
import { loadDocuments, toDocument } from "../../src/ingest/load.js";
import { collectingSink, evaluate, expr, SCHEMA } from "./harness.js";

/** The error diagnostics of `diagnostics`; each must carry a site (the ingester makes it file:line:col). */
function errors(diagnostics: { severity: string; code: string; message: string; site: unknown }[]) {
  const found = diagnostics.filter((d) => d.severity === "error");
  for (const d of found) expect(d.site, `${d.code} is located`).toBeDefined();
  return found;
}

/** `n` user functions f.f0 … f.f(n-1), each calling the one before twice: 2^n calls if followed naively. */
function doublingFunctions(n: number): Json[] {
  const members: Json = {};
  for (let i = 0; i < n; i++) {
    const body =
      i === 0
        ? "[concat(parameters('p'), 'x')]"
        : `[concat(f.f${i - 1}(parameters('p')), f.f${i - 1}(parameters('p')))]`;
    members[`f${i}`] = { parameters: [{ name: "p", type: "string" }], output: { type: "string", value: body } };
  }
  return [{ namespace: "f", members }];
}

describe("the attacks of issue 11", () => {
  it("nested map/range (10^9 lambda calls) stops at the lambda-call budget with one diagnostic", () => {
    const text =
      "[map(range(0, 1000), lambda('a', map(range(0, 1000), lambda('b', map(range(0, 1000), lambda('c', lambdaVariables('c')))))))]";
    const { diagnostics } = expr(text);
    const found = errors(diagnostics);
    expect(found).toHaveLength(1);
    expect(found[0]!.code).toBe("arm/limit");
    expect(found[0]!.message).toContain("250,000 lambda calls");
    // The diagnostic names the expression that crossed the limit.
    expect(found[0]!.message).toContain("[map(range(0, 1000)");
  });

  it("user functions calling user functions are refused as ARM refuses them (39 levels, no hang)", () => {
    const { diagnostics } = evaluate({
      functions: doublingFunctions(39),
      outputs: { o: { type: "string", value: "[f.f38('a')]" } },
    });
    const found = errors(diagnostics);
    expect(found).toHaveLength(1);
    expect(found[0]!.code).toBe("arm/user-function-call");
    expect(found[0]!.message).toMatch(/f\.f38\(\) calls f\.f37\(\)/);
  });

  it("in a languageVersion 2.0 template (Bicep's output) a function may call another", () => {
    // As Bicep compiles `func fooTest() array => map(barTest(), a => 'Hello ${a}!')` (Azure/bicep baseline Functions_LF).
    const functions = [
      {
        namespace: "__bicep",
        members: {
          barTest: { parameters: [], output: { type: "array", value: ["abc", "def"] } },
          fooTest: {
            parameters: [],
            output: {
              type: "array",
              value: "[map(__bicep.barTest(), lambda('a', format('Hello {0}!', lambdaVariables('a'))))]",
            },
          },
        },
      },
    ];
    const { value, diagnostics } = expr("[__bicep.fooTest()]", { languageVersion: "2.0", functions });
    expect(diagnostics).toEqual([]);
    expect(value).toEqual(["Hello abc!", "Hello def!"]);
  });

  it("there, the exponential chain stops at the step budget with one diagnostic", () => {
    const sink = collectingSink();
    const template = {
      $schema: SCHEMA,
      contentVersion: "1.0.0.0",
      languageVersion: "2.0",
      functions: doublingFunctions(39),
      resources: {},
      outputs: { o: { type: "string", value: "[f.f38('a')]" } },
    };
    // A smaller step budget than the default, so that the test is quick; the rule is the same.
    evaluateTemplate(template, defaultScope("t.json"), sink, [], { budget: { copies: 800, steps: 50_000 } });
    const found = errors(sink.items);
    expect(found).toHaveLength(1);
    expect(found[0]!.code).toBe("arm/limit");
    expect(found[0]!.message).toContain("evaluation steps");
  });

  it.each([
    ["[format('{0,999999999}', 'a')]", /alignment 999999999 .*\(at most 999999\)/],
    ["[format('{0,-999999999}', 'a')]", /alignment -999999999/],
    ["[format('{0:D999999999}', 1)]", /precision 999999999/],
    ["[format('{0:F999}', 1.5)]", /precision 999/],
    ["[format('{0:N999}', 1.5)]", /precision 999/],
  ])("%s is one error, not an exception", (text, problem) => {
    const found = errors(expr(text).diagnostics);
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toMatch(problem);
  });

  it("format() within the bounds still pads as .NET does", () => {
    expect(expr("[format('{0,5}|{1,-3}|{2:D4}', 'a', 'b', 7)]").value).toBe("    a|b  |0007");
  });

  it("json() of text nested 15,000 deep is refused at the depth of a file's JSON", () => {
    const deep = "concat(replace(padLeft('', 15000, 'x'), 'x', '['), replace(padLeft('', 15000, 'x'), 'x', ']'))";
    const found = errors(expr(`[string(json(${deep}))]`).diagnostics);
    expect(found).toHaveLength(1);
    expect(found[0]!.code).toBe("arm/limit");
    expect(found[0]!.message).toMatch(/json\(\): the JSON nests deeper than 1000 levels/);
  });

  it("a value built deeper than 1,000 levels (reduce wrapping its accumulator) is refused, not a stack overflow", () => {
    const text =
      "[string(reduce(range(0, 5000), createArray(), lambda('acc', 'x', createArray(lambdaVariables('acc')))))]";
    const found = errors(expr(text).diagnostics);
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toMatch(/nests deeper than 1000 levels/);
  });

  it("max() and concat() over more numbers than a call takes arguments (160,001) answer", () => {
    // 160,001 ones, built from a few dozen bytes: a spread into Math.max threw RangeError here.
    const ones = "json(concat('[', replace(format('{0,160000}', ''), ' ', '1,'), '1]'))";
    expect(expr(`[max(${ones})]`)).toEqual({ value: 1, diagnostics: [] });
    expect(expr(`[min(${ones})]`)).toEqual({ value: 1, diagnostics: [] });
    const found = errors(expr(`[length(concat(${ones}))]`).diagnostics);
    expect(found.map((d) => d.message)).toEqual([expect.stringMatching(/more than 100000 items/)]);
  });

  it("union() of large arrays is linear (100,000 items, 90,000 distinct)", () => {
    const ranges = Array.from({ length: 9 }, (_, i) => `range(${i * 10_000}, 10000)`);
    const text = `[length(union(${ranges.join(", ")}, ${ranges[0]}))]`;
    expect(expr(text)).toEqual({ value: 90_000, diagnostics: [] });
  });
});

describe("Azure's template limits are refusals, said once, and the evaluation goes on", () => {
  it("more than 800 resources (copies counted)", () => {
    const vnet = (name: string, count: number) => ({
      type: "Microsoft.Network/virtualNetworks",
      apiVersion: "2023-05-01",
      name: `[concat('${name}', copyIndex())]`,
      copy: { name, count },
      properties: {},
    });
    const { resources, diagnostics } = evaluate({ resources: [vnet("a", 400), vnet("b", 401)] });
    const found = errors(diagnostics);
    expect(found).toHaveLength(1);
    expect(found[0]!.code).toBe("arm/template-limit");
    expect(found[0]!.message).toMatch(/more than 800 resources .* at most 800/);
    expect(resources).toHaveLength(801);
  });

  it.each([
    ["parameters", AZURE_LIMITS.parameters],
    ["variables", AZURE_LIMITS.variables],
    ["outputs", AZURE_LIMITS.outputs],
  ])("more than the %s Azure allows (%i)", (section, limit) => {
    const entries: Json = {};
    for (let i = 0; i <= limit; i++)
      entries[`n${i}`] =
        section === "variables" ? i : { type: "int", ...(section === "outputs" ? { value: i } : { defaultValue: i }) };
    const found = errors(evaluate({ [section]: entries }).diagnostics);
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toBe(
      `the template has ${limit + 1} ${section}; Azure allows at most ${limit} in one template`,
    );
  });

  it("an expression longer than 24,576 characters", () => {
    const text = `[concat('${"x".repeat(AZURE_LIMITS.expressionLength)}')]`;
    const found = errors(expr(text).diagnostics);
    expect(found).toHaveLength(1);
    expect(found[0]!.code).toBe("arm/template-limit");
    expect(found[0]!.message).toMatch(/24,588 characters long; Azure allows at most 24,576/);
  });
});

describe("the limits through the whole pipeline", () => {
  it("a template past the budget loads with one error, located, and the other templates load whole", () => {
    const bomb = {
      $schema: SCHEMA,
      contentVersion: "1.0.0.0",
      variables: {
        x: "[map(range(0, 1000), lambda('a', map(range(0, 1000), lambda('b', string(lambdaVariables('b'))))))]",
      },
      resources: [
        {
          type: "Microsoft.Network/virtualNetworks",
          apiVersion: "2023-05-01",
          name: "[string(length(variables('x')))]",
          properties: {},
        },
      ],
    };
    const fine = {
      $schema: SCHEMA,
      contentVersion: "1.0.0.0",
      resources: [
        { type: "Microsoft.Network/virtualNetworks", apiVersion: "2023-05-01", name: "vnet-ok", properties: {} },
      ],
    };
    const { model } = loadDocuments([
      toDocument("bomb.json", JSON.stringify(bomb, null, 1)),
      toDocument("fine.json", JSON.stringify(fine, null, 1)),
    ]);
    const limit = model.diagnostics.filter((d) => d.code === "arm/limit");
    expect(limit).toHaveLength(1);
    expect([limit[0]!.src?.file, limit[0]!.src?.line]).toEqual(["bomb.json", 5]);
    expect(model.virtualNetworks.map((v) => v.name)).toContain("vnet-ok");
  });

  it("the Bicep evaluator, which calls the same functions, meets the same bounds", () => {
    const vnet = (symbol: string, name: string) =>
      `resource ${symbol} 'Microsoft.Network/virtualNetworks@2023-05-01' = {\n  name: ${name}\n  properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] } }\n}`;
    const bicep = [
      "var deep = json(concat(replace(padLeft('', 15000, 'x'), 'x', '['), replace(padLeft('', 15000, 'x'), 'x', ']')))",
      vnet("a", "concat('a-', string(deep))"),
      vnet("b", "concat('b-', format('{0,999999999}', 'a'))"),
      vnet("c", "concat('c-', string(max(json(concat('[', replace(format('{0,160000}', ''), ' ', '1,'), '1]')))))"),
    ].join("\n");
    const { model } = loadDocuments([toDocument("main.bicep", bicep)]);
    const found = model.diagnostics.filter((d) => d.severity === "error");
    expect(found.map((d) => [d.src?.line, d.message])).toEqual([
      [1, expect.stringMatching(/json\(\): the JSON nests deeper than 1000 levels/)],
      [7, expect.stringMatching(/alignment 999999999/)],
    ]);
    expect(model.virtualNetworks.map((v) => v.name)).toContain("c-1");
  });

  it("a RangeError that escapes every bound is still one located diagnostic, not an internal error", () => {
    const sink = collectingSink();
    const ev = new TemplateEvaluator({}, defaultScope("t.json"), sink, { copies: 800 }, []);
    const site = { node: {}, key: "name" };
    const value = ev.guard(
      () => {
        throw new RangeError("Invalid string length");
      },
      site,
      "fallback",
      "[concat('x')]",
    );
    expect(value).toBe("fallback");
    expect(sink.items).toEqual([
      {
        severity: "error",
        code: "arm/limit",
        message: "[concat('x')]: the evaluation exceeds what this reader can hold (Invalid string length)",
        site,
      },
    ]);
  });

  it("docs/limits.md states every limit the code uses", () => {
    const docs = readFileSync("docs/limits.md", "utf8");
    const values = [...Object.values(BUDGET_LIMITS), ...Object.values(AZURE_LIMITS)].filter(
      (v) => v !== AZURE_LIMITS.templateBytes,
    );
    for (const v of values) expect(docs, `docs/limits.md gives ${v}`).toContain(v.toLocaleString("en-US"));
    expect(docs).toContain("4 MB");
  });
});
