/**
 * @module engine/routes/types
 * Engine layer: the shapes of a computed effective route table. Each row is split in two: `route`, exactly
 * what `az network nic show-effective-route-table` prints (reference §4.3), and `origin`, where the row came
 * from (a route table's route, a gateway and its connection, a peering, an assumption). Printers emit `route`
 * only; checks read `origin` as their evidence.
 */

import type { ParsedPrefix } from "../../model/ip.js";
import type { AssumedGatewayRoutes, AssumedRouteServerRoutes, EffectiveRoute } from "../../model/network.js";
import type { SourceRef } from "../../model/source.js";

/** A resource named by id and short name, with where it is declared. */
export interface NamedRef {
  id: string;
  name: string;
  src?: SourceRef;
}

/** Where one effective route row came from. */
export type RouteOrigin =
  /** A range of the subnet's own VNet (Default, VnetLocal). */
  | { kind: "vnet"; vnet: NamedRef }
  /** The Default 0.0.0.0/0 (or ::/0) Internet route. */
  | { kind: "internet" }
  /** A reserved prefix of the chosen profile (Default, None). */
  | { kind: "reserved"; profile: string }
  /** A range of a connected peered VNet (VNetPeering / VNetGlobalPeering). */
  | { kind: "peering"; peering: NamedRef; remoteVnet: NamedRef; global: boolean }
  /** A service endpoint of the subnet (VirtualNetworkServiceEndpoint). */
  | { kind: "serviceEndpoint"; service: string; tags: string[]; subnet: NamedRef }
  /** A route of the subnet's route table; `serviceTag` when its addressPrefix is a tag. */
  | { kind: "user"; routeTable: NamedRef; route: NamedRef; serviceTag?: string }
  /**
   * A prefix a virtual network gateway gives the subnet: a local network gateway's address space through a
   * connection, or a VNet-to-VNet connection's remote VNet; `transit` when it arrives over a peering with
   * gateway transit.
   */
  | {
      kind: "gateway";
      gateway: NamedRef;
      connection?: NamedRef;
      localNetworkGateway?: NamedRef;
      transit?: NamedRef;
      /** The gateway is an ExpressRoute gateway (preferred at one prefix: reference §2.5 rule 5). */
      expressRoute?: true;
    }
  /**
   * The /32 of a private endpoint in this VNet or a directly peered one (Default, InterfaceEndpoint; reference
   * part 2 §9.1): `peering` when it arrives over one, `policies` the endpoint subnet's
   * privateEndpointNetworkPolicies, `invalidatedBy` the shorter user route that takes its traffic (§9.3 rule B).
   */
  | {
      kind: "privateEndpoint";
      endpoint: NamedRef;
      subnet: NamedRef;
      vnet: NamedRef;
      peering?: NamedRef;
      policies: string;
      invalidatedBy?: NamedRef;
    }
  /**
   * A route an NVA advertises to a Route Server over a BGP connection, declared with `--assume` (reference
   * part 2 §7.4); `transit` when it arrives over a peering with gateway transit.
   */
  | {
      kind: "routeServer";
      routeServer: NamedRef;
      bgpConnection: NamedRef;
      assumption: AssumedRouteServerRoutes;
      transit?: NamedRef;
    }
  /** A BGP route declared with `--assume` (no template shows it). */
  | {
      kind: "assumption";
      gateway: NamedRef;
      assumption: AssumedGatewayRoutes;
      transit?: NamedRef;
      /** The gateway is an ExpressRoute gateway (preferred at one prefix: reference §2.5 rule 5). */
      expressRoute?: true;
    };

/** One computed row: Azure's JSON plus its provenance and parsed prefixes. */
export interface ComputedRoute {
  /** Exactly the fields `az` prints, with Azure's strings. */
  route: EffectiveRoute;
  origin: RouteOrigin;
  /** The parsed `route.addressPrefix` entries that are addresses (unknown texts are left out). */
  prefixes: ParsedPrefix[];
}

/** The effective route table of one subnet (and of every NIC in it: IP forwarding does not change it). */
export interface EffectiveRouteTable {
  subnet: NamedRef;
  vnet: NamedRef;
  /** The subnet's route table, when it has one. */
  routeTable?: NamedRef;
  /** Rows in the order Azure usually prints them (reference §2.1, §2.11 O8; not guaranteed by Azure). */
  routes: ComputedRoute[];
  /** The reserved None profile used (id and date). */
  reservedProfile: { id: string; date: string };
  /** Everything this table rests on that no input states, one sentence each (printed by every command). */
  assumptions: string[];
  /** Things that could not be resolved; any answer that depends on them is Unknown. */
  unknowns: string[];
  /** The unknowns that may change a next hop, with the destinations they may cover. */
  uncertain: { reason: string; covers: ParsedPrefix[] | "all" }[];
}

/** Options of effectiveRoutes(). */
export interface EffectiveRouteOptions {
  /** Reserved None profile id or alias (`observed-2025`, `docs-2023`, `classic`, `newest`); default: newest. */
  reservedRoutes?: string;
}

/** The answer of a next hop query, shaped like Network Watcher's NextHopResult plus the deciding route. */
export interface NextHopResult {
  nextHopType: string;
  /** The first next hop IP of the deciding row; empty when the type has none. */
  nextHopIpAddress: string;
  /** The route table id for a user route; `System Route` otherwise, as Network Watcher prints (§4.2). */
  routeTableId: string;
  /** The route's name (user routes); null for system and gateway routes. */
  routeName: string | null;
  /** `Default`, `User` or `VirtualNetworkGateway`; `Unknown` when no route matched. */
  source: string;
  /** The deciding row; undefined when no route matched. */
  row?: ComputedRoute;
  /** Why the answer may be wrong (unresolved routes that could cover the destination). */
  unknowns: string[];
}
