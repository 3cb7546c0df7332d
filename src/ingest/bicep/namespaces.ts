/**
 * @module ingest/bicep/namespaces
 * Ingest layer, Bicep syntax: which names are namespaces, found from the tokens before parsing. `az.f()` and
 * `kv.f()` are written alike, but one calls a function of the `az` namespace and the other a method of a
 * resource; Bicep tells them apart by what the name is bound to. The namespaces are `az`, `sys`, the aliases of
 * `import * as ns` and the names of extensions (`extension k8s`, `extension 'x' … as alias`, the older
 * `import 'kubernetes@1.0.0'`), unless a declaration of the file takes the name (declarations come in any
 * order, hence the scan ahead). The parser also lets lambda parameters and loop variables hide a namespace.
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions#namespaces-for-functions
 */
import { Tok, type TokenStream } from "./tokens.js";

export interface Namespaces {
  /** Namespaces usable in expressions: `ns.f()` is a call of a namespace function. */
  values: Set<string>;
  /** Namespaces usable in types: `ns.t` is a type from that namespace. */
  types: Set<string>;
}

const BUILT_IN = ["az", "sys"];
const VALUE_DECLARATIONS = new Set(["param", "var", "resource", "module", "func"]);
const isOpener = (k: number) => k === Tok.LBrace || k === Tok.LParen || k === Tok.LBracket;
const isCloser = (k: number) => k === Tok.RBrace || k === Tok.RParen || k === Tok.RBracket;

/** Scans the top-level declarations (each first on its line, outside brackets) for namespaces and names. */
export function scanNamespaces(text: string, toks: TokenStream): Namespaces {
  const word = (j: number) => text.slice(toks.start[j], toks.end[j]);
  const kind = (j: number) => (j < toks.count ? toks.kind[j]! : Tok.EOF);
  const isWord = (j: number, w: string) => kind(j) === Tok.Identifier && word(j) === w;
  const found = new Set(BUILT_IN);
  const values = new Set<string>();
  const types = new Set<string>();

  /** True when token `j` is a word at column 1: a statement of its own (ends a scan of an unclosed bracket). */
  const startsLine = (j: number) => kind(j) === Tok.Identifier && toks.col[j] === 1;
  /** The alias after `as` in the statement starting at `j`, which ends at a line break outside brackets. */
  const aliasAfter = (j: number): string | undefined => {
    let depth = 0;
    for (let p = j; p < toks.count; p++) {
      const k = toks.kind[p]!;
      if (k === Tok.EOF) return undefined;
      if (k === Tok.NewLine && (depth === 0 || startsLine(p + 1))) return undefined;
      if (k === Tok.NewLine) continue;
      if (isOpener(k)) depth++;
      else if (isCloser(k)) depth = Math.max(0, depth - 1);
      else if (depth === 0 && isWord(p, "as") && kind(p + 1) === Tok.Identifier) return word(p + 1);
    }
    return undefined;
  };
  /** `'kubernetes@1.0.0'` names the namespace `kubernetes`; a registry reference names none we can know. */
  const nameInReference = (j: number): string | undefined => {
    const value = toks.value(j);
    const at = value.indexOf("@");
    const name = at > 0 ? value.slice(0, at) : "";
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : undefined;
  };
  const addExtension = (j: number) => {
    const alias = aliasAfter(j) ?? (kind(j) === Tok.Identifier ? word(j) : nameInReference(j));
    if (alias) found.add(alias);
  };

  let depth = 0;
  for (let j = 0; j < toks.count; j++) {
    const k = toks.kind[j]!;
    if (isOpener(k)) depth++;
    else if (isCloser(k)) depth = Math.max(0, depth - 1);
    if (depth !== 0 || k !== Tok.Identifier || (j > 0 && toks.kind[j - 1] !== Tok.NewLine)) continue;
    const keyword = word(j);
    const next = kind(j + 1);
    if (VALUE_DECLARATIONS.has(keyword) && next === Tok.Identifier) values.add(word(j + 1));
    else if (keyword === "type" && next === Tok.Identifier) types.add(word(j + 1));
    else if (keyword === "extension" && (next === Tok.Identifier || next === Tok.StringComplete)) addExtension(j + 1);
    else if (keyword === "import" && next === Tok.StringComplete) addExtension(j + 1);
    else if (keyword === "import" && next === Tok.Star && isWord(j + 2, "as") && kind(j + 3) === Tok.Identifier) {
      found.add(word(j + 3));
    } else if (keyword === "import" && next === Tok.LBrace) {
      // Imported symbols may be types or values; either way they hide a namespace of the same name.
      for (let p = j + 2; kind(p) !== Tok.RBrace && kind(p) !== Tok.EOF; p++) {
        if (kind(p) === Tok.NewLine && startsLine(p + 1)) break;
        if (kind(p) === Tok.Identifier && !isWord(p, "as") && !isWord(p + 1, "as")) {
          values.add(word(p));
          types.add(word(p));
        }
      }
    }
  }
  return {
    values: new Set([...found].filter((n) => !values.has(n))),
    types: new Set([...found].filter((n) => !types.has(n))),
  };
}
