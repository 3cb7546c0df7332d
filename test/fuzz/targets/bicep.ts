// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Bicep source, whose interpolation is ${…}
/**
 * Fuzz targets for the Bicep syntax front end (src/ingest/bicep): noise, mutated Bicep and generated trees
 * through parseBicep. The parser must never throw (nor report `bicep/internal`, its last-resort catch), every
 * diagnostic and node must be located inside the text, children inside their parents, and a generated tree
 * printed and parsed again must give the same tree (up to parentheses) without diagnostics.
 * The tree arbitraries are exported for the printer's property tests (src/ingest/bicep/print.test.ts).
 */
import fc from "fast-check";
import type {
  Decorator,
  Expr,
  Identifier,
  IfExpr,
  LiteralType,
  ObjectExpr,
  ObjectMember,
  Program,
  Range,
  ResourceDecl,
  Statement,
  StringExpr,
  TypeExpr,
} from "../../../src/ingest/bicep/ast.js";
import { parseBicep } from "../../../src/ingest/bicep/parser.js";
import { print } from "../../../src/ingest/bicep/print.js";
import { rangeProblems, treeShape } from "../../../src/ingest/bicep/walk.js";
import { mutated, SYNTAX_CHARS } from "./mutate.js";

const R: Range = { start: 0, end: 0, line: 0, col: 0, endLine: 0, endCol: 0 };

/** Names that are not keywords, namespaces or literals (those change how a name parses). */
const NAMES = ["a", "b", "foo", "bar_1", "_x", "location", "vnet", "subnets", "item", "i", "name", "x2"];
const name = fc.constantFrom(...NAMES);
const ident = name.map((n): Identifier => ({ kind: "Identifier", name: n, range: R }));

const TEXT_UNITS = [
  "a",
  "Z",
  " ",
  "'",
  "\\",
  "$",
  "{",
  "}",
  "\n",
  "\r",
  "\t",
  "é",
  "😀",
  "\u0000",
  "${",
  "''",
  "/*",
  "//",
];
const text = fc.string({ unit: fc.constantFrom(...TEXT_UNITS), maxLength: 8 });
const multilineText = text.filter((t) => !t.includes("'''"));

const simpleString = fc
  .tuple(text, fc.boolean(), multilineText)
  .map(([t, multiline, m]): StringExpr => ({ kind: "StringExpr", parts: [multiline ? m : t], multiline, range: R }));

const literal: fc.Arbitrary<Expr> = fc.oneof(
  fc.nat({ max: 2 ** 31 }).map((n): Expr => ({ kind: "IntExpr", value: n, text: String(n), range: R })),
  fc.boolean().map((value): Expr => ({ kind: "BoolExpr", value, range: R })),
  fc.constant<Expr>({ kind: "NullExpr", range: R }),
  name.map((n): Expr => ({ kind: "IdentExpr", name: n, range: R })),
  simpleString,
);

/** Expressions allowed inside `${…}`: no objects, arrays or loops (Bicep refuses them there). */
const holeExpr: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small" },
    literal,
    fc
      .tuple(tie("e"), ident, fc.boolean())
      .map(([object, n, safe]): Expr => ({ kind: "MemberExpr", object, name: n, safe, range: R })),
    fc
      .tuple(ident, fc.array(tie("e"), { maxLength: 2 }))
      .map(([callee, args]): Expr => ({ kind: "CallExpr", namespace: null, callee, args, range: R })),
    fc
      .tuple(fc.constantFrom("+", "==", "&&", "??" as const), tie("e"), tie("e"))
      .map(([operator, left, right]): Expr => ({ kind: "BinaryExpr", operator, left, right, range: R })),
  ),
})).e;

const interpolated = fc
  .tuple(fc.array(fc.tuple(holeExpr, multilineText), { minLength: 1, maxLength: 3 }), multilineText, fc.boolean())
  .map(
    ([pieces, head, multiline]): StringExpr => ({
      kind: "StringExpr",
      parts: [head, ...pieces.flat()],
      multiline,
      range: R,
    }),
  );

const BINARY = ["*", "/", "%", "+", "-", "<", "<=", ">", ">=", "==", "!=", "=~", "!~", "&&", "||", "??"] as const;

function objectOf(members: ObjectMember[]): ObjectExpr {
  return {
    kind: "ObjectExpr",
    members,
    properties: members.filter((m) => m.kind === "ObjectProperty"),
    spreads: members.filter((m) => m.kind === "SpreadExpr"),
    resources: members.filter((m) => m.kind === "ResourceDecl"),
    range: R,
  };
}

/** Expressions of every kind, nested. */
export const bicepExpr: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr; member: ObjectMember }>((tie) => ({
  member: fc.oneof(
    fc
      .tuple(fc.oneof(ident, simpleString, interpolated), tie("e"))
      .map(([key, value]): ObjectMember => ({ kind: "ObjectProperty", key, value, range: R })),
    tie("e").map((expr): ObjectMember => ({ kind: "SpreadExpr", expr, range: R })),
  ),
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    literal,
    interpolated,
    fc
      .array(
        fc.oneof(
          tie("e"),
          tie("e").map((expr) => ({ kind: "SpreadExpr" as const, expr, range: R })),
        ),
        { maxLength: 3 },
      )
      .map((items): Expr => ({ kind: "ArrayExpr", items, range: R })),
    fc.array(tie("member"), { maxLength: 3 }).map(objectOf),
    fc
      .tuple(tie("e"), ident, fc.boolean())
      .map(([object, n, safe]): Expr => ({ kind: "MemberExpr", object, name: n, safe, range: R })),
    fc
      .tuple(tie("e"), tie("e"), fc.boolean(), fc.boolean())
      .map(([object, index, safe, fromEnd]): Expr => ({ kind: "IndexExpr", object, index, safe, fromEnd, range: R })),
    fc.tuple(tie("e"), ident).map(([object, n]): Expr => ({ kind: "ResourceAccessExpr", object, name: n, range: R })),
    fc.tuple(fc.option(fc.constantFrom("az", "sys")), ident, fc.array(tie("e"), { maxLength: 3 })).map(
      ([ns, callee, args]): Expr => ({
        kind: "CallExpr",
        namespace: ns ? { kind: "Identifier", name: ns, range: R } : null,
        callee,
        args,
        range: R,
      }),
    ),
    fc
      .tuple(tie("e"), ident, fc.array(tie("e"), { maxLength: 2 }))
      .map(([object, method, args]): Expr => ({ kind: "MethodCallExpr", object, method, args, range: R })),
    tie("e").map((expr): Expr => ({ kind: "NonNullExpr", expr, range: R })),
    fc
      .tuple(fc.constantFrom("!", "-" as const), tie("e"))
      .map(([operator, operand]): Expr => ({ kind: "UnaryExpr", operator, operand, range: R })),
    fc
      .tuple(fc.constantFrom(...BINARY), tie("e"), tie("e"))
      .map(([operator, left, right]): Expr => ({ kind: "BinaryExpr", operator, left, right, range: R })),
    fc
      .tuple(tie("e"), tie("e"), tie("e"))
      .map(
        ([condition, whenTrue, whenFalse]): Expr => ({ kind: "TernaryExpr", condition, whenTrue, whenFalse, range: R }),
      ),
    fc
      .tuple(fc.array(ident, { maxLength: 3 }), tie("e"))
      .map(([params, body]): Expr => ({ kind: "LambdaExpr", params, body, range: R })),
    fc
      .tuple(ident, fc.option(ident), tie("e"), tie("e"))
      .map(([item, index, iterable, body]): Expr => ({ kind: "ForExpr", item, index, iterable, body, range: R })),
    tie("e").map((expr): Expr => ({ kind: "ParenExpr", expr, range: R })),
  ),
})).e;

const decorator: fc.Arbitrary<Decorator> = fc
  .tuple(
    fc.option(fc.constant("sys")),
    fc.constantFrom("description", "secure", "minValue", "export"),
    fc.option(fc.array(literal, { maxLength: 2 })),
  )
  .map(([ns, n, args]) => ({
    kind: "Decorator",
    namespace: ns ? { kind: "Identifier", name: ns, range: R } : null,
    name: { kind: "Identifier", name: n, range: R },
    args,
    range: R,
  }));
const decorators = fc.array(decorator, { maxLength: 2 });

const typeName = fc.constantFrom("string", "int", "bool", "object", "array", "myType", "subnetType");
const key = fc.oneof(
  ident,
  simpleString.map((s): StringExpr => ({ ...s, multiline: false })),
);

/** Types of every kind, nested (ResourceType only where a declaration's type may be one). */
export const bicepType: fc.Arbitrary<TypeExpr> = fc.letrec<{ t: TypeExpr }>((tie) => ({
  t: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.tuple(fc.option(fc.constant("sys")), typeName).map(
      ([ns, n]): TypeExpr => ({
        kind: "TypeRef",
        namespace: ns ? { kind: "Identifier", name: ns, range: R } : null,
        name: { kind: "Identifier", name: n, range: R },
        range: R,
      }),
    ),
    fc
      .oneof(literal, simpleString)
      .filter((e): e is LiteralType["value"] => e.kind !== "IdentExpr")
      .map((value): TypeExpr => ({ kind: "LiteralType", value, range: R })),
    fc
      .tuple(
        fc.constantFrom("resourceInput", "resourceOutput", "resource"),
        fc.array(tie("t"), { minLength: 1, maxLength: 2 }),
      )
      .map(
        ([n, args]): TypeExpr => ({
          kind: "ParameterizedType",
          namespace: null,
          name: { kind: "Identifier", name: n, range: R },
          args,
          range: R,
        }),
      ),
    fc
      .tuple(fc.constantFrom("-", "!" as const), tie("t"))
      .map(([operator, operand]): TypeExpr => ({ kind: "UnaryType", operator, operand, range: R })),
    fc
      .array(tie("t"), { minLength: 1, maxLength: 3 })
      .map((members): TypeExpr => ({ kind: "UnionType", members, range: R })),
    tie("t").map((item): TypeExpr => ({ kind: "ArrayType", item, range: R })),
    fc
      .tuple(fc.array(fc.tuple(key, tie("t"), decorators), { maxLength: 3 }), fc.option(fc.tuple(tie("t"), decorators)))
      .map(
        ([props, extra]): TypeExpr => ({
          kind: "ObjectType",
          properties: props.map(([k, value, decs]) => ({
            kind: "ObjectTypeProperty",
            key: k,
            value,
            decorators: decs,
            range: R,
          })),
          additional: extra ? { kind: "ObjectTypeAdditional", value: extra[0], decorators: extra[1], range: R } : null,
          range: R,
        }),
      ),
    fc.array(fc.tuple(tie("t"), decorators), { maxLength: 3 }).map(
      (items): TypeExpr => ({
        kind: "TupleType",
        items: items.map(([value, decs]) => ({ kind: "TupleTypeItem", value, decorators: decs, range: R })),
        range: R,
      }),
    ),
    tie("t").map((base): TypeExpr => ({ kind: "NullableType", base, range: R })),
    tie("t").map((base): TypeExpr => ({ kind: "NonNullableType", base, range: R })),
    tie("t").map((inner): TypeExpr => ({ kind: "ParenType", inner, range: R })),
    fc.tuple(tie("t"), ident).map(([object, n]): TypeExpr => ({ kind: "TypeMember", object, name: n, range: R })),
    fc.tuple(tie("t"), fc.nat(9)).map(
      ([object, n]): TypeExpr => ({
        kind: "TypeIndex",
        object,
        index: { kind: "IntExpr", value: n, text: String(n), range: R },
        range: R,
      }),
    ),
    tie("t").map((object): TypeExpr => ({ kind: "TypeItems", object, range: R })),
    tie("t").map((object): TypeExpr => ({ kind: "TypeAdditionalProperties", object, range: R })),
  ),
})).t;

const declType = fc.oneof(
  { weight: 4, arbitrary: bicepType },
  simpleString.map((s): TypeExpr => ({ kind: "ResourceType", typeRef: { ...s, multiline: false }, range: R })),
);
const resourceTypeString = fc
  .constantFrom(
    "Microsoft.Network/virtualNetworks@2024-05-01",
    "subnets",
    "Microsoft.Network/networkSecurityGroups@2023-09-01",
  )
  .map((t): StringExpr => ({ kind: "StringExpr", parts: [t], multiline: false, range: R }));

/** A resource or module body: an object (with child resources when `children`), `if`, or a loop. */
function resourceBody(children: boolean): fc.Arbitrary<ObjectExpr | IfExpr | Expr> {
  const child: fc.Arbitrary<ObjectMember> = fc
    .tuple(decorators, ident, resourceTypeString, fc.array(key, { maxLength: 2 }), bicepExpr)
    .map(
      ([decs, n, typeRef, keys, value]): ResourceDecl => ({
        kind: "ResourceDecl",
        decorators: decs,
        name: n,
        typeRef,
        existing: false,
        value: objectOf(keys.map((k) => ({ kind: "ObjectProperty", key: k, value, range: R }))),
        range: R,
      }),
    );
  const member = fc.oneof(
    fc.tuple(key, bicepExpr).map(([k, value]): ObjectMember => ({ kind: "ObjectProperty", key: k, value, range: R })),
    ...(children ? [child] : []),
  );
  const body = fc.array(member, { maxLength: 3 }).map(objectOf);
  const conditional = fc
    .tuple(bicepExpr, body)
    .map(([condition, b]): IfExpr => ({ kind: "IfExpr", condition, body: b, range: R }));
  const loop = fc
    .tuple(ident, fc.option(ident), bicepExpr, fc.oneof(body, conditional))
    .map(([item, index, iterable, b]): Expr => ({ kind: "ForExpr", item, index, iterable, body: b, range: R }));
  return fc.oneof(body, conditional, loop);
}

/** Statements of a .bicep file. */
export const bicepStatement: fc.Arbitrary<Statement> = fc.oneof(
  fc.tuple(decorators, ident, declType, fc.option(bicepExpr)).map(
    ([decs, n, type, value]): Statement => ({
      kind: "ParamDecl",
      decorators: decs,
      name: n,
      type,
      default: value,
      range: R,
    }),
  ),
  fc
    .tuple(decorators, ident, fc.option(bicepType), bicepExpr)
    .map(
      ([decs, n, type, value]): Statement => ({ kind: "VarDecl", decorators: decs, name: n, type, value, range: R }),
    ),
  fc
    .tuple(decorators, ident, declType, bicepExpr)
    .map(
      ([decs, n, type, value]): Statement => ({ kind: "OutputDecl", decorators: decs, name: n, type, value, range: R }),
    ),
  fc
    .tuple(decorators, ident, bicepType)
    .map(([decs, n, value]): Statement => ({ kind: "TypeDecl", decorators: decs, name: n, value, range: R })),
  fc.tuple(ident, resourceTypeString, fc.boolean(), resourceBody(true)).map(
    ([n, typeRef, existing, value]): Statement => ({
      kind: "ResourceDecl",
      decorators: [],
      name: n,
      typeRef,
      existing,
      value: value as ResourceDecl["value"],
      range: R,
    }),
  ),
  fc.tuple(ident, simpleString, resourceBody(false)).map(
    ([n, path, value]): Statement => ({
      kind: "ModuleDecl",
      decorators: [],
      name: n,
      path: { ...path, multiline: false },
      value: value as ResourceDecl["value"],
      range: R,
    }),
  ),
  fc.tuple(ident, fc.array(fc.tuple(ident, bicepType), { maxLength: 3 }), bicepType, bicepExpr).map(
    ([n, params, returnType, body]): Statement => ({
      kind: "FuncDecl",
      decorators: [],
      name: n,
      params: params.map(([p, type]) => ({ kind: "FuncParam", name: p, type, range: R })),
      returnType,
      body,
      range: R,
    }),
  ),
  fc
    .tuple(ident, bicepExpr)
    .map(([n, value]): Statement => ({ kind: "MetadataDecl", decorators: [], name: n, value, range: R })),
  bicepExpr.map((value): Statement => ({ kind: "TargetScopeDecl", decorators: [], value, range: R })),
  fc.tuple(fc.array(fc.tuple(ident, fc.option(ident)), { minLength: 1, maxLength: 3 }), simpleString).map(
    ([symbols, from]): Statement => ({
      kind: "ImportDecl",
      decorators: [],
      symbols: symbols.map(([n, alias]) => ({ kind: "ImportedSymbol", name: n, alias, range: R })),
      wildcard: null,
      from: { ...from, multiline: false },
      range: R,
    }),
  ),
);

/** Whole .bicep programs. */
export const bicepProgram: fc.Arbitrary<Program> = fc
  .array(bicepStatement, { maxLength: 5 })
  .map((statements) => ({ kind: "Program", file: "fuzz.bicep", fileKind: "bicep", statements, range: R }));

/** Bicep as people write it, to mutate. */
const SNIPPETS = [
  "param location string = resourceGroup().location\n@allowed([\n  'a'\n  'b'\n])\nparam sku string\n",
  "resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {\n  name: 'vnet-${suffix}'\n  properties: {\n    addressSpace: { addressPrefixes: ['10.0.0.0/16'] }\n  }\n  resource snet 'subnets' = {\n    name: 'a'\n  }\n}\n",
  "module m 'br/public:avm/res/network/virtual-network:0.1.0' = [for (s, i) in subnets: if (s.enabled) {\n  name: 'm${i}'\n  params: { ...s, x: s.?y ?? [] }\n}]\n",
  "type t = {\n  @description('x')\n  name: string\n  opt: ('a' | 'b')[]?\n  *: int\n}\nfunc f(a string, b int) string => '${a}${b}'\n",
  "var x = a.?b[?0]! ? map(xs, x => x.id) : filter(ys, (y, i) => i > 0 && !y.off)\noutput o resource 'T@v' = kv::secret\n",
  "import {a, b as c} from './x.bicep'\nimport * as ns from 'br:r/p:1'\nextension kubernetes with {\n  ns: 'x'\n} as k8s\nvar s = '''\nmulti ${line}\n'''\nvar t = $'''a${b}c'''\n",
  "using './main.bicep'\nparam p = 'x'\nvar v = az.resourceGroup().location\n",
];

const BICEP_UNITS = [
  ...SYNTAX_CHARS,
  "@",
  "$",
  "'''",
  "${",
  "=>",
  "?.",
  ".?",
  "[?",
  "::",
  "...",
  "param ",
  "resource ",
  "if ",
  "for ",
  " in ",
  "#disable-next-line x\n",
  "\r\n",
];
const bicepNoise = fc.array(fc.constantFrom(...BICEP_UNITS), { maxLength: 80 }).map((parts) => parts.join(""));

/** Checks what holds for any input: no exception, no internal error, every place inside the text. */
function checkAny(text: string, fileKind: "bicep" | "bicepparam" = "bicep"): Program {
  const { ast, diagnostics } = parseBicep(text, `fuzz.${fileKind}`);
  for (const d of diagnostics) {
    if (d.code === "bicep/internal") throw new Error(d.message);
    if (d.range.start < 0 || d.range.end > text.length || d.range.start > d.range.end)
      throw new Error(`diagnostic outside the text: ${d.message}`);
    if (d.message.includes("\n")) throw new Error(`diagnostic message on several lines: ${d.message}`);
  }
  const misplaced = rangeProblems(ast, text);
  if (misplaced.length > 0) throw new Error(misplaced[0]);
  return ast;
}

/** A generated tree prints to text that parses, without diagnostics, to the same tree. */
function checkRoundTrip(program: Program): void {
  const text = print(program);
  const { ast, diagnostics } = parseBicep(text, program.file);
  if (diagnostics.length > 0) throw new Error(`printed program has diagnostics: ${diagnostics[0]!.message}\n${text}`);
  const want = JSON.stringify(treeShape(program, { parens: false }));
  if (JSON.stringify(treeShape(ast, { parens: false })) !== want)
    throw new Error(`printing and parsing again changes the tree\n${text}`);
}

export const targets = {
  "bicep: noise": { arbitrary: bicepNoise, check: (text: string) => void checkAny(text) },
  "bicep: mutated snippets": {
    arbitrary: mutated(fc.constantFrom(...SNIPPETS), 4),
    check: (text: string) => void checkAny(text, text.includes("using") ? "bicepparam" : "bicep"),
  },
  "bicep: generated programs print and parse back": { arbitrary: bicepProgram, check: checkRoundTrip },
  "bicep: mutated generated programs": {
    arbitrary: mutated(bicepProgram.map(print), 3),
    check: (text: string) => void checkAny(text),
  },
};
