/**
 * @module cli/unified-diff
 * CLI layer: a unified diff (`diff -u`, three lines of context) of a file and the edits made to it, for
 * `apim-netcheck fix --dry-run`. The edits say which lines change, so no line matching is needed: each run of
 * touched lines is shown as removed and its new text as added. `patch -p0` applies the output.
 */
import { applyEdits, type TextEdit } from "../ingest/edits.js";
import { inert } from "../report/inert.js";

const CONTEXT = 3;

/** The lines of `text`, each with its line break. */
function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** The unified diff of `file` before and after `edits`; empty when nothing changes. */
export function unifiedDiff(file: string, text: string, edits: readonly TextEdit[]): string {
  const lines = linesOf(text);
  const starts: number[] = [];
  let at = 0;
  for (const line of lines) {
    starts.push(at);
    at += line.length;
  }
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = Math.max(0, lines.length - 1);
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  // Runs of touched lines, with the edits in each.
  const blocks: { first: number; last: number; edits: TextEdit[] }[] = [];
  for (const e of [...edits].sort((a, b) => a.offset - b.offset)) {
    const first = lineOf(e.offset);
    const last = lineOf(Math.max(e.offset, e.offset + e.length - 1));
    const prev = blocks[blocks.length - 1];
    if (prev && first <= prev.last) {
      prev.last = Math.max(prev.last, last);
      prev.edits.push(e);
    } else blocks.push({ first, last, edits: [e] });
  }
  const out: string[] = [];
  let delta = 0;
  let i = 0;
  while (i < blocks.length) {
    let j = i;
    while (j + 1 < blocks.length && blocks[j + 1]!.first - blocks[j]!.last - 1 <= 2 * CONTEXT) j++;
    const from = Math.max(0, blocks[i]!.first - CONTEXT);
    const to = Math.min(lines.length - 1, blocks[j]!.last + CONTEXT);
    const body: string[] = [];
    let oldCount = 0;
    let newCount = 0;
    let line = from;
    for (let k = i; k <= j; k++) {
      const b = blocks[k]!;
      for (; line < b.first; line++, oldCount++, newCount++) body.push(` ${lines[line]}`);
      const start = starts[b.first] ?? text.length;
      const end = b.last + 1 < lines.length ? starts[b.last + 1]! : text.length;
      const shifted = b.edits.map((e) => ({ ...e, offset: e.offset - start }));
      const added = linesOf(applyEdits(text.slice(start, end), shifted));
      for (; line <= b.last && line < lines.length; line++, oldCount++) body.push(`-${lines[line]}`);
      for (const a of added) body.push(`+${a}`);
      newCount += added.length;
    }
    for (; line <= to; line++, oldCount++, newCount++) body.push(` ${lines[line]}`);
    const oldStart = oldCount ? from + 1 : from;
    const newStart = newCount ? from + 1 + delta : from + delta;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@\n`);
    for (const b of body) out.push(b.endsWith("\n") ? b : `${b}\n\\ No newline at end of file\n`);
    delta += newCount - oldCount;
    i = j + 1;
  }
  // The path is made inert: a newline in it would forge a line of the diff.
  return out.length ? `--- ${inert(file)}\n+++ ${inert(file)}\n${out.join("")}` : "";
}
