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
import { assertUsable, loadInputs } from "../ingest/load.js";
import { parseByteSize } from "../ingest/read-file.js";
import { loadServiceTagCatalog } from "../ingest/servicetags/load.js";
import type { Diagnostic } from "../model/diagnostics.js";
import { InputError } from "../model/diagnostics.js";
import type { NetworkModel } from "../model/network.js";
import { formatSource } from "../model/source.js";
import { Topology } from "../model/topology.js";
import { inert } from "../report/inert.js";
import { bicepCompiler } from "./bicep-cli.js";
import { type CliIo, UsageError } from "./main.js";

/** One network to analyse: a deployment unit of the inputs (ingest/units). */
export interface Network {
  model: NetworkModel;
  topology: Topology;
  catalog: ServiceTagCatalog;
  /** How outputs name the unit when there are several (its first input); empty when there is one. */
  label: string;
}

/** What was read: every unit side by side (`model`, for listings and diagnostics) and the units themselves. */
export interface Analysis extends Network {
  units: Network[];
}

export interface CommonOptions {
  serviceTags?: string;
  parameters?: string[];
  location?: string;
  /** `--bicep-cli`: compile Bicep with the user's compiler (cli/bicep-cli). */
  bicepCli?: boolean;
  /** Terraform `--var name=value` and `--var-file`. */
  var?: string[];
  varFile?: string[];
  assume?: string;
  format?: string;
  /**
   * Accepted for compatibility: every command now goes on past what Azure would refuse (refusals are findings of
   * `check` and lines on stderr elsewhere).
   */
  keepGoing?: boolean;
  /** `--max-input-size`: the largest input file read (bytes, or with KiB/MiB/GiB). */
  maxInputSize?: string;
}

/** Adds the options every analysis command takes. */
export function withCommonOptions(command: Command): Command {
  return command
    .option("--service-tags <file>", "Service Tags JSON to use instead of the bundled snapshot")
    .option(
      "-p, --parameters <fileOrPair>",
      "parameters file or name=value (repeatable). Precedence: a parameter's defaultValue < parameters files, in the order given < name=value pairs, in the order given (a later file or pair wins over an earlier one); a name no template declares is an error",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      "--location <region>",
      "the region templates are deployed to: what resourceGroup().location is (default: westeurope, assumed and said)",
    )
    .option("--bicep-cli", "compile Bicep with the bicep (or az bicep) on PATH instead of the built-in reader")
    .option("--var <pair>", "a Terraform variable, name=value (repeatable; a later one wins)", collect)
    .option("--var-file <file>", "a Terraform .tfvars file (repeatable; applied before the --var pairs)", collect)
    .option("--assume <file>", "facts no template shows (BGP-learned gateway routes), YAML or JSON")
    .option(
      "--max-input-size <size>",
      "the largest input file read, in bytes or with a unit (KiB, MiB, GiB); larger files are refused (default: 1GiB)",
    )
    .option(
      "--keep-going",
      "kept for compatibility: inputs Azure would refuse are always analysed (the refusals are reported)",
    );
}

/** Commander's collector of a repeatable option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Loads inputs and service tags; throws InputError (exit 2) when an input cannot be used. */
export function loadAnalysis(inputs: string[], options: CommonOptions): Analysis {
  if (inputs.length === 0) throw new InputError("no inputs given (name files or directories to analyse)");
  const loaded = loadInputs(inputs, {
    parameters: options.parameters,
    location: regionOption(options.location),
    vars: options.var,
    varFiles: options.varFile,
    ...(options.maxInputSize === undefined ? {} : { maxInputBytes: sizeOption(options.maxInputSize) }),
    ...(options.bicepCli ? { compileBicep: bicepCompiler(process.env) } : {}),
  });
  assertUsable(loaded);
  const { model, units } = loaded;
  const catalog = loadServiceTagCatalog(options.serviceTags);
  // Each unit's topology made once, for its validation and its questions.
  const topologies = new Map(units.map((unit) => [unit, new Topology(unit)]));
  validateUnits(model, units, catalog, topologies);
  if (options.assume) {
    const assumptions = readAssumptions(options.assume);
    // Added to, not in place of, the gateway routes a learned-routes export among the inputs states.
    const merged = {
      ...assumptions,
      gatewayRoutes: [...model.assumptions.gatewayRoutes, ...assumptions.gatewayRoutes],
    };
    for (const m of new Set([model, ...units])) m.assumptions = merged;
  }
  return analysisOf(model, units, catalog, topologies);
}

/** `--max-input-size`: a positive size; usage error otherwise. */
function sizeOption(text: string): number {
  const bytes = parseByteSize(text);
  if (bytes === undefined)
    throw new UsageError(`--max-input-size must be a size such as 1048576, 512MiB or 2GiB, not ${text}`);
  return bytes;
}

/** `--location`: a region name as ARM writes it (`westeurope`, `West Europe`); usage error otherwise. */
export function regionOption(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!/^[A-Za-z][A-Za-z0-9 ]{1,40}$/.test(text.trim()))
    throw new UsageError(`--location must be a region name such as westeurope, not ${text}`);
  return text.trim();
}

/** The Analysis of loaded units (with the topologies made of them already, if any). */
export function analysisOf(
  model: NetworkModel,
  units: NetworkModel[],
  catalog: ServiceTagCatalog,
  topologies?: ReadonlyMap<NetworkModel, Topology>,
): Analysis {
  const networks: Network[] = units.map((unit) => ({
    model: unit,
    topology: topologies?.get(unit) ?? new Topology(unit),
    catalog,
    label: units.length > 1 ? unitLabel(unit) : "",
  }));
  const whole = units.length === 1 ? networks[0]! : { model, topology: new Topology(model), catalog, label: "" };
  return { ...whole, units: networks };
}

/** `main.json` or `networking.json and apim.json`: the inputs of a unit, for outputs. */
function unitLabel(unit: NetworkModel): string {
  const files = unit.inputs.filter((i) => i.resources > 0 || i.status !== "ignored").map((i) => i.file);
  const [first, second] = files;
  if (!first) return "(no input)";
  if (files.length === 1) return first;
  return files.length === 2 ? `${first} and ${second}` : `${first} and ${files.length - 1} more`;
}

/**
 * Validation as Azure does it, unit by unit (each is its own deployment); what a unit's validation finds is
 * also in the whole run's diagnostics, which the commands print.
 */
export function validateUnits(
  model: NetworkModel,
  units: NetworkModel[],
  catalog: ServiceTagCatalog,
  topologies?: ReadonlyMap<NetworkModel, Topology>,
): void {
  for (const unit of units) {
    const found = validateModel(
      unit,
      { isServiceTag: (name) => catalog.get(name) !== undefined },
      topologies?.get(unit) ?? new Topology(unit),
    );
    unit.diagnostics.push(...found);
    if (unit !== model) model.diagnostics.push(...found);
  }
}

/**
 * The one unit a question is about: the only one, or the one where `holds` finds what the question names. Several
 * units that all hold it make the question ambiguous (a usage error naming them).
 */
export function unitFor(analysis: Analysis, what: string, holds: (unit: Network) => boolean): Network {
  if (analysis.units.length === 1) return analysis.units[0]!;
  const found = analysis.units.filter(holds);
  if (found.length === 1) return found[0]!;
  const names = (found.length > 0 ? found : analysis.units).map((u) => u.label).join("; ");
  throw new UsageError(
    found.length > 0
      ? `${what} is in ${found.length} deployment units (${names}); give the inputs of one of them`
      : `${what} is in none of the ${analysis.units.length} deployment units (${names})`,
  );
}

/**
 * Validation as Azure does it (reference §1.9, §2.4, part 2 §12), for inputs and what-if overlays alike. What
 * Azure would refuse never stops the run (issue "Never a silent pass (I)"): `check` reports it as findings,
 * every other command prints it on stderr, and what a refused value decides is Unknown.
 */
export function validateLoaded(model: NetworkModel, catalog: ServiceTagCatalog): void {
  model.diagnostics.push(...validateModel(model, { isServiceTag: (name) => catalog.get(name) !== undefined }));
}

/**
 * Writes diagnostics to stderr, one inert line each (a newline in a name cannot start another),
 * `file:line:col: severity: code: message`: errors and warnings
 * always, infos with verbose. `shownAsFinding` leaves out those a finding of this run already reports.
 */
export function printDiagnostics(
  io: CliIo,
  diagnostics: Diagnostic[],
  verbose = false,
  shownAsFinding: (d: Diagnostic) => boolean = () => false,
): void {
  for (const d of diagnostics) {
    if ((d.severity === "info" && !verbose) || shownAsFinding(d)) continue;
    io.err(`${inert(`${formatSource(d.src)}: ${d.severity}: ${d.code}: ${d.message}`)}\n`);
  }
}
