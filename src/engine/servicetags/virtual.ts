/**
 * @module engine/servicetags/virtual
 * Engine layer: the virtual tags `VirtualNetwork`, `AzureLoadBalancer` and `Internet`, which are not in the
 * Service Tags file because their value depends on where they are used: Azure computes them per subnet
 * (and NIC) from the topology (reference §1.4, §1.5; MicrosoftDocs/azure-docs#124192). Each value keeps the
 * parts it is made of and the resource behind each part, so a verdict can explain itself.
 */

import { listOf, routeDestination, textList, vnetAddressSpace } from "../../model/addresses.js";
import { appendAll } from "../../model/arrays.js";
import { shortName } from "../../model/ids.js";
import type {
  NetworkInterface,
  NetworkInterfaceIPConfiguration,
  Subnet,
  VirtualNetwork,
} from "../../model/resources.js";
import { syntheticSource } from "../../model/source.js";
import type { Topology } from "../../model/topology.js";
import { AddressSet } from "../ip/address-set.js";
import { peeringsOf } from "../peering/state.js";
import type { ServiceTagCatalog } from "./catalog.js";
import { NON_PUBLIC_RANGES, nonPublicSet } from "./non-public-ranges.js";
import { addGatewayContributions } from "./on-premises.js";
import { TagBuilder, type VirtualTagValue } from "./parts.js";

export type { Membership, UndecidedPart, VirtualTagName, VirtualTagPart, VirtualTagValue } from "./parts.js";
export { explainMembership } from "./parts.js";

/** The host's virtual IP: DNS, DHCP, health probes (reference §1.5, [IP168]). */
export const HOST_VIRTUAL_IP = "168.63.129.16/32";

/** The three virtual tags as seen from one subnet. */
export interface VirtualTags {
  subnetId: string;
  vnetId?: string;
  virtualNetwork: VirtualTagValue;
  azureLoadBalancer: VirtualTagValue;
  internet: VirtualTagValue;
}

const NO_CATALOG = {};
const cache = new WeakMap<Topology, WeakMap<object, Map<Subnet, VirtualTags>>>();

/**
 * The virtual tags of `subnet`. `catalog` resolves service tags used as route prefixes; without it such
 * routes leave VirtualNetwork undecided. Cached per topology, catalog and subnet.
 */
export function virtualTagsForSubnet(topology: Topology, subnet: Subnet, catalog?: ServiceTagCatalog): VirtualTags {
  let byCatalog = cache.get(topology);
  if (!byCatalog) {
    byCatalog = new WeakMap();
    cache.set(topology, byCatalog);
  }
  let bySubnet = byCatalog.get(catalog ?? NO_CATALOG);
  if (!bySubnet) {
    bySubnet = new Map();
    byCatalog.set(catalog ?? NO_CATALOG, bySubnet);
  }
  let tags = bySubnet.get(subnet);
  if (!tags) {
    const vnet = topology.vnetOf(subnet);
    tags = {
      subnetId: subnet.id,
      vnetId: vnet?.id,
      virtualNetwork: virtualNetworkTag(topology, subnet, vnet, catalog),
      azureLoadBalancer: azureLoadBalancerTag(),
      internet: internetTag(subnet, vnet),
    };
    bySubnet.set(subnet, tags);
  }
  return tags;
}

/**
 * The virtual tags of a NIC are those of its subnet: the one of `ipConfiguration` when given, else of the
 * primary IP configuration (or the first with a subnet). Undefined when the subnet is not in the inputs.
 */
export function virtualTagsForNic(
  topology: Topology,
  nic: NetworkInterface,
  catalog?: ServiceTagCatalog,
  ipConfiguration?: NetworkInterfaceIPConfiguration,
): VirtualTags | undefined {
  const config =
    ipConfiguration ??
    nic.ipConfigurations.find((c) => c.primary && c.subnet) ??
    nic.ipConfigurations.find((c) => c.subnet);
  const subnet = topology.subnets.get(config?.subnet?.id);
  return subnet ? virtualTagsForSubnet(topology, subnet, catalog) : undefined;
}

function virtualNetworkTag(
  topology: Topology,
  subnet: Subnet,
  vnet: VirtualNetwork | undefined,
  catalog: ServiceTagCatalog | undefined,
): VirtualTagValue {
  const tag = new TagBuilder("VirtualNetwork");
  if (vnet) {
    // "The VNet's own address space (all its ranges)", not only its subnets (reference §1.4, §2.11 O10).
    tag.addPrefixes("vnet-address-space", vnetAddressSpace(vnet), `address space of ${vnet.name}`, vnet.src, vnet.id);
    addPeerings(tag, topology, vnet);
    addGatewayContributions(tag, topology, vnet);
  } else {
    tag.undecided.push({
      kind: "virtual-network",
      description: `the virtual network of subnet ${subnet.name} is not in the inputs`,
      resourceId: subnet.virtualNetworkId,
      src: subnet.src,
      effect: "may-add",
    });
  }
  // The tag expands to include the host's virtual IP (reference §1.4, azure-docs#38326).
  const platform = syntheticSource("reference §1.5");
  tag.addPrefixes(
    "host-virtual-ip",
    textList([HOST_VIRTUAL_IP], platform),
    "the host's virtual IP 168.63.129.16",
    platform,
  );
  addRoutePrefixes(tag, topology, subnet, catalog);
  return tag.build();
}

/**
 * Peered VNets are in the tag while the peering is Connected and this side's half allows virtual network
 * access; that flag "only changes the definition of the VirtualNetwork service tag" (reference §3.2).
 */
function addPeerings(tag: TagBuilder, topology: Topology, vnet: VirtualNetwork): void {
  for (const status of peeringsOf(topology, vnet)) {
    const { peering } = status;
    const remoteName = status.remote?.name ?? shortName(peering.remoteVirtualNetwork?.id ?? "the remote network");
    const what = `address space of the peered virtual network ${remoteName} (peering ${peering.name})`;
    if (!peering.allowVirtualNetworkAccess) {
      tag.leftOut.push({
        description: `${what}: allowVirtualNetworkAccess is false on ${vnet.name}'s half`,
        resourceId: peering.id,
        src: peering.src,
      });
    } else if (status.state === "Connected") {
      tag.addPrefixes("peered-vnet", status.remotePrefixes, what, peering.src, peering.id);
    } else if (status.state === "Unknown") {
      const remote = status.remotePrefixes;
      tag.undecided.push({
        kind: "peered-vnet",
        description: `${what}: state unknown (${status.reason})`,
        resourceId: peering.id,
        src: peering.src,
        set: remote.complete ? AddressSet.fromPrefixes(remote.prefixes) : undefined,
        effect: "may-add",
      });
    } else {
      tag.leftOut.push({
        description: `${what}: ${status.state} (${status.reason})`,
        resourceId: peering.id,
        src: peering.src,
      });
    }
  }
}

/**
 * "The address prefixes used in UDRs" join the tag, per subnet: only those of the subnet's own route table
 * (reference §1.4, azure-docs#22178, #124192). So a 0.0.0.0/0 route makes the tag cover all IPv4.
 */
function addRoutePrefixes(tag: TagBuilder, topology: Topology, subnet: Subnet, catalog?: ServiceTagCatalog): void {
  const tableId = subnet.routeTable?.id;
  if (!tableId) return;
  const table = topology.routeTables.get(tableId);
  if (!table) {
    tag.undecided.push({
      kind: "route-table",
      description: `the route table ${shortName(tableId)} of subnet ${subnet.name} is not in the inputs; its route prefixes would join the tag`,
      resourceId: tableId,
      src: subnet.src,
      effect: "may-add",
    });
    return;
  }
  for (const route of table.routes) {
    const destination = routeDestination(route);
    const prefix = destination.text;
    const what = `prefix of route ${route.name} in route table ${table.name}`;
    if (destination.kind !== "tag") {
      const label = destination.kind === "prefix" ? prefix : destination.kind === "unknown" ? "unresolved" : "invalid";
      tag.addPrefixes("udr-prefix", listOf([destination]), `${what} (${label})`, route.src, route.id);
      continue;
    }
    // Inference, UNCERTAIN in the reference: §1.4 says UDR prefixes join the tag and §2.4 allows a service
    // tag as a route's prefix; we take it that such a route brings the tag's prefixes.
    const set = catalog?.get(prefix);
    if (set) {
      tag.parts.push({
        kind: "udr-service-tag",
        description: `${what}: service tag ${catalog!.canonicalName(prefix)} (inferred: a tag route brings the tag's prefixes)`,
        resourceId: route.id,
        src: route.src,
        set,
      });
    } else {
      tag.undecided.push({
        kind: "udr-service-tag",
        description: `${what}: ${JSON.stringify(prefix)} is ${catalog ? `not a service tag in ${catalog.meta.source}` : "a service tag and no catalog was given"}`,
        resourceId: route.id,
        src: route.src,
        effect: "may-add",
      });
    }
  }
}

/**
 * The infrastructure load balancer, i.e. the host's virtual IP where health probes come from (reference
 * §1.4, §1.5). Effective rules also show an IPv6 /128 for it (reference §2.11 O9) whose address the
 * reference does not give, so IPv6 is left undecided rather than guessed.
 */
function azureLoadBalancerTag(): VirtualTagValue {
  const tag = new TagBuilder("AzureLoadBalancer");
  const src = syntheticSource("reference §1.5");
  tag.addPrefixes(
    "host-virtual-ip",
    textList([HOST_VIRTUAL_IP], src),
    "the host's virtual IP 168.63.129.16 (health probes)",
    src,
  );
  tag.undecided.push({
    kind: "host-virtual-ip",
    description: "the IPv6 address of the health probes is not modelled",
    src,
    set: AddressSet.parse("::/0"),
    effect: "may-add",
  });
  return tag.build();
}

/**
 * Our stated approximation of Internet: every address outside the non-public ranges (non-public-ranges.ts)
 * and outside the subnet's VNet. Azure's own list is curated and differs in detail (reference §1.4,
 * UNCERTAIN); it also "only applies where the traffic does not hit any other Service Tag", which we do not
 * model. Peered and on-premises ranges that are public stay in Internet here.
 */
function internetTag(subnet: Subnet, vnet: VirtualNetwork | undefined): VirtualTagValue {
  const tag = new TagBuilder("Internet");
  const src = syntheticSource("reference §1.4");
  tag.parts.push({
    kind: "public-address-space",
    description:
      "the public address space (all addresses outside the non-public ranges; an approximation of Azure's curated list)",
    src,
    set: AddressSet.ALL,
  });
  for (const range of NON_PUBLIC_RANGES) {
    tag.excluded.push({
      kind: "non-public-range",
      description: `${range.prefix}, ${range.purpose} (${range.rfc})`,
      src: syntheticSource(range.rfc),
      set: AddressSet.parse(range.prefix),
    });
  }
  const publicSpace = AddressSet.ALL.subtract(nonPublicSet());
  if (!vnet) {
    tag.undecided.push({
      kind: "virtual-network",
      description: `the virtual network of subnet ${subnet.name} is not in the inputs, and its address space is not Internet`,
      resourceId: subnet.virtualNetworkId,
      src: subnet.src,
      set: publicSpace,
      effect: "may-remove",
    });
    return tag.build();
  }
  const own = new TagBuilder("Internet");
  own.addPrefixes("vnet-address-space", vnetAddressSpace(vnet), `address space of ${vnet.name}`, vnet.src, vnet.id);
  appendAll(tag.excluded, own.parts);
  for (const u of own.undecided) tag.undecided.push({ ...u, set: publicSpace, effect: "may-remove" });
  return tag.build();
}
