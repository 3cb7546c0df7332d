/**
 * @module ingest/terraform/hcl/scanner
 * Ingest layer, Terraform: the character-level half of the HCL parser. Tokens are scanned on demand from an
 * offset, because HCL changes how text is read with context: inside a quoted string or a heredoc it is a
 * template (literal text with `${…}` and `%{…}`), elsewhere it is tokens, and newlines end an attribute at the
 * top of a body or inside an object constructor but not inside parentheses, brackets or a `for` expression
 * (hclsyntax/spec.md, "Newline handling"). The parser (parser.ts) keeps that context and asks for one token at a
 * time. Each character is looked at a bounded number of times, so scanning is linear in the text.
 */

export type TokenKind = "ident" | "number" | "quote" | "heredoc" | "punct" | "newline" | "eof" | "invalid";

export interface Token {
  kind: TokenKind;
  /** The identifier, the punctuation, or the number's text. */
  text: string;
  start: number;
  end: number;
}

/** Two-character punctuation, by its first character. */
const PAIRS: Record<string, string[]> = {
  "=": ["==", "=>"],
  "!": ["!="],
  "<": ["<="],
  ">": [">="],
  "&": ["&&"],
  "|": ["||"],
};
const SINGLE = new Set(["{", "}", "[", "]", "(", ")", ",", "=", ":", "?", "!", "<", ">", "+", "-", "*", "/", "%", "~"]);

export function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7);
}

export function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c) || c === 45;
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Skips spaces, tabs, carriage returns and comments from `pos`; stops at a newline or anything else. */
export function skipBlank(text: string, pos: number): number {
  for (;;) {
    const c = text.charCodeAt(pos);
    if (c === 32 || c === 9 || c === 13 || c === 0xfeff) {
      pos++;
    } else if (c === 35 || (c === 47 && text.charCodeAt(pos + 1) === 47)) {
      // `#` and `//` comments run to the end of the line; the newline itself stays a token.
      while (pos < text.length && text.charCodeAt(pos) !== 10) pos++;
    } else if (c === 47 && text.charCodeAt(pos + 1) === 42) {
      const close = text.indexOf("*/", pos + 2);
      pos = close < 0 ? text.length : close + 2;
    } else {
      return pos;
    }
  }
}

/** Scans the token at `pos` (which skipBlank has passed); never throws. */
export function scanToken(text: string, pos: number): Token {
  if (pos >= text.length) return { kind: "eof", text: "", start: pos, end: pos };
  const c = text.charCodeAt(pos);
  if (c === 10) return { kind: "newline", text: "\n", start: pos, end: pos + 1 };
  if (isIdentStart(c)) {
    let end = pos + 1;
    while (end < text.length && isIdentPart(text.charCodeAt(end))) end++;
    return { kind: "ident", text: text.slice(pos, end), start: pos, end };
  }
  if (isDigit(c)) {
    let end = pos + 1;
    while (isDigit(text.charCodeAt(end))) end++;
    if (text.charCodeAt(end) === 46 && isDigit(text.charCodeAt(end + 1))) {
      end += 2;
      while (isDigit(text.charCodeAt(end))) end++;
    }
    const e = text.charCodeAt(end);
    if (e === 101 || e === 69) {
      let k = end + 1;
      const sign = text.charCodeAt(k);
      if (sign === 43 || sign === 45) k++;
      if (isDigit(text.charCodeAt(k))) {
        end = k + 1;
        while (isDigit(text.charCodeAt(end))) end++;
      }
    }
    return { kind: "number", text: text.slice(pos, end), start: pos, end };
  }
  if (c === 34) return { kind: "quote", text: '"', start: pos, end: pos + 1 };
  if (c === 60 && text.charCodeAt(pos + 1) === 60) return { kind: "heredoc", text: "<<", start: pos, end: pos + 2 };
  const ch = text[pos]!;
  if (ch === "." && text.startsWith("...", pos)) return { kind: "punct", text: "...", start: pos, end: pos + 3 };
  if (ch === ".") return { kind: "punct", text: ".", start: pos, end: pos + 1 };
  for (const p of PAIRS[ch] ?? [])
    if (text.charCodeAt(pos + 1) === p.charCodeAt(1)) return { kind: "punct", text: p, start: pos, end: pos + 2 };
  if (SINGLE.has(ch)) return { kind: "punct", text: ch, start: pos, end: pos + 1 };
  const width = c >= 0xd800 && c <= 0xdbff ? 2 : 1;
  return { kind: "invalid", text: text.slice(pos, pos + width), start: pos, end: pos + width };
}

/** A character for messages: printable as is, or named. */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case "eof":
      return "end of file";
    case "newline":
      return "newline";
    case "quote":
      return "a string";
    case "heredoc":
      return "a heredoc";
    case "ident":
      return `'${token.text.slice(0, 40)}'`;
    case "number":
      return `number ${token.text.slice(0, 40)}`;
    default: {
      const code = token.text.codePointAt(0) ?? 0;
      return code < 32 || code === 0x7f ? `character U+${code.toString(16).padStart(4, "0")}` : `'${token.text}'`;
    }
  }
}
