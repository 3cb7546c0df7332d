/**
 * Test helper: the package as a user gets it. The working tree's shipped paths are copied to a scratch folder
 * (so that `prepack`'s clean build never touches the dist/ others are using), `npm pack` runs there (its
 * prepack builds dist/ from scratch), and the tarball is installed with `npm install --offline` into an empty
 * prefix. The npm cache of this machine holds no registry metadata for the dependencies, so each dependency is
 * packed from the repository's node_modules and installed from its own tarball beside ours: npm then resolves
 * nothing from the registry, and the install is the one a user's `npm install apim-netcheck` does, scripts and
 * all (there are none to run).
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/corpus.js";

/** Top-level paths `npm pack` needs from the working tree (the sources to build, and what `files` ships). */
const COPIED = [
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "tsconfig.build.json",
  "README.md",
  "LICENSE",
  "action.yml",
  "bin",
  "src",
  "data",
  "docs",
  "examples",
  "ci",
];

export interface Packed {
  /** The scratch folder everything is under. */
  root: string;
  tarball: string;
  /** Paths inside the tarball, without the leading `package/`. */
  files: string[];
  /** The prefix the tarball was installed into; the package is at `<prefix>/node_modules/apim-netcheck`. */
  prefix: string;
  /** The installed CLI (`<prefix>/node_modules/.bin/apim-netcheck`). */
  bin: string;
}

/** Runs a command; on failure, throws with what it printed (a failing prepack build names its errors). */
function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Packs and installs the package once (a few tens of seconds: prepack compiles the sources). */
export function packAndInstall(): Packed {
  const root = mkdtempSync(join(tmpdir(), "apim-netcheck-pack-"));
  // The scratch folder is a repository root, as a user's checkout is: the configuration file is looked for up to
  // here and no further, so a stray one above the temporary folder cannot change what the runs below find.
  mkdirSync(join(root, ".git"));
  const tree = join(root, "tree");
  mkdirSync(tree);
  for (const path of COPIED) {
    if (existsSync(join(REPO_ROOT, path))) cpSync(join(REPO_ROOT, path), join(tree, path), { recursive: true });
  }
  // prepack's tsc comes from the repository's devDependencies.
  symlinkSync(join(REPO_ROOT, "node_modules"), join(tree, "node_modules"), "dir");
  const out = join(root, "tarballs");
  mkdirSync(out);
  const name = run("npm", ["pack", "--offline", "--silent", "--pack-destination", out], tree).trim().split("\n").pop()!;
  const tarball = join(out, name);
  const files = run("tar", ["-tzf", tarball], root)
    .split("\n")
    .filter(Boolean)
    .map((f) => f.replace(/^package\//, ""));

  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8"));
  const dependencies = Object.keys(manifest.dependencies ?? {}).map((dep) =>
    join(
      out,
      run(
        "npm",
        ["pack", "--offline", "--silent", "--pack-destination", out, join(REPO_ROOT, "node_modules", dep)],
        root,
      )
        .trim()
        .split("\n")
        .pop()!,
    ),
  );
  const prefix = join(root, "prefix");
  mkdirSync(prefix);
  run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--prefix", prefix, tarball, ...dependencies], root);
  return { root, tarball, files, prefix, bin: join(prefix, "node_modules", ".bin", "apim-netcheck") };
}
