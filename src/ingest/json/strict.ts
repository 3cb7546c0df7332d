/**
 * @module ingest/json/strict
 * The careful JSON reader behind parseJson's fast path: it is used only when `JSON.parse` refuses a text,
 * to accept the `//` and `/* *\/` comments that Azure Resource Manager accepts in templates, and otherwise
 * to say exactly where and why the text is not JSON. It builds plain values like `JSON.parse` (same
 * numbers and strings, `__proto__` as an ordinary key) and never throws on bad input.
 */

/** Nesting deeper than this is refused with a clear error instead of exhausting the stack. */
export const MAX_DEPTH = 1000;

export type StrictOutcome = { ok: true; value: unknown } | { ok: false; message: string; offset: number };

class Fail {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

/** Reads `text` from `start`; comments are skipped. */
export function parseStrict(text: string, start: number): StrictOutcome {
  const parser = new Parser(text, start);
  try {
    parser.skipSpace();
    if (parser.pos >= text.length) throw new Fail("the file is empty (no JSON value)", parser.pos);
    const value = parser.value(0);
    parser.skipSpace();
    if (parser.pos < text.length) throw new Fail("unexpected text after the JSON value", parser.pos);
    return { ok: true, value };
  } catch (error) {
    if (!(error instanceof Fail)) throw error;
    return { ok: false, message: error.message, offset: Math.min(error.offset, text.length) };
  }
}

/** `text` with every comment replaced by spaces (line breaks kept), so offsets, lines and columns stay put. */
export function blankComments(text: string): string {
  let out = "";
  let last = 0;
  let pos = 0;
  while (pos < text.length) {
    const c = text.charCodeAt(pos);
    if (c === 34) {
      pos++;
      while (pos < text.length && text.charCodeAt(pos) !== 34) pos += text.charCodeAt(pos) === 92 ? 2 : 1;
      pos++;
    } else if (c === 47 && (text.charCodeAt(pos + 1) === 47 || text.charCodeAt(pos + 1) === 42)) {
      const block = text.charCodeAt(pos + 1) === 42;
      let end = block ? text.indexOf("*/", pos + 2) : text.indexOf("\n", pos + 2);
      end = end < 0 ? text.length : block ? end + 2 : end;
      out += text.slice(last, pos) + text.slice(pos, end).replace(/[^\n]/g, " ");
      last = pos = end;
    } else {
      pos++;
    }
  }
  return out + text.slice(last);
}

enum C {
  Tab = 9,
  Newline = 10,
  Return = 13,
  Space = 32,
  Quote = 34,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  UpperE = 69,
  OpenBracket = 91,
  Backslash = 92,
  CloseBracket = 93,
  LowerE = 101,
  OpenBrace = 123,
  CloseBrace = 125,
}

class Parser {
  constructor(
    private readonly text: string,
    public pos: number,
  ) {}

  skipSpace(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === C.Space || c === C.Newline || c === C.Return || c === C.Tab) {
        pos++;
      } else if (c === C.Slash) {
        const next = text.charCodeAt(pos + 1);
        if (next === C.Slash) {
          const end = text.indexOf("\n", pos + 2);
          pos = end < 0 ? text.length : end + 1;
        } else if (next === 42 /* * */) {
          const end = text.indexOf("*/", pos + 2);
          if (end < 0) throw new Fail("unterminated /* comment", pos);
          pos = end + 2;
        } else {
          break;
        }
      } else {
        break;
      }
    }
    this.pos = pos;
  }

  value(depth: number): unknown {
    const c = this.text.charCodeAt(this.pos);
    if (c === C.OpenBrace) return this.object(depth + 1);
    if (c === C.OpenBracket) return this.array(depth + 1);
    if (c === C.Quote) return this.string();
    if (c === C.Minus || (c >= C.Zero && c <= C.Nine)) return this.number();
    if (this.text.startsWith("true", this.pos)) {
      this.pos += 4;
      return true;
    }
    if (this.text.startsWith("false", this.pos)) {
      this.pos += 5;
      return false;
    }
    if (this.text.startsWith("null", this.pos)) {
      this.pos += 4;
      return null;
    }
    if (Number.isNaN(c)) throw new Fail("unexpected end of input (the JSON is truncated)", this.pos);
    throw new Fail(`unexpected character ${describe(this.text, this.pos)}`, this.pos);
  }

  private object(depth: number): Record<string, unknown> {
    if (depth > MAX_DEPTH) throw new Fail(`nesting deeper than ${MAX_DEPTH} levels`, this.pos);
    const result: Record<string, unknown> = {};
    this.pos++;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === C.CloseBrace) {
      this.pos++;
      return result;
    }
    for (;;) {
      if (this.text.charCodeAt(this.pos) !== C.Quote) {
        throw new Fail(`expected a property name in double quotes, found ${describe(this.text, this.pos)}`, this.pos);
      }
      const name = this.string();
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) !== C.Colon) {
        throw new Fail(`expected ':' after property name "${name}"`, this.pos);
      }
      this.pos++;
      this.skipSpace();
      const item = this.value(depth);
      if (name === "__proto__") {
        // An own data property, as JSON.parse makes it; assignment would change the prototype instead.
        Object.defineProperty(result, name, { value: item, enumerable: true, writable: true, configurable: true });
      } else {
        result[name] = item;
      }
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos);
      if (c === C.Comma) {
        this.pos++;
        this.skipSpace();
      } else if (c === C.CloseBrace) {
        this.pos++;
        return result;
      } else {
        throw new Fail(`expected ',' or '}' in object, found ${describe(this.text, this.pos)}`, this.pos);
      }
    }
  }

  private array(depth: number): unknown[] {
    if (depth > MAX_DEPTH) throw new Fail(`nesting deeper than ${MAX_DEPTH} levels`, this.pos);
    const result: unknown[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === C.CloseBracket) {
      this.pos++;
      return result;
    }
    for (;;) {
      result.push(this.value(depth));
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos);
      if (c === C.Comma) {
        this.pos++;
        this.skipSpace();
      } else if (c === C.CloseBracket) {
        this.pos++;
        return result;
      } else {
        throw new Fail(`expected ',' or ']' in array, found ${describe(this.text, this.pos)}`, this.pos);
      }
    }
  }

  private string(): string {
    const text = this.text;
    const begin = this.pos + 1;
    let pos = begin;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === C.Quote) {
        this.pos = pos + 1;
        return text.slice(begin, pos);
      }
      if (c === C.Backslash) return this.escapedString(begin);
      if (Number.isNaN(c)) throw new Fail("unterminated string (the JSON is truncated)", this.pos);
      if (c < 0x20) throw new Fail("control character inside a string", pos);
      pos++;
    }
  }

  private escapedString(begin: number): string {
    const text = this.text;
    let out = "";
    let chunk = begin;
    let pos = begin;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (Number.isNaN(c)) throw new Fail("unterminated string (the JSON is truncated)", begin - 1);
      if (c === C.Quote) {
        this.pos = pos + 1;
        return out + text.slice(chunk, pos);
      }
      if (c < 0x20) throw new Fail("control character inside a string", pos);
      if (c !== C.Backslash) {
        pos++;
        continue;
      }
      out += text.slice(chunk, pos);
      const e = text[pos + 1];
      switch (e) {
        case '"':
        case "\\":
        case "/":
          out += e;
          break;
        case "b":
          out += "\b";
          break;
        case "f":
          out += "\f";
          break;
        case "n":
          out += "\n";
          break;
        case "r":
          out += "\r";
          break;
        case "t":
          out += "\t";
          break;
        case "u": {
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Fail("invalid \\u escape in string", pos);
          out += String.fromCharCode(Number.parseInt(hex, 16));
          pos += 4;
          break;
        }
        default:
          throw new Fail("invalid escape in string", pos);
      }
      pos += 2;
      chunk = pos;
    }
  }

  private number(): number {
    const text = this.text;
    const begin = this.pos;
    let pos = begin;
    if (text.charCodeAt(pos) === C.Minus) pos++;
    let c = text.charCodeAt(pos);
    if (c === C.Zero) {
      pos++;
    } else if (c >= C.Zero + 1 && c <= C.Nine) {
      pos = skipDigits(text, pos);
    } else {
      throw new Fail("invalid number", begin);
    }
    if (text.charCodeAt(pos) === C.Dot) {
      pos++;
      const digits = pos;
      pos = skipDigits(text, pos);
      if (pos === digits) throw new Fail("invalid number: digits expected after '.'", pos);
    }
    c = text.charCodeAt(pos);
    if (c === C.LowerE || c === C.UpperE) {
      pos++;
      c = text.charCodeAt(pos);
      if (c === C.Plus || c === C.Minus) pos++;
      const digits = pos;
      pos = skipDigits(text, pos);
      if (pos === digits) throw new Fail("invalid number: digits expected in exponent", pos);
    }
    this.pos = pos;
    return Number(text.slice(begin, pos));
  }
}

function describe(text: string, pos: number): string {
  if (pos >= text.length) return "end of input";
  const ch = text[pos]!;
  return JSON.stringify(ch);
}

function skipDigits(text: string, from: number): number {
  let pos = from;
  for (let c = text.charCodeAt(pos); c >= C.Zero && c <= C.Nine; c = text.charCodeAt(pos)) pos++;
  return pos;
}
