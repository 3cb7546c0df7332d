/**
 * @module engine/validate
 * Engine layer: the whole model checked as Azure checks a deployment (NSGs: reference §1.9; route tables:
 * §2.4). Every command runs this once after loading, so that what Azure would refuse stops the run (exit 2) and
 * what it accepts with a surprise is a warning, whatever the command.
 */
import type { Diagnostic } from "../model/diagnostics.js";
import type { NetworkModel } from "../model/network.js";
import { validateNsg } from "./nsg/index.js";
import { validateRouteTable } from "./routes/validate.js";

export interface ModelValidateOptions {
  /** True when `name` is a service tag of the catalog in use; without it, tag names are not judged. */
  isServiceTag?: (name: string) => boolean;
}

/** Diagnostics for every NSG and route table of the model. */
export function validateModel(model: NetworkModel, options: ModelValidateOptions = {}): Diagnostic[] {
  return [
    ...model.networkSecurityGroups.flatMap((nsg) => validateNsg(nsg, options)),
    ...model.routeTables.flatMap((table) => validateRouteTable(table, options)),
  ];
}
