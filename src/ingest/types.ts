/**
 * @module ingest/types
 * The one interface every input format implements (REST and `az` exports, Resource Graph, ARM templates, and
 * later Bicep and Terraform), so that formats plug in without touching the engine: detect the format from the
 * content, then load it into the shared model.
 */
import type { DiagnosticBag } from "../model/diagnostics.js";
import type { NetworkModel } from "../model/network.js";
import type { SourceRef } from "../model/source.js";
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
}

export interface IngestContext {
  readonly model: NetworkModel;
  readonly diags: DiagnosticBag;
  readonly sources: SourceIndex;
  readonly options: LoadOptions;
  /** Adds REST-shaped resource objects to the model; returns how many were modeled. */
  addResources(
    nodes: Json[],
    defaults?: { subscriptionId?: string; resourceGroup?: string; fileSrc?: SourceRef },
  ): number;
}

export interface Ingester {
  /** Stable format name shown by `inventory` (`rest-resource`, `arm-template`, ...). */
  readonly format: string;
  /** True when this ingester understands the input (decided from the content, never the file name). */
  detect(input: InputDocument): boolean;
  /** Loads the input; returns how many resources it added. Never throws on bad input: it reports. */
  load(input: InputDocument, ctx: IngestContext): number;
}
