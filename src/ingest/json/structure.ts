/**
 * @module ingest/json/structure
 * The location index of a JSON text: one pass over the characters that records, for every object and array
 * in document order, its offset, its parent and its key, without building any value. Paired with the values
 * `JSON.parse` built (by following the keys, so that V8's reordering of integer-like keys does not matter;
 * a value under a duplicate key locates to the key's first occurrence), it tells where each object and array
 * came from. A document makes it on its first location question (parse.ts). The index lives in typed
 * arrays and the look-up from a value to its container needs no per-object hash entry, which keeps that
 * first question on a 100 MB template within a fraction of `JSON.parse` (bench/ingest.bench.mjs).
 */

export class StructureError {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

/** Offsets, parents and keys of every container, by container number (document order). */
export class StructureIndex {
  count = 0;
  offsets: Int32Array;
  parents: Int32Array;
  /** For a member of an object: the offset of its key's first character; for an array element: -1 - index. */
  keyStarts: Int32Array;
  keyEnds: Int32Array;
  /** Offsets where lines start (newlines lie outside strings in JSON, so the scan sees them all). */
  lineStarts: Int32Array;
  lineCount = 1;
  /** Where the scanned container closes, for an index of one value (scanStructure's `one`); -1 otherwise. */
  end = -1;

  /** `span`: the length of text the index is for (the whole text unless a part of it is scanned). */
  constructor(
    readonly text: string,
    span = text.length,
  ) {
    // Sized for a pretty-printed document (about one container per 150 characters, one line per 30),
    // so that large inputs rarely grow the arrays.
    const containers = Math.max(1024, Math.ceil(span / 150));
    this.offsets = new Int32Array(containers);
    this.parents = new Int32Array(containers);
    this.keyStarts = new Int32Array(containers);
    this.keyEnds = new Int32Array(containers);
    this.lineStarts = new Int32Array(Math.max(1024, Math.ceil(span / 30)));
  }

  /** A line table twice as long, with the first `used` entries kept. */
  growLines(used: number): Int32Array {
    const next = new Int32Array(used * 2);
    next.set(this.lineStarts.subarray(0, used));
    this.lineStarts = next;
    return next;
  }

  /** The key of container `at` in its parent (a property name or an array index). */
  key(at: number): string | number {
    const start = this.keyStarts[at]!;
    if (start < 0) return -1 - start;
    return keyText(this.text, start, this.keyEnds[at]!);
  }

  /** Doubles the container arrays (the first `count` entries kept). */
  grow(): void {
    const size = this.offsets.length * 2;
    for (const name of ["offsets", "parents", "keyStarts", "keyEnds"] as const) {
      const next = new Int32Array(size);
      next.set(this[name]);
      this[name] = next;
    }
  }
}

/**
 * Scans `text` (valid JSON, comments already blanked out) from `start`. Nesting deeper than `maxDepth` is
 * refused with the offset of the first bracket too deep (parse.ts uses this to place its depth error).
 * Strings are skipped with `indexOf`; only the characters between them are looked at one by one,
 * whitespace first (it is most of them in a pretty-printed file). Everything stays in local typed arrays:
 * this loop is most of the cost of locations.
 */
export function scanStructure(
  text: string,
  start: number,
  maxDepth = Number.POSITIVE_INFINITY,
  /** Stop where the container opening at `start` closes (an index of that one value; its lines are not counted). */
  one = false,
): StructureIndex {
  const index = new StructureIndex(text, one ? 0 : text.length);
  let { offsets, parents, keyStarts, keyEnds, lineStarts } = index;
  let count = 0;
  let lines = 1;
  // The stack of open containers grows on demand: the index may be asked of a text nested deeper than the
  // values ever are (a deep value under a key that a later duplicate replaced).
  let capacity = Math.min(maxDepth + 1, 1024);
  let open = new Int32Array(capacity);
  let isArray = new Uint8Array(capacity);
  let counts = new Int32Array(capacity);
  let depth = 0;
  let expectKey = false;
  let keyStart = -1;
  let keyEnd = -1;
  const length = text.length;
  let pos = start;
  scan: while (pos < length) {
    let quote = text.indexOf('"', pos);
    if (quote < 0) quote = length;
    for (; pos < quote; pos++) {
      const c = text.charCodeAt(pos);
      if (c <= 32) {
        if (c === 10) {
          if (lines === lineStarts.length) lineStarts = index.growLines(lines);
          lineStarts[lines++] = pos + 1;
        }
      } else if (c === 44 /* , */) {
        if (isArray[depth - 1] === 1) counts[depth - 1]!++;
        else expectKey = true;
      } else if (c === 123 /* { */ || c === 91 /* [ */) {
        if (depth + 1 >= capacity) {
          if (depth >= maxDepth) throw new StructureError(`nesting deeper than ${maxDepth} levels`, pos);
          capacity = Math.min(capacity * 2, maxDepth + 1);
          open = grown(open, capacity);
          counts = grown(counts, capacity);
          const flags = new Uint8Array(capacity);
          flags.set(isArray);
          isArray = flags;
        }
        if (count === offsets.length) {
          index.count = count;
          index.grow();
          ({ offsets, parents, keyStarts, keyEnds } = index);
        }
        offsets[count] = pos;
        if (depth === 0) {
          parents[count] = -1;
          keyStarts[count] = -1;
        } else if (isArray[depth - 1] === 1) {
          parents[count] = open[depth - 1]!;
          keyStarts[count] = -1 - counts[depth - 1]!;
        } else {
          parents[count] = open[depth - 1]!;
          keyStarts[count] = keyStart;
          keyEnds[count] = keyEnd;
        }
        open[depth] = count++;
        isArray[depth] = c === 91 ? 1 : 0;
        counts[depth] = 0;
        depth++;
        expectKey = c === 123;
      } else if (c === 125 /* } */ || c === 93 /* ] */) {
        depth--;
        expectKey = false;
        if (one && depth === 0) {
          index.end = pos;
          break scan;
        }
      }
    }
    if (pos >= length) break;
    let end = text.indexOf('"', pos + 1);
    while (end > 0 && text.charCodeAt(end - 1) === 92 && escapedQuote(text, end)) end = text.indexOf('"', end + 1);
    if (end < 0) throw new StructureError("unterminated string", pos);
    if (expectKey) {
      keyStart = pos + 1;
      keyEnd = end;
      expectKey = false;
    }
    pos = end + 1;
  }
  index.count = count;
  index.lineStarts = lineStarts;
  index.lineCount = lines;
  return index;
}

function grown(array: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(size);
  next.set(array);
  return next;
}

/** True when the quote at `end` is escaped (an odd run of backslashes before it). */
export function escapedQuote(text: string, end: number): boolean {
  let slashes = 0;
  for (let i = end - 1; text.charCodeAt(i) === 92; i--) slashes++;
  return slashes % 2 === 1;
}

/** The key written between `start` and `end` (its escapes read). */
export function keyText(text: string, start: number, end: number): string {
  const raw = text.slice(start, end);
  return raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
}

/**
 * Pairs the containers of `index` with the values built from the same text: container i is
 * `value(parent(i))[key(i)]`. Returns the value of each container (undefined where a duplicate key
 * replaced it).
 */
export function pairValues(root: unknown, index: StructureIndex): unknown[] {
  // Filled by push: `new Array(n)` for a large n would make a slow dictionary-backed array.
  const values: unknown[] = [];
  const { parents, keyStarts, keyEnds, text } = index;
  for (let i = 0; i < index.count; i++) {
    const parent = parents[i]!;
    if (parent < 0) {
      values.push(root);
      continue;
    }
    const container = values[parent] as Record<string | number, unknown> | undefined;
    let value: unknown;
    if (typeof container === "object" && container !== null) {
      const start = keyStarts[i]!;
      if (start < 0) {
        value = container[-1 - start];
      } else {
        // Every key of the text is an own property of the object parsed from it (`__proto__` included),
        // so a plain read cannot reach the prototype.
        value = container[keyText(text, start, keyEnds[i]!)];
      }
      // Under a duplicate key the value belongs to the last occurrence; an earlier occurrence of another kind
      // ({} where the survivor is []) must not claim it.
      if (
        typeof value === "object" &&
        value !== null &&
        Array.isArray(value) !== (text.charCodeAt(index.offsets[i]!) === 91)
      ) {
        value = undefined;
      }
    }
    values.push(value);
  }
  return values;
}

/**
 * Finds the container number of a value. Look-ups mostly come in document order (the model is built
 * resource by resource), so each search starts where the last one ended and walks forward comparing
 * identities. A miss in that window costs one full walk; after a few of those (values asked out of order,
 * or values of other documents) a map is built once and used from then on. No per-object entry is made
 * while parsing, which is what keeps parsing close to `JSON.parse`.
 */
export class ContainerFinder {
  private cursor = 0;
  private map: Map<object, number> | undefined;
  private fullWalks = 0;

  constructor(private readonly values: unknown[]) {}

  find(node: object): number | undefined {
    if (this.map) return this.map.get(node);
    const values = this.values;
    const n = values.length;
    let at = this.cursor;
    for (let step = Math.min(n, 4096); step > 0; step--) {
      if (values[at] === node) {
        this.cursor = at;
        return at;
      }
      at = at + 1 === n ? 0 : at + 1;
    }
    if (++this.fullWalks > 32) {
      const map = new Map<object, number>();
      values.forEach((v, i) => {
        if (typeof v === "object" && v !== null) map.set(v, i);
      });
      this.map = map;
      return map.get(node);
    }
    const found = values.indexOf(node);
    if (found < 0) return undefined;
    this.cursor = found;
    return found;
  }
}

/**
 * The offset of member `key` of the container at `offset` (the key's quote for objects, the element's first
 * character for arrays), found by a short scan; undefined when absent.
 */
export function memberOffset(text: string, offset: number, key: string | number): number | undefined {
  let depth = 0;
  let index = 0;
  const array = text.charCodeAt(offset) === 91;
  let expectKey = !array;
  let pos = offset + 1;
  if (array && key === 0) return firstValueAt(text, pos);
  while (pos < text.length) {
    const c = text.charCodeAt(pos);
    if (c === 34) {
      let end = text.indexOf('"', pos + 1);
      while (end > 0 && text.charCodeAt(end - 1) === 92 && escapedQuote(text, end)) end = text.indexOf('"', end + 1);
      if (end < 0) return undefined;
      if (depth === 0 && expectKey) {
        if (keyText(text, pos + 1, end) === key) return pos;
        expectKey = false;
      }
      pos = end + 1;
      continue;
    }
    if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      if (depth === 0) return undefined;
      depth--;
    } else if (c === 44 && depth === 0) {
      if (array) {
        index++;
        if (index === key) return firstValueAt(text, pos + 1);
      } else {
        expectKey = true;
      }
    }
    pos++;
  }
  return undefined;
}

function firstValueAt(text: string, pos: number): number {
  while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  return pos;
}
