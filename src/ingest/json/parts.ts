/**
 * @module ingest/json/parts
 * Locations for a run that asks few questions of a large document, without the whole structure index. A
 * question about one subnet cites a route or a rule or two of an estate export of hundreds of megabytes; the
 * structure index (structure.ts) costs half a JSON.parse and a great deal of memory to answer them (issue 17).
 * Here the text is read only as far as the questions need: a shallow pass records where each value two levels
 * below the root starts (an export's or a template's resources: `/value/7`, `/resources/7`), going on only when
 * a question is about a later one, and the value holding the node asked about is indexed on its own, by the same
 * scan the whole document would get. Line numbers come from a line table extended as far as asked. The answers
 * are the structure index's exactly (same offsets, pointers, lines; tested against it); what this cannot place
 * (a node less than two levels deep, a key written twice where the pass runs) is left to the structure index.
 */
import { ContainerFinder, escapedQuote, keyText, pairValues, type StructureIndex, scanStructure } from "./structure.js";

/** One value two levels below the root, indexed on its own. */
export interface Part {
  index: StructureIndex;
  containers: ContainerFinder;
  /** The JSON pointer of the value (`/value/7`). */
  pointer: string;
}

/**
 * What `ShallowPass.find` tells: where the value at `[first, second]` starts and whether the container holding it is
 * written as an array, or that it cannot tell.
 */
type Found = { offset: number; inArray: boolean } | "absent" | "ambiguous";

/**
 * Where the values one and two levels below the root start, found by a pass over the text that is resumed where
 * it stopped. Between those levels only brackets and string quotes are looked at.
 */
export class ShallowPass {
  private pos: number;
  private depth = 0;
  /** Per open level up to 2: array or object, the element count, and (level 1) the key of the container. */
  private readonly isArray: boolean[] = [];
  private readonly counts: number[] = [];
  private firstKey: string | number = "";
  private expectKey = false;
  private keyStart = -1;
  private keyEnd = -1;
  private done = false;
  /** The level-2 containers by `first \0 second`, their keys from the root. */
  private readonly starts = new Map<string, { offset: number; inArray: boolean }>();
  private duplicate = false;
  private readonly structural = /[{}[\]"]/g;

  constructor(
    private readonly text: string,
    start: number,
  ) {
    this.pos = start;
  }

  /** The start of the value at `[first, second]` below the root, scanning on as far as it is. */
  find(first: string | number, second: string | number): Found {
    const key = `${first}\u0000${second}`;
    for (;;) {
      if (this.duplicate) return "ambiguous";
      const at = this.starts.get(key);
      if (at !== undefined) return at;
      if (this.done) return "absent";
      this.advance();
    }
  }

  private record(key: string, offset: number, inArray: boolean): void {
    // A key written twice at these levels: which occurrence a value belongs to is the structure index's to say.
    if (this.starts.has(key)) this.duplicate = true;
    else this.starts.set(key, { offset, inArray });
  }

  /** Scans on to the next container at level 1 or 2 (or the end of the text). */
  private advance(): void {
    const text = this.text;
    const length = text.length;
    let pos = this.pos;
    while (pos < length) {
      if (this.depth > 2) {
        // Deep inside a value: only its brackets and strings matter, found by the regular expression engine.
        const re = this.structural;
        re.lastIndex = pos;
        if (!re.test(text)) {
          pos = length;
          break;
        }
        pos = re.lastIndex - 1;
        const c = text.charCodeAt(pos);
        if (c === 34) pos = stringEnd(text, pos) + 1;
        else {
          if (c === 123 || c === 91) this.depth++;
          // Back at level 2 after a value: the next string is a key only after a comma, as in the scan.
          else if (--this.depth <= 2) this.expectKey = false;
          pos++;
        }
        continue;
      }
      const c = text.charCodeAt(pos);
      if (c === 34) {
        const end = stringEnd(text, pos);
        if (this.expectKey) {
          this.keyStart = pos + 1;
          this.keyEnd = end;
          this.expectKey = false;
        }
        pos = end + 1;
        continue;
      }
      if (c === 44 /* , */) {
        if (this.depth > 0 && this.isArray[this.depth - 1]) this.counts[this.depth - 1]!++;
        else this.expectKey = true;
      } else if (c === 123 || c === 91) {
        const level = this.depth;
        let recorded = false;
        if (level === 1 || level === 2) {
          const key = this.isArray[level - 1] ? this.counts[level - 1]! : keyText(text, this.keyStart, this.keyEnd);
          if (level === 1) this.firstKey = key;
          else {
            this.record(`${this.firstKey}\u0000${key}`, pos, this.isArray[1]!);
            recorded = true;
          }
        }
        this.isArray[level] = c === 91;
        this.counts[level] = 0;
        this.depth++;
        this.expectKey = c === 123;
        pos++;
        if (recorded) {
          this.pos = pos;
          return;
        }
        continue;
      } else if (c === 125 || c === 93) {
        this.depth--;
        this.expectKey = false;
      }
      pos++;
    }
    this.pos = pos;
    this.done = true;
  }
}

/** The offset of the quote that ends the string opening at `pos`. */
function stringEnd(text: string, pos: number): number {
  let end = text.indexOf('"', pos + 1);
  while (end > 0 && text.charCodeAt(end - 1) === 92 && escapedQuote(text, end)) end = text.indexOf('"', end + 1);
  return end < 0 ? text.length : end;
}

/** The value of `root` at `path`. */
function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let node = root;
  for (const step of path) node = (node as Record<string | number, unknown>)[step];
  return node;
}

/**
 * The keys from `root` down to `node` (an object or array of it), found by a walk over the values (a small part of
 * the cost of reading the text), the values two levels down (resources) looked at first; undefined when `node` is
 * not in `root`. `visits` counts the containers walked, so that a caller can stop asking when that adds up.
 */
export function pathTo(root: unknown, node: object, visits: { count: number }): (string | number)[] | undefined {
  if (typeof root !== "object" || root === null) return undefined;
  if (root === node) return [];
  for (const first of keysOf(root)) {
    const child: unknown = (root as Record<string | number, unknown>)[first];
    if (typeof child !== "object" || child === null) continue;
    if (child === node) return [first];
    for (const second of keysOf(child)) {
      visits.count++;
      if ((child as Record<string | number, unknown>)[second] === node) return [first, second];
    }
  }
  const path: (string | number)[] = [];
  const walk = (value: object): boolean => {
    visits.count++;
    if (value === node) return true;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (typeof item !== "object" || item === null) continue;
        path.push(i);
        if (walk(item)) return true;
        path.pop();
      }
    } else {
      for (const key in value) {
        const item: unknown = (value as Record<string, unknown>)[key];
        if (typeof item !== "object" || item === null) continue;
        path.push(key);
        if (walk(item)) return true;
        path.pop();
      }
    }
    return false;
  };
  return walk(root) ? path : undefined;
}

/** The member keys of a container: indices of an array, own keys of an object. */
function keysOf(value: object): (string | number)[] {
  return Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
}

/** The parts of one document: the shallow pass, the parts indexed so far, and the line table read so far. */
export class DocumentParts {
  private readonly pass: ShallowPass;
  private readonly parts = new Map<number, Part | undefined>();
  private lineStarts = new Int32Array(1024);
  private lineCount = 1;
  private linesTo = 0;

  constructor(
    private readonly text: string,
    private readonly root: unknown,
    start: number,
  ) {
    this.pass = new ShallowPass(text, start);
  }

  /**
   * The part holding the value at `path` (two keys or more below the root), indexed on first use; undefined when
   * the structure index must answer.
   */
  partOf(path: readonly (string | number)[], pointer: string): Part | undefined {
    const found = this.pass.find(path[0]!, path[1]!);
    if (typeof found === "string") return undefined;
    if (this.parts.has(found.offset)) return this.parts.get(found.offset);
    // The container holding it written as the other kind (a key written twice above it): not this value's text.
    if (Array.isArray(valueAt(this.root, path.slice(0, 1))) !== found.inArray) return undefined;
    const value = valueAt(this.root, path.slice(0, 2));
    const index = scanStructure(this.text, found.offset, Number.POSITIVE_INFINITY, true);
    const values = pairValues(value, index);
    // The text found must be the value's own (a key written twice above it could place another occurrence
    // first), and hold each container once (a key written twice inside it: which occurrence a value belongs to
    // is the structure index's to say).
    const own =
      index.end >= 0 &&
      JSON.stringify(JSON.parse(this.text.slice(found.offset, index.end + 1))) === JSON.stringify(value) &&
      new Set(values).size === values.length;
    const part = own ? { index, containers: new ContainerFinder(values), pointer } : undefined;
    this.parts.set(found.offset, part);
    return part;
  }

  /** The part already indexed that holds `node`, and its container number there. */
  known(node: object): { part: Part; at: number } | undefined {
    for (const part of this.parts.values()) {
      const at = part?.containers.find(node);
      if (part && at !== undefined) return { part, at };
    }
    return undefined;
  }

  /** 1-based line and column of `offset`, the line table read only as far as that. */
  position(offset: number): { line: number; column: number } {
    const text = this.text;
    while (this.linesTo <= offset && this.linesTo < text.length) {
      const at = text.indexOf("\n", this.linesTo);
      if (at < 0) {
        this.linesTo = text.length;
        break;
      }
      if (this.lineCount === this.lineStarts.length) {
        const grown = new Int32Array(this.lineCount * 2);
        grown.set(this.lineStarts);
        this.lineStarts = grown;
      }
      this.lineStarts[this.lineCount++] = at + 1;
      this.linesTo = at + 1;
    }
    let lo = 0;
    let hi = this.lineCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo]! + 1 };
  }
}
