/**
 * @module engine/routes
 * Engine layer, public face of routing: effective route tables (reference §2), next hop queries (§4.2), the
 * comparison with observed exports, and the dated reserved-route profiles. Checks and commands import from
 * here only.
 */
export { type BranchExchange, branchToBranch, branchToBranchLines, type PassedRoute } from "./branch-to-branch.js";
export { compareEffectiveRoutes, multisetDifference, type RouteComparison } from "./compare.js";
export {
  defaultReservedProfileId,
  findReservedProfile,
  type ReservedProfile,
  reservedProfileNames,
  reservedProfiles,
} from "./data.js";
export {
  effectiveRoutes,
  effectiveRoutesForNic,
  toEffectiveRouteJson,
  UnknownReservedProfileError,
} from "./effective.js";
export { statedBy } from "./gateway.js";
export { learnedRoutesGateway } from "./learned-routes.js";
export { nextHop, nextHopV4, SYSTEM_ROUTE } from "./next-hop.js";
export {
  compareObserved,
  compareObservedTable,
  effectiveRouteText,
  type ObservedComparison,
} from "./observed.js";
export type { RouteTagCatalog } from "./system.js";
export type {
  ComputedRoute,
  EffectiveRouteOptions,
  EffectiveRouteTable,
  NamedRef,
  NextHopResult,
  RouteOrigin,
} from "./types.js";
