/**
 * @module ingest/locator
 * The one question every later layer asks of an input: where is this object? Parsed JSON documents answer it
 * directly; template evaluators answer it for the values they build by pointing at the declaration.
 */
import type { SourceRef } from "../model/source.js";

export interface Locator {
  locate(node: object): SourceRef | undefined;
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
