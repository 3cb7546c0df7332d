/**
 * @module cli/terminal
 * CLI layer: whether this run may colour its output and draw on stderr, decided once from the streams and the
 * conventions users set in their environment, so that the report and the stdout guard agree.
 * - FORCE_COLOR, as Node reads it (https://nodejs.org/api/cli.html#force_color1-2-3): `1`, `true`, `2`, `3` or
 *   empty turn colour on even in a pipe or a CI log, and then NO_COLOR is ignored; any other value turns it off.
 * - NO_COLOR, any non-empty value (https://no-color.org): off.
 * - TERM=dumb (Emacs shells, some CI consoles): a terminal that draws no escape sequences, so no colour and no
 *   progress note (which clears its line with one).
 * - Otherwise colour when stdout is a terminal.
 */
import type { CliIo } from "./main.js";

const FORCE_ON = ["", "1", "true", "2", "3"];

/** True when the report on stdout is coloured. */
export function colourOn(io: Pick<CliIo, "isTty" | "env">): boolean {
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return FORCE_ON.includes(force);
  if (io.env.NO_COLOR) return false;
  if (io.env.TERM === "dumb") return false;
  return io.isTty;
}

/** True when stderr can show the progress note: a terminal that draws escape sequences. */
export function progressTerminal(io: Pick<CliIo, "errIsTty" | "env">): boolean {
  return io.errIsTty === true && io.env.TERM !== "dumb";
}
