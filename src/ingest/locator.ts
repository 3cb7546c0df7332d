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
  private readonly aliases = new WeakMap<object, object | SourceRef>();
  private readonly locators: Locator[] = [];

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
      for (const locator of this.locators) {
        const found = locator.locate(current);
        if (found) return found;
      }
      const next = this.aliases.get(current);
      if (!next) return undefined;
      if (isSourceRef(next)) return next;
      current = next;
    }
    return undefined;
  }
}

function isSourceRef(value: object): value is SourceRef {
  return "pointer" in value && "file" in value && "line" in value;
}
