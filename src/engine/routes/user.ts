/**
 * @module engine/routes/user
 * Engine layer: the routes of a subnet's route table (source User). A route's addressPrefix is a CIDR or a
 * service tag; a tag route becomes one row holding every prefix of the tag. Next hop types are printed in
 * Azure's spelling whatever the input's case.
 * https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#user-defined
 */
import type { RouteTable } from "../../model/resources.js";
import { formatSource } from "../../model/source.js";
import { isUnknown } from "../../model/unknown.js";
import { parsePrefix } from "../../model/ip.js";
import { named, type RouteSink, type RouteTagCatalog } from "./system.js";

/** `RouteNextHopType` of the REST API (reference §2.3), in Azure's spelling. */
export const USER_NEXT_HOP_TYPES = [
  "VirtualNetworkGateway",
  "VnetLocal",
  "Internet",
  "VirtualAppliance",
  "VirtualApplianceEcmp",
  "None",
] as const;

/** The next hop type in Azure's spelling, or undefined when it is not one a route may use. */
export function canonicalNextHopType(text: string): string | undefined {
  return USER_NEXT_HOP_TYPES.find((t) => t.toLowerCase() === text.trim().toLowerCase());
}

/**
 * The tie order between routes with exactly the same prefix inside the User source (reference §2.4): an
 * explicit CIDR beats every tag; then regional tags, top-level tags, `AzureCloud.<region>`, `AzureCloud`.
 * Lower is preferred.
 */
export function userTieRank(serviceTag: string | undefined): number {
  if (!serviceTag) return 0;
  const cloud = serviceTag.toLowerCase().startsWith("azurecloud");
  const regional = serviceTag.includes(".");
  if (cloud) return regional ? 3 : 4;
  return regional ? 1 : 2;
}

/** Adds one row per route of `table`. `ipv6`: the VNet has IPv6 ranges, so tag routes keep IPv6 prefixes. */
export function userRows(table: RouteTable, catalog: RouteTagCatalog, ipv6: boolean, sink: RouteSink): void {
  for (const route of table.routes) {
    const where = () => `route ${table.name}/${route.name} (${formatSource(route.src)})`;
    const type = isUnknown(route.nextHopType) ? undefined : canonicalNextHopType(route.nextHopType);
    const text = route.addressPrefix.trim();
    const parsed = isUnknown(text) ? undefined : parsePrefix(text);
    if (!type) {
      sink.unknown(
        `${where()}: next hop type ${route.nextHopType} is not one Azure accepts or could not be resolved`,
        parsed ? [parsed] : "all",
      );
      continue;
    }
    const ip = route.nextHopIpAddress && !isUnknown(route.nextHopIpAddress) ? route.nextHopIpAddress : undefined;
    if (route.nextHopIpAddress && !ip) sink.unknown(`${where()}: the next hop IP address could not be resolved`);
    if (type === "VirtualAppliance" && !route.nextHopIpAddress) {
      // Azure refuses this route (MissingNextHopIpAddress, reference §2.4); we keep it to show what was meant.
      sink.unknown(`${where()}: VirtualAppliance without nextHopIpAddress; Azure refuses such a route`);
    }
    const hops = type === "VirtualAppliance" && ip ? [ip] : [];
    const origin = { kind: "user" as const, routeTable: named(table), route: named(route) };
    const base = { name: route.name, source: "User", state: "Active", nextHopType: type, nextHopIpAddress: hops };
    if (parsed) {
      sink.add({ ...base, addressPrefix: [parsed.canonical] }, origin, [parsed]);
      continue;
    }
    if (isUnknown(text)) {
      sink.unknown(`${where()}: the address prefix could not be resolved`, "all");
      continue;
    }
    // Not a CIDR: a service tag (reference §2.4, "Service tags for user-defined routes").
    const set = catalog.get(text);
    if (!set) {
      sink.unknown(`${where()}: ${text} is neither a CIDR nor a service tag in the catalog`, "all");
      continue;
    }
    const prefixes = set.toCidrs().filter((c) => ipv6 || !c.includes(":"));
    sink.add({ ...base, addressPrefix: prefixes }, { ...origin, serviceTag: text });
  }
}
