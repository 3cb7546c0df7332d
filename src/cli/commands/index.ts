/**
 * @module cli/commands
 * The explicit list of commands, in the order `--help` shows them.
 */
import type { CommandRegistration } from "../main.js";

export const COMMANDS: CommandRegistration[] = [];
