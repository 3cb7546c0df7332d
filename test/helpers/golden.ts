/**
 * Golden files (style.md "Formatter goldens are made from a fixed findings fixture"): `expectGolden` compares an
 * output with test/golden/<name>; `UPDATE_GOLDEN=1 npx vitest run` rewrites the files instead (review the diff).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect } from "vitest";
import { REPO_ROOT } from "./corpus.js";

export const GOLDEN_DIR = join(REPO_ROOT, "test/golden");

export function expectGolden(name: string, actual: string): void {
  const path = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`no golden file ${name}: run UPDATE_GOLDEN=1 npx vitest run to write it`);
  expect(actual, `${name} differs from its golden file (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(path, "utf8"));
}
