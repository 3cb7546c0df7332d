/**
 * @module cli/out-file
 * CLI layer: `--out <file>` of `diagram` and `report`. `-` means standard output. A file is written whole or
 * not at all: to a new temporary file in the target's directory (created exclusively, so no link is followed),
 * then renamed into place, so that a symbolic link at the target is replaced, never written through, and a
 * reader never sees half a report. A target that is one of the inputs (the same file, by device and inode, so
 * through a link or a hard link too) is refused. Every problem is an OutputError: one line
 * `apim-netcheck: <path>: <what>`, exit 2.
 */
import { randomBytes } from "node:crypto";
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  lstatSync,
  openSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Analysis, CommonOptions } from "./context.js";
import type { CliIo } from "./main.js";
import { describeSystemError } from "./stdio.js";

/** `--out -`: standard output. */
export const STDOUT = "-";

/** A target that cannot be written (exit 2, one line naming it). */
export class OutputError extends Error {
  constructor(
    readonly path: string,
    what: string,
  ) {
    super(`${path}: ${what}`);
  }
}

function statOrUndefined(path: string, follow: boolean): Stats | undefined {
  try {
    return follow ? statSync(path) : lstatSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Refuses, before anything is computed, a target that cannot be written: an empty name, a directory, a folder
 * that does not exist or is not writable.
 */
export function checkOutTarget(path: string): void {
  if (path === STDOUT) return;
  if (path === "") throw new OutputError("--out", "an empty file name");
  if (statOrUndefined(path, true)?.isDirectory()) throw new OutputError(path, "is a directory");
  const folder = dirname(path);
  const stat = statOrUndefined(folder, true);
  if (!stat) throw new OutputError(path, `the folder ${folder} does not exist`);
  if (!stat.isDirectory()) throw new OutputError(path, `${folder} is not a folder`);
  try {
    accessSync(folder, constants.W_OK);
  } catch (error) {
    throw new OutputError(path, `cannot write in ${folder}: ${describeSystemError(error)}`);
  }
}

/** Every file a run read: its inputs, what they expanded to, and the files its options name (never to overwrite). */
export function readPaths(inputs: string[], analysis: Analysis, options: CommonOptions): string[] {
  return [
    ...inputs,
    ...analysis.model.inputs.map((i) => i.file),
    ...(options.parameters ?? []),
    ...(options.varFile ?? []),
    ...(options.serviceTags ? [options.serviceTags] : []),
    ...(options.assume ? [options.assume] : []),
  ];
}

/** Refuses a target that is the same file as one of `inputs`. */
function refuseInputs(path: string, inputs: string[]): void {
  const target = statOrUndefined(path, true);
  if (!target) return;
  for (const input of inputs) {
    const stat = statOrUndefined(input, true);
    if (stat && stat.dev === target.dev && stat.ino === target.ino)
      throw new OutputError(path, `is an input (${input}); refusing to overwrite it`);
  }
}

/**
 * Writes `text` to `path` (standard output for `-`) and says where it went: `path`, or `standard output`.
 * Throws OutputError for every problem, after removing what it had begun to write.
 */
export function writeOutFile(io: CliIo, path: string, text: string, inputs: string[]): string {
  if (path === STDOUT) {
    io.out(text);
    return "standard output";
  }
  checkOutTarget(path);
  refuseInputs(path, inputs);
  const existing = statOrUndefined(path, false);
  // A device or a FIFO (/dev/null) cannot be renamed over: it is written in place.
  if (existing && !existing.isFile() && !existing.isSymbolicLink()) {
    attempt(path, () => writeFileSync(path, text));
    return path;
  }
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  let created = false;
  try {
    attempt(path, () => {
      const fd = openSync(temp, "wx", 0o666);
      created = true;
      try {
        writeFileSync(fd, text);
      } finally {
        closeSync(fd);
      }
      if (existing?.isFile()) chmodSync(temp, existing.mode & 0o7777);
      renameSync(temp, path);
      created = false;
    });
  } finally {
    if (created) removeQuietly(temp);
  }
  return path;
}

function attempt(path: string, write: () => void): void {
  try {
    write();
  } catch (error) {
    throw new OutputError(path, describeSystemError(error));
  }
}

/** Removes a temporary file left by a failed write; a failure here must not hide the one being reported. */
function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone, or its folder became unwritable: the write's own error is the one to report.
  }
}
