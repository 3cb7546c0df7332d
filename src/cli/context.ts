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
  validateLoaded(model, catalog, options);
  if (options.assume) model.assumptions = readAssumptions(options.assume);
  return { model, topology: new Topology(model), catalog };
}

/**
 * Validation as Azure does it (reference §1.9, §2.4), for inputs and what-if overlays alike: what Azure would
 * refuse stops the run unless --keep-going, the rest warns.
 */
export function validateLoaded(model: NetworkModel, catalog: ServiceTagCatalog, options: CommonOptions): void {
  model.diagnostics.push(...validateModel(model, { isServiceTag: (name) => catalog.get(name) !== undefined }));
  if (!options.keepGoing) stopOnRefusal(model.diagnostics);
}

/**
 * Throws InputError (exit 2) on the first diagnostic that Azure would refuse. The one line names it, counts the
 * others and points at --keep-going, so a user with a template Azure refuses still learns how to see it all.
 */
export function stopOnRefusal(diagnostics: Diagnostic[]): void {
  const refusals = diagnostics.filter((d) => d.severity === "error");
  const first = refusals[0];
  if (!first) return;
  const more = refusals.length - 1;
  const hint =
    more > 0
      ? ` (and ${more} more that Azure would refuse; --keep-going lists them all and analyses anyway)`
      : " (--keep-going analyses anyway)";
  throw new InputError(`${first.code}: ${first.message}${hint}`, first.src, first.code);
}

/** Writes warnings (and with verbose, infos) to stderr, one line each, `file:line:col: code: message`. */
export function printDiagnostics(io: CliIo, diagnostics: Diagnostic[], verbose = false): void {
  for (const d of diagnostics) {
    if (d.severity === "info" && !verbose) continue;
    io.err(`${formatSource(d.src)}: ${d.severity}: ${d.code}: ${d.message}\n`);
  }
}
