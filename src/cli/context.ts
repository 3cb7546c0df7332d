/**
 * @module cli/context
 * What every analysis command needs before it can answer: the inputs loaded into one model, the topology
 * look-ups, and the service-tag catalog (bundled, or the file given with --service-tags). Shared options are
 * declared here once.
 */
import type { Command } from "commander";
import type { ServiceTagCatalog } from "../engine/servicetags/catalog.js";
import { validateModel } from "../engine/validate.js";
import { readAssumptions } from "../ingest/assume/read.js";
import { loadInputs } from "../ingest/load.js";
import { loadServiceTagCatalog } from "../ingest/servicetags/load.js";
import type { Diagnostic } from "../model/diagnostics.js";
import { InputError } from "../model/diagnostics.js";
import type { NetworkModel } from "../model/network.js";
import { formatSource } from "../model/source.js";
import { Topology } from "../model/topology.js";
import type { CliIo } from "./main.js";

export interface Analysis {
  model: NetworkModel;
  topology: Topology;
  catalog: ServiceTagCatalog;
}

export interface CommonOptions {
  serviceTags?: string;
  parameters?: string[];
  assume?: string;
  format?: string;
  /** Go on past what Azure would refuse (reported as errors, and as NSG-RULE-INVALID findings) instead of stopping. */
  keepGoing?: boolean;
}

/** Adds the options every analysis command takes. */
export function withCommonOptions(command: Command): Command {
  return command
    .option("--service-tags <file>", "Service Tags JSON to use instead of the bundled snapshot")
    .option(
      "-p, --parameters <fileOrPair>",
      "ARM parameters file or name=value (repeatable; later wins)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option("--assume <file>", "facts no template shows (BGP-learned gateway routes), YAML or JSON")
    .option(
      "--keep-going",
      "analyse inputs that Azure would refuse (the refusals are still reported) instead of stopping",
    );
}

/** Loads inputs and service tags; throws InputError (exit 2) when an input cannot be used. */
export function loadAnalysis(inputs: string[], options: CommonOptions): Analysis {
  if (inputs.length === 0) throw new InputError("no inputs given (name files or directories to analyse)");
  const { model } = loadInputs(inputs, { parameters: options.parameters });
  const catalog = loadServiceTagCatalog(options.serviceTags);
  // Validation as Azure does it (reference §1.9, §2.4): what Azure would refuse stops the run, the rest warns.
  model.diagnostics.push(...validateModel(model, { isServiceTag: (name) => catalog.get(name) !== undefined }));
  const refused = model.diagnostics.find((d) => d.severity === "error");
  if (refused && !options.keepGoing)
    throw new InputError(`${refused.code}: ${refused.message}`, refused.src, refused.code);
  if (options.assume) model.assumptions = readAssumptions(options.assume);
  return { model, topology: new Topology(model), catalog };
}

/** Writes warnings (and with verbose, infos) to stderr, one line each, `file:line:col: code: message`. */
export function printDiagnostics(io: CliIo, diagnostics: Diagnostic[], verbose = false): void {
  for (const d of diagnostics) {
    if (d.severity === "info" && !verbose) continue;
    io.err(`${formatSource(d.src)}: ${d.severity}: ${d.code}: ${d.message}\n`);
  }
}
