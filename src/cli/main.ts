/**
 * @module cli/main
 * The command line: parses arguments, runs one command, and turns every failure into an exit code and one
 * line on stderr (0: nothing at or above --fail-on, 1: findings, 2: bad input or usage, or output that cannot
 * be written). Everything written goes through cli/stdio's guard (no control character from the inputs
 * reaches a terminal); a closed stdout pipe ends the run quietly with its usual status. The only module that
 * touches `process` besides the launcher in bin/.
 */
import { Command, CommanderError } from "commander";
import { InputError } from "../model/diagnostics.js";
import { formatSource } from "../model/source.js";
import { inert } from "../report/inert.js";
import { COMMANDS } from "./commands/index.js";
import { OutputError } from "./out-file.js";
import { describeSystemError, guardIo, isClosedPipe, streamWriter } from "./stdio.js";
import { VERSION } from "./version.js";

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], raw: CliIo = processIo()): Promise<number> {
  const io = guardIo(raw);
  const program = new Command("apim-netcheck")
    .description(
      "Offline analysis of Azure API Management in a virtual network: NSGs, routes, peering and APIM checks.",
    )
    .version(VERSION, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      "\nExample:\n  apim-netcheck check examples/forced-tunnel\n  apim-netcheck check templates/ --format sarif > apim-netcheck.sarif\n",
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s),
      writeErr: (s) => io.err(s),
    });
  let exitCode = 0;
  for (const command of COMMANDS) {
    command(program, io, (code) => {
      exitCode = code;
    });
  }
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    exitCode = handleError(error, io);
  }
  return settled(exitCode, io, raw);
}

/** The exit code once stdout is flushed: unchanged when it was, or its reader went away; 2 when it failed. */
async function settled(exitCode: number, io: CliIo, raw: CliIo): Promise<number> {
  const failure = await raw.settle?.();
  if (!failure || isClosedPipe(failure)) return exitCode;
  io.err(`apim-netcheck: standard output: ${describeSystemError(failure)}\n`);
  return 2;
}

function handleError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Help and version exit 0; usage errors were already printed by commander.
    return error.exitCode === 0 || error.code === "commander.helpDisplayed" || error.code === "commander.version"
      ? 0
      : 2;
  }
  if (error instanceof InputError) {
    const where = error.src && !error.message.startsWith(error.src.file) ? `${formatSource(error.src)}: ` : "";
    io.err(`apim-netcheck: ${inert(`${where}${error.message}`)}\n`);
    return 2;
  }
  if (error instanceof UsageError || error instanceof OutputError) {
    io.err(`apim-netcheck: ${inert(error.message)}\n`);
    return 2;
  }
  io.err(`apim-netcheck: internal error: ${inert(error instanceof Error ? error.message : String(error))}\n`);
  if (process.env.APIM_NETCHECK_DEBUG && error instanceof Error) io.err(`${error.stack}\n`);
  return 2;
}

/** A mistake in how the command was called (bad flag value, unknown subnet name). */
export class UsageError extends Error {}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** True when stdout is a terminal (colour). */
  isTty: boolean;
  /** True when stderr is a terminal (progress notes). */
  errIsTty?: boolean;
  env: Record<string, string | undefined>;
  /**
   * Resolves once stdout is flushed, to its failure if writing failed (EPIPE, ENOSPC); the process's io has it,
   * a capturing io need not.
   */
  settle?: () => Promise<NodeJS.ErrnoException | undefined>;
}

function processIo(): CliIo {
  const stdout = streamWriter(process.stdout);
  // A failing stderr has no one left to tell: its failures are only kept from becoming a stack.
  const stderr = streamWriter(process.stderr);
  return {
    out: (s) => stdout.write(s),
    err: (s) => stderr.write(s),
    settle: () => stdout.settle(),
    isTty: process.stdout.isTTY === true,
    errIsTty: process.stderr.isTTY === true,
    env: process.env,
  };
}

/** How a command registers itself: it adds a subcommand and reports its exit code through `setExit`. */
export type CommandRegistration = (program: Command, io: CliIo, setExit: (code: number) => void) => void;
