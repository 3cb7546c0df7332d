/**
 * @module engine/routes/private-endpoints
 * Engine layer: the `/32` InterfaceEndpoint rows private endpoints give (reference part 2 §9.1): one per
 * endpoint address, source Default, on every subnet of the endpoint's VNet and of directly peered VNets (not
 * transitive), and the two ways a user route takes the endpoint's traffic back (§9.3): an exact /32 user route
 * wins by plain selection (rule A, select.ts); a shorter user route, at least as specific as the endpoint VNet's
 * range, wins only when the endpoint's subnet enables route-table policies (rule B, here). Kept apart from the
 * other system routes because they depend on resources outside the subnet's VNet and on its subnet's policies.
 */

import { subnetPrefixes, vnetAddressSpace } from "../../model/addresses.js";
import { type ParsedPrefix, parsePrefix } from "../../model/ip.js";
import type { PrivateEndpoint, Subnet, VirtualNetwork } from "../../model/resources.js";
import type { Topology } from "../../model/topology.js";
import { isUnknown } from "../../model/unknown.js";
import { peeringsOf } from "../peering/state.js";
import { defaultRow, named, type RouteSink } from "./system.js";
import type { ComputedRoute, NamedRef } from "./types.js";

/** What `privateEndpointNetworkPolicies` turns on for the endpoints of a subnet (§9.2 table). */
export interface EndpointPolicies {
  /** The value as written, `Disabled` when absent (Azure's default). */
  value: string;
  /** The NSG of the endpoint's subnet filters traffic to the endpoint. */
  nsg: boolean;
  /** A shorter user route may take the endpoint's traffic (rule B). */
  routeTable: boolean;
  /** Set when the value is none of the four Azure knows (or unknown): neither effect can be told. */
  unknown?: string;
}

/** The policies of `value` (a subnet's `privateEndpointNetworkPolicies`). */
export function endpointPolicies(value: string | undefined): EndpointPolicies {
  const v = value ?? "Disabled";
  switch (v.toLowerCase()) {
    case "disabled":
      return { value: v, nsg: false, routeTable: false };
    case "enabled":
      return { value: v, nsg: true, routeTable: true };
    case "networksecuritygroupenabled":
      return { value: v, nsg: true, routeTable: false };
    case "routetableenabled":
      return { value: v, nsg: false, routeTable: true };
    default:
      return {
        value: v,
        nsg: false,
        routeTable: false,
        unknown: `privateEndpointNetworkPolicies ${isUnknown(v) ? "is not known" : `is ${v}, which Azure does not define`}`,
      };
  }
}

/** Where an endpoint sits, resolved through the topology. */
interface Placed {
  endpoint: PrivateEndpoint;
  subnet: Subnet;
  vnet: VirtualNetwork;
}

function placed(topology: Topology, endpoint: PrivateEndpoint): Placed | undefined {
  const subnet = endpoint.subnet ? topology.subnets.get(endpoint.subnet.id) : undefined;
  const vnet = subnet ? topology.vnetOf(subnet) : undefined;
  return subnet && vnet ? { endpoint, subnet, vnet } : undefined;
}

/**
 * The InterfaceEndpoint rows of every private endpoint in `vnet` and in its Connected peers. An endpoint whose
 * address the inputs do not give (Azure assigns it at deployment) adds an unknown covering its subnet's range,
 * where the /32 will be; one whose subnet is not in the inputs is said once.
 */
export function privateEndpointRows(topology: Topology, vnet: VirtualNetwork, sink: RouteSink): void {
  const endpoints = topology.model.privateEndpoints;
  if (endpoints.length === 0) return;
  const here = new Map<string, { peering?: NamedRef; global: boolean }>([[vnet.id.toLowerCase(), { global: false }]]);
  for (const status of peeringsOf(topology, vnet)) {
    if (status.state !== "Connected" || !status.remote) continue;
    here.set(status.remote.id.toLowerCase(), { peering: named(status.peering), global: status.global });
  }
  for (const endpoint of endpoints) {
    const at = placed(topology, endpoint);
    if (!at) {
      sink.unknown(
        `private endpoint ${endpoint.name}: its subnet ${endpoint.subnet?.id ?? "(none given)"} is not in the inputs, so whether its /32 InterfaceEndpoint route reaches ${vnet.name} is unknown`,
      );
      continue;
    }
    const via = here.get(at.vnet.id.toLowerCase());
    if (!via) continue;
    const origin = {
      kind: "privateEndpoint" as const,
      endpoint: named(endpoint),
      subnet: named(at.subnet),
      vnet: named(at.vnet),
      ...(via.peering ? { peering: via.peering } : {}),
      policies: endpointPolicies(at.subnet.privateEndpointNetworkPolicies).value,
    };
    if (via.global) {
      sink.assume(
        `private endpoint ${endpoint.name}: its /32 route is taken to reach ${vnet.name} over global peering ${via.peering?.name} (reachable per Microsoft; the row is inferred, not observed; reference part 2 §9.1)`,
      );
    }
    const addresses = endpoint.privateIPAddresses
      .map((ip) => (isUnknown(ip) ? undefined : parsePrefix(`${ip}/32`)))
      .filter((p): p is ParsedPrefix => p !== undefined && p.version === 4);
    if (addresses.length === 0) {
      const range = subnetPrefixes(at.subnet).prefixes;
      sink.unknown(
        `private endpoint ${endpoint.name} in ${at.vnet.name}/${at.subnet.name}: its address is not in the inputs (Azure assigns it at deployment), so its /32 InterfaceEndpoint route is left out`,
        range.length > 0 ? [...range] : "all",
      );
      continue;
    }
    for (const address of addresses) {
      sink.add(defaultRow([address.canonical], "InterfaceEndpoint"), origin, [address]);
    }
  }
}

/**
 * Rule B (§9.3): when the endpoint's subnet enables route-table policies, a user route whose prefix holds the
 * endpoint's address and is at least as specific as the endpoint VNet's range holding it (never 0.0.0.0/0)
 * invalidates the /32; the row keeps its place with `invalidatedBy` set, and selection leaves it out. Returns
 * the sentences to say: the invalidated state is inferred from the docs' word, not observed.
 */
export function applyEndpointPolicies(topology: Topology, rows: ComputedRoute[], sink: RouteSink): void {
  const users = rows.filter((r) => r.origin.kind === "user");
  for (const row of rows) {
    const o = row.origin;
    if (o.kind !== "privateEndpoint") continue;
    const subnet = topology.subnets.get(o.subnet.id);
    const policies = endpointPolicies(subnet?.privateEndpointNetworkPolicies);
    const address = row.prefixes[0];
    if (!address) continue;
    const vnet = topology.vnets.get(o.vnet.id);
    const range = vnet
      ? vnetAddressSpace(vnet).prefixes.find((r) => r.first <= address.first && r.last >= address.last)
      : undefined;
    const overriding = users.find((u) =>
      u.prefixes.some(
        (p) =>
          p.version === 4 &&
          p.length > 0 &&
          p.length < 32 &&
          p.first <= address.first &&
          p.last >= address.last &&
          range !== undefined &&
          p.length >= range.length,
      ),
    );
    if (overriding?.origin.kind !== "user") continue;
    if (policies.unknown) {
      sink.unknown(
        `private endpoint ${o.endpoint.name}: ${policies.unknown} on ${o.subnet.name}, so whether user route ${overriding.origin.route.name} takes its traffic is unknown`,
        [address],
      );
      continue;
    }
    if (!policies.routeTable) continue;
    o.invalidatedBy = overriding.origin.route;
    sink.assume(
      `private endpoint ${o.endpoint.name}: its /32 route is shown Invalid, overridden by user route ${overriding.origin.route.name} (privateEndpointNetworkPolicies ${policies.value} on ${o.subnet.name}; the state is inferred from the docs, not observed; reference part 2 §9.3)`,
    );
  }
}
