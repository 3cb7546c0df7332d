/**
 * @module ingest/types
 * The one interface every input format implements (REST and `az` exports, Resource Graph, ARM templates, and
 * later Bicep and Terraform), so that formats plug in without touching the engine: detect the format from the
 * content, then load it into the shared model.
 */
import type { DiagnosticBag } from "../model/diagnostics.js";
import type { NetworkModel } from "../model/network.js";
import type { SourceRef } from "../model/source.js";
import type { BicepCompiler } from "./bicep/compiled-inputs.js";
import type { JsonDocument } from "./json/parse.js";
import type { SourceIndex } from "./locator.js";
import type { Json } from "./resources/fields.js";

/** One input file: its text, and its JSON document when it parsed as JSON. */
export interface InputDocument {
  file: string;
  text: string;
  json?: JsonDocument;
}

export interface LoadOptions {
  /** ARM parameter files and `name=value` pairs, in command-line order (later wins). */
  parameters?: string[];
  /** The region of the deployment (`--location`): what `resourceGroup().location` is; assumed when absent. */
  location?: string;
  /** Terraform `--var name=value` pairs, in command-line order (later wins). */
  vars?: string[];
  /** Terraform `--var-file` files, in command-line order (applied before the `--var` pairs). */
  varFiles?: string[];
  /**
   * `--bicep-cli`: the user's Bicep compiler, which then compiles each Bicep root instead of our evaluator
   * (ingest/bicep/compiled-inputs). Handed in by the CLI, which runs the process; ingest never spawns one.
   */
  compileBicep?: BicepCompiler;
  /** `--max-input-size`: the largest input file read, in bytes (default 1 GiB, ingest/read-file). */
  maxInputBytes?: number;
}

export interface IngestContext {
  readonly model: NetworkModel;
  readonly diags: DiagnosticBag;
  readonly sources: SourceIndex;
  readonly options: LoadOptions;
  /**
   * Every input document of the run, in input order (read-only). Formats whose inputs refer to each other
   * (Bicep modules, .bicepparam files) decide from it which inputs are roots and which are read through others.
   */
  readonly documents?: readonly InputDocument[];
  /** Adds REST-shaped resource objects to the model; returns how many were modeled. */
  addResources(
    nodes: Json[],
    defaults?: { subscriptionId?: string; resourceGroup?: string; fileSrc?: SourceRef },
  ): number;
}

export interface Ingester {
  /** Stable format name shown by `inventory` (`rest-resource`, `arm-template`, ...). */
  readonly format: string;
  /**
   * True when this ingester understands the input (decided from the content, never the file name). `ctx` gives
   * the other inputs of the run, for formats where a file's role depends on them (a Bicep module of another input).
   */
  detect(input: InputDocument, ctx?: IngestContext): boolean;
  /** Loads the input; returns how many resources it added. Never throws on bad input: it reports. */
  load(input: InputDocument, ctx: IngestContext): number;
}
