/**
 * @module ingest/json/parse
 * A JSON parser that remembers where every object and array came from, so that a verdict can cite the line of
 * the rule or route that decided it. It builds plain values like `JSON.parse` (same numbers, same strings,
 * `__proto__` as an ordinary key) and records, for each object and array, its offset and its parent; line,
 * column and JSON pointer are worked out only when asked for. It accepts the `//` and `/* *\/` comments that
 * Azure Resource Manager accepts in templates, and never throws: a syntax error comes back as a value with
 * its line and column.
 */
import { type SourceRef, pointerJoin } from "../../model/source.js";

interface Origin {
  offset: number;
  parent: object | undefined;
  key: string | number;
}

export interface JsonSyntaxError {
  message: string;
  offset: number;
  line: number;
  column: number;
}

export type ParseOutcome = { ok: true; doc: JsonDocument } | { ok: false; error: JsonSyntaxError };

/** Nesting deeper than this is refused with a clear error instead of exhausting the stack. */
export const MAX_DEPTH = 1000;

/** A parsed document: the value plus the means to locate any of its objects or arrays. */
export class JsonDocument {
  private lineStarts: number[] | undefined;

  constructor(
    readonly file: string,
    readonly text: string,
    readonly value: unknown,
    private readonly origins: WeakMap<object, Origin>,
  ) {}

  /** True when `node` is an object or array of this document. */
  owns(node: object): boolean {
    return this.origins.has(node);
  }

  /** The location of an object or array of this document. */
  locate(node: object): SourceRef | undefined {
    const origin = this.origins.get(node);
    if (!origin) return undefined;
    const { line, column } = this.position(origin.offset);
    return { file: this.file, pointer: this.pointerOf(node), line, column };
  }

  /**
   * The location of the value at `path` below the root; where the path leaves the document (a property
   * that is absent), the closest ancestor that exists.
   */
  locatePath(path: readonly (string | number)[]): SourceRef {
    let node: unknown = this.value;
    let best: object | undefined = typeof node === "object" && node !== null ? node : undefined;
    for (const segment of path) {
      if (typeof node !== "object" || node === null) break;
      node = (node as Record<string | number, unknown>)[segment];
      if (typeof node === "object" && node !== null) best = node;
      else break;
    }
    return (best && this.locate(best)) ?? { file: this.file, pointer: "", line: 1, column: 1 };
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    const starts = this.lines();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }

  private pointerOf(node: object): string {
    const segments: (string | number)[] = [];
    let current: object | undefined = node;
    while (current) {
      const origin = this.origins.get(current);
      if (!origin?.parent) break;
      segments.push(origin.key);
      current = origin.parent;
    }
    let pointer = "";
    for (let i = segments.length - 1; i >= 0; i--) pointer = pointerJoin(pointer, segments[i]!);
    return pointer;
  }

  private lines(): number[] {
    if (!this.lineStarts) {
      const starts = [0];
      const text = this.text;
      for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }
}

class Fail {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

/** Parses `text` (the contents of `file`). */
export function parseJson(text: string, file: string): ParseOutcome {
  const origins = new WeakMap<object, Origin>();
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const parser = new Parser(text, origins, start);
  try {
    parser.skipSpace();
    if (parser.pos >= text.length) throw new Fail("the file is empty (no JSON value)", parser.pos);
    const value = parser.value(undefined, "", 0);
    parser.skipSpace();
    if (parser.pos < text.length) throw new Fail("unexpected text after the JSON value", parser.pos);
    return { ok: true, doc: new JsonDocument(file, text, value, origins) };
  } catch (error) {
    if (!(error instanceof Fail)) throw error;
    const doc = new JsonDocument(file, text, undefined, origins);
    const offset = Math.min(error.offset, text.length);
    const { line, column } = doc.position(offset);
    return { ok: false, error: { message: error.message, offset, line, column } };
  }
}

const enum C {
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
    private readonly origins: WeakMap<object, Origin>,
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

  value(parent: object | undefined, key: string | number, depth: number): unknown {
    const c = this.text.charCodeAt(this.pos);
    if (c === C.OpenBrace) return this.object(parent, key, depth + 1);
    if (c === C.OpenBracket) return this.array(parent, key, depth + 1);
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

  private object(parent: object | undefined, key: string | number, depth: number): Record<string, unknown> {
    if (depth > MAX_DEPTH) throw new Fail(`nesting deeper than ${MAX_DEPTH} levels`, this.pos);
    const result: Record<string, unknown> = {};
    this.origins.set(result, { offset: this.pos, parent, key });
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
      const item = this.value(result, name, depth);
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

  private array(parent: object | undefined, key: string | number, depth: number): unknown[] {
    if (depth > MAX_DEPTH) throw new Fail(`nesting deeper than ${MAX_DEPTH} levels`, this.pos);
    const result: unknown[] = [];
    this.origins.set(result, { offset: this.pos, parent, key });
    this.pos++;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === C.CloseBracket) {
      this.pos++;
      return result;
    }
    for (;;) {
      result.push(this.value(result, result.length, depth));
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
      if (c < 0x20) {
        if (Number.isNaN(c)) throw new Fail("unterminated string (the JSON is truncated)", this.pos);
        throw new Fail("control character inside a string", pos);
      }
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
      while ((c = text.charCodeAt(pos)) >= C.Zero && c <= C.Nine) pos++;
    } else {
      throw new Fail("invalid number", begin);
    }
    if (text.charCodeAt(pos) === C.Dot) {
      pos++;
      const digits = pos;
      while ((c = text.charCodeAt(pos)) >= C.Zero && c <= C.Nine) pos++;
      if (pos === digits) throw new Fail("invalid number: digits expected after '.'", pos);
    }
    c = text.charCodeAt(pos);
    if (c === C.LowerE || c === C.UpperE) {
      pos++;
      c = text.charCodeAt(pos);
      if (c === C.Plus || c === C.Minus) pos++;
      const digits = pos;
      while ((c = text.charCodeAt(pos)) >= C.Zero && c <= C.Nine) pos++;
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
