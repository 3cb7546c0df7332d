/**
 * @module ingest/json/spans
 * Where every value of a JSON text begins and ends, for writers that change a file in place (ingest/json/
 * rewrite): each object member and array element with its offsets and the comma after it. The document's own
 * index (structure.ts) knows where containers begin, which is all locations need; an edit also needs where
 * values end. Made on demand from a text that parsed (comments blanked, offsets kept: strict.ts), so the scan
 * assumes valid JSON. Also here: the layout questions an edit asks of the real text (with its comments): where
 * a line starts, its indentation, whether only comments follow on it, and the file's indent unit and newline.
 */

/** A value in the text: `[start, end)`, and for containers their members in text order. */
export interface SpanNode {
  kind: "object" | "array" | "scalar";
  start: number;
  end: number;
  items: SpanItem[];
}

/** A member of an object (with its key) or an element of an array. */
export interface SpanItem {
  key?: string;
  /** Where the member begins: its key's quote, or the element itself. */
  start: number;
  value: SpanNode;
  /** Offset of the comma after the value; -1 for the last item. */
  comma: number;
}

/** The span tree of `text` (valid JSON, comments blanked) from `start`. */
export function parseSpans(text: string, start = 0): SpanNode {
  const scanner = new Scanner(text, start);
  return scanner.value();
}

class Scanner {
  constructor(
    private readonly text: string,
    private pos: number,
  ) {}

  value(): SpanNode {
    this.space();
    const c = this.text.charCodeAt(this.pos);
    if (c === 123 || c === 91) return this.container(c === 123);
    const start = this.pos;
    if (c === 34) this.string();
    else while (this.pos < this.text.length && !/[\s,\]}]/.test(this.text[this.pos]!)) this.pos++;
    return { kind: "scalar", start, end: this.pos, items: [] };
  }

  private container(isObject: boolean): SpanNode {
    const start = this.pos++;
    const items: SpanItem[] = [];
    const close = isObject ? 125 : 93;
    this.space();
    while (this.pos < this.text.length && this.text.charCodeAt(this.pos) !== close) {
      const itemStart = this.pos;
      let key: string | undefined;
      if (isObject) {
        const keyStart = this.pos;
        this.string();
        key = JSON.parse(this.text.slice(keyStart, this.pos)) as string;
        this.space();
        this.pos++; // the colon
      }
      const value = this.value();
      this.space();
      const comma = this.text.charCodeAt(this.pos) === 44 ? this.pos++ : -1;
      items.push({ key, start: itemStart, value, comma });
      this.space();
    }
    this.pos++;
    return { kind: isObject ? "object" : "array", start, end: this.pos, items };
  }

  private string(): void {
    let at = this.pos + 1;
    while (at < this.text.length) {
      const c = this.text.charCodeAt(at);
      if (c === 92) at += 2;
      else if (c === 34) break;
      else at++;
    }
    this.pos = at + 1;
  }

  private space(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }
}

/** The node at `path` below `root` (an object's last member of a key, as JSON.parse keeps it). */
export function spanAt(root: SpanNode, path: readonly (string | number)[]): SpanNode | undefined {
  let node: SpanNode | undefined = root;
  for (const step of path) {
    if (!node) return undefined;
    if (node.kind === "array") node = typeof step === "number" ? node.items[step]?.value : undefined;
    else if (node.kind === "object") node = lastMember(node, String(step))?.value;
    else return undefined;
  }
  return node;
}

/** The last member of `node` named `key`. */
export function lastMember(node: SpanNode, key: string): SpanItem | undefined {
  for (let i = node.items.length - 1; i >= 0; i--) if (node.items[i]!.key === key) return node.items[i];
  return undefined;
}

// ---- layout of the real text -------------------------------------------------------------------------------

/** Where the line holding `pos` starts. */
export function lineStart(text: string, pos: number): number {
  return text.lastIndexOf("\n", pos - 1) + 1;
}

/** The spaces and tabs that open the line holding `pos`. */
export function lineIndent(text: string, pos: number): string {
  const start = lineStart(text, pos);
  let end = start;
  while (text[end] === " " || text[end] === "\t") end++;
  return text.slice(start, end);
}

/** True when only spaces and tabs come before `pos` on its line. */
export function startsLine(text: string, pos: number): boolean {
  for (let i = pos - 1; i >= 0 && text[i] !== "\n"; i--) if (text[i] !== " " && text[i] !== "\t") return false;
  return true;
}

/**
 * The line break that ends the line of `pos` when only spaces, tabs and comments follow `pos` on it (a block
 * comment may run over lines): `at` is where the break begins, `after` where the next line starts. Undefined
 * when something else follows (a bracket, another member) or the text ends.
 */
export function restOfLine(text: string, pos: number): { at: number; after: number } | undefined {
  let at = pos;
  while (at < text.length) {
    const c = text[at]!;
    if (c === " " || c === "\t") at++;
    else if (c === "/" && text[at + 1] === "/") {
      const nl = text.indexOf("\n", at);
      if (nl < 0) return undefined;
      at = text[nl - 1] === "\r" ? nl - 1 : nl;
    } else if (c === "/" && text[at + 1] === "*") {
      const end = text.indexOf("*/", at + 2);
      if (end < 0) return undefined;
      at = end + 2;
    } else if (c === "\r" && text[at + 1] === "\n") return { at, after: at + 2 };
    else if (c === "\n") return { at, after: at + 1 };
    else return undefined;
  }
  return undefined;
}

/** `pos` moved past spaces and tabs. */
export function skipBlanks(text: string, pos: number): number {
  while (text[pos] === " " || text[pos] === "\t") pos++;
  return pos;
}

/** How a file is laid out: its indent unit, its line break, and whether it puts spaces after `:` and `,`. */
export interface TextStyle {
  indent: string;
  newline: string;
  /** False for minified text (`{"a":1}`): compact values are written the same way. */
  spaced: boolean;
}

/**
 * The layout of `text`: tabs when lines are indented with tabs, otherwise the most common step between the
 * indentations of consecutive lines (2 when none is seen); CRLF when most line breaks are.
 */
export function textStyle(text: string): TextStyle {
  const lines = text.split("\n");
  const crlf = lines.slice(0, -1).filter((l) => l.endsWith("\r")).length;
  const newline = crlf > 0 && crlf * 2 >= lines.length - 1 ? "\r\n" : "\n";
  let tabs = 0;
  let spaces = 0;
  const steps = new Map<number, number>();
  let previous = 0;
  for (const line of lines) {
    if (line.trim() === "") continue;
    const lead = /^[ \t]*/.exec(line)![0];
    if (lead.startsWith("\t")) tabs++;
    else if (lead.length > 0) spaces++;
    const width = lead.replace(/\t/g, "").length;
    const step = width - previous;
    if (step > 0) steps.set(step, (steps.get(step) ?? 0) + 1);
    previous = width;
  }
  let unit = 2;
  let best = 0;
  for (const [step, count] of steps) if (count > best || (count === best && step < unit)) [unit, best] = [step, count];
  const minified = lines.length === 1 && /":\S/.test(text) && !/": /.test(text);
  return { indent: tabs > spaces ? "\t" : " ".repeat(unit), newline, spaced: !minified };
}
