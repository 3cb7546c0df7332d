/**
 * @module ingest/json/parse
 * A JSON parser that remembers where every object and array came from, so that a verdict can cite the line of
 * the rule or route that decided it. Values are built by `JSON.parse` (native speed; same numbers and
 * strings; `__proto__` is an ordinary key); a separate pass over the text (structure.ts) records where each
 * object and array starts. Line, column and JSON pointer are worked out only when asked for. Texts that
 * `JSON.parse` refuses go to a careful reader (strict.ts) that accepts the `//` and `/* *\/` comments Azure
 * Resource Manager accepts in templates, and otherwise reports the line and column of the syntax error.
 * Nothing here throws on bad input.
 */
import { pointerJoin, type SourceRef } from "../../model/source.js";
import { blankComments, MAX_DEPTH, parseStrict } from "./strict.js";
import {
  ContainerFinder,
  memberOffset,
  pairValues,
  StructureError,
  StructureIndex,
  scanStructure,
} from "./structure.js";

export { MAX_DEPTH };

export interface JsonSyntaxError {
  message: string;
  offset: number;
  line: number;
  column: number;
}

export type ParseOutcome = { ok: true; doc: JsonDocument } | { ok: false; error: JsonSyntaxError };

/** A parsed document: the value plus the means to locate any of its objects or arrays. */
export class JsonDocument {
  private lineStarts: Int32Array | undefined;
  private readonly containers: ContainerFinder;
  /** JSON pointers of containers already asked for (a child's is its parent's plus one segment). */
  private readonly pointers = new Map<number, string>();

  constructor(
    readonly file: string,
    readonly text: string,
    readonly value: unknown,
    private readonly index: StructureIndex,
    values: unknown[],
    /** The text the index was made from (comments blanked); same offsets as `text`. */
    private readonly scanned: string = text,
  ) {
    this.containers = new ContainerFinder(values);
  }

  /** True when `node` is an object or array of this document. */
  owns(node: object): boolean {
    return this.containers.find(node) !== undefined;
  }

  /** The location of an object or array of this document. */
  locate(node: object): SourceRef | undefined {
    const at = this.containers.find(node);
    if (at === undefined) return undefined;
    return this.refAt(this.index.offsets[at]!, at);
  }

  /**
   * The location of member `key` of `node` (an object's key, an array's element), for citing a string or
   * number value exactly; the node's own location when the member is absent.
   */
  locateMember(node: object, key: string | number): SourceRef | undefined {
    const at = this.containers.find(node);
    if (at === undefined) return undefined;
    const offset = memberOffset(this.scanned, this.index.offsets[at]!, key);
    if (offset === undefined) return this.refAt(this.index.offsets[at]!, at);
    const ref = this.refAt(offset, at);
    ref.pointer = pointerJoin(ref.pointer, key);
    return ref;
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
      node = Object.hasOwn(node, segment) ? (node as Record<string | number, unknown>)[segment] : undefined;
      if (typeof node === "object" && node !== null) best = node;
      else break;
    }
    return (best && this.locate(best)) ?? { file: this.file, pointer: "", line: 1, column: 1 };
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    const line = this.lineOf(offset);
    return { line: line + 1, column: offset - this.lines()[line]! + 1 };
  }

  /** The 0-based line holding `offset` (binary search in the line table). */
  private lineOf(offset: number): number {
    const starts = this.lines();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private refAt(offset: number, container: number): SourceRef {
    const line = this.lineOf(offset);
    return {
      file: this.file,
      pointer: this.pointerOf(container),
      line: line + 1,
      column: offset - this.lines()[line]! + 1,
    };
  }

  private pointerOf(container: number): string {
    const parent = this.index.parents[container]!;
    if (parent < 0) return "";
    return appendSegment(this.parentPointer(parent), this.index.key(container));
  }

  /** Pointers of containers that have children asked for are kept: siblings share them. */
  private parentPointer(container: number): string {
    let pointer = this.pointers.get(container);
    if (pointer === undefined) {
      pointer = this.pointerOf(container);
      this.pointers.set(container, pointer);
    }
    return pointer;
  }

  private lines(): Int32Array {
    if (!this.lineStarts) {
      const { lineStarts, lineCount } = this.index;
      if (lineCount > 1 || this.index.count > 0) {
        this.lineStarts = lineStarts.subarray(0, lineCount);
      } else {
        // A document that failed to parse has no index: count the lines here.
        const starts = [0];
        for (let at = this.text.indexOf("\n"); at >= 0; at = this.text.indexOf("\n", at + 1)) starts.push(at + 1);
        this.lineStarts = Int32Array.from(starts);
      }
    }
    return this.lineStarts;
  }
}

/** `pointerJoin` without the two replacements when the segment needs no escaping (nearly always). */
function appendSegment(pointer: string, segment: string | number): string {
  if (typeof segment === "number" || (segment.indexOf("/") < 0 && segment.indexOf("~") < 0))
    return `${pointer}/${segment}`;
  return pointerJoin(pointer, segment);
}

/** Parses `text` (the contents of `file`). */
export function parseJson(text: string, file: string): ParseOutcome {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let value: unknown;
  let scanned = text;
  try {
    value = JSON.parse(start ? text.slice(start) : text);
  } catch {
    const strict = parseStrict(text, start);
    if (!strict.ok) return failure(file, text, strict.message, strict.offset);
    value = strict.value;
    scanned = blankComments(text);
  }
  let index: StructureIndex;
  try {
    index = scanStructure(scanned, start, MAX_DEPTH);
  } catch (error) {
    if (!(error instanceof StructureError)) throw error;
    return failure(file, text, error.message, error.offset);
  }
  return { ok: true, doc: new JsonDocument(file, text, value, index, pairValues(value, index), scanned) };
}

function failure(file: string, text: string, message: string, offset: number): ParseOutcome {
  const doc = new JsonDocument(file, text, undefined, new StructureIndex(text), []);
  const { line, column } = doc.position(offset);
  return { ok: false, error: { message, offset, line, column } };
}
