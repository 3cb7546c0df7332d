/**
 * @module checks
 * The explicit registry of checks, sorted by id (a meta-test keeps it sorted and complete).
 */

import controlPlaneReturnsToInternet from "./apim/control-plane-returns-to-internet.js";
import dependenciesBypassTunnel from "./apim/dependencies-bypass-tunnel.js";
import internalOverGlobalPeering from "./apim/internal-over-global-peering.js";
import nsgAllowsManagementEndpoint from "./apim/nsg-allows-management-endpoint.js";
import type { Check } from "./context.js";

export const CHECKS: readonly Check[] = [
  dependenciesBypassTunnel,
  controlPlaneReturnsToInternet,
  nsgAllowsManagementEndpoint,
  internalOverGlobalPeering,
];
