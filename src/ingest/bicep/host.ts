/**
 * @module ingest/bicep/host
 * Ingest layer, Bicep evaluation: what the evaluator may ask of the machine it runs on, handed in as a value so
 * that the evaluator itself never touches the disk or `process`: one function that reads a file (module files,
 * `loadTextContent` and its kin, `bicep restore`'s cache), the environment for `readEnvironmentVariable`, and
 * where the restore cache lives. `nodeHost()` is the real one (ingest is the edge); tests give their own.
 */
import { readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** A file read, or why it could not be. */
export type ReadOutcome = { ok: true; bytes: Buffer } | { ok: false; reason: string };

export interface BicepHost {
  /** Reads a regular file of at most `maxBytes` bytes (never a device, a directory or a huge file). */
  readFile(path: string, maxBytes: number): ReadOutcome;
  /** The environment `readEnvironmentVariable()` reads (a .bicepparam file's), by name. */
  env(name: string): string | undefined;
  /**
   * The root of `bicep restore`'s cache (`~/.bicep`, where `br/` and `ts/` modules are restored), or undefined
   * when there is none to read.
   */
  readonly cacheRoot: string | undefined;
}

/**
 * Reads one file from disk, refusing what is not a regular file or is larger than `maxBytes` (a module path
 * written as `/dev/zero` must not hang the run).
 */
export function readLocalFile(path: string, maxBytes: number): ReadOutcome {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return { ok: false, reason: "not a file" };
    if (stat.size > maxBytes) return { ok: false, reason: `larger than ${maxBytes} bytes` };
    return { ok: true, bytes: readFileSync(path) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === "ENOENT" ? "no such file" : `cannot be read (${code ?? "error"})` };
  }
}

/**
 * The host of a real run: files from disk, the process environment, and Bicep's default cache root
 * (`~/.bicep` on Linux and macOS, `%USERPROFILE%\.bicep` on Windows; Bicep's OciArtifactRegistry and
 * TemplateSpecModuleRegistry put `br/` and `ts/` below it).
 */
export function nodeHost(): BicepHost {
  let home: string | undefined;
  try {
    home = homedir();
  } catch {
    home = undefined;
  }
  return {
    readFile: readLocalFile,
    env: (name) => process.env[name],
    cacheRoot: home ? join(home, ".bicep") : undefined,
  };
}

/** Decodes UTF-8 text (a byte order mark dropped), or undefined when the bytes are not UTF-8. */
export function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    return undefined;
  }
}
