/**
 * @module ingest/read-file
 * Ingest layer, the one place input files are read from disk (issue 11, "bounded evaluation"): only regular
 * files, and at most a size limit (1 GiB unless `--max-input-size` says otherwise). A FIFO, a socket or a
 * device (`/dev/zero`, `/dev/stdin`) is refused with one line instead of blocking or growing without end;
 * the file is opened without blocking and checked through its own descriptor, so what is read is what was
 * checked. No dependency on the rest of ingest, so that every reader (inputs, parameters, assumptions,
 * service tags, Terraform files) can use it.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";
import { InputError } from "../model/diagnostics.js";

/** Largest input file read unless `--max-input-size` says otherwise: 1 GiB. */
export const DEFAULT_MAX_INPUT_BYTES = 1024 ** 3;

/** Why a path cannot be read (a code of the input/ family and a sentence), or its bytes. */
export type ReadOutcome = { ok: true; bytes: Buffer } | { ok: false; code: string; reason: string };

/** What a path that is not a regular file is, for the one line. */
function kindOf(stat: Stats): string {
  if (stat.isFIFO()) return "a named pipe (FIFO)";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  if (stat.isSocket()) return "a socket";
  if (stat.isDirectory()) return "a directory";
  return "not a regular file";
}

/** `1073741824` as `1 GiB`, `1048576` as `1 MiB`, otherwise bytes. */
export function formatBytes(n: number): string {
  for (const [unit, size] of [
    ["GiB", 1024 ** 3],
    ["MiB", 1024 ** 2],
    ["KiB", 1024],
  ] as const) {
    if (n >= size && n % size === 0) return `${n / size} ${unit}`;
  }
  return `${n.toLocaleString("en-US")} bytes`;
}

/**
 * Reads `file` when it is a regular file of at most `maxBytes`. Never blocks on a FIFO (opened
 * non-blocking, refused by its type) and never reads past the limit, even from a file that grows or that
 * reports no size (`/proc`).
 */
export function tryReadFile(file: string, maxBytes = DEFAULT_MAX_INPUT_BYTES): ReadOutcome {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer. (Windows has no such flag.)
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, code: "input/unreadable", reason: `cannot read the file (${code ?? "error"})` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile())
      return {
        ok: false,
        code: "input/not-a-file",
        reason: `${kindOf(stat)}, not a regular file; only files are read`,
      };
    const tooLarge = (): ReadOutcome => ({
      ok: false,
      code: "input/too-large",
      reason: `the file is larger than ${formatBytes(maxBytes)}, the input size limit (--max-input-size)`,
    });
    if (stat.size > maxBytes) return tooLarge();
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(stat.size - total, 64 * 1024), maxBytes - total + 1));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) return tooLarge();
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    }
    return { ok: true, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, code: "input/unreadable", reason: `cannot read the file (${code ?? "error"})` };
  } finally {
    closeSync(fd);
  }
}

/** As tryReadFile, but a refusal is an InputError naming the file (the CLI's one line and exit 2). */
export function readFileBytes(file: string, maxBytes = DEFAULT_MAX_INPUT_BYTES): Buffer {
  const read = tryReadFile(file, maxBytes);
  if (read.ok) return read.bytes;
  throw new InputError(`${file}: ${read.reason}`, { file, pointer: "", line: 0, column: 0 }, read.code);
}

/**
 * `--max-input-size`: bytes, or a number with a unit (`KiB`, `MiB`, `GiB`, and `KB`, `MB`, `GB` as powers
 * of 1000); undefined when the text is none of these.
 */
export function parseByteSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([KMG]i?B|B)?\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = (match[2] ?? "B").toUpperCase();
  const scale: Record<string, number> = {
    B: 1,
    KB: 1e3,
    MB: 1e6,
    GB: 1e9,
    KIB: 1024,
    MIB: 1024 ** 2,
    GIB: 1024 ** 3,
  };
  const bytes = Math.floor(Number(match[1]) * scale[unit]!);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}
