/**
 * @module ingest/bicep/parse-base
 * Ingest layer, Bicep syntax: what every part of the parser shares: the cursor over the token stream, ranges,
 * diagnostics and error recovery. A construct that cannot go on records one diagnostic and throws a
 * SyntaxFailure, which the nearest recovery point (a statement, an object or array member, a list element)
 * catches before skipping ahead to a safe place, as Bicep's own parser does (BaseParser.WithRecovery). Skipping
 * is bracket-balanced, and a declaration keyword at column 1 (`param x`, `resource y 'T'`…) ends any construct
 * left open, so a missing `}` costs one diagnostic and not the rest of the file. Every loop consumes at least
 * one token per turn and the nesting depth is capped, so parsing is linear and cannot overflow the stack.
 */
import type { Range } from "./ast.js";
import { isStringPiece, Tok, type TokenStream, type TokKind } from "./tokens.js";

/**
 * The deepest nesting accepted: expressions inside expressions (brackets, arguments, interpolation, lambda
 * bodies, ternary branches), types inside types and child resources inside resources. It bounds the parser's
 * own recursion.
 */
export const MAX_NESTING = 200;

/**
 * The tallest statement tree accepted. Chains (`a + b + c…`, `a.b.c…`) are built by loops and can be taller
 * than MAX_NESTING; past this height a statement is refused, so that a tree the parser returns can always be
 * walked recursively (the evaluator and the printer do).
 */
export const MAX_TREE_HEIGHT = 1000;

/** Diagnostic codes. */
export const CODES = {
  syntax: "bicep/syntax",
  token: "bicep/token",
  tooDeep: "bicep/too-deep",
  wrongFile: "bicep/not-in-this-file",
} as const;

/** A diagnostic by offsets, before it gets a file, a line and a column. */
export interface RawDiagnostic {
  code: string;
  message: string;
  start: number;
  end: number;
}

/** Thrown to unwind to the nearest recovery point; its diagnostic is already recorded. */
export class SyntaxFailure {
  readonly isSyntaxFailure = true;
}

/** Words that start a declaration. */
export const DECLARATION_KEYWORDS = new Set([
  "targetScope",
  "metadata",
  "param",
  "var",
  "resource",
  "module",
  "output",
  "type",
  "func",
  "import",
  "extension",
  "extensionConfig",
  "using",
  "extends",
  "assert",
  "test",
]);

const OPENERS = new Set<number>([Tok.LBrace, Tok.LParen, Tok.LBracket]);
const CLOSERS = new Set<number>([Tok.RBrace, Tok.RParen, Tok.RBracket]);

export abstract class ParserBase {
  /** Index of the current token. */
  protected i = 0;
  /** Index of the last token consumed that was not a line break (where a node being built ends). */
  protected last = 0;
  protected depth = 0;
  readonly diagnostics: RawDiagnostic[] = [];
  private readonly reportedAt = new Set<number>();

  constructor(
    protected readonly text: string,
    protected readonly toks: TokenStream,
  ) {}

  // ------------------------------------------------------------------------------------------------ cursor

  /** The kind of the current token (a method, so that comparisons do not narrow it across `advance()`). */
  protected tok(): number {
    return this.toks.kind[this.i]!;
  }

  protected kindAt(j: number): number {
    return j < this.toks.count ? this.toks.kind[j]! : Tok.EOF;
  }

  protected textAt(j: number): string {
    return this.text.slice(this.toks.start[j], this.toks.end[j]);
  }

  /** True when token `j` is the identifier `word` (Bicep's keywords other than true/false/null are contextual). */
  protected isWord(word: string, j = this.i): boolean {
    const t = this.toks;
    return (
      t.kind[j] === Tok.Identifier && t.end[j]! - t.start[j]! === word.length && this.text.startsWith(word, t.start[j])
    );
  }

  protected advance(): number {
    const j = this.i;
    const kind = this.toks.kind[j];
    if (kind !== Tok.EOF) {
      this.i++;
      if (kind !== Tok.NewLine) this.last = j;
    }
    return j;
  }

  /** Consumes the current token when it is of `kind`. */
  protected accept(kind: TokKind): boolean {
    if (this.tok() !== kind) return false;
    this.advance();
    return true;
  }

  /** Consumes the current token when it is the identifier `word`. */
  protected acceptWord(word: string): boolean {
    if (!this.isWord(word)) return false;
    this.advance();
    return true;
  }

  protected skipNewlines(): void {
    if (this.toks.kind[this.i] === Tok.NewLine) this.i++;
  }

  /** The kind of the next token that is not a line break. */
  protected kindPastNewline(): number {
    return this.tok() === Tok.NewLine ? this.kindAt(this.i + 1) : this.tok();
  }

  /** `where` of token `j` as `line:col`, for messages such as "opened at 12:5". */
  protected where(j: number): string {
    return `${this.toks.line[j]}:${this.toks.col[j]}`;
  }

  /** The current token, for messages. */
  protected found(j = this.i): string {
    const kind = this.kindAt(j);
    if (kind === Tok.EOF) return "the end of the file";
    if (kind === Tok.NewLine) return "the end of the line";
    // A multi-line string must not break the message's one line.
    const text = this.textAt(j).slice(0, 40).replace(/\r/g, "\\r").replace(/\n/g, "\\n");
    const shown = text.length > 24 ? `${text.slice(0, 21)}…` : text;
    return isStringPiece(kind) ? `the string ${shown}` : `'${shown}'`;
  }

  // ------------------------------------------------------------------------------------------------ ranges

  protected rangeOf(first: number, last: number): Range {
    const t = this.toks;
    return {
      start: t.start[first]!,
      end: t.end[last]!,
      line: t.line[first]!,
      col: t.col[first]!,
      endLine: t.endLine[last]!,
      endCol: t.endCol[last]!,
    };
  }

  /** From the start of `from` (a range or a token index) to the last token consumed. */
  protected spanFrom(from: Range | number): Range {
    const t = this.toks;
    const j = this.last;
    if (typeof from === "number") return this.rangeOf(from, j);
    return {
      start: from.start,
      end: t.end[j]!,
      line: from.line,
      col: from.col,
      endLine: t.endLine[j]!,
      endCol: t.endCol[j]!,
    };
  }

  // ------------------------------------------------------------------------------------------- diagnostics

  /** Records a diagnostic at token `j`, once per offset (recovery must not pile errors on one place). */
  protected report(message: string, j = this.i, code: string = CODES.syntax): void {
    const t = this.toks;
    const at = Math.min(j, t.count - 1);
    const start = t.start[at]!;
    if (this.reportedAt.has(start)) return;
    this.reportedAt.add(start);
    // The lexer has already reported a character it does not know; a second message there says nothing new.
    if (t.kind[at] === Tok.Unrecognized) return;
    this.diagnostics.push({ code, message, start, end: Math.max(t.end[at]!, start) });
  }

  /** Records a diagnostic and returns the failure to throw. */
  protected fail(message: string, j = this.i, code: string = CODES.syntax): SyntaxFailure {
    this.report(message, j, code);
    return new SyntaxFailure();
  }

  protected expect(kind: TokKind, what: string): number {
    if (this.tok() === kind) return this.advance();
    throw this.fail(`expected ${what}, found ${this.found()}`);
  }

  protected expectWord(word: string, what = `'${word}'`): number {
    if (this.isWord(word)) return this.advance();
    throw this.fail(`expected ${what}, found ${this.found()}`);
  }

  /** One more level of nesting; past MAX_NESTING the construct fails (see MAX_NESTING). */
  protected enter(): void {
    if (++this.depth > MAX_NESTING) {
      throw this.fail(`nesting deeper than ${MAX_NESTING} levels`, this.i, CODES.tooDeep);
    }
  }

  // ---------------------------------------------------------------------------------------------- recovery

  /**
   * True at a declaration that can only be the next statement: a declaration keyword at column 1 followed, on
   * the same line, by what a declaration has next. Inside an unclosed bracket this means the bracket was never
   * closed. `resource` is left alone where child resources may be declared, and `@` where decorators may be.
   */
  protected atDeclarationStart(nestedResources: boolean, decoratorsAllowed = nestedResources): boolean {
    const t = this.toks;
    const j = this.i;
    if (t.col[j] !== 1) return false;
    const next = this.kindAt(j + 1);
    if (t.kind[j] === Tok.At) return !decoratorsAllowed && next === Tok.Identifier;
    if (t.kind[j] !== Tok.Identifier) return false;
    const word = this.textAt(j);
    if (!DECLARATION_KEYWORDS.has(word) || (nestedResources && word === "resource")) return false;
    return (
      next === Tok.Identifier ||
      next === Tok.StringComplete ||
      next === Tok.StringLeft ||
      next === Tok.LBrace ||
      (next === Tok.Assign && word === "targetScope") ||
      (next === Tok.Star && word === "import")
    );
  }

  /**
   * Skips a broken member of a list closed by `closer`: to the next line break or `closer` outside any bracket
   * opened while skipping, or to a declaration at column 1. Another closing bracket is skipped (Bicep's
   * recovery does the same), so that a stray `]` does not end an object.
   */
  protected recoverMember(closer: number): void {
    let balance = 0;
    for (;;) {
      const kind = this.tok();
      if (kind === Tok.EOF) return;
      if (balance === 0 && (kind === Tok.NewLine || kind === closer)) return;
      if (OPENERS.has(kind)) balance++;
      else if (CLOSERS.has(kind) && balance > 0) balance--;
      this.advance();
      if (kind === Tok.NewLine && this.atDeclarationStart(false)) return;
    }
  }

  /**
   * Skips a broken statement: to a line break, outside brackets, after which a statement can start (a decorator
   * or a declaration keyword), or to a declaration at column 1 inside an unclosed bracket. Lines in between are
   * skipped without more diagnostics: they belong to the broken statement.
   */
  protected recoverStatement(): void {
    // A construct that failed after skipping a line break may already stand at the next statement.
    if (this.i > 0 && this.toks.kind[this.i - 1] === Tok.NewLine && this.startsStatement(this.i)) return;
    let balance = 0;
    for (;;) {
      const kind = this.tok();
      if (kind === Tok.EOF) return;
      if (kind === Tok.NewLine) {
        const startsStatement = this.startsStatement(this.i + 1);
        this.advance();
        if ((balance === 0 && startsStatement) || this.atDeclarationStart(false)) return;
        continue;
      }
      if (OPENERS.has(kind)) balance++;
      else if (CLOSERS.has(kind) && balance > 0) balance--;
      this.advance();
    }
  }

  /** True when token `j` can begin a statement: a decorator, a declaration keyword, or the end of the file. */
  private startsStatement(j: number): boolean {
    const kind = this.kindAt(j);
    return kind === Tok.EOF || kind === Tok.At || (kind === Tok.Identifier && DECLARATION_KEYWORDS.has(this.textAt(j)));
  }
}
