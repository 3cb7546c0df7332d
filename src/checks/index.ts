/**
 * @module checks
 * The explicit registry of checks, sorted by id (a meta-test keeps it sorted and complete).
 */

import apimSettingInvalid from "./apim/apim-setting-invalid.js";
import backendsReachable from "./apim/backends-reachable.js";
import controlPlaneReturnsToInternet from "./apim/control-plane-returns-to-internet.js";
import dependenciesBypassTunnel from "./apim/dependencies-bypass-tunnel.js";
import dnsServersAndRecords from "./apim/dns-servers-and-records.js";
import internalOverGlobalPeering from "./apim/internal-over-global-peering.js";
import networkStatusExplained from "./apim/network-status-explained.js";
import nsgAllowsClientTraffic from "./apim/nsg-allows-client-traffic.js";
import nsgAllowsLoadBalancer from "./apim/nsg-allows-load-balancer.js";
import nsgAllowsManagementEndpoint from "./apim/nsg-allows-management-endpoint.js";
import nsgAllowsTrafficManager from "./apim/nsg-allows-traffic-manager.js";
import outboundDependencyReachable from "./apim/outbound-dependency-reachable.js";
import outboundEgress from "./apim/outbound-egress.js";
import publicIp from "./apim/public-ip.js";
import subnetDelegation from "./apim/subnet-delegation.js";
import subnetHasNsg from "./apim/subnet-has-nsg.js";
import subnetSize from "./apim/subnet-size.js";
import tierSupportsVnet from "./apim/tier-supports-vnet.js";
import type { Check } from "./context.js";
import observedFlowDiffers from "./drift/observed-flow-differs.js";
import observedNextHopDiffers from "./drift/observed-next-hop-differs.js";
import observedNsgDiffers from "./drift/observed-nsg-differs.js";
import observedRoutesDiffer from "./drift/observed-routes-differ.js";
import templateInvalid from "./input/template-invalid.js";
import nicInvalid from "./network/nic-invalid.js";
import routeInvalid from "./network/route-invalid.js";
import vnetInvalid from "./network/vnet-invalid.js";
import nsgRuleInvalid from "./nsg/nsg-rule-invalid.js";
import nsgRuleShadowed from "./nsg/nsg-rule-shadowed.js";
import nsgRuleUnmatchable from "./nsg/nsg-rule-unmatchable.js";

export const CHECKS: readonly Check[] = [
  backendsReachable,
  dependenciesBypassTunnel,
  dnsServersAndRecords,
  controlPlaneReturnsToInternet,
  nsgAllowsClientTraffic,
  nsgAllowsLoadBalancer,
  nsgAllowsManagementEndpoint,
  nsgAllowsTrafficManager,
  networkStatusExplained,
  outboundDependencyReachable,
  outboundEgress,
  internalOverGlobalPeering,
  publicIp,
  apimSettingInvalid,
  tierSupportsVnet,
  subnetDelegation,
  subnetHasNsg,
  subnetSize,
  observedFlowDiffers,
  observedNextHopDiffers,
  observedNsgDiffers,
  observedRoutesDiffer,
  nicInvalid,
  nsgRuleInvalid,
  nsgRuleShadowed,
  nsgRuleUnmatchable,
  routeInvalid,
  templateInvalid,
  vnetInvalid,
];
