/**
 * @module ingest/terraform/hcl/parser
 * Ingest layer, Terraform: a recursive-descent parser of HCL's native syntax (the `.tf` and `.tfvars` files),
 * written after the specification (github.com/hashicorp/hcl, hclsyntax/spec.md): bodies of attributes and
 * blocks, and the expression language with its precedence (`||` lowest, then `&&`, equality, comparison,
 * `+ -`, `* / %`, unary `! -`), conditionals, `for` expressions, splats, templates with interpolations and
 * directives, and heredocs. It never throws: a syntax error is recorded with its offset, the top-level item it
 * is in is dropped, and parsing resumes at the next line that starts a top-level item, so the rest of the file
 * is still read. Nesting deeper than MAX_DEPTH is an error, not a stack overflow.
 */ import type { Attribute, BinaryOp, Block, Body, Expr, Label, SyntaxProblem } from "./ast.js";
import { CollectionParser } from "./collections.js";
import { HclSyntaxError, MAX_DEPTH } from "./parse-base.js";
import { describeToken, isIdentPart, isIdentStart, scanToken, skipBlank, type Token } from "./scanner.js";

export { MAX_DEPTH };

/** At most this many syntax errors are reported per file; the rest of the file is skipped after that. */
const MAX_PROBLEMS = 20;
export interface ParseResult {
  body: Body;
  problems: SyntaxProblem[];
}

/** Parses a whole file (a `.tf` or `.tfvars`); never throws. */
export function parseHcl(text: string): ParseResult {
  return new Parser(text).file();
}

/** Parses one expression (a `--var` value, `terraform console` style); never throws. */
export function parseHclExpression(text: string): { expr?: Expr; problems: SyntaxProblem[] } {
  const p = new Parser(text);
  try {
    const expr = p.topExpression();
    return { expr, problems: p.problems };
  } catch (error) {
    if (!(error instanceof HclSyntaxError)) throw error;
    return { problems: p.problems };
  }
}

const BINARY_LEVELS: BinaryOp[][] = [["||"], ["&&"], ["==", "!="], ["<", ">", "<=", ">="], ["+", "-"], ["*", "/", "%"]];
class Parser extends CollectionParser {
  file(): ParseResult {
    const start = this.pos;
    const items: (Attribute | Block)[] = [];
    while (this.problems.length < MAX_PROBLEMS) {
      try {
        this.skipNewlines();
        const t = this.peek();
        if (t.kind === "eof") break;
        items.push(this.item());
      } catch (error) {
        if (!(error instanceof HclSyntaxError)) throw error;
        this.newlines.length = 1;
        this.depth = 0;
        if (!this.resync()) break;
      }
    }
    return { body: { items, start, end: this.text.length }, problems: this.problems };
  }

  topExpression(): Expr {
    this.newlines.push(false);
    const expr = this.expression();
    const t = this.peek();
    if (t.kind !== "eof") this.fail(`unexpected ${describeToken(t)} after the expression`, t);
    return expr;
  }

  /** Moves to the next line that starts with an identifier in its first column; false at the end. */
  private resync(): boolean {
    let at = this.text.indexOf("\n", this.pos);
    while (at >= 0) {
      const c = this.text.charCodeAt(at + 1);
      if (isIdentStart(c)) {
        this.pos = at + 1;
        return true;
      }
      at = this.text.indexOf("\n", at + 1);
    }
    this.pos = this.text.length;
    return false;
  }

  // ---- tokens -----------------------------------------------------------------------------------------

  private item(): Attribute | Block {
    const name = this.next();
    if (name.kind !== "ident") this.fail(`expected an attribute or block name, found ${describeToken(name)}`, name);
    const after = this.peek();
    if (this.isPunct(after, "=")) {
      this.next();
      const expr = this.expression();
      this.endOfItem();
      return { kind: "Attribute", name: name.text, nameSpan: name, expr, start: name.start, end: expr.end };
    }
    const labels: Label[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === "ident") {
        this.next();
        labels.push({ value: t.text, start: t.start, end: t.end });
      } else if (t.kind === "quote") {
        this.next();
        const tpl = this.quoted(t.start);
        const text =
          tpl.parts.length === 0
            ? ""
            : tpl.parts.length === 1 && tpl.parts[0]!.kind === "text"
              ? tpl.parts[0]!.value
              : undefined;
        if (text === undefined) this.fail("a block label cannot hold an interpolation", tpl);
        labels.push({ value: text, start: tpl.start, end: tpl.end });
      } else {
        break;
      }
    }
    const open = this.next();
    if (!this.isPunct(open, "{"))
      this.fail(
        `expected '=' or '{' after ${name.text}${labels.length > 0 ? " and its labels" : ""}, found ${describeToken(open)}`,
        open,
      );
    this.enter(open);
    const body = this.body(open.start);
    this.leave();
    this.endOfItem();
    return { kind: "Block", type: name.text, typeSpan: name, labels, body, start: name.start, end: body.end };
  }

  /** The items of a block body, after its `{`, up to and including the `}`. */
  private body(start: number): Body {
    const items: (Attribute | Block)[] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (this.isPunct(t, "}")) {
        this.next();
        return { items, start, end: t.end };
      }
      if (t.kind === "eof") this.fail("unclosed block: expected '}'", { start, end: start + 1 });
      items.push(this.item());
    }
  }

  /** An attribute or block ends at a newline, or before the `}` of a one-line block, or at the end. */
  private endOfItem(): void {
    const t = this.peek();
    if (t.kind === "newline") this.next();
    else if (!(t.kind === "eof" || this.isPunct(t, "}")))
      this.fail(`expected a newline after the item, found ${describeToken(t)}`, t);
  }

  // ---- expressions ------------------------------------------------------------------------------------

  protected expression(): Expr {
    const first = this.peek();
    this.enter(first);
    try {
      const cond = this.binary(0);
      const q = this.peek();
      if (!this.isPunct(q, "?")) return cond;
      this.next();
      const then = this.withNewlines(false, () => this.expression());
      this.withNewlines(false, () => this.expect(":", "in the conditional"));
      const otherwise = this.expression();
      return { kind: "Conditional", cond, whenTrue: then, whenFalse: otherwise, start: cond.start, end: otherwise.end };
    } finally {
      this.leave();
    }
  }

  protected binary(level: number): Expr {
    if (level >= BINARY_LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    const ops = BINARY_LEVELS[level]!;
    for (;;) {
      const t = this.peek();
      if (t.kind !== "punct" || !(ops as string[]).includes(t.text)) return left;
      this.next();
      const right = this.binary(level + 1);
      left = { kind: "Binary", op: t.text as BinaryOp, left, right, start: left.start, end: right.end };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (this.isPunct(t, "!") || this.isPunct(t, "-")) {
      this.next();
      this.enter(t);
      const operand = this.unary();
      this.leave();
      return { kind: "Unary", op: t.text as "!" | "-", operand, start: t.start, end: operand.end };
    }
    return this.postfix(this.primary());
  }

  private postfix(base: Expr): Expr {
    let expr = base;
    for (;;) {
      const t = this.peekNoNewline();
      if (this.isPunct(t, ".")) {
        this.pos = t.end;
        const after = scanToken(this.text, this.pos);
        if (this.isPunct(after, "*")) {
          this.pos = after.end;
          expr = this.splat(expr, false, after.end);
          continue;
        }
        const step = this.attrStep(expr);
        expr = step;
      } else if (this.isPunct(t, "[")) {
        this.pos = t.end;
        const star = this.withNewlines(false, () => this.peek());
        if (this.isPunct(star, "*")) {
          this.pos = star.end;
          const close = this.withNewlines(false, () => this.expect("]", "after '[*'"));
          expr = this.splat(expr, true, close.end);
          continue;
        }
        const key = this.withNewlines(false, () => this.expression());
        const close = this.withNewlines(false, () => this.expect("]", "after the index"));
        expr = { kind: "Index", object: expr, key, start: expr.start, end: close.end };
      } else {
        return expr;
      }
    }
  }

  /** The token after the current position, where a traversal step must follow without a line break. */
  private peekNoNewline(): Token {
    return scanToken(this.text, skipBlank(this.text, this.pos));
  }

  /** `.name` or the legacy `.0` index, after the dot. */
  private attrStep(object: Expr): Expr {
    const name = scanToken(this.text, this.pos);
    if (name.kind === "ident") {
      this.pos = name.end;
      return { kind: "GetAttr", object, name: name.text, start: object.start, end: name.end };
    }
    if (name.kind === "number" && /^\d+$/.test(name.text)) {
      this.pos = name.end;
      const key: Expr = { kind: "Literal", value: Number(name.text), start: name.start, end: name.end };
      return { kind: "Index", object, key, start: object.start, end: name.end };
    }
    return this.fail(`expected an attribute name after '.', found ${describeToken(name)}`, name);
  }

  /** The steps after `[*]` (any) or `.*` (attributes only) apply to each element. */
  private splat(source: Expr, full: boolean, end: number): Expr {
    let each: Expr = { kind: "SplatItem", start: end, end };
    for (;;) {
      const t = this.peekNoNewline();
      if (this.isPunct(t, ".")) {
        const after = scanToken(this.text, t.end);
        if (this.isPunct(after, "*")) break;
        this.pos = t.end;
        each = this.attrStep(each);
      } else if (full && this.isPunct(t, "[")) {
        const inner = scanToken(this.text, skipBlank(this.text, t.end));
        if (this.isPunct(inner, "*")) break;
        this.pos = t.end;
        const key = this.withNewlines(false, () => this.expression());
        const close = this.withNewlines(false, () => this.expect("]", "after the index"));
        each = { kind: "Index", object: each, key, start: each.start, end: close.end };
      } else {
        break;
      }
    }
    return { kind: "Splat", source, each, start: source.start, end: Math.max(each.end, end) };
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.kind) {
      case "number": {
        const value = Number(t.text);
        if (!Number.isFinite(value)) this.fail(`the number ${t.text.slice(0, 40)} is too large`, t);
        return { kind: "Literal", value, start: t.start, end: t.end };
      }
      case "quote":
        return this.quoted(t.start);
      case "heredoc":
        return this.heredoc(t);
      case "ident":
        return this.identifierExpr(t);
      case "punct":
        if (t.text === "(") {
          this.enter(t);
          const expr = this.withNewlines(false, () => this.expression());
          const close = this.withNewlines(false, () => this.expect(")", "to close the parenthesis"));
          this.leave();
          return { kind: "Paren", expr, start: t.start, end: close.end };
        }
        if (t.text === "[") return this.tuple(t);
        if (t.text === "{") return this.object(t);
        break;
      default:
        break;
    }
    return this.fail(`expected an expression, found ${describeToken(t)}`, t);
  }

  private identifierExpr(t: Token): Expr {
    if (t.text === "true" || t.text === "false")
      return { kind: "Literal", value: t.text === "true", start: t.start, end: t.end };
    if (t.text === "null") return { kind: "Literal", value: null, start: t.start, end: t.end };
    const open = scanToken(this.text, skipBlank(this.text, this.pos));
    if (this.isPunct(open, "(")) {
      this.pos = open.end;
      this.enter(open);
      const result = this.withNewlines(false, () => this.call(t));
      this.leave();
      return result;
    }
    // Provider-defined functions are `provider::name::fn(...)`.
    if (this.text.startsWith("::", this.pos)) {
      let end = this.pos;
      while (this.text.startsWith("::", end)) {
        end += 2;
        while (isIdentPart(this.text.charCodeAt(end))) end++;
      }
      const name = this.text.slice(t.start, end);
      this.pos = end;
      this.expect("(", `after the function ${name}`);
      return this.withNewlines(false, () => this.call({ ...t, text: name, end }));
    }
    return { kind: "Variable", name: t.text, start: t.start, end: t.end };
  }

  private call(name: Token): Expr {
    const args: Expr[] = [];
    let expandFinal = false;
    for (;;) {
      const t = this.peek();
      if (this.isPunct(t, ")")) {
        this.next();
        return { kind: "Call", name: name.text, nameSpan: name, args, expandFinal, start: name.start, end: t.end };
      }
      if (expandFinal) this.fail("'...' may only follow the last argument", t);
      args.push(this.expression());
      const sep = this.next();
      if (this.isPunct(sep, "...")) {
        expandFinal = true;
        const after = this.peek();
        if (this.isPunct(after, ",")) this.next();
        continue;
      }
      if (this.isPunct(sep, ")"))
        return { kind: "Call", name: name.text, nameSpan: name, args, expandFinal, start: name.start, end: sep.end };
      if (!this.isPunct(sep, ","))
        this.fail(`expected ',' or ')' in the arguments of ${name.text}, found ${describeToken(sep)}`, sep);
    }
  }
}
