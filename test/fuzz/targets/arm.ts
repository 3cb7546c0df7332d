/**
 * Fuzz targets for the ARM expression parser and evaluator (src/ingest/arm/expression, functions/): noise
 * and mutated expressions through parseExpression (never throws; what it reads prints back to the same
 * tree), and expressions built from the real function table evaluated inside a template through
 * loadDocuments, in variables, a copy loop, a condition, names, prefixes and an NSG rule. Only InputError
 * may escape; every other problem must become a diagnostic.
 */
import fc from "fast-check";
import { type Expr, isExpression, parseExpression, printExpression } from "../../../src/ingest/arm/expression/parse.js";
import { functionNames } from "../../../src/ingest/arm/functions/index.js";
import { loadDocuments, toDocument } from "../../../src/ingest/load.js";
import { InputError } from "../../../src/model/diagnostics.js";
import { allowOnly, mutated, syntaxNoise } from "./mutate.js";

const NAMES = [...functionNames(), "notAFunction", "ns.fn", "listKeys", "reference", "copyIndex"];

const literal = fc.oneof(
  fc.string({ maxLength: 12 }).map((s) => `'${s.replace(/'/g, "''")}'`),
  fc.constantFrom("'10.0.0.0/16'", "'10.0.1.0/24'", "'*'", "'Inbound'", "'ApiManagement'", "'a,b'", "''"),
  fc.integer({ min: -5, max: 1000 }).map(String),
  fc.constantFrom("2147483648", "99999999999999999999", "-0", "true", "false", "null", "100000", "800"),
);

const reference = fc.constantFrom(
  "parameters('p')",
  "parameters('o')",
  "parameters('a')",
  "parameters('n')",
  "parameters('u')",
  "parameters('missing')",
  "variables('v')",
  "variables('w')",
  "variables('missing')",
  "copyIndex()",
  "resourceGroup().location",
  "deployment().name",
  "subscription().subscriptionId",
  "reference('vnet').addressSpace",
);

/** Expression texts (without the brackets) from the real function table. */
const expression: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    literal,
    reference,
    fc
      .tuple(fc.constantFrom(...NAMES), fc.array(tie("expr"), { maxLength: 4 }))
      .map(([name, args]) => `${name}(${args.join(", ")})`),
    fc
      .tuple(tie("expr"), fc.constantFrom(".properties", ".name", "?.x", ".length", "[0]", "[1]", "?[5]", "['k']"))
      .map(([target, access]) => `${target}${access}`),
  ),
})).expr;

function stripOffsets(expr: Expr): unknown {
  return JSON.parse(JSON.stringify(expr, (key, value) => (key === "offset" ? undefined : value)));
}

/** True when the tree holds a number that prints in exponent form (1e+21), which the grammar has no form for. */
function hasExponent(expr: Expr): boolean {
  return JSON.stringify(expr, (_key, value) =>
    typeof value === "number" && /e/i.test(String(value)) ? "EXP" : value,
  ).includes('"EXP"');
}

/**
 * parseExpression (called on texts that are expressions, `[…]`) never throws; what it reads prints back to
 * text that parses to the same tree.
 */
function checkParse(text: string): void {
  if (!isExpression(text)) return;
  const parsed = parseExpression(text);
  if (!parsed.ok) {
    if (!(parsed.offset >= 0 && parsed.offset <= text.length)) throw new Error(`error offset ${parsed.offset} outside`);
    return;
  }
  if (hasExponent(parsed.expr)) return;
  const again = parseExpression(`[${printExpression(parsed.expr)}]`);
  if (!again.ok) throw new Error(`printed expression does not parse: ${again.message}`);
  if (JSON.stringify(stripOffsets(again.expr)) !== JSON.stringify(stripOffsets(parsed.expr))) {
    throw new Error("printing and parsing again changes the expression");
  }
}

const SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

/** A template with the expressions in the places the evaluator treats differently. */
function template(exprs: string[]): string {
  const e = (i: number) => `[${exprs[i % exprs.length]}]`;
  return JSON.stringify({
    $schema: SCHEMA,
    contentVersion: "1.0.0.0",
    parameters: {
      p: { type: "string", defaultValue: "10.0.0.0/16" },
      o: { type: "object", defaultValue: { k: [1, 2], name: "x", properties: { a: null } } },
      a: { type: "array", defaultValue: ["10.0.1.0/24", 3, { x: 1 }] },
      n: { type: "int", defaultValue: 3 },
      u: { type: "string" },
    },
    variables: {
      v: e(0),
      w: e(1),
      copy: [{ name: "c", count: e(2), input: e(3) }],
    },
    resources: [
      {
        type: "Microsoft.Network/virtualNetworks",
        apiVersion: "2023-05-01",
        name: "vnet",
        location: "westeurope",
        condition: e(4),
        properties: {
          addressSpace: { addressPrefixes: [e(5)] },
          subnets: [{ name: e(6), properties: { addressPrefix: e(7) } }],
        },
      },
      {
        type: "Microsoft.Network/networkSecurityGroups",
        apiVersion: "2023-05-01",
        name: e(8),
        location: "westeurope",
        copy: { name: "rules", count: 2 },
        properties: {
          securityRules: [
            {
              name: "r",
              properties: {
                priority: e(9),
                direction: "Inbound",
                access: "Allow",
                protocol: "Tcp",
                sourceAddressPrefix: e(10),
                sourcePortRange: "*",
                destinationAddressPrefix: "*",
                destinationPortRange: e(11),
              },
            },
          ],
        },
      },
    ],
  });
}

function checkTemplate(text: string): void {
  try {
    loadDocuments([toDocument("fuzz.json", text)]);
  } catch (error) {
    allowOnly(error, InputError);
  }
}

export const targets = {
  "expression noise": { arbitrary: syntaxNoise.map((s) => `[${s}]`), check: checkParse },
  "generated expressions parse": { arbitrary: expression.map((s) => `[${s}]`), check: checkParse },
  "mutated expressions parse": {
    arbitrary: mutated(
      expression.map((s) => `[${s}]`),
      3,
    ),
    check: checkParse,
  },
  "expressions evaluated in a template": {
    arbitrary: fc.array(expression, { minLength: 1, maxLength: 12 }).map(template),
    check: checkTemplate,
  },
  "mutated expressions evaluated in a template": {
    arbitrary: fc.array(mutated(expression, 2), { minLength: 1, maxLength: 12 }).map(template),
    check: checkTemplate,
  },
};
