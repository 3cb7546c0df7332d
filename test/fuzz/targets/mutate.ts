/**
 * Arbitraries shared by the fuzz targets: text mutations (insert, delete, duplicate, replace, truncate) that
 * turn valid inputs into nearly valid ones, which is where parsers break.
 */
import fc from "fast-check";

type Mutation =
  | { kind: "insert"; at: number; text: string }
  | { kind: "delete"; at: number; length: number }
  | { kind: "duplicate"; at: number; length: number }
  | { kind: "truncate"; at: number }
  | { kind: "swap"; at: number; to: number };

/** Characters that mean something to JSON, YAML or ARM expressions, plus awkward Unicode. */
export const SYNTAX_CHARS = [
  ..."{}[]\"',:.()-+eE0123456789 \n\t\r/\\*#&!|>?@`~%\u0000",
  "true",
  "false",
  "null",
  "[[",
  "]]",
  "\\u0000",
  "\\ud800",
  "\u00e9",
  "\ud83d\ude00",
  "\ud800",
  "\ufeff",
  "1e400",
  "99999999999999999999",
  "-0",
  "__proto__",
  "constructor",
];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...SYNTAX_CHARS), fc.string({ maxLength: 4 })),
  }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("swap" as const), at: fc.nat(), to: fc.nat() }),
);

function apply(text: string, m: Mutation): string {
  const at = text.length === 0 ? 0 : m.at % (text.length + 1);
  switch (m.kind) {
    case "insert":
      return text.slice(0, at) + m.text + text.slice(at);
    case "delete":
      return text.slice(0, at) + text.slice(at + m.length);
    case "duplicate":
      return text.slice(0, at + m.length) + text.slice(at, at + m.length) + text.slice(at + m.length);
    case "truncate":
      return text.slice(0, at);
    case "swap": {
      const to = text.length === 0 ? 0 : m.to % text.length;
      const chars = [...text];
      if (chars.length > 1) [chars[at % chars.length], chars[to]] = [chars[to]!, chars[at % chars.length]!];
      return chars.join("");
    }
  }
}

/** `base` texts with 0 to `max` mutations applied. */
export function mutated(base: fc.Arbitrary<string>, max = 4): fc.Arbitrary<string> {
  return fc
    .tuple(base, fc.array(mutation, { maxLength: max }))
    .map(([text, mutations]) => mutations.reduce(apply, text));
}

/** Strings over the syntax alphabet (mostly noise with structure in it). */
export const syntaxNoise: fc.Arbitrary<string> = fc
  .array(fc.constantFrom(...SYNTAX_CHARS), { maxLength: 60 })
  .map((parts) => parts.join(""));

/** Throws `error` unless it is one of the documented typed errors. */
export function allowOnly(error: unknown, ...allowed: (abstract new (...args: never[]) => Error)[]): void {
  if (allowed.some((type) => error instanceof type)) return;
  throw error;
}
