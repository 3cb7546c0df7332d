/**
 * @module cli/bicep-cli
 * CLI layer: `--bicep-cli`, compiling Bicep with the user's own compiler as ground truth. The `bicep` binary is
 * used when it is on PATH, else `az bicep` (the Azure CLI's copy). The process runs here, at the edge; ingest is
 * handed the compiler as a function (ingest/bicep/compiled-inputs). A compiler that cannot be found is a usage
 * error (exit 2, one line); a file the compiler refuses is that file's error, in the compiler's words.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import type { BicepCompiler } from "../ingest/bicep/compiled-inputs.js";
import { UsageError } from "./main.js";

/** The first executable named `name` on `path` (a PATH value), or undefined. */
function onPath(name: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? "").split(delimiter)) {
    if (!dir) continue;
    for (const candidate of process.platform === "win32" ? [`${name}.exe`, `${name}.cmd`] : [name]) {
      const full = join(dir, candidate);
      try {
        accessSync(full, constants.X_OK);
        return full;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** The compiler's own message: its error lines (`file(line,col) : Error BCPxxx: ...`), else its last words. */
function compilerMessage(stderr: string, stdout: string): string {
  const lines = `${stderr}\n${stdout}`
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const errors = lines.filter((l) => /\bError\b/.test(l));
  const shown = (errors.length > 0 ? errors : lines.slice(-3)).slice(0, 5);
  return shown.length > 0 ? shown.join("; ") : "it exited with no message";
}

/** The compiler `--bicep-cli` uses, from the environment's PATH; throws UsageError when there is none. */
export function bicepCompiler(env: Record<string, string | undefined>): BicepCompiler {
  const bicep = onPath("bicep", env.PATH);
  const az = bicep ? undefined : onPath("az", env.PATH);
  if (!bicep && !az)
    throw new UsageError(
      "--bicep-cli: neither bicep nor az is on PATH (install the Bicep CLI, or leave the option out to use the built-in reader)",
    );
  const compiler = bicep ? "bicep" : "az bicep";
  return (path, command) => {
    const args = bicep ? [command, path, "--stdout"] : ["bicep", command, "--file", path, "--stdout"];
    const run = spawnSync((bicep ?? az)!, args, {
      encoding: "utf8",
      env: { ...process.env, ...env },
      maxBuffer: 512 * 1024 * 1024,
      timeout: 300_000,
    });
    if (run.error) return { ok: false, reason: `${compiler} could not be run (${run.error.message})` };
    if (run.status !== 0 || run.stdout.trim() === "")
      return { ok: false, reason: compilerMessage(run.stderr ?? "", run.stdout ?? "") };
    return { ok: true, json: run.stdout, compiler };
  };
}
