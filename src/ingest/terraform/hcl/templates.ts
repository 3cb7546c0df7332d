/**
 * @module ingest/terraform/hcl/templates
 * Ingest layer, Terraform: the template half of the HCL parser: quoted strings (with their escapes `\\n`,
 * `\\"`, `\\uNNNN`, and `$${` / `%%{` for the literal `${` / `%{`), heredocs (`<<EOT`, and `<<-EOT`, whose
 * common indentation is removed), interpolations with their `~` strip markers, and the `%{if}` / `%{for}`
 * directives, read flat and then nested. The expression inside an interpolation is the parser's (parser.ts).
 */
import type { Expr, Span, TemplateExpr, TemplatePart } from "./ast.js";
import { TokenParser } from "./parse-base.js";
import { describeToken, isIdentPart, isIdentStart, type Token } from "./scanner.js";

export abstract class TemplateParser extends TokenParser {
  protected abstract expression(): Expr;

  /** A quoted template, after its opening quote. */
  protected quoted(start: number): TemplateExpr {
    const parts = this.templateParts(start, -1);
    return { kind: "Template", parts, heredoc: false, start, end: this.pos };
  }

  protected heredoc(t: Token): TemplateExpr {
    let pos = t.end;
    const indent = this.text.charCodeAt(pos) === 45;
    if (indent) pos++;
    let end = pos;
    while (isIdentPart(this.text.charCodeAt(end))) end++;
    const marker = this.text.slice(pos, end);
    if (marker.length === 0 || !isIdentStart(marker.charCodeAt(0)))
      this.fail("expected a heredoc marker after '<<'", t);
    let lineEnd = end;
    if (this.text.charCodeAt(lineEnd) === 13) lineEnd++;
    if (this.text.charCodeAt(lineEnd) !== 10)
      this.fail("a heredoc marker must end its line", { start: end, end: end + 1 });
    const contentStart = lineEnd + 1;
    // The closing marker is a line holding only the marker (and spaces).
    let lineStart = contentStart;
    let closeAt = -1;
    while (lineStart <= this.text.length) {
      let nl = this.text.indexOf("\n", lineStart);
      if (nl < 0) nl = this.text.length;
      if (this.text.slice(lineStart, nl).trim() === marker) {
        closeAt = lineStart;
        this.pos = nl;
        break;
      }
      if (nl >= this.text.length) break;
      lineStart = nl + 1;
    }
    if (closeAt < 0) this.fail(`unterminated heredoc: no line with '${marker}' closes it`, t);
    const after = this.pos;
    this.pos = contentStart;
    const parts = this.templateParts(contentStart, closeAt);
    this.pos = after;
    return { kind: "Template", parts: indent ? dedent(parts) : parts, heredoc: true, start: t.start, end: after };
  }

  /**
   * Template parts from `this.pos` up to the closing quote (`limit` -1) or the offset `limit` (a heredoc).
   * Directives are read flat and then nested (`%{if}` … `%{else}` … `%{endif}`, `%{for}` … `%{endfor}`).
   */
  protected templateParts(start: number, limit: number): TemplatePart[] {
    const flat: (
      | TemplatePart
      | { kind: "directive"; word: string; span: Span; cond?: Expr; keyVar?: string; valueVar?: string; coll?: Expr }
    )[] = [];
    let text = "";
    let textStart = this.pos;
    const quoted = limit < 0;
    const end = quoted ? this.text.length : limit;
    let stripNext = false;
    const flush = (to: number) => {
      if (text.length > 0) {
        flat.push({
          kind: "text",
          value: stripNext ? text.replace(/^\s+/, "") : text,
          span: { start: textStart, end: to },
        });
      }
      stripNext = false;
      text = "";
    };
    for (;;) {
      if (this.pos >= end) {
        if (quoted) this.fail("unterminated string: expected a closing '\"'", { start, end: start + 1 });
        flush(this.pos);
        break;
      }
      const c = this.text.charCodeAt(this.pos);
      if (quoted && c === 34) {
        flush(this.pos);
        this.pos++;
        break;
      }
      if (quoted && c === 10)
        this.fail("unterminated string: a quoted string cannot span lines (use a heredoc)", { start, end: this.pos });
      if (quoted && c === 92) {
        text += this.escape();
        continue;
      }
      const next = this.text.charCodeAt(this.pos + 1);
      if ((c === 36 || c === 37) && next === c && this.text.charCodeAt(this.pos + 2) === 123) {
        // `$${` and `%%{` are the literal `${` and `%{`.
        text += c === 36 ? "${" : "%{";
        this.pos += 3;
        continue;
      }
      if ((c === 36 || c === 37) && next === 123) {
        const open = this.pos;
        this.pos += 2;
        let strip = false;
        if (this.text.charCodeAt(this.pos) === 126) {
          strip = true;
          this.pos++;
        }
        if (strip) text = text.replace(/\s+$/, "");
        flush(open);
        this.enter({ start: open, end: open + 2 });
        const part = this.withNewlines(false, () => (c === 36 ? this.interpolation() : this.directive(open)));
        this.leave();
        flat.push(part);
        textStart = this.pos;
        if (this.text.charCodeAt(this.pos - 2) === 126) stripNext = true;
        continue;
      }
      // A run of plain characters at once.
      let run = this.pos + 1;
      while (run < end) {
        const k = this.text.charCodeAt(run);
        if (k === 34 || k === 92 || k === 10 || k === 36 || k === 37) break;
        run++;
      }
      text += this.text.slice(this.pos, run);
      this.pos = run;
    }
    return nestDirectives(flat, (message, span) => this.fail(message, span));
  }

  protected interpolation(): TemplatePart {
    const expr = this.expression();
    this.closeTemplateItem();
    return { kind: "interp", expr };
  }

  /** After the expression of `${…}` or `%{…}`: an optional `~` and the `}`. */
  protected closeTemplateItem(): void {
    const t = this.peek();
    if (this.isPunct(t, "~")) {
      this.next();
      const close = this.peek();
      if (!this.isPunct(close, "}") || close.start !== t.end) this.fail("expected '}' right after '~'", close);
      this.next();
      return;
    }
    this.expect("}", "to close the interpolation");
  }

  protected directive(open: number): {
    kind: "directive";
    word: string;
    span: Span;
    cond?: Expr;
    keyVar?: string;
    valueVar?: string;
    coll?: Expr;
  } {
    const word = this.next();
    const span = { start: open, end: word.end };
    if (word.kind !== "ident")
      this.fail(`expected if, else, endif, for or endfor after '%{', found ${describeToken(word)}`, word);
    switch (word.text) {
      case "if": {
        const cond = this.expression();
        this.closeTemplateItem();
        return { kind: "directive", word: "if", span, cond };
      }
      case "for": {
        const first = this.next();
        if (first.kind !== "ident") this.fail("expected a variable name after 'for'", first);
        let keyVar: string | undefined;
        let valueVar = first.text;
        if (this.isPunct(this.peek(), ",")) {
          this.next();
          const second = this.next();
          if (second.kind !== "ident") this.fail("expected a variable name after ','", second);
          keyVar = first.text;
          valueVar = second.text;
        }
        const inKw = this.next();
        if (inKw.kind !== "ident" || inKw.text !== "in") this.fail("expected 'in' in the for directive", inKw);
        const coll = this.expression();
        this.closeTemplateItem();
        return { kind: "directive", word: "for", span, keyVar, valueVar, coll };
      }
      case "else":
      case "endif":
      case "endfor":
        this.closeTemplateItem();
        return { kind: "directive", word: word.text, span };
      default:
        return this.fail(`unknown template directive '${word.text}'`, word);
    }
  }

  /** A backslash escape in a quoted string (HCL: \n \r \t \" \\ \uNNNN \UNNNNNNNN). */
  protected escape(): string {
    const at = this.pos;
    const c = this.text[this.pos + 1];
    this.pos += 2;
    switch (c) {
      case "n":
        return "\n";
      case "r":
        return "\r";
      case "t":
        return "\t";
      case '"':
        return '"';
      case "\\":
        return "\\";
      case "u":
      case "U": {
        const width = c === "u" ? 4 : 8;
        const hex = this.text.slice(this.pos, this.pos + width);
        if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex))
          this.fail(`invalid escape \\${c}: expected ${width} hex digits`, { start: at, end: this.pos });
        this.pos += width;
        const code = Number.parseInt(hex, 16);
        if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
          this.fail(`invalid escape \\${c}${hex}: not a Unicode scalar value`, { start: at, end: this.pos });
        return String.fromCodePoint(code);
      }
      default:
        return this.fail(`invalid escape \\${c ?? ""} in a string`, { start: at, end: this.pos });
    }
  }
}

type FlatPart =
  | TemplatePart
  | { kind: "directive"; word: string; span: Span; cond?: Expr; keyVar?: string; valueVar?: string; coll?: Expr };

/** Nests `%{if}`/`%{for}` directives; an unbalanced one is a syntax error. */
function nestDirectives(flat: FlatPart[], fail: (message: string, span: Span) => never): TemplatePart[] {
  let i = 0;
  const until = (stops: string[]): { parts: TemplatePart[]; stop?: FlatPart } => {
    const parts: TemplatePart[] = [];
    while (i < flat.length) {
      const p = flat[i++]!;
      if (p.kind !== "directive") {
        parts.push(p);
        continue;
      }
      if (stops.includes(p.word)) return { parts, stop: p };
      if (p.word === "if") {
        const then = until(["else", "endif"]);
        let otherwise: TemplatePart[] = [];
        if (then.stop?.kind === "directive" && then.stop.word === "else") {
          const rest = until(["endif"]);
          if (!rest.stop) fail("%{if} without %{endif}", p.span);
          otherwise = rest.parts;
        } else if (!then.stop) fail("%{if} without %{endif}", p.span);
        parts.push({ kind: "if", cond: p.cond!, whenTrue: then.parts, whenFalse: otherwise, span: p.span });
      } else if (p.word === "for") {
        const body = until(["endfor"]);
        if (!body.stop) fail("%{for} without %{endfor}", p.span);
        parts.push({
          kind: "for",
          keyVar: p.keyVar,
          valueVar: p.valueVar!,
          coll: p.coll!,
          body: body.parts,
          span: p.span,
        });
      } else {
        fail(`%{${p.word}} without its opening directive`, p.span);
      }
    }
    return { parts };
  };
  const { parts, stop } = until([]);
  if (stop?.kind === "directive") fail(`%{${stop.word}} without its opening directive`, stop.span);
  return parts;
}

/** `<<-` heredocs: the smallest indentation of the non-blank lines is removed from every line. */
function dedent(parts: TemplatePart[]): TemplatePart[] {
  let least = Number.POSITIVE_INFINITY;
  let atLineStart = true;
  for (const p of parts) {
    if (p.kind !== "text") {
      atLineStart = false;
      continue;
    }
    const lines = p.value.split("\n");
    lines.forEach((line, i) => {
      if ((i > 0 || atLineStart) && line.trim().length > 0)
        least = Math.min(least, line.length - line.trimStart().length);
    });
    atLineStart = p.value.endsWith("\n");
  }
  if (!Number.isFinite(least) || least === 0) return parts;
  atLineStart = true;
  return parts.map((p) => {
    if (p.kind !== "text") {
      atLineStart = false;
      return p;
    }
    const value = p.value
      .split("\n")
      .map((line, i) =>
        i > 0 || atLineStart ? line.slice(Math.min(least, line.length - line.trimStart().length)) : line,
      )
      .join("\n");
    atLineStart = p.value.endsWith("\n");
    return { ...p, value };
  });
}
