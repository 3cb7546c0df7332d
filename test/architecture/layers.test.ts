/**
 * Layers import in one direction only (style.md): api → cli → report → checks → engine → model, and ingest → model.
 * This test reads every source file's imports and fails on an import that points up or sideways.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/corpus.js";

const SRC = join(REPO_ROOT, "src");

/** For each layer, the layers it may import from (besides itself). */
const ALLOWED: Record<string, string[]> = {
  model: [],
  engine: ["model"],
  ingest: ["model", "engine"],
  checks: ["engine", "model"],
  report: ["checks", "engine", "model"],
  cli: ["report", "checks", "engine", "ingest", "model"],
  // The library entry wraps the functions the commands answer with (cli/commands answer*, cli/context), so it
  // sits on top; nothing below may import it.
  api: ["cli", "report", "checks", "engine", "ingest", "model"],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")
        ? [join(dir, e.name)]
        : [],
  );
}

function layerOf(file: string): string {
  return relative(SRC, file).split("/")[0]!;
}

describe("layering", () => {
  it("every relative import goes down the layers", () => {
    const violations: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const from = layerOf(file);
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/(?:import|export)[^"']*?from\s+["'](\.[^"']+)["']/g)) {
        const target = resolve(dirname(file), match[1]!);
        const to = layerOf(target);
        if (to !== from && !(ALLOWED[from] ?? []).includes(to)) {
          violations.push(`${relative(REPO_ROOT, file)} (${from}) imports ${match[1]} (${to})`);
        }
      }
    }
    expect(violations).toEqual([]);
  });
});
