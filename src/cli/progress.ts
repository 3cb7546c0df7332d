/**
 * @module cli/progress
 * CLI layer: a one-line progress note on stderr ("apim-netcheck: evaluating checks…") for runs that take more
 * than a second, so a long load does not look like a hang. Only when stderr is a terminal (never in a pipe, a
 * file or CI logs), never on stdout (JSON and SARIF stay clean), and cleared before the report is printed.
 * The analysis is synchronous, so the note is written at the boundaries between phases, once the run has
 * lasted longer than the delay: a phase that starts late in a slow run is shown while it works.
 */
import type { CliIo } from "./main.js";
import { progressTerminal } from "./terminal.js";

/** Runs shorter than this show nothing. */
export const PROGRESS_DELAY_MS = 1000;

export interface ProgressOptions {
  /** False: never write (--quiet, or stderr not a terminal). */
  enabled: boolean;
  delayMs?: number;
  now?: () => number;
}

/** Carriage return and erase line: what the note writes before itself and when it is cleared. */
export const CLEAR_LINE = "\r\u001b[2K";

export class Progress {
  private readonly started: number;
  private readonly now: () => number;
  private readonly delayMs: number;
  private shown = false;

  constructor(
    private readonly io: CliIo,
    private readonly options: ProgressOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.delayMs = options.delayMs ?? PROGRESS_DELAY_MS;
    this.started = this.now();
  }

  /** Says that `label` starts, if the run has already lasted longer than the delay. */
  step(label: string): void {
    if (!this.options.enabled) return;
    const elapsed = this.now() - this.started;
    if (elapsed < this.delayMs) return;
    this.io.err(`${CLEAR_LINE}apim-netcheck: ${label}… (${(elapsed / 1000).toFixed(1)} s)`);
    this.shown = true;
  }

  /** Clears the note (before the report or an error is printed). */
  done(): void {
    if (this.shown) this.io.err(CLEAR_LINE);
    this.shown = false;
  }
}

/** The progress note for a command: on when stderr is a terminal and not --quiet. */
export function progressFor(io: CliIo, quiet: boolean | undefined): Progress {
  const delay = Number(io.env.APIM_NETCHECK_PROGRESS_DELAY_MS);
  return new Progress(io, {
    enabled: progressTerminal(io) && !quiet,
    delayMs: Number.isFinite(delay) && delay >= 0 && io.env.APIM_NETCHECK_PROGRESS_DELAY_MS !== "" ? delay : undefined,
  });
}
