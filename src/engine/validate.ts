/**
 * @module engine/validate
 * Engine layer: the whole model checked as Azure checks a deployment: NSGs (reference §1.9), route tables
 * (§2.4, part 2 §12), virtual networks with their subnets, DNS servers and peerings, NIC references (part 2
 * §12), and API Management network settings. Every command runs this once after loading. What Azure would
 * refuse is an `error` (a refusal: `check` reports it as a finding and analyses what it decides as Unknown);
 * what it accepts with a surprise is a `warning`.
 */
import type { Diagnostic } from "../model/diagnostics.js";
import type { NetworkModel } from "../model/network.js";
import { Topology } from "../model/topology.js";
import { validateApimService } from "./network/apim.js";
import { validateNetwork } from "./network/validate.js";
import { validateNsg } from "./nsg/index.js";
import { validateRouteTable } from "./routes/validate.js";

export interface ModelValidateOptions {
  /** True when `name` is a service tag of the catalog in use; without it, tag names are not judged. */
  isServiceTag?: (name: string) => boolean;
}

/**
 * Diagnostics for every NSG, route table, VNet, NIC and API Management service of the model; `topology` is the
 * model's when the caller has made it already (an estate's costs a tenth of a second).
 */
export function validateModel(
  model: NetworkModel,
  options: ModelValidateOptions = {},
  topology: Topology = new Topology(model),
): Diagnostic[] {
  return [
    ...model.networkSecurityGroups.flatMap((nsg) => validateNsg(nsg, options)),
    ...model.routeTables.flatMap((table) => validateRouteTable(table, options)),
    ...validateNetwork(topology),
    ...model.apiManagementServices.flatMap((service) => validateApimService(service)),
  ];
}
