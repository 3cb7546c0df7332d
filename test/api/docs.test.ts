/**
 * docs/api.md is a test: every `js` block runs, importing "apim-netcheck" as the library's source, and what it
 * prints (console.log, formatted as Node formats it) must equal the `text` block that follows it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";
import { describe, expect, it, vi } from "vitest";
import { REPO_ROOT } from "../helpers/corpus.js";

interface Example {
  code: string;
  expected?: string;
  line: number;
}

/** The `js` blocks of a Markdown text, each with the `text` block right after it (only blank lines between). */
function examplesOf(markdown: string): Example[] {
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  const blocks = [...markdown.matchAll(fence)].map((m) => ({
    lang: m[1]!,
    body: m[2]!,
    start: m.index!,
    end: m.index! + m[0].length,
  }));
  const out: Example[] = [];
  blocks.forEach((b, i) => {
    if (b.lang !== "js") return;
    const next = blocks[i + 1];
    const between = next ? markdown.slice(b.end, next.start) : "";
    const expected = next?.lang === "text" && between.trim() === "" ? next.body : undefined;
    out.push({ code: b.body, expected, line: markdown.slice(0, b.start).split("\n").length });
  });
  return out;
}

const doc = readFileSync(join(REPO_ROOT, "docs/api.md"), "utf8");
const examples = examplesOf(doc);
const library = pathToFileURL(join(REPO_ROOT, "src/api/index.ts")).href;
const scratch = mkdtempSync(join(tmpdir(), "apim-netcheck-api-doc-"));

describe("docs/api.md", () => {
  it("has examples, each with the output it prints", () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
    expect(examples.filter((e) => e.expected === undefined).map((e) => e.line)).toEqual([]);
  });

  it("reads an example and the output block after it, and only that one", () => {
    const md = "```js\na\n```\n\n```text\nb\n```\n\n```js\nc\n```\nprose\n```text\nd\n```\n";
    expect(examplesOf(md)).toEqual([
      { code: "a\n", expected: "b\n", line: 1 },
      { code: "c\n", expected: undefined, line: 9 },
    ]);
  });

  it.each(examples.map((e) => [e.line, e] as const))(
    "the example at line %i prints what the doc says",
    async (line, e) => {
      const file = join(scratch, `example-${line}.mjs`);
      writeFileSync(file, e.code.replaceAll('from "apim-netcheck"', `from ${JSON.stringify(library)}`));
      const printed: string[] = [];
      const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
        printed.push(format(...args));
      });
      const cwd = process.cwd();
      try {
        process.chdir(REPO_ROOT);
        await import(pathToFileURL(file).href);
      } finally {
        process.chdir(cwd);
        log.mockRestore();
      }
      expect(printed.map((p) => `${p}\n`).join("")).toBe(e.expected);
    },
  );
});
