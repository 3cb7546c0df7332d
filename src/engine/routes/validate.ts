/**
 * @module engine/routes/validate
 * Engine layer: route tables checked as Azure checks them on deployment (reference §2.4, §2.8; apim-requirements
 * §2.2). `error` where Azure refuses the deployment, `warning` where it accepts something that is likely not
 * what was meant. Azure's error code is used where the reference records it (`MissingNextHopIpAddress`);
 * otherwise the code is ours.
 */
import type { Diagnostic } from "../../model/diagnostics.js";
import type { RouteTable } from "../../model/resources.js";
import { isUnknown } from "../../model/unknown.js";
import { parsePrefix } from "../../model/ip.js";
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
  const error = (code: string, message: string, src = table.src) =>
    out.push({ severity: "error", code: `route/${code}`, message, src });
  const warning = (code: string, message: string, src = table.src) =>
    out.push({ severity: "warning", code: `route/${code}`, message, src });
  if (table.routes.length > ROUTE_LIMITS.routesPerTable) {
    error(
      "too-many-routes",
      `route table ${table.name} has ${table.routes.length} routes; the limit is ${ROUTE_LIMITS.routesPerTable}`,
    );
  }
  let tagRoutes = 0;
  for (const route of table.routes) {
    const label = `route ${table.name}/${route.name}`;
    const type = isUnknown(route.nextHopType) ? undefined : canonicalNextHopType(route.nextHopType);
    if (!type && !isUnknown(route.nextHopType)) {
      error(
        "invalid-next-hop-type",
        `${label}: next hop type '${route.nextHopType}' is not one of ${USER_NEXT_HOP_TYPES.join(", ")}`,
        route.src,
      );
    }
    if (type === "VirtualAppliance" && !route.nextHopIpAddress) {
      error(
        "MissingNextHopIpAddress",
        `NextHopIpAddress cannot be Null or Empty in route ${route.name} when NextHopType is VirtualAppliance.`,
        route.src,
      );
    }
    if (type && type !== "VirtualAppliance" && route.nextHopIpAddress) {
      error(
        "next-hop-ip-not-allowed",
        `${label}: nextHopIpAddress is allowed only with VirtualAppliance, not ${type}`,
        route.src,
      );
    }
    const ip = route.nextHopIpAddress;
    if (ip && !isUnknown(ip) && (ip.includes("/") || !parsePrefix(ip))) {
      error("invalid-next-hop-ip", `${label}: next hop IP '${ip}' is not an IP address`, route.src);
    }
    const text = route.addressPrefix.trim();
    if (isUnknown(text)) continue;
    const prefix = parsePrefix(text);
    if (prefix) {
      if (prefix.hostBitsSet)
        warning("host-bits-set", `${label}: ${text} has host bits set; it means ${prefix.canonical}`, route.src);
      continue;
    }
    if (/[/:]/.test(text) || /^\d/.test(text)) {
      error("invalid-address-prefix", `${label}: '${text}' is neither a CIDR prefix nor a service tag`, route.src);
      continue;
    }
    tagRoutes++;
    if (NOT_ROUTABLE_TAGS.has(text.toLowerCase())) {
      error(
        "tag-not-allowed",
        `${label}: the service tag ${text} cannot be used as a route's address prefix`,
        route.src,
      );
    } else if (options.isServiceTag && !options.isServiceTag(text)) {
      warning(
        "unknown-service-tag",
        `${label}: '${text}' is not a service tag in the service tag file in use`,
        route.src,
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
