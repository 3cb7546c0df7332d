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
}

/**
 * The location of `node` as `locator` will tell it, or `fallback` where it cannot, worked out on first read
 * and kept. It reads as a SourceRef everywhere: the four fields are getters, `toJSON()` gives the plain
 * object, and it never changes once made (share it, do not copy it: a spread copies only own properties,
 * and it has none). What it holds is private (`#`), so walks over a model's own properties do not reach the
 * parsed input behind it.
 */
export class LazySource implements SourceRef {
  // Three fields, not four: a large template has hundreds of thousands of these. Once resolved, `#locator` is
  // undefined and `#place` holds the answer; before, it holds the fallback.
  #locator: Locator | undefined;
  #node: object | undefined;
  #place: SourceRef;

  constructor(locator: Locator, node: object, fallback: SourceRef) {
    this.#locator = locator;
    this.#node = node;
    this.#place = fallback;
  }

  get file(): string {
    return this.#resolved().file;
  }

  get pointer(): string {
    return this.#resolved().pointer;
  }

  get line(): number {
    return this.#resolved().line;
  }

  get column(): number {
    return this.#resolved().column;
  }

  toJSON(): SourceRef {
    const ref = this.#resolved();
    return { file: ref.file, pointer: ref.pointer, line: ref.line, column: ref.column };
  }

  #resolved(): SourceRef {
    const locator = this.#locator;
    if (locator !== undefined) {
      const found = locator.locate(this.#node!);
      if (found) this.#place = found;
      // The question is answered: what it needed may go.
      this.#locator = undefined;
      this.#node = undefined;
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
