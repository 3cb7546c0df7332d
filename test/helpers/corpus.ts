/**
 * Test helper: the third-party corpus lives beside the repository in ../shared/corpus (never copied in).
 * Tests that need it use `describeCorpus`, which skips cleanly when the folder is absent.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const CORPUS = process.env.APIM_NETCHECK_CORPUS ?? resolve(REPO_ROOT, "../shared/corpus");
export const HAS_CORPUS = existsSync(CORPUS);

/** Absolute path of a corpus file. */
export function corpusPath(...parts: string[]): string {
  return join(CORPUS, ...parts);
}

/**
 * `describe` when ../shared/corpus is there. When it is absent, the suite is skipped with the reason in its name,
 * and its body is never run: a body that reads corpus files while collecting its tests (a fixture copied, a
 * model loaded once for every test) would otherwise fail before anything is skipped.
 */
export function describeCorpus(name: string, body: () => void): void {
  if (HAS_CORPUS) describe(name, body);
  else describe.skip(`${name} (skipped: ${CORPUS} is absent)`, () => it("needs the corpus", () => {}));
}
