/**
 * @module ingest/arm/expression/parse
 * The ARM template expression language, read into a small syntax tree: a JSON string that starts with `[`
 * and ends with `]` is an expression (`[[` escapes a literal `[`); inside are function calls, `'…'` string
 * literals (`''` is a quote), integers, `.property` and `[index]` access. The parser never throws on bad
 * text: it returns an error with the offset, so the caller can cite the template line.
 * Grammar: https://learn.microsoft.com/azure/azure-resource-manager/templates/template-expressions
 */

export type Expr =
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "boolean"; value: boolean }
  | { kind: "null" }
  | { kind: "call"; name: string; args: Expr[]; offset: number }
  | { kind: "property"; target: Expr; name: string; safe: boolean }
  | { kind: "index"; target: Expr; index: Expr; safe: boolean };

export type ExpressionParse = { ok: true; expr: Expr } | { ok: false; message: string; offset: number };

/** Deeper nesting than this is refused (a template is untrusted input; recursion stays bounded). */
export const MAX_EXPRESSION_DEPTH = 100;

/** True when a template string is an expression rather than a literal (`[[` is an escaped literal). */
export function isExpression(text: string): boolean {
  return (
    text.length >= 2 &&
    text.charCodeAt(0) === 91 /* [ */ &&
    text.charCodeAt(text.length - 1) === 93 /* ] */ &&
    text.charCodeAt(1) !== 91
  );
}

/** The literal a `[[...` string stands for (ARM drops the first bracket), or the text itself. */
export function unescapeLiteral(text: string): string {
  return text.startsWith("[[") ? text.slice(1) : text;
}

class SyntaxFail {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

const cache = new Map<string, ExpressionParse>();
const CACHE_LIMIT = 50_000;

/** Parses the expression inside `[` `]` of `text` (the whole template string). Results are cached by text. */
export function parseExpression(text: string): ExpressionParse {
  const hit = cache.get(text);
  if (hit) return hit;
  const result = parseUncached(text);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, result);
  return result;
}

function parseUncached(text: string): ExpressionParse {
  const parser = new Parser(text.slice(0, -1), 1);
  try {
    parser.space();
    if (parser.atEnd()) throw new SyntaxFail("the expression is empty", 1);
    const expr = parser.expression(0);
    parser.space();
    if (!parser.atEnd()) throw new SyntaxFail(`unexpected ${parser.describe()} after the expression`, parser.pos);
    return { ok: true, expr };
  } catch (error) {
    if (error instanceof SyntaxFail) return { ok: false, message: error.message, offset: error.offset };
    throw error;
  }
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

class Parser {
  constructor(
    private readonly text: string,
    public pos: number,
  ) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  describe(): string {
    return this.atEnd() ? "end of expression" : JSON.stringify(this.text[this.pos]);
  }

  space(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }

  private peek(): number {
    return this.text.charCodeAt(this.pos);
  }

  private expect(code: number, what: string): void {
    this.space();
    if (this.peek() !== code) throw new SyntaxFail(`expected ${what}, found ${this.describe()}`, this.pos);
    this.pos++;
  }

  expression(depth: number): Expr {
    if (depth > MAX_EXPRESSION_DEPTH)
      throw new SyntaxFail(`expression nested deeper than ${MAX_EXPRESSION_DEPTH}`, this.pos);
    this.space();
    let expr = this.primary(depth);
    for (;;) {
      this.space();
      const c = this.peek();
      if (c === 46 /* . */ || (c === 63 /* ? */ && this.text.charCodeAt(this.pos + 1) === 46)) {
        const safe = c === 63;
        this.pos += safe ? 2 : 1;
        this.space();
        if (this.peek() === 91 /* [ */) {
          expr = this.index(expr, depth, true);
          continue;
        }
        const name = this.identifier();
        if (!name) throw new SyntaxFail(`expected a property name after '.', found ${this.describe()}`, this.pos);
        expr = { kind: "property", target: expr, name, safe };
      } else if (c === 91 /* [ */) {
        expr = this.index(expr, depth, false);
      } else {
        return expr;
      }
    }
  }

  private index(target: Expr, depth: number, safe: boolean): Expr {
    this.pos++;
    const index = this.expression(depth + 1);
    this.expect(93, "']'");
    return { kind: "index", target, index, safe };
  }

  private identifier(): string {
    const start = this.pos;
    if (!isIdentStart(this.peek())) return "";
    while (this.pos < this.text.length && isIdentPart(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private primary(depth: number): Expr {
    const c = this.peek();
    const start = this.pos;
    if (c === 39 /* ' */) return { kind: "string", value: this.string() };
    if (c === 45 /* - */ || (c >= 48 && c <= 57)) return { kind: "number", value: this.number() };
    let name = this.identifier();
    if (!name) {
      if (this.atEnd()) throw new SyntaxFail("unexpected end of expression", this.pos);
      throw new SyntaxFail(`unexpected ${this.describe()}`, this.pos);
    }
    // A user-defined function is called with its namespace: `ns.fn(...)`.
    const afterName = this.pos;
    if (this.peek() === 46 && isIdentStart(this.text.charCodeAt(this.pos + 1))) {
      this.pos++;
      const member = this.identifier();
      this.space();
      if (this.peek() === 40) name = `${name}.${member}`;
      else this.pos = afterName;
    }
    this.space();
    if (this.peek() !== 40 /* ( */) {
      const lower = name.toLowerCase();
      if (lower === "true" || lower === "false") return { kind: "boolean", value: lower === "true" };
      if (lower === "null") return { kind: "null" };
      throw new SyntaxFail(`'${name}' must be called as a function: ${name}(...)`, start);
    }
    this.pos++;
    const args: Expr[] = [];
    this.space();
    if (this.peek() === 41 /* ) */) {
      this.pos++;
      return { kind: "call", name, args, offset: start };
    }
    for (;;) {
      args.push(this.expression(depth + 1));
      this.space();
      const next = this.peek();
      if (next === 44 /* , */) {
        this.pos++;
      } else if (next === 41) {
        this.pos++;
        return { kind: "call", name, args, offset: start };
      } else {
        throw new SyntaxFail(`expected ',' or ')' in the arguments of ${name}, found ${this.describe()}`, this.pos);
      }
    }
  }

  private string(): string {
    const start = this.pos;
    this.pos++;
    let out = "";
    for (;;) {
      const end = this.text.indexOf("'", this.pos);
      if (end < 0) throw new SyntaxFail("unterminated string literal (a quote inside a string is written '')", start);
      out += this.text.slice(this.pos, end);
      if (this.text.charCodeAt(end + 1) === 39) {
        out += "'";
        this.pos = end + 2;
      } else {
        this.pos = end + 1;
        return out;
      }
    }
  }

  private number(): number {
    const start = this.pos;
    if (this.peek() === 45) this.pos++;
    const digits = this.pos;
    while (this.pos < this.text.length && this.peek() >= 48 && this.peek() <= 57) this.pos++;
    if (this.pos === digits) throw new SyntaxFail("expected digits after '-'", start);
    if (this.peek() === 46 && this.text.charCodeAt(this.pos + 1) >= 48 && this.text.charCodeAt(this.pos + 1) <= 57) {
      this.pos++;
      while (this.pos < this.text.length && this.peek() >= 48 && this.peek() <= 57) this.pos++;
    }
    return Number(this.text.slice(start, this.pos));
  }
}

/** The expression back as ARM text, for messages (`parameters('x')`, `resourceGroup().location`). */
export function printExpression(expr: Expr): string {
  switch (expr.kind) {
    case "string":
      return `'${expr.value.replace(/'/g, "''")}'`;
    case "number":
      return String(expr.value);
    case "boolean":
      return String(expr.value);
    case "null":
      return "null";
    case "call":
      return `${expr.name}(${expr.args.map(printExpression).join(", ")})`;
    case "property":
      return `${printExpression(expr.target)}${expr.safe ? "?." : "."}${expr.name}`;
    case "index":
      return `${printExpression(expr.target)}${expr.safe ? "?." : ""}[${printExpression(expr.index)}]`;
  }
}
