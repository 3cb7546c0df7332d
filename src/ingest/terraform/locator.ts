/**
 * @module ingest/terraform/locator
 * Ingest layer, Terraform: the answer to "where is this object?" for everything the Terraform readers hand to
 * the model — a resource node, its property bag, an inline rule or route, a reference — and for its members
 * (`locatePath(node, ["properties", "addressPrefix"])` reaches the member `addressPrefix` of the bag, which
 * answers with the `address_prefixes` argument's place). The places were recorded while evaluating
 * (eval/values) and the REST mapping copied them (azurerm/emit); they become `file:line:col` here, on first
 * read, through the run's file table. Objects it did not make it does not answer for.
 */
import type { SourceRef } from "../../model/source.js";
import type { Locator } from "../locator.js";
import type { FileTable } from "./config/files.js";
import { memberPlace, placeOf } from "./eval/values.js";

export class TerraformLocator implements Locator {
  constructor(private readonly files: FileTable) {}

  locate(node: object): SourceRef | undefined {
    const place = placeOf(node);
    return place ? this.files.sourceOf(place) : undefined;
  }

  locateMember(node: object, key: string | number): SourceRef | undefined {
    const place = memberPlace(node, key);
    return place ? this.files.sourceOf(place) : undefined;
  }
}
