/**
 * @module cli/main
 * The command line: parses arguments, runs one command, and turns every failure into an exit code and one
 * line on stderr (0: nothing at or above --fail-on, 1: findings, 2: bad input or usage). The only module that
 * touches `process` besides the launcher in bin/.
 */
import { Command, CommanderError } from "commander";
import { InputError } from "../model/diagnostics.js";
import { formatSource } from "../model/source.js";
import { COMMANDS } from "./commands/index.js";
import { VERSION } from "./version.js";

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
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
    return exitCode;
  } catch (error) {
    return handleError(error, io);
  }
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
    io.err(`apim-netcheck: ${where}${error.message}\n`);
    return 2;
  }
  if (error instanceof UsageError) {
    io.err(`apim-netcheck: ${error.message}\n`);
    return 2;
  }
  io.err(`apim-netcheck: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
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
}

function processIo(): CliIo {
  return {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    isTty: process.stdout.isTTY === true,
    errIsTty: process.stderr.isTTY === true,
    env: process.env,
  };
}

/** How a command registers itself: it adds a subcommand and reports its exit code through `setExit`. */
export type CommandRegistration = (program: Command, io: CliIo, setExit: (code: number) => void) => void;
