/**
 * The pre-commit hook (.pre-commit-hooks.yaml): its entry is this package's command, it runs on the folder (not
 * the changed files alone, so a module is read through its caller), and its entry with its args, run on a folder
 * holding the bundled example, reports the example's errors with exit 1, as a failing hook should.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT } from "../helpers/corpus.js";

interface Hook {
  id: string;
  entry: string;
  args: string[];
  language: string;
  pass_filenames: boolean;
  files: string;
}

const hooks = parse(readFileSync(join(REPO_ROOT, ".pre-commit-hooks.yaml"), "utf8")) as Hook[];
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
  name: string;
  bin: Record<string, string>;
};

describe(".pre-commit-hooks.yaml", () => {
  const [hook] = hooks;

  it("one node hook whose entry is the package's own command, on the folder", () => {
    expect(hooks).toHaveLength(1);
    expect(hook!.language).toBe("node");
    const [command, subcommand] = hook!.entry.split(" ");
    expect(Object.keys(pkg.bin)).toContain(command);
    expect(subcommand).toBe("check");
    expect(hook!.pass_filenames).toBe(false);
    for (const file of ["main.bicep", "main.tf", "azuredeploy.json", "dev.bicepparam", "x.tfvars"])
      expect(new RegExp(hook!.files).test(file), file).toBe(true);
    expect(new RegExp(hook!.files).test("README.md")).toBe(false);
  });

  it("its entry and args fail the commit on the bundled example (exit 1, the errors shown)", () => {
    const dir = mkdtempSync(join(tmpdir(), "apim-netcheck-pre-commit-"));
    copyFileSync(join(REPO_ROOT, "examples/forced-tunnel/network.json"), join(dir, "network.json"));
    const [, ...rest] = hook!.entry.split(" ");
    const bin = join(REPO_ROOT, pkg.bin[hook!.entry.split(" ")[0]!]!);
    const r = spawnSync(process.execPath, [bin, ...rest, ...hook!.args], { cwd: dir, encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("ERROR   APIM-INBOUND-MANAGEMENT");
  });
});
