/**
 * @module checks/network/route-invalid
 * ROUTE-INVALID: what Azure refuses in a route table (reference §2.4, §2.8, part 2 §12): two routes with the
 * same prefix (RouteConflict) or one name (DuplicateResourceName), a next hop type that is no member, a
 * VirtualAppliance route without a next hop IP (MissingNextHopIpAddress), a next hop IP on another type or one
 * that is not an address, a prefix that is neither a CIDR nor a service tag, a tag Azure does not route, and the
 * limits; and, as warnings, what it accepts but may not mean (host bits set, a tag the catalog does not know).
 * The rules are engine/routes `validateRouteTable`'s. A refused route decides nothing: the destinations it
 * covers have Unknown next hops.
 */
import { validateRouteTable } from "../../engine/routes/validate.js";
import { defineCheck } from "../context.js";
import type { CheckMeta } from "../types.js";
import { REFUSAL_MESSAGES, refusalFindings } from "../util/refusals.js";

const meta: CheckMeta = {
  id: "ROUTE-INVALID",
  name: "route-invalid",
  title: "A route is one Azure refuses or may not read as written",
  severity: "error",
  category: "input",
  summary: "A route table has a route Azure refuses to deploy, or one it accepts but may read differently.",
  references: [
    "https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#user-defined",
    "https://learn.microsoft.com/azure/virtual-network/manage-route-table",
  ],
  messages: { ...REFUSAL_MESSAGES },
};

export default defineCheck({
  meta,
  run(ctx) {
    const isServiceTag = (name: string) => ctx.catalog.get(name) !== undefined;
    return refusalFindings(
      meta,
      ctx.model.routeTables.flatMap((table) => validateRouteTable(table, { isServiceTag })),
    );
  },
});
