/**
 * @module model/source
 * Where a model object came from. Every resource, rule and route carries one, so that any verdict,
 * warning or finding can cite the file, line and JSON pointer of the declaration that decided it.
 */

/**
 * A place in an input file. Lines and columns are 1-based; 0 means "not known" (a generated object).
 * Ingest gives model objects a lazy one (ingest/locator LazySource): the fields are getters that work the
 * place out on first read. Read its fields, share it, or `JSON.stringify` it (it has `toJSON`); a spread or
 * `structuredClone` copies own properties only and would lose the place.
 */
export interface SourceRef {
  file: string;
  /** RFC 6901 JSON pointer into the input document ("" for the root). */
  pointer: string;
  line: number;
  column: number;
  /**
   * The place of a value below this object (`["addressPrefix"]`, `["addressSpace", "addressPrefixes", 1]`,
   * read in the object's `properties` when it has them), for citing one string or number exactly. Places that
   * cannot tell (built-in objects) have no such method: `valueSource` then falls back to the object's place.
   */
  member?(path: readonly (string | number)[]): SourceRef;
  /**
   * Where the value placed here was passed from, when it is read from a parameter given from outside (a Bicep
   * module's caller, then that caller's caller, ...): the nearest first, the outermost caller last. Absent for
   * a value written where it is placed (every ARM and export place). The entries have no `via` of their own.
   */
  via?: SourceRef[];
}

/** A source reference for objects that have no input location (built-in defaults, assumptions). */
export function syntheticSource(what: string): SourceRef {
  return { file: `<${what}>`, pointer: "", line: 0, column: 0 };
}

/** `file:line:column` (or `file` when the line is unknown), the form editors and CI annotate. */
export function formatSource(src: SourceRef | undefined): string {
  if (!src) return "<unknown location>";
  if (!src.line) return src.file;
  return `${src.file}:${src.line}:${src.column}`;
}

/** Appends one segment to a JSON pointer, escaping `~` and `/` as RFC 6901 asks. */
export function pointerJoin(pointer: string, segment: string | number): string {
  const text = String(segment).replace(/~/g, "~0").replace(/\//g, "~1");
  return `${pointer}/${text}`;
}

/** The place of the value at `path` below the object placed at `src`; `src` itself where that cannot be told. */
export function valueSource(src: SourceRef, path: readonly (string | number)[]): SourceRef {
  return src.member ? src.member(path) : src;
}
