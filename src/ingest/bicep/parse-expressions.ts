/**
 * @module ingest/bicep/parse-expressions
 * Ingest layer, Bicep syntax: the expression grammar, after Bicep's BaseParser. Precedence climbing over the
 * binary operators (ast.ts BINARY_PRECEDENCE, all left-associative), then prefix `!` and `-` applied to a
 * postfix chain (`.`, `.?`, `[…]`, `[?…]`, `[^…]`, `::`, `!`, calls), then primaries. `?:` sits below every
 * binary operator and is right-associative; a lambda's body takes the rest of the expression.
 * Line breaks are allowed where Bicep allows them (inside parentheses and argument lists, before `?` and `:`,
 * after `=>`) and, where nothing else could follow, after a binary operator, `?` and `:`.
 * Objects and arrays are not allowed inside `${…}` (as in Bicep), except inside a lambda's body.
 */
import type {
  ArrayExpr,
  BinaryOperator,
  BoolExpr,
  Expr,
  ForExpr,
  Identifier,
  IntExpr,
  NullExpr,
  ObjectExpr,
  StringExpr,
} from "./ast.js";
import { BINARY_PRECEDENCE } from "./ast.js";
import { DECLARATION_KEYWORDS, ParserBase, SyntaxFailure } from "./parse-base.js";
import { Tok } from "./tokens.js";

const BINARY_TOKENS = new Map<number, BinaryOperator>([
  [Tok.Star, "*"],
  [Tok.Slash, "/"],
  [Tok.Percent, "%"],
  [Tok.Plus, "+"],
  [Tok.Minus, "-"],
  [Tok.Less, "<"],
  [Tok.LessEq, "<="],
  [Tok.Greater, ">"],
  [Tok.GreaterEq, ">="],
  [Tok.EqEq, "=="],
  [Tok.NotEq, "!="],
  [Tok.EqTilde, "=~"],
  [Tok.NotTilde, "!~"],
  [Tok.AndAnd, "&&"],
  [Tok.OrOr, "||"],
  [Tok.DoubleQuestion, "??"],
]);

/** Bicep parses integers as unsigned 64-bit (BaseParser.NumericLiteral). */
const MAX_INTEGER = 18446744073709551615n;

/**
 * What a recovery point restores after a failure unwound to it: the depth, whether objects are allowed and how
 * many locals are in scope, packed in one number (a recovery point is set up for every list member).
 */
type State = number;

export function rethrowUnlessFailure(error: unknown): void {
  if (!(error instanceof SyntaxFailure)) throw error;
}

export abstract class ExpressionParser extends ParserBase {
  /** Objects and arrays are allowed here (false inside `${…}`). */
  protected complexAllowed = true;
  /** Lambda parameters and loop variables in scope: they hide a namespace of the same name. */
  protected readonly locals: string[] = [];
  /** Names that stand for a namespace in an expression (`az`, `sys`, import and extension aliases). */
  protected valueNamespaces = new Set<string>();

  protected saveState(): State {
    return this.locals.length * 512 + (this.complexAllowed ? 256 : 0) + this.depth;
  }

  protected restoreState(s: State): void {
    this.depth = s & 255;
    this.complexAllowed = (s & 256) !== 0;
    this.locals.length = Math.floor(s / 512);
  }

  protected parseIdentifier(what: string): Identifier {
    if (this.tok() !== Tok.Identifier) throw this.fail(`expected ${what}, found ${this.found()}`);
    const j = this.advance();
    return { kind: "Identifier", name: this.textAt(j), range: this.rangeOf(j, j) };
  }

  parseExpression(): Expr {
    const saved = this.depth;
    this.enter();
    const condition = this.parseBinary(0);
    if (this.kindPastNewline() !== Tok.Question) {
      this.depth = saved;
      return condition;
    }
    this.skipNewlines();
    const question = this.advance();
    this.skipNewlines();
    const whenTrue = this.parseExpression();
    if (this.kindPastNewline() === Tok.Colon) this.skipNewlines();
    this.expect(Tok.Colon, `':' to go with the '?' at ${this.where(question)}`);
    this.skipNewlines();
    const whenFalse = this.parseExpression();
    this.depth = saved;
    return { kind: "TernaryExpr", condition, whenTrue, whenFalse, range: this.spanFrom(condition.range) };
  }

  private parseBinary(minPrecedence: number): Expr {
    let left = this.parseUnary();
    for (;;) {
      const operator = BINARY_TOKENS.get(this.tok());
      if (operator === undefined || BINARY_PRECEDENCE[operator] <= minPrecedence) return left;
      this.advance();
      this.skipNewlines();
      const right = this.parseBinary(BINARY_PRECEDENCE[operator]);
      left = { kind: "BinaryExpr", operator, left, right, range: this.spanFrom(left.range) };
    }
  }

  private parseUnary(): Expr {
    const kind = this.tok();
    if (kind !== Tok.Bang && kind !== Tok.Minus) return this.parsePostfix();
    const j = this.advance();
    // Bicep applies a prefix operator to a postfix expression only: `!!a` and `- -1` need parentheses.
    const operand = this.parsePostfix();
    return { kind: "UnaryExpr", operator: kind === Tok.Bang ? "!" : "-", operand, range: this.spanFrom(j) };
  }

  private parsePostfix(): Expr {
    let e = this.parsePrimary();
    for (;;) {
      const kind = this.tok();
      if (kind === Tok.LBracket) {
        const open = this.advance();
        const safe = this.accept(Tok.Question);
        const fromEnd = this.accept(Tok.Hat);
        if (this.tok() === Tok.RBracket) throw this.fail("expected an index between '[' and ']'");
        const index = this.parseExpression();
        this.expect(Tok.RBracket, `']' to close the index opened at ${this.where(open)}`);
        e = { kind: "IndexExpr", object: e, index, safe, fromEnd, range: this.spanFrom(e.range) };
      } else if (kind === Tok.Dot) {
        this.advance();
        const safe = this.accept(Tok.Question);
        const name = this.parseIdentifier("a property or function name after '.'");
        if (this.tok() !== Tok.LParen) {
          e = { kind: "MemberExpr", object: e, name, safe, range: this.spanFrom(e.range) };
          continue;
        }
        if (safe) throw this.fail("'.?' cannot be used to call a function", this.i - 2);
        const args = this.parseArgs(this.advance());
        const range = this.spanFrom(e.range);
        e =
          e.kind === "IdentExpr" && this.isNamespace(e.name)
            ? {
                kind: "CallExpr",
                namespace: { kind: "Identifier", name: e.name, range: e.range },
                callee: name,
                args,
                range,
              }
            : { kind: "MethodCallExpr", object: e, method: name, args, range };
      } else if (kind === Tok.DoubleColon) {
        this.advance();
        const name = this.parseIdentifier("a child resource name after '::'");
        e = { kind: "ResourceAccessExpr", object: e, name, range: this.spanFrom(e.range) };
      } else if (kind === Tok.Bang) {
        this.advance();
        e = { kind: "NonNullExpr", expr: e, range: this.spanFrom(e.range) };
      } else return e;
    }
  }

  private isNamespace(name: string): boolean {
    return this.valueNamespaces.has(name) && !this.locals.includes(name);
  }

  private parsePrimary(): Expr {
    const j = this.i;
    switch (this.tok()) {
      case Tok.Integer:
      case Tok.True:
      case Tok.False:
      case Tok.Null:
        return this.parseLiteral();
      case Tok.StringComplete:
      case Tok.StringLeft:
        return this.parseString();
      case Tok.LBrace:
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the message shows Bicep's interpolation syntax
        if (!this.complexAllowed) throw this.fail("an object is not allowed inside '${…}'");
        return this.parseObject(false);
      case Tok.LBracket: {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the message shows Bicep's interpolation syntax
        if (!this.complexAllowed) throw this.fail("an array is not allowed inside '${…}'");
        const next = this.kindAt(j + 1) === Tok.NewLine ? j + 2 : j + 1;
        return this.isWord("for", next) ? this.parseFor(false, false) : this.parseArray();
      }
      case Tok.LParen:
        return this.parseParenOrLambda();
      case Tok.Identifier: {
        const name: Identifier = { kind: "Identifier", name: this.textAt(j), range: this.rangeOf(j, j) };
        this.advance();
        if (this.tok() === Tok.LParen) {
          const args = this.parseArgs(this.advance());
          return { kind: "CallExpr", namespace: null, callee: name, args, range: this.spanFrom(j) };
        }
        if (this.tok() === Tok.Arrow) return this.parseLambdaBody(j, [name]);
        return { kind: "IdentExpr", name: name.name, range: name.range };
      }
    }
    throw this.fail(`expected an expression, found ${this.found()}`);
  }

  /** An integer, `true`, `false` or `null` (the current token is one). */
  protected parseLiteral(): IntExpr | BoolExpr | NullExpr {
    const j = this.advance();
    const range = this.rangeOf(j, j);
    const kind = this.toks.kind[j];
    if (kind === Tok.Null) return { kind: "NullExpr", range };
    if (kind !== Tok.Integer) return { kind: "BoolExpr", value: kind === Tok.True, range };
    const text = this.textAt(j);
    if (text.length >= 20 && (text.length > 20 || BigInt(text) > MAX_INTEGER))
      this.report("integer literal too large", j);
    return { kind: "IntExpr", value: Number(text), text, range };
  }

  /** After `=>`: the body, with the parameters in scope. `start` is the lambda's first token. */
  private parseLambdaBody(start: number, params: Identifier[]): Expr {
    this.advance();
    const next = this.kindAt(this.i + 1);
    const declarationNext = next === Tok.Identifier && DECLARATION_KEYWORDS.has(this.textAt(this.i + 1));
    if (!declarationNext) this.skipNewlines();
    const saved = this.complexAllowed;
    this.complexAllowed = true;
    this.locals.push(...params.map((p) => p.name));
    const body = this.parseExpression();
    this.locals.length -= params.length;
    this.complexAllowed = saved;
    return { kind: "LambdaExpr", params, body, range: this.spanFrom(start) };
  }

  private parseParenOrLambda(): Expr {
    const open = this.advance();
    const items: Expr[] = [];
    this.skipNewlines();
    while (this.tok() !== Tok.RParen) {
      items.push(this.parseExpression());
      this.skipNewlines();
      if (this.tok() !== Tok.Comma) break;
      this.advance();
      this.skipNewlines();
    }
    this.expect(Tok.RParen, `')' to close the parenthesis opened at ${this.where(open)}`);
    if (this.tok() === Tok.Arrow) {
      const params = items.map((item) => {
        if (item.kind !== "IdentExpr") throw this.fail("expected lambda parameter names in '(…) =>'", open);
        return { kind: "Identifier" as const, name: item.name, range: item.range };
      });
      return this.parseLambdaBody(open, params);
    }
    if (items.length !== 1) throw this.fail("expected exactly one expression between '(' and ')'", open);
    return { kind: "ParenExpr", expr: items[0]!, range: this.spanFrom(open) };
  }

  /** Arguments after `(` (token `open`), through the closing `)`. Line breaks may surround the commas. */
  protected parseArgs(open: number): Expr[] {
    const args: Expr[] = [];
    this.skipNewlines();
    for (;;) {
      if (this.tok() === Tok.RParen) {
        this.advance();
        return args;
      }
      if (this.tok() === Tok.EOF || this.atDeclarationStart(false)) {
        this.report(`expected ')' to close the call opened at ${this.where(open)}, found ${this.found()}`);
        return args;
      }
      args.push(this.parseExpression());
      const after = this.kindPastNewline();
      if (after === Tok.Comma || after === Tok.RParen) this.skipNewlines();
      if (this.tok() === Tok.Comma) {
        this.advance();
        this.skipNewlines();
      } else if (this.tok() !== Tok.RParen) {
        throw this.fail(`expected ',' or ')' to close the call opened at ${this.where(open)}, found ${this.found()}`);
      }
    }
  }

  protected parseString(): StringExpr {
    const t = this.toks;
    const first = this.i;
    const multiline = t.multiline.has(first);
    if (this.tok() === Tok.StringComplete) {
      this.advance();
      return { kind: "StringExpr", parts: [t.value(first)], multiline, range: this.rangeOf(first, first) };
    }
    if (this.tok() !== Tok.StringLeft) throw this.fail(`expected a string, found ${this.found()}`);
    const parts: (string | Expr)[] = [t.value(this.advance())];
    const saved = this.complexAllowed;
    this.complexAllowed = false;
    for (;;) {
      parts.push(this.parseExpression());
      const kind = this.tok();
      if (kind !== Tok.StringMiddle && kind !== Tok.StringRight) {
        throw this.fail(`expected '}' to end the '\${' of the string at ${this.where(first)}, found ${this.found()}`);
      }
      parts.push(t.value(this.advance()));
      if (kind === Tok.StringRight) break;
    }
    this.complexAllowed = saved;
    return { kind: "StringExpr", parts, multiline, range: this.spanFrom(first) };
  }

  /** `{ … }`; with `nestedResources`, a resource body (child `resource` declarations allowed). */
  protected abstract parseObject(nestedResources: boolean): ObjectExpr;
  protected abstract parseArray(): ArrayExpr;
  /** `[for …]`; in a resource or module (`resourceContext`) the body is an object or `if (…) {…}`. */
  protected abstract parseFor(resourceContext: boolean, nestedResources: boolean): ForExpr;
}
