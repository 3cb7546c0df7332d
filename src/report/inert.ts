/**
 * @module report/inert
 * Report layer: the one sanitizer of text that reaches a terminal, a log or a markup document. Text from the
 * inputs (a resource name, a file path, a message built from them) may hold escape sequences that clear the
 * screen, set the window title or make links (ESC, BEL, OSC), a carriage return or newline that forges an output
 * line (`\nSummary: 0 error(s)`), or bidi controls that reorder what is shown (Trojan Source,
 * https://trojansource.codes, CVE-2021-42574). Each of them is written as a visible `\uXXXX` escape, so the
 * characters are still there to read, and can do nothing.
 *
 * Two strengths: `inert` for a value from the inputs (every C0 control, newline and tab included, so a value
 * is always one line), and `inertLines` for text the tool composed itself (keeps its own newlines and tabs;
 * the CLI applies it to everything it writes, as the last line of defence). The `\uXXXX` form is also a JSON
 * escape of the same character, so `inertLines` over JSON text gives JSON with the same value.
 */
import { ACTIVE_CHARACTER_SOURCE, ACTIVE_IN_VALUE } from "../model/active-characters.js";

const UNSAFE = ACTIVE_CHARACTER_SOURCE;
const IN_LINES = new RegExp(UNSAFE, "g");
const IN_VALUES = ACTIVE_IN_VALUE;

function visible(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** A value from the inputs as one inert line: every control (newline, CR and tab too) and bidi control as `\uXXXX`. */
export function inert(text: string): string {
  return text.replace(IN_VALUES, visible);
}

/**
 * Text the tool composed, made inert but for its own line breaks and tabs. `keep` lists exact sequences the tool
 * writes on purpose (colour on a terminal, the progress note's line clearing); they pass unchanged.
 */
export function inertLines(text: string, keep: readonly string[] = []): string {
  if (keep.length === 0) return text.replace(IN_LINES, visible);
  const kept = new Set(keep);
  const pattern = new RegExp(`${keep.map((k) => k.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&")).join("|")}|${UNSAFE}`, "g");
  return text.replace(pattern, (m) => (kept.has(m) ? m : visible(m)));
}

/** Lines the tool composed from values of the inputs, each made inert (so one line stays one) and ended with a newline. */
export function inertJoin(lines: readonly string[]): string {
  return lines.map((line) => `${inert(line)}\n`).join("");
}
