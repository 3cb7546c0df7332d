/**
 * @module ingest/bicep/lexer
 * Ingest layer, Bicep syntax: turns Bicep text into tokens (tokens.ts), following the rules of Bicep's own lexer
 * (github.com/Azure/bicep, src/Bicep.Core/Parsing/Lexer.cs): identifiers are ASCII, whitespace is space and tab,
 * line breaks are tokens (one token for a run of them, comment lines included), `//` and `/* *\/` comments and the
 * `#disable-next-line` / `#disable-diagnostics` / `#restore-diagnostics` pragmas at the start of a line are
 * skipped. Strings are cut at their interpolation holes into left, middle and right pieces, with a stack that
 * tells the `}` closing a hole from the `}` closing an object inside one, as Bicep does. Each character is
 * looked at a bounded number of times (no regular expressions), so lexing is linear in the text.
 * String values are decoded here: https://learn.microsoft.com/azure/azure-resource-manager/bicep/data-types#strings
 */
import { LineMap, punctuation, Tok, TokenStream, type TokKind } from "./tokens.js";

/** A problem found while lexing, by offsets; the parser gives it a line and column. */
export interface LexProblem {
  message: string;
  start: number;
  end: number;
}

export interface LexResult {
  tokens: TokenStream;
  lines: LineMap;
  problems: LexProblem[];
}

/** Bicep refuses longer identifiers (LanguageConstants.MaxIdentifierLength). */
const MAX_IDENTIFIER_LENGTH = 255;
const PRAGMAS = ["disable-next-line", "disable-diagnostics", "restore-diagnostics"];

/** What an open `{` belongs to while inside string interpolation: an object, or a hole of a string. */
type Open = { brace: true } | { brace: false; multiline: boolean; dollars: number };

/** Lexes `text` into tokens; never throws. The last token is always EOF. */
export function lex(text: string): LexResult {
  return new Lexer(text).run();
}

const isIdentStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isIdentPart = (c: number) => isIdentStart(c) || isDigit(c);
const isHex = (c: number) => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
const isBreak = (c: number) => c === 10 || c === 13;

class Lexer {
  private pos = 0;
  private readonly tokens: TokenStream;
  private readonly lines: LineMap;
  private readonly problems: LexProblem[] = [];
  private readonly stack: Open[] = [];
  /** True once the current line has a token or a comment (a pragma must come first on its line). */
  private lineHasContent = false;
  /** Cursor into the line starts; token positions only grow, so it only moves forward. */
  private lineCursor = 0;

  constructor(private readonly text: string) {
    this.tokens = new TokenStream((text.length >> 2) + 16);
    this.lines = new LineMap(text);
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  run(): LexResult {
    const text = this.text;
    for (;;) {
      this.skipTrivia();
      if (this.pos >= text.length) {
        this.emit(Tok.EOF, text.length, text.length);
        break;
      }
      this.scanToken();
    }
    return { tokens: this.tokens, lines: this.lines, problems: this.problems };
  }

  private problem(message: string, start: number, end = start + 1): void {
    this.problems.push({ message, start, end: Math.min(Math.max(end, start), this.text.length) });
  }

  private emit(kind: TokKind, start: number, end: number): number {
    const t = this.tokens;
    const i = t.push(kind, start, end);
    const starts = this.lines.starts;
    let cursor = this.lineCursor;
    while (cursor + 1 < starts.length && starts[cursor + 1]! <= start) cursor++;
    this.lineCursor = cursor;
    t.line[i] = cursor + 1;
    t.col[i] = start - starts[cursor]! + 1;
    let endCursor = cursor;
    while (endCursor + 1 < starts.length && starts[endCursor + 1]! <= end) endCursor++;
    t.endLine[i] = endCursor + 1;
    t.endCol[i] = end - starts[endCursor]! + 1;
    if (kind !== Tok.NewLine) this.lineHasContent = true;
    return i;
  }

  /** Skips spaces, tabs, comments and pragmas (never line breaks, which are tokens). */
  private skipTrivia(): void {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === 32 || c === 9) this.pos++;
      else if (c === 47 && text.charCodeAt(this.pos + 1) === 47) this.skipLineComment();
      else if (c === 47 && text.charCodeAt(this.pos + 1) === 42) this.skipBlockComment();
      else if (c === 35 && !this.lineHasContent && this.skipPragma()) continue;
      else return;
    }
  }

  private skipLineComment(): void {
    const text = this.text;
    let p = this.pos + 2;
    while (p < text.length && !isBreak(text.charCodeAt(p))) p++;
    this.pos = p;
    this.lineHasContent = true;
  }

  private skipBlockComment(): void {
    const close = this.text.indexOf("*/", this.pos + 2);
    if (close < 0) {
      this.problem("unterminated comment: '/*' has no '*/'", this.pos, this.pos + 2);
      this.pos = this.text.length;
    } else this.pos = close + 2;
    this.lineHasContent = true;
  }

  /** `#disable-next-line code code…` and its kin; the codes are letters, digits, `_` and `-`. */
  private skipPragma(): boolean {
    const text = this.text;
    const word = PRAGMAS.find((p) => text.startsWith(p, this.pos + 1));
    if (!word) return false;
    let p = this.pos + 1 + word.length;
    for (;;) {
      const c = text.charCodeAt(p);
      if (isIdentPart(c) || c === 45 || c === 32 || c === 9) p++;
      else break;
    }
    this.pos = p;
    this.lineHasContent = true;
    return true;
  }

  private scanToken(): void {
    const text = this.text;
    const start = this.pos;
    const c = text.charCodeAt(start);
    if (isBreak(c)) this.scanNewLines();
    else if (isIdentStart(c)) this.scanIdentifier();
    else if (isDigit(c)) {
      let p = start + 1;
      while (isDigit(text.charCodeAt(p))) p++;
      this.pos = p;
      this.emit(Tok.Integer, start, p);
    } else if (c === 39 && text.startsWith("'''", start)) {
      this.pos = start + 3;
      this.scanMultiline(start, true, 0);
    } else if (c === 39) {
      this.pos = start + 1;
      this.scanSegment(start, true);
    } else if (c === 36) this.scanDollar();
    else if (c === 125) this.scanCloseBrace();
    else {
      const op = punctuation(c, text.charCodeAt(start + 1), text.charCodeAt(start + 2));
      if (op === 0) {
        this.unrecognized(start);
        return;
      }
      // Inside interpolation, an object's `{` is pushed so that its `}` is not taken for the end of the hole.
      if (c === 123 && this.stack.length > 0) this.stack.push({ brace: true });
      this.pos = start + (op >> 8);
      this.emit((op & 255) as TokKind, start, this.pos);
    }
  }

  /** A character (or, for `$`, the run of them, so that a long run is not rescanned) with no token. */
  private unrecognized(start: number, runEnd = start): void {
    const text = this.text;
    const c = text.charCodeAt(start);
    const wide = c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(start + 1) & 0xfc00) === 0xdc00;
    const end = Math.max(runEnd, start + (wide ? 2 : 1));
    this.pos = end;
    const shown = text.slice(start, Math.min(end, start + 8));
    const why = c === 34 ? "Bicep strings use single quotes" : `unexpected character '${shown}'`;
    this.problem(why, start, end);
    this.emit(Tok.Unrecognized, start, end);
  }

  private scanIdentifier(): void {
    const text = this.text;
    const start = this.pos;
    let p = start + 1;
    while (isIdentPart(text.charCodeAt(p))) p++;
    this.pos = p;
    const length = p - start;
    let kind: TokKind = Tok.Identifier;
    if (length === 4 && text.startsWith("true", start)) kind = Tok.True;
    else if (length === 5 && text.startsWith("false", start)) kind = Tok.False;
    else if (length === 4 && text.startsWith("null", start)) kind = Tok.Null;
    else if (length > MAX_IDENTIFIER_LENGTH)
      this.problem(`identifier longer than ${MAX_IDENTIFIER_LENGTH} characters`, start, p);
    this.emit(kind, start, p);
  }

  /** A run of line breaks, with the whitespace and comments of the blank lines between them, is one token. */
  private scanNewLines(): void {
    const text = this.text;
    const start = this.pos;
    if (this.stack.length > 0) {
      // A line break inside `${…}` ends the string (Bicep reports the same), so holes never span lines.
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the message shows Bicep's interpolation syntax
      this.problem("unterminated string: a line break inside an interpolation '${…}'", start);
      this.stack.length = 0;
    }
    let end = start;
    for (;;) {
      while (isBreak(text.charCodeAt(this.pos))) this.pos++;
      end = this.pos;
      this.lineHasContent = false;
      this.skipTrivia();
      if (!isBreak(text.charCodeAt(this.pos))) break;
    }
    this.emit(Tok.NewLine, start, end);
  }

  /** `$'''…'''` (a multi-line string with `${…}` holes; more `$` make `${` literal) or a stray `$`. */
  private scanDollar(): void {
    const text = this.text;
    const start = this.pos;
    let p = start;
    while (text.charCodeAt(p) === 36) p++;
    if (text.startsWith("'''", p)) {
      this.pos = p + 3;
      this.scanMultiline(start, true, p - start);
    } else this.unrecognized(start, p);
  }

  private scanCloseBrace(): void {
    const start = this.pos;
    const top = this.stack[this.stack.length - 1];
    if (top && !top.brace) {
      this.pos = start + 1;
      if (top.multiline) this.scanMultiline(start, false, top.dollars);
      else this.scanSegment(start, false);
      return;
    }
    if (top) this.stack.pop();
    this.pos = start + 1;
    this.emit(Tok.RBrace, start, start + 1);
  }

  /** The rest of a single-line string piece, after its opening `'` or `}`. */
  private scanSegment(start: number, first: boolean): void {
    const text = this.text;
    let value = "";
    let chunk = this.pos;
    let p = this.pos;
    let kind: TokKind = first ? Tok.StringComplete : Tok.StringRight;
    let contentEnd = -1;
    while (contentEnd < 0) {
      if (p >= text.length) {
        this.problem("unterminated string: the file ends before its closing quote", start, p);
        contentEnd = p;
        break;
      }
      const c = text.charCodeAt(p);
      if (isBreak(c)) {
        this.problem(
          "unterminated string: a line break before the closing quote (use '''…''' for text on several lines)",
          start,
          p,
        );
        contentEnd = p;
        break;
      }
      if (c === 39) {
        contentEnd = p;
        p++;
      } else if (c === 36 && text.charCodeAt(p + 1) === 123) {
        contentEnd = p;
        p += 2;
        kind = first ? Tok.StringLeft : Tok.StringMiddle;
      } else if (c === 92) {
        value += text.slice(chunk, p);
        p = this.scanEscape(p, (s) => {
          value += s;
        });
        chunk = p;
      } else p++;
    }
    value += text.slice(chunk, contentEnd);
    this.pos = p;
    if (first && kind === Tok.StringLeft) this.stack.push({ brace: false, multiline: false, dollars: 0 });
    if (!first && kind === Tok.StringRight) this.stack.pop();
    const i = this.emit(kind, start, p);
    this.tokens.setValue(i, value);
  }

  /** One escape sequence at `p` (a backslash); appends its value and returns the offset after it. */
  private scanEscape(p: number, append: (s: string) => void): number {
    const text = this.text;
    const e = text.charCodeAt(p + 1);
    switch (e) {
      case 110:
        append("\n");
        return p + 2;
      case 114:
        append("\r");
        return p + 2;
      case 116:
        append("\t");
        return p + 2;
      case 92:
      case 39:
      case 36:
        append(text[p + 1]!);
        return p + 2;
      case 117: {
        // \u{hex}: a code point up to 10FFFF
        let q = p + 2;
        if (text.charCodeAt(q) === 123) {
          q++;
          const digits = q;
          while (isHex(text.charCodeAt(q))) q++;
          // leading zeros are allowed (Bicep parses the digits as a number), so cut them before the size check
          const hex = text.slice(digits, q).replace(/^0+(?=.)/, "");
          const code = hex.length <= 6 ? Number.parseInt(hex, 16) : Number.POSITIVE_INFINITY;
          if (q > digits && text.charCodeAt(q) === 125 && code <= 0x10ffff) {
            append(String.fromCodePoint(code));
            return q + 1;
          }
        }
        this.problem("invalid unicode escape: write \\u{…} with 1 to 6 hex digits, at most 10FFFF", p, q);
        return Math.max(q, p + 2);
      }
    }
    if (Number.isNaN(e) || isBreak(e)) {
      this.problem("unterminated escape sequence at the end of the string", p, p + 1);
      return p + 1;
    }
    this.problem(`unknown escape '\\${text[p + 1]}' (Bicep has \\n \\r \\t \\\\ \\' \\$ and \\u{…})`, p, p + 2);
    append(text[p + 1]!);
    return p + 2;
  }

  /**
   * The rest of a multi-line string piece: no escapes; three or more quotes end it (all but the last three are
   * text); with `dollars` > 0, that many `$` (or more) before `{` open a hole. The first piece drops one line
   * break right after the opening `'''` (Lexer.TryGetMultilineStringValue).
   */
  private scanMultiline(start: number, first: boolean, dollars: number): void {
    const text = this.text;
    let p = this.pos;
    const contentStart = p;
    let contentEnd = -1;
    let kind: TokKind = first ? Tok.StringComplete : Tok.StringRight;
    while (p < text.length) {
      const c = text.charCodeAt(p);
      if (c === 39) {
        const run = p;
        while (text.charCodeAt(p) === 39) p++;
        if (p - run >= 3) {
          contentEnd = p - 3;
          break;
        }
      } else if (c === 36 && dollars > 0) {
        const run = p;
        while (text.charCodeAt(p) === 36) p++;
        if (p - run >= dollars && text.charCodeAt(p) === 123) {
          p++;
          contentEnd = p - dollars - 1;
          kind = first ? Tok.StringLeft : Tok.StringMiddle;
          break;
        }
      } else p++;
    }
    if (contentEnd < 0) {
      this.problem("unterminated multi-line string: the file ends before its closing '''", start, p);
      contentEnd = p;
    }
    this.pos = p;
    let from = contentStart;
    if (first) {
      if (text.charCodeAt(from) === 13 && from < contentEnd) from++;
      if (text.charCodeAt(from) === 10 && from < contentEnd) from++;
    }
    if (first && kind === Tok.StringLeft) this.stack.push({ brace: false, multiline: true, dollars });
    if (!first && kind === Tok.StringRight) this.stack.pop();
    const i = this.emit(kind, start, p);
    this.tokens.setValue(i, text.slice(from, contentEnd));
    if (first) this.tokens.multiline.add(i);
  }
}
