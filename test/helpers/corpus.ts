/**
 * Test helper: the third-party corpus lives beside the repository in ../shared/corpus (never copied in).
 * Tests that need it use `describeCorpus`, which skips cleanly when the folder is absent.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe } from "vitest";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const CORPUS = process.env.APIM_NETCHECK_CORPUS ?? resolve(REPO_ROOT, "../shared/corpus");
export const HAS_CORPUS = existsSync(CORPUS);

/** Absolute path of a corpus file. */
export function corpusPath(...parts: string[]): string {
  return join(CORPUS, ...parts);
}

/** `describe` that is skipped (with the reason in its name) when ../shared/corpus is absent. */
export const describeCorpus: typeof describe.skip = HAS_CORPUS ? describe : describe.skip;
