/**
 * @module ingest/terraform/hcl/parse-base
 * Ingest layer, Terraform: the token level of the HCL parser (parser.ts, templates.ts): the position, one token
 * of look-ahead scanned on demand, whether newlines are tokens where the parser is (they end an attribute at
 * the top of a body and separate object items, and are skipped inside parentheses, brackets and `for`
 * expressions), the nesting limit, and the syntax error that stops the current top-level item.
 */
import type { Span, SyntaxProblem } from "./ast.js";
import { describeToken, scanToken, skipBlank, type Token } from "./scanner.js";

/** Deeper nesting than this (of blocks, expressions and templates together) is refused. */
export const MAX_DEPTH = 200;

/** Stops the top-level item being read; the parser records the problem and resumes after it. */
export class HclSyntaxError extends Error {}

export abstract class TokenParser {
  readonly problems: SyntaxProblem[] = [];
  protected pos = 0;
  /** Whether newlines are tokens here (top of a body, object constructor) or skipped (parentheses, ...). */
  protected readonly newlines: boolean[] = [true];
  protected depth = 0;

  constructor(protected readonly text: string) {}

  /** The last token peeked, with the position and newline mode it was peeked in (peek is asked often). */
  private peeked: { pos: number; newlines: boolean; token: Token } | undefined;

  protected peek(): Token {
    const mode = this.newlines[this.newlines.length - 1]!;
    const cached = this.peeked;
    if (cached && cached.pos === this.pos && cached.newlines === mode) return cached.token;
    const token = this.scanAt(mode);
    this.peeked = { pos: this.pos, newlines: mode, token };
    return token;
  }

  private scanAt(mode: boolean): Token {
    let pos = skipBlank(this.text, this.pos);
    if (!mode) {
      while (this.text.charCodeAt(pos) === 10) pos = skipBlank(this.text, pos + 1);
    }
    return scanToken(this.text, pos);
  }

  protected next(): Token {
    const t = this.peek();
    this.pos = t.end;
    return t;
  }

  protected isPunct(t: Token, p: string): boolean {
    return t.kind === "punct" && t.text === p;
  }

  protected expect(p: string, what?: string): Token {
    const t = this.next();
    if (!this.isPunct(t, p)) this.fail(`expected '${p}'${what ? ` ${what}` : ""}, found ${describeToken(t)}`, t);
    return t;
  }

  protected skipNewlines(): void {
    for (;;) {
      const t = this.peek();
      if (t.kind !== "newline") return;
      this.pos = t.end;
    }
  }

  protected fail(message: string, at: Span): never {
    this.problems.push({ message, start: at.start, end: Math.max(at.end, at.start) });
    throw new HclSyntaxError(message);
  }

  protected enter(at: Span): void {
    if (++this.depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`, at);
  }

  protected leave(): void {
    this.depth--;
  }

  protected withNewlines<T>(significant: boolean, fn: () => T): T {
    this.newlines.push(significant);
    try {
      return fn();
    } finally {
      this.newlines.pop();
    }
  }
}

export { describeToken };
