/**
 * Every .bicep and .bicepparam file of the third-party corpus (../shared/corpus, read in place, never copied
 * in) parses without diagnostics, with every node located, and prints back to text that parses to the same
 * tree, parentheses included. Skipped, saying so, when the corpus is absent.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { CORPUS, HAS_CORPUS } from "../../../test/helpers/corpus.js";
import { parseBicep } from "./parser.js";
import { print } from "./print.js";
import { rangeProblems, treeShape } from "./walk.js";

function bicepFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return bicepFiles(join(dir, e.name));
    return e.name.endsWith(".bicep") || e.name.endsWith(".bicepparam") ? [join(dir, e.name)] : [];
  });
}

const FILES = HAS_CORPUS
  ? bicepFiles(CORPUS)
      .map((f) => relative(CORPUS, f))
      .sort()
  : [];

describe.skipIf(!HAS_CORPUS)("Bicep corpus (skipped when ../shared/corpus is absent)", () => {
  it("finds the corpus's Bicep files, Azure Verified Modules among them", () => {
    expect(FILES.length).toBeGreaterThanOrEqual(70);
    expect(FILES.filter((f) => f.startsWith("bicep-registry-modules/")).length).toBeGreaterThanOrEqual(30);
    expect(FILES.some((f) => f.endsWith(".bicepparam"))).toBe(true);
  });

  it.each(FILES.length > 0 ? FILES : ["(none)"])("%s parses, is located and prints back", (file) => {
    const path = join(CORPUS, file);
    const text = readFileSync(path, "utf8");
    const { ast, diagnostics } = parseBicep(text, path);
    expect(diagnostics.map((d) => `${d.src.line}:${d.src.column} ${d.message}`)).toEqual([]);
    expect(ast.statements.length).toBeGreaterThan(0);
    expect(rangeProblems(ast, text)).toEqual([]);
    const printed = print(ast);
    const again = parseBicep(printed, path);
    expect(again.diagnostics.map((d) => d.message)).toEqual([]);
    expect(JSON.stringify(treeShape(again.ast))).toBe(JSON.stringify(treeShape(ast)));
  });
});
