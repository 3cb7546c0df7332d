/**
 * @module ingest/bicep/tokens
 * Ingest layer, Bicep syntax: the token kinds and the token stream the lexer fills and the parser reads. The
 * stream is a set of parallel typed arrays rather than one object per token, because a 5 MB file has about a
 * million tokens and the parser only ever needs a token's kind, its offsets, its line and column and, for the
 * pieces of a string, the decoded text. Also the spelling of the punctuation tokens, and line starts.
 */

/** Token kinds. Numbers, so they fit the stream's Uint8Array. */
export const Tok = {
  EOF: 0,
  /** One run of line breaks, with the blank lines and comment-only lines between them. */
  NewLine: 1,
  Identifier: 2,
  Integer: 3,
  True: 4,
  False: 5,
  Null: 6,
  /** `'abc'` or `'''abc'''`: a string without interpolation. */
  StringComplete: 7,
  /** `'abc${`: the text before the first interpolation hole. */
  StringLeft: 8,
  /** `}abc${`: the text between two holes. */
  StringMiddle: 9,
  /** `}abc'`: the text after the last hole. */
  StringRight: 10,
  LBrace: 11,
  RBrace: 12,
  LParen: 13,
  RParen: 14,
  LBracket: 15,
  RBracket: 16,
  Comma: 17,
  Dot: 18,
  Ellipsis: 19,
  Question: 20,
  DoubleQuestion: 21,
  Colon: 22,
  DoubleColon: 23,
  Semicolon: 24,
  Assign: 25,
  Plus: 26,
  Minus: 27,
  Star: 28,
  Slash: 29,
  Percent: 30,
  Bang: 31,
  Less: 32,
  LessEq: 33,
  Greater: 34,
  GreaterEq: 35,
  EqEq: 36,
  NotEq: 37,
  EqTilde: 38,
  NotTilde: 39,
  AndAnd: 40,
  OrOr: 41,
  Arrow: 42,
  Pipe: 43,
  At: 44,
  Hat: 45,
  /** A character Bicep has no token for (`"`, `&`, `#`, `$`, non-ASCII letters…); the lexer reports it. */
  Unrecognized: 46,
} as const;

export type TokKind = (typeof Tok)[keyof typeof Tok];

/**
 * The punctuation token starting with `c` (then `next`, `third`): its kind plus 256 times its length, or 0 when
 * there is none (a number rather than a pair, because the lexer asks once per token).
 */
export function punctuation(c: number, next: number, third: number): number {
  switch (c) {
    case 123:
      return Tok.LBrace + 256;
    case 40:
      return Tok.LParen + 256;
    case 41:
      return Tok.RParen + 256;
    case 91:
      return Tok.LBracket + 256;
    case 93:
      return Tok.RBracket + 256;
    case 44:
      return Tok.Comma + 256;
    case 59:
      return Tok.Semicolon + 256;
    case 64:
      return Tok.At + 256;
    case 94:
      return Tok.Hat + 256;
    case 43:
      return Tok.Plus + 256;
    case 45:
      return Tok.Minus + 256;
    case 42:
      return Tok.Star + 256;
    case 47:
      return Tok.Slash + 256;
    case 37:
      return Tok.Percent + 256;
    case 46: // .
      return next === 46 && third === 46 ? Tok.Ellipsis + 768 : Tok.Dot + 256;
    case 63: // ?
      return next === 63 ? Tok.DoubleQuestion + 512 : Tok.Question + 256;
    case 58: // :
      return next === 58 ? Tok.DoubleColon + 512 : Tok.Colon + 256;
    case 33: // !
      return next === 61 ? Tok.NotEq + 512 : next === 126 ? Tok.NotTilde + 512 : Tok.Bang + 256;
    case 60: // <
      return next === 61 ? Tok.LessEq + 512 : Tok.Less + 256;
    case 62: // >
      return next === 61 ? Tok.GreaterEq + 512 : Tok.Greater + 256;
    case 61: // =
      if (next === 61) return Tok.EqEq + 512;
      if (next === 126) return Tok.EqTilde + 512;
      return next === 62 ? Tok.Arrow + 512 : Tok.Assign + 256;
    case 38: // &
      return next === 38 ? Tok.AndAnd + 512 : 0;
    case 124: // |
      return next === 124 ? Tok.OrOr + 512 : Tok.Pipe + 256;
  }
  return 0;
}

/** True for the four kinds of string piece. */
export function isStringPiece(kind: number): boolean {
  return kind >= Tok.StringComplete && kind <= Tok.StringRight;
}

/** Tokens as parallel arrays (see the module comment). Lines and columns are 1-based, offsets 0-based. */
export class TokenStream {
  count = 0;
  kind: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  line: Int32Array;
  col: Int32Array;
  endLine: Int32Array;
  endCol: Int32Array;
  /** For a string piece, the index of its decoded text in `strings`; -1 for other tokens. */
  private stringIndex: Int32Array;
  private readonly strings: string[] = [];
  /** Token indices of strings written with `'''` (multi-line), for the AST's `multiline` flag. */
  readonly multiline = new Set<number>();

  constructor(capacity: number) {
    const size = Math.max(16, capacity);
    this.kind = new Uint8Array(size);
    this.start = new Int32Array(size);
    this.end = new Int32Array(size);
    this.line = new Int32Array(size);
    this.col = new Int32Array(size);
    this.endLine = new Int32Array(size);
    this.endCol = new Int32Array(size);
    this.stringIndex = new Int32Array(size);
  }

  /** The decoded text of string piece `i` (escapes and the multi-line rules applied); "" for other tokens. */
  value(i: number): string {
    const at = this.stringIndex[i]!;
    return at < 0 ? "" : this.strings[at]!;
  }

  setValue(i: number, text: string): void {
    this.stringIndex[i] = this.strings.length;
    this.strings.push(text);
  }

  /** Appends a token; positions are filled by the caller through the returned index. */
  push(kind: TokKind, start: number, end: number): number {
    if (this.count === this.kind.length) this.grow();
    const i = this.count++;
    this.kind[i] = kind;
    this.stringIndex[i] = -1;
    this.start[i] = start;
    this.end[i] = end;
    return i;
  }

  private grow(): void {
    const size = this.kind.length * 2;
    const widen = <A extends Uint8Array | Int32Array>(a: A, make: (n: number) => A): A => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.kind = widen(this.kind, (n) => new Uint8Array(n));
    this.start = widen(this.start, (n) => new Int32Array(n));
    this.end = widen(this.end, (n) => new Int32Array(n));
    this.line = widen(this.line, (n) => new Int32Array(n));
    this.col = widen(this.col, (n) => new Int32Array(n));
    this.endLine = widen(this.endLine, (n) => new Int32Array(n));
    this.endCol = widen(this.endCol, (n) => new Int32Array(n));
    this.stringIndex = widen(this.stringIndex, (n) => new Int32Array(n));
  }
}

/**
 * Line starts of a text, for turning offsets into 1-based lines and columns. A line break is `\n`, `\r\n` or a
 * lone `\r` (Bicep's lexer treats both characters as line breaks). Columns count UTF-16 code units.
 */
export class LineMap {
  readonly starts: number[] = [0];

  constructor(text: string) {
    if (!text.includes("\r")) {
      // The usual case, with the native search: a tenth of the time of the loop below on a large file.
      for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  /** 0-based index of the line holding `offset`. */
  lineIndex(offset: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** 1-based line and column of `offset`. */
  position(offset: number): { line: number; col: number } {
    const index = this.lineIndex(offset);
    return { line: index + 1, col: offset - this.starts[index]! + 1 };
  }
}
