/**
 * @module ingest/json/parse
 * A JSON parser that remembers where every object and array came from, so that a verdict can cite the line of
 * the rule or route that decided it. Values are built by `JSON.parse` (native speed; same numbers and
 * strings; `__proto__` is an ordinary key). Where each object and array starts is found by a separate pass
 * over the text (structure.ts), made on the document's first location question, not while parsing: most runs
 * cite a handful of places, and a run that cites none never pays for the pass. Line, column and JSON pointer
 * are worked out only when asked for. Texts that `JSON.parse` refuses go to a careful reader (strict.ts) that
 * accepts the `//` and `/* *\/` comments Azure Resource Manager accepts in templates, and otherwise reports
 * the line and column of the syntax error. Nesting deeper than MAX_DEPTH is refused while parsing, so that the
 * recursive readers after us (template evaluation, output) stay within the stack. Nothing here throws on bad
 * input.
 */
import { pointerJoin, type SourceRef } from "../../model/source.js";
import { DocumentParts, type Part, pathTo } from "./parts.js";
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

/**
 * Location questions a document answers from parts of its text (parts.ts) before it makes the structure index,
 * and the containers their walks over the values may visit in all (a few walks of a large estate): a question
 * about one subnet asks a handful, a listing or a check of the estate one per resource or finding.
 */
const PART_QUESTIONS = 64;
const PART_VISITS = 4_000_000;

/** The structure index of a document and the look-up from its values to their containers. */
interface Structure {
  index: StructureIndex;
  containers: ContainerFinder;
}

/** A parsed document: the value plus the means to locate any of its objects or arrays. */
export class JsonDocument {
  private lineStarts: Int32Array | undefined;
  private structure: Structure | undefined;
  /** JSON pointers of containers already asked for (a child's is its parent's plus one segment). */
  private readonly pointers = new Map<number, string>();
  private parts: DocumentParts | undefined;
  private partQuestions = 0;
  private readonly partVisits = { count: 0 };

  constructor(
    readonly file: string,
    readonly text: string,
    readonly value: unknown,
    /** The text the values were read from (comments blanked); same offsets as `text`. */
    private readonly scanned: string = text,
    /** Where the JSON starts (1 after a byte order mark). */
    private readonly start = 0,
  ) {}

  /** True once a location question has read the text's structure, in parts or whole (tests look). */
  get indexed(): boolean {
    return this.structure !== undefined || this.parts !== undefined;
  }

  /**
   * The structure index, made on first use. The scan has no depth limit here: the values were checked while
   * parsing, and a text can only be deeper than its values under a key that a later duplicate replaced.
   */
  private structured(): Structure {
    if (!this.structure) {
      let index: StructureIndex;
      try {
        index = scanStructure(this.scanned, this.start);
      } catch (error) {
        // Not reached for a text that parsed; should it be, the document answers without locations.
        if (!(error instanceof StructureError)) throw error;
        index = new StructureIndex(this.text);
      }
      this.structure = { index, containers: new ContainerFinder(pairValues(this.value, index)) };
    }
    return this.structure;
  }

  /** True when `node` is an object or array of this document. */
  owns(node: object): boolean {
    return this.structured().containers.find(node) !== undefined;
  }

  /** The location of an object or array of this document. */
  locate(node: object): SourceRef | undefined {
    // A text with comments is read by the careful parser: its few questions go to the structure index too.
    if (
      !this.structure &&
      this.scanned === this.text &&
      this.partQuestions < PART_QUESTIONS &&
      this.partVisits.count < PART_VISITS
    ) {
      this.partQuestions++;
      this.parts ??= new DocumentParts(this.text, this.value, this.start);
      // Questions come in runs about one resource: the parts indexed already are asked before the values are walked.
      const known = this.parts.known(node);
      if (known) return this.placeInPart(known.part, known.at);
      const path = pathTo(this.value, node, this.partVisits);
      if (!path) return undefined;
      const part = path.length >= 2 ? this.parts.partOf(path, pointerOfKeys(path.slice(0, 2))) : undefined;
      const at = part?.containers.find(node);
      if (part && at !== undefined) return this.placeInPart(part, at);
    }
    const { index, containers } = this.structured();
    const at = containers.find(node);
    if (at === undefined) return undefined;
    return this.refAt(index.offsets[at]!, this.pointerOf(at));
  }

  /** The place of container `at` of a part of the text (parts.ts). */
  private placeInPart(part: Part, at: number): SourceRef {
    const { line, column } = this.parts!.position(part.index.offsets[at]!);
    return { file: this.file, pointer: pointerIn(part.index, at, part.pointer), line, column };
  }

  /**
   * The location of member `key` of `node` (an object's key, an array's element), for citing a string or
   * number value exactly; the node's own location when the member is absent.
   */
  locateMember(node: object, key: string | number): SourceRef | undefined {
    const { index, containers } = this.structured();
    const at = containers.find(node);
    if (at === undefined) return undefined;
    const offset = memberOffset(this.scanned, index.offsets[at]!, key);
    if (offset === undefined) return this.refAt(index.offsets[at]!, this.pointerOf(at));
    return this.refAt(offset, pointerJoin(this.pointerOf(at), key));
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

  private refAt(offset: number, pointer: string): SourceRef {
    const line = this.lineOf(offset);
    return { file: this.file, pointer, line: line + 1, column: offset - this.lines()[line]! + 1 };
  }

  private pointerOf(container: number): string {
    const { index } = this.structured();
    const parent = index.parents[container]!;
    if (parent < 0) return "";
    return appendSegment(this.parentPointer(parent), index.key(container));
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
      const index = this.value === undefined ? undefined : this.structured().index;
      if (index && (index.lineCount > 1 || index.count > 0)) {
        this.lineStarts = index.lineStarts.subarray(0, index.lineCount);
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

function pointerOfKeys(keys: readonly (string | number)[]): string {
  let pointer = "";
  for (const key of keys) pointer = appendSegment(pointer, key);
  return pointer;
}

/** The JSON pointer of container `at` of an index of one value whose own pointer is `base`. */
function pointerIn(index: StructureIndex, at: number, base: string): string {
  const keys: (string | number)[] = [];
  for (let c = at; index.parents[c]! >= 0; c = index.parents[c]!) keys.push(index.key(c));
  let pointer = base;
  for (let i = keys.length - 1; i >= 0; i--) pointer = appendSegment(pointer, keys[i]!);
  return pointer;
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
  try {
    value = JSON.parse(start ? text.slice(start) : text);
  } catch {
    // The careful reader refuses deep nesting itself.
    const strict = parseStrict(text, start);
    if (!strict.ok) return failure(file, text, strict.message, strict.offset);
    return { ok: true, doc: new JsonDocument(file, text, strict.value, blankComments(text), start) };
  }
  if (deeperThan(value, MAX_DEPTH)) return depthFailure(file, text, start);
  return { ok: true, doc: new JsonDocument(file, text, value, text, start) };
}

/** Refuses a text nested too deep, at the first bracket too deep (found by the structure scan, rarely run). */
function depthFailure(file: string, text: string, start: number): ParseOutcome {
  try {
    scanStructure(text, start, MAX_DEPTH);
  } catch (error) {
    if (!(error instanceof StructureError)) throw error;
    return failure(file, text, error.message, error.offset);
  }
  return failure(file, text, `nesting deeper than ${MAX_DEPTH} levels`, start);
}

/**
 * True when `root` holds an object or array more than `max` levels deep (the root is level 1). A walk with an
 * explicit stack, over the values rather than the text: it reads only what `JSON.parse` built, a small part
 * of the cost of scanning the characters again. Also used on values built by evaluation (ARM's `json()`),
 * where a part shared by several containers is walked once per container holding it.
 */
export function deeperThan(root: unknown, max: number): boolean {
  if (typeof root !== "object" || root === null) return false;
  const nodes: object[] = [root];
  const levels: number[] = [1];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const level = levels.pop()! + 1;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const item: unknown = node[i];
        if (typeof item !== "object" || item === null) continue;
        if (level > max) return true;
        nodes.push(item);
        levels.push(level);
      }
    } else {
      // Every key is an own data property of a parsed object (`__proto__` included), so `for...in` and a plain
      // read see exactly the parsed members.
      for (const key in node) {
        const item: unknown = (node as Record<string, unknown>)[key];
        if (typeof item !== "object" || item === null) continue;
        if (level > max) return true;
        nodes.push(item);
        levels.push(level);
      }
    }
  }
  return false;
}

function failure(file: string, text: string, message: string, offset: number): ParseOutcome {
  const { line, column } = new JsonDocument(file, text, undefined).position(offset);
  return { ok: false, error: { message, offset, line, column } };
}
