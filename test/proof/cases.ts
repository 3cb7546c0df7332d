/**
 * The cases the fix proof runs on: every check fixture (a file, with its `.assume.yaml` when there is one, or a
 * folder of files read together), the bundled example, and every corpus input the tool reads of each language
 * (each template, REST example or plan JSON alone; each Bicep entry file; each Terraform root module), when
 * ../shared/corpus is there.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { CORPUS, HAS_CORPUS, REPO_ROOT } from "../helpers/corpus.js";
import type { ProofCase } from "./prove.js";

const FIXTURES = join(REPO_ROOT, "test/fixtures/checks");

/** A name for a path: relative to the repository or the corpus. */
const nameOf = (path: string) =>
  path.startsWith(CORPUS) ? `corpus/${relative(CORPUS, path)}` : relative(REPO_ROOT, path);

/** Every check fixture of `ext` (`.json`, `.bicep`, `.tf`) as one case each; folders of files are one case. */
export function fixtureCases(ext: string): ProofCase[] {
  const out: ProofCase[] = [];
  for (const check of readdirSync(FIXTURES).sort()) {
    const dir = join(FIXTURES, check);
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        if (readdirSync(path).some((f) => f.endsWith(ext))) out.push({ name: nameOf(path), root: path, inputs: ["."] });
        continue;
      }
      if (!entry.endsWith(ext) || entry.endsWith(".parameters.json")) continue;
      const assume = entry.replace(/\.[^.]+$/, ".assume.yaml");
      out.push({
        name: nameOf(path),
        root: dir,
        inputs: [entry],
        assume: existsSync(join(dir, assume)) ? assume : undefined,
      });
    }
  }
  return out;
}

/**
 * The proof's own fixtures of `ext` (test/proof/fixtures: Bicep files and Terraform root folders written to
 * exercise their edit writers): a file each, or a folder holding such files.
 */
export function proofFixtureCases(ext: string): ProofCase[] {
  const dir = join(REPO_ROOT, "test/proof/fixtures");
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const path = join(dir, f);
      if (statSync(path).isDirectory())
        return readdirSync(path).some((x) => x.endsWith(ext))
          ? [{ name: nameOf(path), root: path, inputs: ["."] }]
          : [];
      return f.endsWith(ext) ? [{ name: nameOf(path), root: dir, inputs: [f] }] : [];
    });
}

/** The bundled examples, each folder one case. */
export function exampleCases(): ProofCase[] {
  const dir = join(REPO_ROOT, "examples");
  return readdirSync(dir)
    .filter((d) => statSync(join(dir, d)).isDirectory())
    .map((d) => ({ name: `examples/${d}`, root: join(dir, d), inputs: ["."] }));
}

function walk(dir: string, keep: (file: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return e.name === ".terraform" ? [] : walk(path, keep);
      return keep(path) ? [path] : [];
    });
}

/** Every corpus JSON input (the service-tag catalog and parameter files are not networks), each alone. */
export function corpusJsonCases(): ProofCase[] {
  if (!HAS_CORPUS) return [];
  return walk(
    CORPUS,
    (f) => f.endsWith(".json") && !f.endsWith(".parameters.json") && !f.includes("AzureServiceTagsJson"),
  ).map((f) => ({ name: nameOf(f), root: dirname(f), inputs: [basename(f)] }));
}

/**
 * Every corpus Bicep file that no other Bicep file of its repository uses as a module (an entry point), read
 * with its repository copied whole so that its modules resolve.
 */
export function corpusBicepCases(): ProofCase[] {
  if (!HAS_CORPUS) return [];
  const out: ProofCase[] = [];
  for (const repo of readdirSync(CORPUS).sort()) {
    const root = join(CORPUS, repo);
    if (!statSync(root).isDirectory()) continue;
    const files = walk(root, (f) => f.endsWith(".bicep"));
    const used = new Set<string>();
    for (const f of files) {
      for (const m of readFileSync(f, "utf8").matchAll(/\bmodule\s+\w+\s+'([^']+\.bicep)'/g))
        used.add(join(dirname(f), m[1]!));
    }
    for (const f of files) {
      if (used.has(f)) continue;
      out.push({ name: nameOf(f), root, inputs: [relative(root, f)] });
    }
  }
  return out;
}

/** Every corpus Terraform root module: a folder of .tf files that no other folder's module block sources. */
export function corpusTerraformCases(): ProofCase[] {
  if (!HAS_CORPUS) return [];
  const out: ProofCase[] = [];
  for (const repo of readdirSync(CORPUS).sort()) {
    const root = join(CORPUS, repo);
    if (!statSync(root).isDirectory()) continue;
    const dirs = [...new Set(walk(root, (f) => f.endsWith(".tf")).map(dirname))];
    const used = new Set<string>();
    for (const d of dirs) {
      for (const f of readdirSync(d).filter((x) => x.endsWith(".tf"))) {
        for (const m of readFileSync(join(d, f), "utf8").matchAll(/\bsource\s*=\s*"(\.{1,2}\/[^"]*)"/g))
          used.add(join(d, m[1]!));
      }
    }
    for (const d of dirs) if (!used.has(d)) out.push({ name: nameOf(d), root, inputs: [relative(root, d) || "."] });
  }
  return out;
}
