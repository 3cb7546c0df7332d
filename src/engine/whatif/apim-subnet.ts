/**
 * @module engine/whatif/apim-subnet
 * Engine layer: an API Management instance placed in a subnet that the inputs declare, for networks whose
 * instance is deployed from another template or repository (the APIM landing zone's networking module has no
 * API Management resource; issue "Findings to trust and one fix engine", `--apim-subnet`). The instance is made up:
 * it stands for "an instance in classic VNet injection here", so the requirement checks run against the subnet,
 * its NSG and its routes. What it cannot know is said: the tier is taken as Developer or Premium (classic
 * injection, whose network requirements are the same for both), one unit, and the mode, when not given, is
 * Unknown, so both External and Internal are checked (checks/conditions).
 */
import type { NetworkModel } from "../../model/network.js";
import type { ApiManagementService, Subnet, VirtualNetwork } from "../../model/resources.js";
import { unknownValue } from "../../model/unknown.js";
import { copyModel } from "./copy.js";

export type ApimSubnetMode = "External" | "Internal";

export interface ApimInSubnet {
  /** The subnet as the user named it (`vnet-apim/snet-apim`), for names and notes. */
  text: string;
  subnet: Subnet;
  vnet: VirtualNetwork;
  mode?: ApimSubnetMode;
}

/** The reason an omitted mode is Unknown: the option does not say it. */
export const MODE_NOT_GIVEN = "--apim-subnet gives no mode (:External or :Internal)";

/** `model` with a made-up classic instance in `at.subnet`, and the sentence that says what was assumed. */
export function withApimInSubnet(model: NetworkModel, at: ApimInSubnet): { model: NetworkModel; note: string } {
  const copy = copyModel(model);
  const base = at.vnet.id.slice(0, at.vnet.id.toLowerCase().indexOf("/providers/"));
  const name = `apim-in-${at.subnet.name}`;
  const service: ApiManagementService = {
    id: `${base}/providers/Microsoft.ApiManagement/service/${name}`,
    name: `--apim-subnet ${at.text}`,
    type: "Microsoft.ApiManagement/service",
    location: at.vnet.location,
    src: at.subnet.src,
    madeUp: true,
    sku: { name: "Premium", capacity: 1 },
    virtualNetworkType: at.mode ?? unknownValue(MODE_NOT_GIVEN),
    virtualNetworkConfiguration: { subnetResourceId: at.subnet.id },
    additionalLocations: [],
    hostnameConfigurations: [],
  };
  copy.apiManagementServices.push(service);
  const mode = at.mode ? `${at.mode} mode` : "External and Internal mode each (no mode given)";
  return {
    model: copy,
    note: `--apim-subnet ${at.text}: an API Management instance taken to be in this subnet, in ${mode}, on a classic tier (Developer or Premium, whose network requirements are the same), one unit; it is not in the inputs, so only its network is checked`,
  };
}
