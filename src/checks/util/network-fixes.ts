/**
 * @module checks/util/network-fixes
 * Checks layer: the changes that fix a subnet, a peering or a route table association, for the fix engine
 * (checks/fix): service endpoints added, a new route table associated, the missing half of a peering. A subnet
 * change restates the subnet with every property it has now (a PUT replaces it whole, so anything left out would
 * be removed). Also how ids are shown in messages.
 */

import type { Change } from "../../model/change.js";
import { DEFAULT_SUBSCRIPTION } from "../../model/ids.js";
import type { ServiceEndpoint, Subnet, VirtualNetwork } from "../../model/resources.js";
import { addPeeringHalf, newRouteTableForSubnet, type RouteProperties, restateSubnet } from "../fix/build.js";

/** The id as a user reads it: placeholders where the input did not say the subscription or group. */
export function displayId(id: string): string {
  return id
    .replace(DEFAULT_SUBSCRIPTION, "<subscription-id>")
    .replace(/\/resourceGroups\/resourceGroup\//, "/resourceGroups/<resource-group>/");
}

/** `current` with `services` added for `location` (a service already there gains the location). */
export function withEndpoints(current: ServiceEndpoint[], services: string[], location: string): ServiceEndpoint[] {
  const out = current.map((e) => ({ ...e }));
  for (const service of services) {
    const have = out.find((e) => e.service.toLowerCase() === service.toLowerCase());
    if (!have) out.push({ service, locations: [location] });
    else if (
      have.locations?.length &&
      !have.locations.some((l) => l === "*" || l.toLowerCase() === location.toLowerCase())
    ) {
      have.locations = [...have.locations, location];
    }
  }
  return out;
}

/** The change that sets the service endpoints of a subnet to `endpoints` (the whole list: a PUT replaces it). */
export function serviceEndpointChanges(vnet: VirtualNetwork, subnet: Subnet, endpoints: ServiceEndpoint[]): Change[] {
  return [restateSubnet(vnet, subnet, { serviceEndpoints: endpoints })];
}

/** The changes that create a route table with `routes` and associate it with the subnet. */
export function newRouteTableChanges(
  vnet: VirtualNetwork,
  subnet: Subnet,
  table: { name: string; location: string; routes: RouteProperties[] },
): Change[] {
  return newRouteTableForSubnet(vnet, subnet, table);
}

/** The change that adds the missing half of a peering: `vnet` peers back to `remote`. */
export function peeringHalfChanges(vnet: VirtualNetwork, remote: VirtualNetwork, name: string): Change[] {
  return [addPeeringHalf(vnet, remote, name)];
}
