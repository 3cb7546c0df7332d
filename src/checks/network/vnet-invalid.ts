/**
 * @module checks/network/vnet-invalid
 * VNET-INVALID: what Azure refuses in a virtual network, its subnets, DNS servers and peerings (reference part
 * 2 §12, part 1 §1.8): an address prefix that is not a CIDR or has host bits set (InvalidCIDRNotation), a
 * subnet outside the VNet's space (NetcfgSubnetRangeOutsideVnet) or overlapping another
 * (NetcfgSubnetRangesOverlap), two subnets with one name (DuplicateResourceName), an empty space or prefix list,
 * a DNS server that is not one address, peered VNets whose spaces overlap (VnetAddressSpacesOverlap), and the
 * limits. The rules are engine/network `validateNetwork`'s; this check makes them findings, and fixes the one
 * case whose intent is certain: a subnet prefix with host bits set becomes its network address.
 */

import { validateNetwork } from "../../engine/network/validate.js";
import { subnetPrefixes } from "../../model/addresses.js";
import type { Change } from "../../model/change.js";
import type { Diagnostic } from "../../model/diagnostics.js";
import { parsePrefix } from "../../model/ip.js";
import type { Topology } from "../../model/topology.js";
import { defineCheck } from "../context.js";
import { restateSubnet } from "../fix/build.js";
import type { CheckMeta } from "../types.js";
import { REFUSAL_MESSAGES, refusalFindings } from "../util/refusals.js";

const meta: CheckMeta = {
  id: "VNET-INVALID",
  name: "vnet-invalid",
  title: "A virtual network, subnet or peering is one Azure refuses",
  severity: "error",
  category: "input",
  summary: "A VNet's address space, a subnet prefix, a DNS server or a peering has a value Azure refuses to deploy.",
  references: [
    "https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-subnet",
    "https://learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview",
    "https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#networking-limits",
  ],
  messages: { ...REFUSAL_MESSAGES },
};

/** The network address for a subnet whose one prefix has host bits set, restating the subnet otherwise. */
function hostBitsFix(topology: Topology, d: Diagnostic): Change[] {
  if (d.code !== "subnet/InvalidCIDRNotation") return [];
  const subnet = topology.subnets.get(d.resourceId);
  const vnet = subnet ? topology.vnetOf(subnet) : undefined;
  const [only, ...more] = subnet ? subnetPrefixes(subnet).values : [];
  if (!subnet || !vnet || !only || more.length > 0 || subnet.addressPrefix === undefined) return [];
  const canonical = parsePrefix(only.text)?.canonical;
  if (!canonical) return [];
  return [restateSubnet(vnet, subnet, { addressPrefix: canonical })];
}

export default defineCheck({
  meta,
  run(ctx) {
    return refusalFindings(meta, validateNetwork(ctx.topology), (d) => hostBitsFix(ctx.topology, d));
  },
});
