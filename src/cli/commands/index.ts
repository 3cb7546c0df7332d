/**
 * @module cli/commands
 * The explicit list of commands, in the order `--help` shows them.
 */
import type { CommandRegistration } from "../main.js";
import { checkCommand } from "./check.js";
import { diagramCommand } from "./diagram.js";
import { diffCommand } from "./diff.js";
import { fixCommand } from "./fix.js";
import { flowCommand } from "./flow.js";
import { inventoryCommand } from "./inventory.js";
import { nextHopCommand } from "./next-hop.js";
import { reportCommand } from "./report.js";
import { routesCommand } from "./routes.js";

export const COMMANDS: CommandRegistration[] = [
  checkCommand,
  fixCommand,
  diffCommand,
  flowCommand,
  routesCommand,
  nextHopCommand,
  inventoryCommand,
  diagramCommand,
  reportCommand,
];
