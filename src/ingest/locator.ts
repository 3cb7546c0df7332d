/**
 * @module ingest/locator
 * The one question every later layer asks of an input: where is this object? Parsed JSON documents answer it
 * directly; template evaluators answer it for the values they build by pointing at the declaration. The model
 * asks it lazily: each resource, rule and route holds a LazySource, which puts the question on first read
 * (style.md: line and column are resolved lazily, in one place). A run that cites a few places pays for a
 * few look-ups; building the model pays for none.
 */
import type { SourceRef } from "../model/source.js";

export interface Locator {
  locate(node: object): SourceRef | undefined;
  /** The place of member `key` of `node` (an object's property, an array's element), when the locator can tell. */
  locateMember?(node: object, key: string | number): SourceRef | undefined;
  /** The place of the value at `path` below `node` (see SourceRef.member), when the locator can tell. */
  locatePath?(node: object, path: readonly (string | number)[]): SourceRef | undefined;
}

/** A SourceRef whose four fields are worked out by `resolved()` on first read (see LazySource). */
abstract class DeferredPlace implements SourceRef {
  protected abstract resolved(): SourceRef;

  get file(): string {
    return this.resolved().file;
  }

  get pointer(): string {
    return this.resolved().pointer;
  }

  get line(): number {
    return this.resolved().line;
  }

  get column(): number {
    return this.resolved().column;
  }

  get via(): SourceRef[] | undefined {
    return this.resolved().via;
  }

  toJSON(): SourceRef {
    const ref = this.resolved();
    const out: SourceRef = { file: ref.file, pointer: ref.pointer, line: ref.line, column: ref.column };
    if (ref.via) out.via = ref.via;
    return out;
  }
}

/**
 * The location of `node` as `locator` will tell it, or `fallback` where it cannot, worked out on first read
 * and kept. It reads as a SourceRef everywhere: the four fields are getters, `toJSON()` gives the plain
 * object, and it never changes once made (share it, do not copy it: a spread copies only own properties,
 * and it has none). What it holds is private (`#`), so walks over a model's own properties do not reach the
 * parsed input behind it.
 */
export class LazySource extends DeferredPlace {
  // Few fields: a large template has hundreds of thousands of these. `#place` holds the fallback until the
  // question is answered, then the answer. The locator and node stay after that: `member()` asks about values
  // below the node after the node itself is placed (the documents they point into live for the run anyway).
  #locator: Locator;
  #node: object;
  #place: SourceRef;
  #done = false;

  constructor(locator: Locator, node: object, fallback: SourceRef) {
    super();
    this.#locator = locator;
    this.#node = node;
    this.#place = fallback;
  }

  /** The place of the value at `path` below this object (see SourceRef.member), worked out on first read. */
  member(path: readonly (string | number)[]): SourceRef {
    return new LazyPlace(() => this.#locateMember(path) ?? this.resolved());
  }

  protected resolved(): SourceRef {
    if (!this.#done) {
      const found = this.#locator.locate(this.#node);
      if (found) this.#place = found;
      this.#done = true;
    }
    return this.#place;
  }

  #locateMember(path: readonly (string | number)[]): SourceRef | undefined {
    return this.#locator.locatePath?.(this.#node, path);
  }
}

function isContainer(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

/** A place worked out by a function on first read (a member of a LazySource's node). */
class LazyPlace extends DeferredPlace {
  #find: (() => SourceRef) | undefined;
  #place: SourceRef | undefined;

  constructor(find: () => SourceRef) {
    super();
    this.#find = find;
  }

  protected resolved(): SourceRef {
    if (!this.#place) {
      this.#place = this.#find!();
      this.#find = undefined;
    }
    return this.#place;
  }
}

/** A locator over several documents plus aliases from built objects to the declarations they came from. */
export class SourceIndex implements Locator {
  // A WeakMap, not a Map: every parsed node is looked up here, and Map.get gives each object it is asked
  // about an identity hash (a costly change to hundreds of thousands of objects); WeakMap.get does not.
  private readonly aliases = new WeakMap<object, object | SourceRef>();
  private readonly locators: Locator[] = [];
  private lastHit = 0;

  addLocator(locator: Locator): void {
    this.locators.push(locator);
  }

  /** Records that `built` (a computed value) should be cited at `origin` (a parsed node, or a place). */
  alias(built: object, origin: object | SourceRef): void {
    if (built !== origin) this.aliases.set(built, origin);
  }

  /** The location of `node` (or `fallback`), resolved on first read: see LazySource. */
  lazy(node: object, fallback: SourceRef): SourceRef {
    return new LazySource(this, node, fallback);
  }

  locateMember(node: object, key: string | number): SourceRef | undefined {
    const parsed = this.parsedNode(node);
    if (!parsed || isSourceRef(parsed)) return parsed;
    for (const locator of this.locators) {
      const found = locator.locateMember?.(parsed, key);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * Walks `path` in the declaration `node` stands for (its `properties` first when the first step is there):
   * a built object's intermediate bags are not aliased, but the declaration has the same keys. Where the walk
   * meets a value that is not a container (an expression that makes the rest), that value is the place.
   */
  locatePath(node: object, path: readonly (string | number)[]): SourceRef | undefined {
    const parsed = this.parsedNode(node);
    if (!parsed || isSourceRef(parsed) || path.length === 0) return undefined;
    let container: object = parsed;
    const bag = (parsed as Record<string, unknown>).properties;
    if (isContainer(bag) && Object.hasOwn(bag, path[0]!)) container = bag;
    for (let i = 0; i < path.length; i++) {
      const step = path[i]!;
      const next = Object.hasOwn(container, step) ? (container as Record<string | number, unknown>)[step] : undefined;
      if (i === path.length - 1 || !isContainer(next)) {
        return next === undefined ? this.locate(container) : this.locateMember(container, step);
      }
      container = next;
    }
    return undefined;
  }

  /** The parsed node (or recorded place) a built object stands for, following aliases. */
  private parsedNode(node: object): object | SourceRef | undefined {
    let current: object = node;
    for (let hops = 0; hops < 64; hops++) {
      const next = this.aliases.get(current);
      if (!next) return current;
      if (isSourceRef(next)) return next;
      current = next;
    }
    return undefined;
  }

  locate(node: object): SourceRef | undefined {
    let current: object = node;
    for (let hops = 0; hops < 64; hops++) {
      // A built object is never a parsed node: follow its alias before asking the documents.
      const next = this.aliases.get(current);
      if (next) {
        if (isSourceRef(next)) return next;
        current = next;
        continue;
      }
      return this.fromLocators(current);
    }
    return undefined;
  }

  /** Asks the locator that answered last first: look-ups come in runs from one document. */
  private fromLocators(node: object): SourceRef | undefined {
    const first = this.locators[this.lastHit];
    const found = first?.locate(node);
    if (found) return found;
    for (let i = 0; i < this.locators.length; i++) {
      if (i === this.lastHit) continue;
      const ref = this.locators[i]!.locate(node);
      if (ref) {
        this.lastHit = i;
        return ref;
      }
    }
    return undefined;
  }
}

function isSourceRef(value: object): value is SourceRef {
  return "pointer" in value && "file" in value && "line" in value;
}
