/**
 * @module cli/stdio
 * CLI layer: the edge where text leaves the tool. Everything written to stdout and stderr passes through
 * `guardIo`, which makes every control and bidi character inert (report/inert; the tool's own line breaks,
 * and on a terminal its own colour and line-clearing sequences, pass), so that no input can drive a terminal
 * or a log viewer whatever a command forgot. Writes to the process's streams go through `streamWriter`, which
 * turns a failing stream into a value instead of a Node stack: a closed pipe (`| head -1`, EPIPE) stops the
 * output quietly, and any other failure (ENOSPC on `> /dev/full`) is reported once the command has run.
 */
import { getSystemErrorMap } from "node:util";
import { inertLines } from "../report/inert.js";
import { STYLE_SEQUENCES } from "../report/text.js";
import type { CliIo } from "./main.js";
import { CLEAR_LINE } from "./progress.js";
import { colourOn, progressTerminal } from "./terminal.js";

/**
 * The io every command writes through: stdout and stderr made inert but for the sequences this tool writes on
 * purpose (colour when stdout is a colour terminal, the progress note's line clearing when stderr is one).
 */
export function guardIo(io: CliIo): CliIo {
  const colour = colourOn(io);
  const outKeep = colour ? STYLE_SEQUENCES : [];
  const errKeep = progressTerminal(io) ? [CLEAR_LINE] : [];
  return { ...io, out: (s) => io.out(inertLines(s, outKeep)), err: (s) => io.err(inertLines(s, errKeep)) };
}

/** A stream written to until it fails; after a failure, writes are dropped. */
export interface StreamWriter {
  write(text: string): void;
  /** Resolves once everything written so far has been flushed: to the stream's failure, if it had one. */
  settle(): Promise<NodeJS.ErrnoException | undefined>;
}

/** A writer over a process stream whose failures (EPIPE, ENOSPC) are recorded, never thrown or left unhandled. */
export function streamWriter(stream: NodeJS.WritableStream & { destroyed?: boolean }): StreamWriter {
  let failure: NodeJS.ErrnoException | undefined;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    failure ??= error;
  });
  const usable = () => failure === undefined && stream.destroyed !== true;
  return {
    write(text) {
      if (usable()) stream.write(text);
    },
    settle() {
      if (!usable()) return Promise.resolve(failure);
      return new Promise((resolve) => {
        stream.write("", (error) => {
          failure ??= (error as NodeJS.ErrnoException | null | undefined) ?? undefined;
          resolve(failure);
        });
      });
    },
  };
}

/** True for the failure of a reader that went away (`| head`): the output ends quietly, with the usual status. */
export function isClosedPipe(error: NodeJS.ErrnoException): boolean {
  return error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED";
}

/** What a system error means, in the words of the C library (`no space left on device (ENOSPC)`). */
export function describeSystemError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const words = typeof e?.errno === "number" ? getSystemErrorMap().get(e.errno)?.[1] : undefined;
  if (words && e.code) return `${words} (${e.code})`;
  return error instanceof Error ? error.message : String(error);
}
