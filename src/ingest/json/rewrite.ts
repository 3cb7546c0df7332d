/**
 * @module ingest/json/rewrite
 * Rewrites a JSON text to hold a new value with the smallest edits, keeping everything else byte for byte:
 * formatting, indentation, comments, the order of members. The new value is made from the parsed one by
 * copy-on-write (`Draft`): what no change touched is the parsed object itself, and a copy remembers the object
 * it was copied from, so the writer knows which array element is which after one was taken out. Members and
 * elements that differ are replaced in place, new ones are added after the last, removed ones are taken out
 * with their comma and, when they fill their lines, those lines. New text follows the file's layout
 * (json/spans textStyle): its indent unit and line break, on its own lines where the container is written over
 * lines, compact where it is written on one. A value the caller marks protected (an ARM expression) is never
 * overwritten: the rewrite reports where it would have been, and the caller decides.
 */
import type { TextEdit } from "../edits.js";
import {
  lineIndent,
  lineStart,
  restOfLine,
  type SpanItem,
  type SpanNode,
  skipBlanks,
  startsLine,
  type TextStyle,
} from "./spans.js";

type Json = unknown;
type Path = (string | number)[];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `o[key] = value` as an own data property (a key `__proto__` stays data). */
export function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Structural equality of two JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
}

/**
 * A value being edited by copy-on-write: `update` copies the containers on the way to a place (the rest is
 * shared), and every copy remembers the parsed object it stands for. Keep `root` to undo a change: assign it back.
 */
export class Draft {
  readonly origins = new WeakMap<object, object>();

  constructor(public root: Json) {}

  /** The parsed object `v` was copied from (itself when it is parsed or new). */
  originOf(v: object): object {
    return this.origins.get(v) ?? v;
  }

  /** The value at `path` (undefined when the path leaves the value). */
  get(path: readonly (string | number)[]): Json {
    let at: Json = this.root;
    for (const step of path) {
      if (typeof at !== "object" || at === null || !Object.hasOwn(at, step)) return undefined;
      at = (at as Record<string | number, Json>)[step];
    }
    return at;
  }

  /** Copies the containers from the root to `path` and gives the last one (an object or array) to `edit`. */
  update(path: readonly (string | number)[], edit: (container: Record<string, Json> | Json[]) => void): void {
    const copy = (v: Json): Record<string, Json> | Json[] => {
      if (typeof v !== "object" || v === null) throw new Error(`no container at ${path.join("/")}`);
      const made = Array.isArray(v) ? [...v] : Object.defineProperties({}, Object.getOwnPropertyDescriptors(v));
      this.origins.set(made, this.originOf(v));
      return made;
    };
    const top = copy(this.root);
    let at = top;
    for (const step of path) {
      const next = copy((at as Record<string | number, Json>)[step]);
      if (Array.isArray(at)) at[step as number] = next;
      else setOwn(at, String(step), next);
      at = next;
    }
    edit(at);
    this.root = top;
  }
}

/** What a rewrite gives: the edits, and the protected values it would overwrite (then nothing is safe to write). */
export interface Rewrite {
  edits: TextEdit[];
  overwrites: { path: Path; value: Json }[];
}

/**
 * The edits that turn `text` (whose parsed value is `before`, with spans `spans`) into the text of `draft.root`.
 * `isProtected` marks values the rewrite must not overwrite; taking one out with its member or element is allowed.
 */
export function rewrite(
  text: string,
  spans: SpanNode,
  before: Json,
  draft: Draft,
  style: TextStyle,
  isProtected: (v: Json) => boolean = () => false,
): Rewrite {
  const w = new Writer(text, draft, style, isProtected);
  w.visit(spans, before, draft.root, []);
  return { edits: w.edits, overwrites: w.overwrites };
}

interface Added {
  key?: string;
  value: Json;
}

class Writer {
  readonly edits: TextEdit[] = [];
  readonly overwrites: { path: Path; value: Json }[] = [];

  constructor(
    private readonly text: string,
    private readonly draft: Draft,
    private readonly style: TextStyle,
    private readonly isProtected: (v: Json) => boolean,
  ) {}

  visit(node: SpanNode, old: Json, now: Json, path: Path): void {
    if (old === now) return;
    const related = typeof now === "object" && now !== null ? this.draft.originOf(now) : undefined;
    const same = related === old || related === now;
    if (node.kind === "object" && isObject(old) && isObject(now) && same) this.object(node, old, now, path);
    else if (node.kind === "array" && Array.isArray(old) && Array.isArray(now) && same)
      this.array(node, old, now, path);
    else if (!jsonEqual(old, now)) this.replace(node, old, now, path);
  }

  private replace(node: SpanNode, old: Json, now: Json, path: Path): void {
    this.guard(old, path);
    const multiLine = this.text.slice(node.start, node.end).includes("\n");
    const text = multiLine ? this.pretty(now, lineIndent(this.text, node.start)) : this.compact(now);
    this.edits.push({ offset: node.start, length: node.end - node.start, text });
  }

  /** Records every protected value below `old` (the rewrite would overwrite it). */
  private guard(old: Json, path: Path): void {
    if (this.isProtected(old)) this.overwrites.push({ path, value: old });
    else if (Array.isArray(old)) for (const [i, x] of old.entries()) this.guard(x, [...path, i]);
    else if (isObject(old)) for (const [k, x] of Object.entries(old)) this.guard(x, [...path, k]);
  }

  private object(node: SpanNode, old: Record<string, Json>, now: Record<string, Json>, path: Path): void {
    const removed = new Set<number>();
    const last = new Map<string, number>();
    for (const [i, item] of node.items.entries()) {
      last.set(item.key!, i);
      if (!Object.hasOwn(now, item.key!)) removed.add(i);
    }
    const added: Added[] = [];
    for (const key of Object.keys(now)) {
      const at = last.get(key);
      if (at === undefined || !Object.hasOwn(old, key)) added.push({ key, value: now[key] });
      else this.visit(node.items[at]!.value, old[key], now[key], [...path, key]);
    }
    this.container(node, removed, added);
  }

  private array(node: SpanNode, old: Json[], now: Json[], path: Path): void {
    // Elements are matched in order: a copy to the element it came from, other values to an equal element.
    const pairs: [number, number][] = [];
    let cursor = 0;
    let lastPaired = -1;
    let appendsOnly = true;
    now.forEach((x, j) => {
      const origin = typeof x === "object" && x !== null ? this.draft.originOf(x) : x;
      let k = cursor;
      while (k < old.length && !(old[k] === origin || jsonEqual(old[k], x))) k++;
      if (k < old.length) {
        if (lastPaired < j - 1) appendsOnly = false;
        pairs.push([k, j]);
        lastPaired = j;
        cursor = k + 1;
      }
    });
    if (!appendsOnly || (pairs.length === 0 && old.length > 0 && now.length > 0)) {
      // No order to keep (or nothing in common): element by element.
      const n = Math.min(old.length, now.length);
      for (let i = 0; i < n; i++) this.visit(node.items[i]!.value, old[i], now[i], [...path, i]);
      const removed = new Set(old.map((_, i) => i).filter((i) => i >= n));
      this.container(
        node,
        removed,
        now.slice(n).map((value) => ({ value })),
      );
      return;
    }
    for (const [k, j] of pairs) this.visit(node.items[k]!.value, old[k], now[j], [...path, k]);
    const kept = new Set(pairs.map(([k]) => k));
    const removed = new Set(old.map((_, i) => i).filter((i) => !kept.has(i)));
    this.container(
      node,
      removed,
      now.slice(lastPaired + 1).map((value) => ({ value })),
    );
  }

  /** Takes out the `removed` items of a container and adds `added` after the last. */
  private container(node: SpanNode, removed: Set<number>, added: Added[]): void {
    if (removed.size === 0 && added.length === 0) return;
    const items = node.items;
    const multiLine = this.text.slice(node.start, node.end).includes("\n");
    const keptCount = items.length - removed.size;
    if (keptCount === 0) {
      const open = lineIndent(this.text, node.start);
      const inline = !multiLine && added.every((a) => typeof a.value !== "object" || a.value === null);
      const inner =
        added.length === 0
          ? ""
          : inline
            ? added.map((a) => this.member(a, "", true)).join(this.style.spaced ? ", " : ",")
            : this.lines(added, open + this.style.indent) + this.style.newline + open;
      this.edits.push({ offset: node.start + 1, length: node.end - 1 - (node.start + 1), text: inner });
      return;
    }
    const indent = this.itemIndent(node);
    // Runs of removed items, each with the kept item after it (undefined for the run that ends the container).
    let i = 0;
    let pending = added;
    while (i < items.length) {
      if (!removed.has(i)) {
        i++;
        continue;
      }
      let j = i;
      while (j + 1 < items.length && removed.has(j + 1)) j++;
      const first = items[i]!;
      const lastRemoved = items[j]!;
      if (j + 1 < items.length) this.removeMiddle(first, lastRemoved);
      else if (pending.length > 0) {
        // The last items make room for the new ones: the comma before them stays the separator.
        const text = multiLine
          ? pending.map((a) => this.member(a, indent, false)).join(`,${this.style.newline}${indent}`)
          : pending.map((a) => this.member(a, "", true)).join(this.style.spaced ? ", " : ",");
        this.edits.push({ offset: first.start, length: lastRemoved.value.end - first.start, text });
        pending = [];
      } else this.removeLast(items[i - 1]!, first, lastRemoved);
      i = j + 1;
    }
    if (pending.length === 0) return;
    const last = items[items.length - 1]!;
    if (!multiLine) {
      const sep = this.style.spaced ? ", " : ",";
      const text = sep + pending.map((a) => this.member(a, "", true)).join(sep);
      this.edits.push({ offset: last.value.end, length: 0, text });
      return;
    }
    const text = this.style.newline + this.lines(pending, indent);
    const end = restOfLine(this.text, last.value.end);
    if (end) {
      this.edits.push({ offset: last.value.end, length: 0, text: "," });
      this.edits.push({ offset: end.at, length: 0, text });
    } else this.edits.push({ offset: last.value.end, length: 0, text: `,${text}` });
  }

  /** Items `first`..`last` taken out, a kept item after them: with the comma after `last`. */
  private removeMiddle(first: SpanItem, last: SpanItem): void {
    const afterComma = last.comma + 1;
    const end = restOfLine(this.text, afterComma);
    if (startsLine(this.text, first.start) && end) {
      const from = lineStart(this.text, first.start);
      this.edits.push({ offset: from, length: end.after - from, text: "" });
    } else {
      const to = skipBlanks(this.text, afterComma);
      this.edits.push({ offset: first.start, length: to - first.start, text: "" });
    }
  }

  /** Items `first`..`last` taken out at the end of the container, after `kept`: with the comma before them. */
  private removeLast(kept: SpanItem, first: SpanItem, last: SpanItem): void {
    if (startsLine(this.text, first.start)) {
      const from = lineStart(this.text, first.start);
      const end = restOfLine(this.text, last.value.end);
      this.edits.push({ offset: kept.comma, length: 1, text: "" });
      this.edits.push({ offset: from, length: (end ? end.after : last.value.end) - from, text: "" });
    } else {
      this.edits.push({ offset: kept.comma, length: last.value.end - kept.comma, text: "" });
    }
  }

  /** The indentation of a container's items: that of the last item that starts a line, else one step in. */
  private itemIndent(node: SpanNode): string {
    for (let i = node.items.length - 1; i >= 0; i--) {
      const start = node.items[i]!.start;
      if (startsLine(this.text, start)) return lineIndent(this.text, start);
    }
    return lineIndent(this.text, node.start) + this.style.indent;
  }

  private lines(added: Added[], indent: string): string {
    return added.map((a) => indent + this.member(a, indent, false)).join(`,${this.style.newline}`);
  }

  private member(a: Added, indent: string, compact: boolean): string {
    const value = compact ? this.compact(a.value) : this.pretty(a.value, indent);
    if (a.key === undefined) return value;
    return `${JSON.stringify(a.key)}:${this.style.spaced ? " " : ""}${value}`;
  }

  /** `value` over lines, its inner lines at `indent` plus steps. */
  private pretty(value: Json, indent: string): string {
    return JSON.stringify(value, null, this.style.indent)
      .split("\n")
      .join(this.style.newline + indent);
  }

  /** `value` on one line: `{ "a": 1, "b": [1, 2] }` (minified in a minified file). */
  private compact(value: Json): string {
    if (!this.style.spaced) return JSON.stringify(value);
    if (Array.isArray(value)) return `[${value.map((x) => this.compact(x)).join(", ")}]`;
    if (isObject(value)) {
      const entries = Object.entries(value);
      if (entries.length === 0) return "{}";
      return `{ ${entries.map(([k, x]) => `${JSON.stringify(k)}: ${this.compact(x)}`).join(", ")} }`;
    }
    return JSON.stringify(value);
  }
}
