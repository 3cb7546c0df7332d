/**
 * @module ingest/terraform/hcl/ast
 * Ingest layer, Terraform: the syntax tree of HCL's native syntax, as the parser (parser.ts) builds it and the
 * evaluator (../eval) reads it. Positions are offsets into the file's text; a LineMap turns them into the
 * 1-based line and column the diagnostics and locations print. The node kinds follow the HCL specification
 * (github.com/hashicorp/hcl, hclsyntax/spec.md): a body holds attributes and blocks; expressions are literals,
 * templates, traversals, calls, collections, operators, conditionals, `for` expressions and splats.
 */

/** A span of the text: `[start, end)` offsets. */
export interface Span {
  start: number;
  end: number;
}

export interface Attribute extends Span {
  kind: "Attribute";
  name: string;
  nameSpan: Span;
  expr: Expr;
}

export interface Label extends Span {
  value: string;
}

export interface Block extends Span {
  kind: "Block";
  type: string;
  typeSpan: Span;
  labels: Label[];
  body: Body;
}

export interface Body extends Span {
  /** Attributes and blocks in the order written. */
  items: (Attribute | Block)[];
}

export type Expr =
  | LiteralExpr
  | TemplateExpr
  | VariableExpr
  | GetAttrExpr
  | IndexExpr
  | SplatExpr
  | SplatItemExpr
  | CallExpr
  | TupleExpr
  | ObjectExpr
  | UnaryExpr
  | BinaryExpr
  | ConditionalExpr
  | ForExpr
  | ParenExpr;

export interface LiteralExpr extends Span {
  kind: "Literal";
  value: null | boolean | number | string;
}

/** A part of a template: literal text, an interpolation, or an `%{if}` / `%{for}` directive. */
export type TemplatePart =
  | { kind: "text"; value: string; span: Span }
  | { kind: "interp"; expr: Expr }
  | { kind: "if"; cond: Expr; whenTrue: TemplatePart[]; whenFalse: TemplatePart[]; span: Span }
  | { kind: "for"; keyVar?: string; valueVar: string; coll: Expr; body: TemplatePart[]; span: Span };

export interface TemplateExpr extends Span {
  kind: "Template";
  parts: TemplatePart[];
  /** A heredoc (`<<EOT`) rather than a quoted string. */
  heredoc: boolean;
}

export interface VariableExpr extends Span {
  kind: "Variable";
  name: string;
}

export interface GetAttrExpr extends Span {
  kind: "GetAttr";
  object: Expr;
  name: string;
}

export interface IndexExpr extends Span {
  kind: "Index";
  object: Expr;
  key: Expr;
}

/** `source[*].rest` or `source.*.rest`: `each` is evaluated once per element, with the element as SplatItem. */
export interface SplatExpr extends Span {
  kind: "Splat";
  source: Expr;
  each: Expr;
}

export interface SplatItemExpr extends Span {
  kind: "SplatItem";
}

export interface CallExpr extends Span {
  kind: "Call";
  name: string;
  nameSpan: Span;
  args: Expr[];
  /** The last argument is expanded (`f(xs...)`). */
  expandFinal: boolean;
}

export interface TupleExpr extends Span {
  kind: "Tuple";
  items: Expr[];
}

export interface ObjectItem {
  key: Expr;
  /** The key was a bare identifier (`a = 1`), which names the attribute rather than being evaluated. */
  keyIsName: boolean;
  value: Expr;
}

export interface ObjectExpr extends Span {
  kind: "Object";
  items: ObjectItem[];
}

export interface UnaryExpr extends Span {
  kind: "Unary";
  op: "!" | "-";
  operand: Expr;
}

export type BinaryOp = "||" | "&&" | "==" | "!=" | "<" | ">" | "<=" | ">=" | "+" | "-" | "*" | "/" | "%";

export interface BinaryExpr extends Span {
  kind: "Binary";
  op: BinaryOp;
  left: Expr;
  right: Expr;
}

export interface ConditionalExpr extends Span {
  kind: "Conditional";
  cond: Expr;
  whenTrue: Expr;
  whenFalse: Expr;
}

export interface ForExpr extends Span {
  kind: "For";
  keyVar?: string;
  valueVar: string;
  coll: Expr;
  /** Present for an object `for` (`{for k, v in x : k => v}`). */
  keyExpr?: Expr;
  valueExpr: Expr;
  cond?: Expr;
  /** `=> v...`: values of equal keys are grouped into lists. */
  group: boolean;
}

export interface ParenExpr extends Span {
  kind: "Paren";
  expr: Expr;
}

/** A syntax error at an offset. */
export interface SyntaxProblem {
  message: string;
  start: number;
  end: number;
}

/** Offsets of the line starts of a text, for 1-based line and column look-ups. */
export class LineMap {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  /** The offset of a 1-based line and column. */
  offset(line: number, column: number): number {
    const start = this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))] ?? 0;
    return start + Math.max(0, column - 1);
  }

  /** 1-based line and column of `offset` (columns count UTF-16 units, as editors mostly do). */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}

/** The block's body items of one kind. */
export function attributesOf(body: Body): Attribute[] {
  return body.items.filter((i): i is Attribute => i.kind === "Attribute");
}

export function blocksOf(body: Body, type?: string): Block[] {
  return body.items.filter((i): i is Block => i.kind === "Block" && (type === undefined || i.type === type));
}

/** The attribute `name` of a body, if written. */
export function attributeOf(body: Body, name: string): Attribute | undefined {
  for (const item of body.items) if (item.kind === "Attribute" && item.name === name) return item;
  return undefined;
}

/** The text of a traversal written as `a.b["c"][0]` (for messages and references), or undefined. */
export function traversalText(expr: Expr): string | undefined {
  switch (expr.kind) {
    case "Variable":
      return expr.name;
    case "GetAttr": {
      const base = traversalText(expr.object);
      return base === undefined ? undefined : `${base}.${expr.name}`;
    }
    case "Index": {
      const base = traversalText(expr.object);
      if (base === undefined) return undefined;
      if (expr.key.kind === "Literal") return `${base}[${JSON.stringify(expr.key.value)}]`;
      const only = expr.key.kind === "Template" && expr.key.parts.length === 1 ? expr.key.parts[0] : undefined;
      if (only?.kind === "text") return `${base}[${JSON.stringify(only.value)}]`;
      const key = traversalText(expr.key);
      return `${base}[${key ?? "…"}]`;
    }
    case "Splat": {
      const base = traversalText(expr.source);
      return base === undefined ? undefined : `${base}[*]`;
    }
    default:
      return undefined;
  }
}
