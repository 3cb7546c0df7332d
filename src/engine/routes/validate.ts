/**
 * @module engine/routes/validate
 * Engine layer: route tables checked as Azure checks them on deployment (reference §2.4, §2.8; apim-requirements
 * §2.2). `error` where Azure refuses the deployment, `warning` where it accepts something that is likely not
 * what was meant. Azure's error code is used where the reference records it (`MissingNextHopIpAddress`);
 * otherwise the code is ours.
 */

import { routeDestination, routeDestinationKey, routeNextHopIp } from "../../model/addresses.js";
import type { Diagnostic } from "../../model/diagnostics.js";
import { notAMember } from "../../model/enums.js";
import type { Route, RouteTable } from "../../model/resources.js";
import { valueSource } from "../../model/source.js";
import { isUnknown } from "../../model/unknown.js";
import { canonicalNextHopType, USER_NEXT_HOP_TYPES } from "./user.js";

/** Limits per route table (reference §1.8, §2.8). */
export const ROUTE_LIMITS = { routesPerTable: 400, serviceTagRoutesPerTable: 25 } as const;

/** Service tags Azure does not accept as a route's addressPrefix (apim-requirements §2.2, from service-tags-overview). */
const NOT_ROUTABLE_TAGS = new Set(
  ["AzurePlatformDNS", "AzurePlatformIMDS", "AzurePlatformLKM", "VirtualNetwork", "AzureLoadBalancer", "Internet"].map(
    (t) => t.toLowerCase(),
  ),
);

export interface RouteValidateOptions {
  /** True when `name` is a service tag the catalog knows; without it tag names are not judged. */
  isServiceTag?: (name: string) => boolean;
}

/** Diagnostics for one route table. */
export function validateRouteTable(table: RouteTable, options: RouteValidateOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const error = (code: string, message: string, src = table.src, resourceId = table.id) =>
    out.push({ severity: "error", code: `route/${code}`, message, src, resourceId });
  const warning = (code: string, message: string, src = table.src, resourceId = table.id) =>
    out.push({ severity: "warning", code: `route/${code}`, message, src, resourceId });
  const info = (code: string, message: string, src = table.src, resourceId = table.id) =>
    out.push({ severity: "info", code: `route/${code}`, message, src, resourceId });
  if (table.routes.length > ROUTE_LIMITS.routesPerTable) {
    error(
      "too-many-routes",
      `route table ${table.name} has ${table.routes.length} routes; the limit is ${ROUTE_LIMITS.routesPerTable}`,
    );
  }
  let tagRoutes = 0;
  const byName = new Map<string, Route>();
  const byPrefix = new Map<string, Route>();
  for (const route of table.routes) {
    const label = `route ${table.name}/${route.name}`;
    const type = isUnknown(route.nextHopType) ? undefined : canonicalNextHopType(route.nextHopType);
    const typeSrc = valueSource(route.src, ["nextHopType"]);
    if (!type && !isUnknown(route.nextHopType)) {
      error(
        "invalid-next-hop-type",
        `${label}: next hop type ${notAMember(USER_NEXT_HOP_TYPES, route.nextHopType)}`,
        typeSrc,
        route.id,
      );
    } else if (type && type !== route.nextHopType) {
      info(
        "non-canonical-case",
        `${label}: next hop type '${route.nextHopType}' is read as ${type} (Azure compares it without regard to case)`,
        typeSrc,
        route.id,
      );
    }
    const ip = routeNextHopIp(route);
    if (type === "VirtualAppliance" && !ip) {
      error(
        "MissingNextHopIpAddress",
        `NextHopIpAddress cannot be Null or Empty in route ${route.name} when NextHopType is VirtualAppliance.`,
        route.src,
        route.id,
      );
    }
    if (type && type !== "VirtualAppliance" && ip) {
      error(
        "next-hop-ip-not-allowed",
        `${label}: nextHopIpAddress is allowed only with VirtualAppliance, not ${type}`,
        ip.src,
        route.id,
      );
    }
    if (ip?.kind === "invalid")
      error("invalid-next-hop-ip", `${label}: next hop IP '${ip.text}' is not an IP address`, ip.src, route.id);
    const nameKey = route.name.toLowerCase();
    if (!isUnknown(route.name) && byName.has(nameKey)) {
      error(
        "DuplicateResourceName",
        `Resource ${table.id} has two child resources with the same name (${route.name}).`,
        route.src,
        route.id,
      );
    } else byName.set(nameKey, route);
    const destination = routeDestination(route);
    const key = routeDestinationKey(route);
    const same = key !== undefined ? byPrefix.get(key) : undefined;
    if (same) {
      // Azure's wording (kubernetes-sigs/cloud-provider-azure#657, reference part 2 §12).
      error(
        "RouteConflict",
        `Route: ${route.name} conflicts with Route: ${same.name}. Routes cannot have the same AddressPrefix.`,
        destination.src,
        route.id,
      );
    } else if (key !== undefined) byPrefix.set(key, route);
    if (destination.kind === "unknown") continue;
    if (destination.kind === "prefix") {
      const prefix = destination.prefix;
      if (prefix.hostBitsSet)
        warning(
          "host-bits-set",
          `${label}: ${destination.text} has host bits set; it means ${prefix.canonical}`,
          destination.src,
          route.id,
        );
      continue;
    }
    if (destination.kind === "invalid") {
      error(
        "invalid-address-prefix",
        `${label}: '${destination.text}' is neither a CIDR prefix nor a service tag (${destination.problem})`,
        destination.src,
        route.id,
      );
      continue;
    }
    const text = destination.tag;
    tagRoutes++;
    if (NOT_ROUTABLE_TAGS.has(text.toLowerCase())) {
      error(
        "tag-not-allowed",
        `${label}: the service tag ${text} cannot be used as a route's address prefix`,
        route.src,
        route.id,
      );
    } else if (options.isServiceTag && !options.isServiceTag(text)) {
      warning(
        "unknown-service-tag",
        `${label}: '${text}' is not a service tag in the service tag file in use`,
        route.src,
        route.id,
      );
    }
  }
  if (tagRoutes > ROUTE_LIMITS.serviceTagRoutesPerTable) {
    error(
      "too-many-service-tag-routes",
      `route table ${table.name} has ${tagRoutes} service-tag routes; the limit is ${ROUTE_LIMITS.serviceTagRoutesPerTable}`,
    );
  }
  return out;
}
