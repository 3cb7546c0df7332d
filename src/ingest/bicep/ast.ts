/**
 * @module ingest/bicep/ast
 * Ingest layer, Bicep syntax: the syntax tree the parser builds and the evaluator walks. Every node is a plain
 * object with a `kind` (its interface's name), so a `switch (node.kind)` is checked for exhaustiveness by the
 * compiler, and a `range` giving where it is written. Three unions matter: `Statement`, `Expr` and `TypeExpr`.
 * The tree holds syntax only: nothing is evaluated, no name is resolved except the namespace of a call
 * (`az.resourceGroup()` is a `CallExpr` with a namespace, `kv.getSecret()` a `MethodCallExpr`; see
 * namespaces.ts). README.md describes how to evaluate it. Types and statements are declared in ast-types.ts and
 * ast-statements.ts and re-exported here, so that this is the one module to import.
 */
import type { FuncParam, ImportedSymbol, Program, ResourceDecl, Statement } from "./ast-statements.js";
import type { ObjectTypeAdditional, ObjectTypeProperty, TupleTypeItem, TypeExpr } from "./ast-types.js";

export type * from "./ast-statements.js";
export type * from "./ast-types.js";

/**
 * Where a node is written: `start`/`end` are 0-based UTF-16 offsets (end exclusive); `line`/`col` are the 1-based
 * line and column of `start`, `endLine`/`endCol` those of `end` (so the column just after the last character).
 */
export interface Range {
  start: number;
  end: number;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

/** A name as written (a declaration's name, a property name, a member name, a namespace). */
export interface Identifier {
  kind: "Identifier";
  name: string;
  range: Range;
}

/** `@name(args)` or `@ns.name(args)`; `args` is null when written without parentheses. */
export interface Decorator {
  kind: "Decorator";
  namespace: Identifier | null;
  name: Identifier;
  args: Expr[] | null;
  range: Range;
}

// ---------------------------------------------------------------------------------------------- expressions

/**
 * A string. `parts` alternates text and interpolated expressions and always starts and ends with text, so
 * `'a${x}b'` is `['a', x, 'b']`, `'${x}'` is `['', x, '']` and `'abc'` is `['abc']`. Text is decoded (escapes
 * applied; for `'''` strings, the leading line break dropped).
 */
export interface StringExpr {
  kind: "StringExpr";
  parts: (string | Expr)[];
  /** Written with `'''` (or `$'''` when it has holes). */
  multiline: boolean;
  range: Range;
}

/** A non-negative integer literal (`-1` is a UnaryExpr). `text` keeps the digits for values above 2^53. */
export interface IntExpr {
  kind: "IntExpr";
  value: number;
  text: string;
  range: Range;
}

export interface BoolExpr {
  kind: "BoolExpr";
  value: boolean;
  range: Range;
}

export interface NullExpr {
  kind: "NullExpr";
  range: Range;
}

/** `...expr` inside an array or an object. */
export interface SpreadExpr {
  kind: "SpreadExpr";
  expr: Expr;
  range: Range;
}

export interface ArrayExpr {
  kind: "ArrayExpr";
  items: (Expr | SpreadExpr)[];
  range: Range;
}

/** `key: value`; the key is an identifier or a (possibly interpolated) string. */
export interface ObjectProperty {
  kind: "ObjectProperty";
  key: Identifier | StringExpr;
  value: Expr;
  range: Range;
}

export type ObjectMember = ObjectProperty | SpreadExpr | ResourceDecl;

/**
 * `{ … }`. `members` is the source order (which decides what a spread overrides); `properties`, `spreads` and
 * `resources` (child resources declared in a resource body) are the same nodes sorted by kind, for look-ups.
 */
export interface ObjectExpr {
  kind: "ObjectExpr";
  members: ObjectMember[];
  properties: ObjectProperty[];
  spreads: SpreadExpr[];
  resources: ResourceDecl[];
  range: Range;
}

/** A name in an expression: a parameter, variable, resource, module, function, loop variable, namespace… */
export interface IdentExpr {
  kind: "IdentExpr";
  name: string;
  range: Range;
}

/** `a.b`, or `a.?b` when `safe`. */
export interface MemberExpr {
  kind: "MemberExpr";
  object: Expr;
  name: Identifier;
  safe: boolean;
  range: Range;
}

/** `a[i]`; `a[?i]` when `safe`; `a[^i]` (from the end) when `fromEnd`. */
export interface IndexExpr {
  kind: "IndexExpr";
  object: Expr;
  index: Expr;
  safe: boolean;
  fromEnd: boolean;
  range: Range;
}

/** `parent::child`: a child resource declared inside `parent`'s body. */
export interface ResourceAccessExpr {
  kind: "ResourceAccessExpr";
  object: Expr;
  name: Identifier;
  range: Range;
}

/** `f(args)`, or `ns.f(args)` where `ns` is `az`, `sys`, an `import * as ns` or an extension alias. */
export interface CallExpr {
  kind: "CallExpr";
  namespace: Identifier | null;
  callee: Identifier;
  args: Expr[];
  range: Range;
}

/** `object.method(args)` on a value: `kv.getSecret('x')`, `stg.listKeys()`. */
export interface MethodCallExpr {
  kind: "MethodCallExpr";
  object: Expr;
  method: Identifier;
  args: Expr[];
  range: Range;
}

/** `a!`: asserts that `a` is not null. */
export interface NonNullExpr {
  kind: "NonNullExpr";
  expr: Expr;
  range: Range;
}

export type UnaryOperator = "!" | "-";

export interface UnaryExpr {
  kind: "UnaryExpr";
  operator: UnaryOperator;
  operand: Expr;
  range: Range;
}

export type BinaryOperator =
  | "*"
  | "/"
  | "%"
  | "+"
  | "-"
  | "<"
  | "<="
  | ">"
  | ">="
  | "=="
  | "!="
  | "=~"
  | "!~"
  | "&&"
  | "||"
  | "??";

/**
 * Precedence of the binary operators (higher binds tighter); all are left-associative. From Bicep's
 * TokenTypeHelper.GetOperatorPrecedence, and
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/operators#operator-precedence-and-associativity
 */
export const BINARY_PRECEDENCE: Readonly<Record<BinaryOperator, number>> = {
  "*": 100,
  "/": 100,
  "%": 100,
  "+": 90,
  "-": 90,
  "<": 80,
  "<=": 80,
  ">": 80,
  ">=": 80,
  "==": 70,
  "!=": 70,
  "=~": 70,
  "!~": 70,
  "&&": 50,
  "||": 40,
  "??": 30,
};

export interface BinaryExpr {
  kind: "BinaryExpr";
  operator: BinaryOperator;
  left: Expr;
  right: Expr;
  range: Range;
}

/** `condition ? whenTrue : whenFalse` (right-associative, below every binary operator). */
export interface TernaryExpr {
  kind: "TernaryExpr";
  condition: Expr;
  whenTrue: Expr;
  whenFalse: Expr;
  range: Range;
}

/** `x => body`, `(x, y) => body`, `() => body`. */
export interface LambdaExpr {
  kind: "LambdaExpr";
  params: Identifier[];
  body: Expr;
  range: Range;
}

/** `[for item in iterable: body]`, `[for (item, index) in iterable: body]`; body may be `if (c) {…}`. */
export interface ForExpr {
  kind: "ForExpr";
  item: Identifier;
  index: Identifier | null;
  iterable: Expr;
  body: Expr | IfExpr;
  range: Range;
}

/** `if (condition) { … }`: the body of a conditional resource or module (or of a filtering loop). */
export interface IfExpr {
  kind: "IfExpr";
  condition: Expr;
  body: ObjectExpr;
  range: Range;
}

export interface ParenExpr {
  kind: "ParenExpr";
  expr: Expr;
  range: Range;
}

export type Expr =
  | StringExpr
  | IntExpr
  | BoolExpr
  | NullExpr
  | ArrayExpr
  | ObjectExpr
  | IdentExpr
  | MemberExpr
  | IndexExpr
  | ResourceAccessExpr
  | CallExpr
  | MethodCallExpr
  | NonNullExpr
  | UnaryExpr
  | BinaryExpr
  | TernaryExpr
  | LambdaExpr
  | ForExpr
  | ParenExpr;

// -------------------------------------------------------------------------------------------------- helpers

/** The text of a string without interpolation; undefined when it has holes. */
export function stringValue(s: StringExpr): string | undefined {
  return s.parts.length === 1 ? (s.parts[0] as string) : undefined;
}

/** The name a property key stands for, when it is known without evaluating (no interpolation). */
export function keyName(key: Identifier | StringExpr): string | undefined {
  return key.kind === "Identifier" ? key.name : stringValue(key);
}

/** The property of an object literal written with the key `name` (Bicep refuses repeated keys, BCP025). */
export function findProperty(obj: ObjectExpr, name: string): ObjectProperty | undefined {
  return obj.properties.find((p) => keyName(p.key) === name);
}

/** Every kind of node, for walkers (walk.ts). */
export type Node =
  | Program
  | Statement
  | Expr
  | TypeExpr
  | Identifier
  | Decorator
  | SpreadExpr
  | ObjectProperty
  | IfExpr
  | ObjectTypeProperty
  | ObjectTypeAdditional
  | TupleTypeItem
  | FuncParam
  | ImportedSymbol;
