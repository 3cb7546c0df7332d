/**
 * @module engine/network/validate
 * Engine layer: virtual networks, their subnets, peerings and DNS servers, and NIC references, checked as Azure
 * checks them on deployment (reference part 2 §12, part 1 §1.8). `error` where Azure refuses the deployment;
 * `warning` where the inputs leave something undecidable. Codes carry Azure's wire code where the reference
 * records one (`subnet/NetcfgSubnetRangesOverlap`) and a kebab-case name of ours where it does not; the message
 * follows Azure's wording where it is known.
 *
 * Order and completeness follow the reference's guidance: canonical CIDR first, then inside the VNet, then
 * overlaps, then duplicates, and every violation is reported, not only the first. What is Unknown (a parameter
 * with no value) is not a refusal: the verdicts that depend on it say Unknown.
 */
import {
  type AddressList,
  type AddressValue,
  subnetPrefixes,
  vnetAddressSpace,
  vnetDnsServers,
} from "../../model/addresses.js";
import type { Diagnostic } from "../../model/diagnostics.js";
import type { ParsedPrefix } from "../../model/ip.js";
import type { NetworkModel } from "../../model/network.js";
import type { Subnet, VirtualNetwork } from "../../model/resources.js";
import type { SourceRef } from "../../model/source.js";
import type { Topology } from "../../model/topology.js";
import { AddressSet } from "../ip/address-set.js";

/** Limits of reference §1.8 for one VNet. */
export const VNET_LIMITS = { subnetsPerVnet: 3000, peeringsPerVnet: 500, dnsServersPerVnet: 20 } as const;

class Collector {
  readonly items: Diagnostic[] = [];

  error(code: string, message: string, src: SourceRef | undefined, resourceId: string): void {
    this.items.push({ severity: "error", code, message, ...(src ? { src } : {}), resourceId });
  }

  warning(code: string, message: string, src: SourceRef | undefined, resourceId: string): void {
    this.items.push({ severity: "warning", code, message, ...(src ? { src } : {}), resourceId });
  }
}

/** InvalidCIDRNotation and not-a-prefix refusals of one list (a VNet's space, a subnet's prefixes). */
function checkPrefixes(c: Collector, area: "vnet" | "subnet", list: AddressList, resourceId: string): void {
  for (const value of list.values) {
    if (value.kind !== "invalid") continue;
    const prefix = hostBitsCanonical(value);
    if (prefix) {
      c.error(
        `${area}/InvalidCIDRNotation`,
        `The address prefix ${value.text} in resource ${resourceId} has an invalid CIDR notation. For the given prefix length, the address prefix should be ${prefix}.`,
        value.src,
        resourceId,
      );
    } else {
      // NRP's code for a malformed prefix is not recorded (reference part 2 §12); the code is ours.
      c.error(
        `${area}/invalid-address-prefix`,
        `The address prefix '${value.text}' in resource ${resourceId} is invalid: ${value.problem}.`,
        value.src,
        resourceId,
      );
    }
  }
}

/** The canonical form named in a host-bits problem (`... it should be 10.1.0.0/16)`), when that is the problem. */
function hostBitsCanonical(value: Extract<AddressValue, { kind: "invalid" }>): string | undefined {
  return /^host bits are set \(for \/\d+ it should be (.+)\)$/.exec(value.problem)?.[1];
}

function vnetChecks(c: Collector, vnet: VirtualNetwork): void {
  if (vnet.madeUp) return;
  const space = vnetAddressSpace(vnet);
  checkPrefixes(c, "vnet", space, vnet.id);
  if (space.values.length === 0)
    c.error(
      "vnet/missing-address-space",
      `Virtual network ${vnet.name} has no address space; Azure requires at least one address prefix.`,
      vnet.src,
      vnet.id,
    );
  const dns = vnetDnsServers(vnet);
  for (const value of dns.values) {
    if (value.kind !== "invalid") continue;
    // HTTP 400 with an unrecorded code (reference part 2 §12): one IPv4 address per array element.
    c.error(
      "vnet/invalid-dns-server",
      `DNS server '${value.text}' of virtual network ${vnet.name} is invalid: ${value.problem}; dhcpOptions.dnsServers takes one IP address per entry.`,
      value.src,
      vnet.id,
    );
  }
  const counted: [number, number, string][] = [
    [dns.values.length, VNET_LIMITS.dnsServersPerVnet, "dns-servers"],
    [vnet.subnets.length, VNET_LIMITS.subnetsPerVnet, "subnets"],
    [vnet.virtualNetworkPeerings.length, VNET_LIMITS.peeringsPerVnet, "peerings"],
  ];
  for (const [count, limit, what] of counted) {
    if (count <= limit) continue;
    const noun = what.replace("-", " ").replace("dns", "DNS");
    const message = `Virtual network ${vnet.name} has ${count} ${noun}; the limit is ${limit}.`;
    c.error(`vnet/too-many-${what}`, message, vnet.src, vnet.id);
  }
  subnetChecks(c, vnet, space);
}

function subnetChecks(c: Collector, vnet: VirtualNetwork, space: AddressList): void {
  const spaceSet = space.complete ? AddressSet.fromPrefixes(space.prefixes) : undefined;
  const byName = new Map<string, Subnet>();
  const placed: { prefix: ParsedPrefix; subnet: Subnet; src: SourceRef }[] = [];
  for (const subnet of vnet.subnets) {
    const list = subnetPrefixes(subnet);
    checkPrefixes(c, "subnet", list, subnet.id);
    if (list.values.length === 0)
      c.error(
        "subnet/missing-address-prefix",
        `Subnet ${subnet.name} of virtual network ${vnet.name} has no address prefix; Azure requires addressPrefix or addressPrefixes.`,
        subnet.src,
        subnet.id,
      );
    for (const value of list.values) {
      if (value.kind !== "prefix") continue;
      placed.push({ prefix: value.prefix, subnet, src: value.src });
      if (spaceSet && !spaceSet.covers(AddressSet.fromPrefixes([value.prefix])))
        c.error(
          "subnet/NetcfgSubnetRangeOutsideVnet",
          `Subnet '${subnet.name}' is not valid because its IP address range is outside the IP address range of virtual network '${vnet.name}'.`,
          value.src,
          subnet.id,
        );
    }
    const key = subnet.name.toLowerCase();
    const first = byName.get(key);
    if (first)
      c.error(
        "subnet/DuplicateResourceName",
        `Resource ${vnet.id} has two child resources with the same name (${subnet.name}).`,
        subnet.src,
        subnet.id,
      );
    else byName.set(key, subnet);
  }
  overlaps(c, vnet, placed);
}

/** Subnets whose ranges overlap, found with one sweep over the prefixes sorted by first address. */
function overlaps(
  c: Collector,
  vnet: VirtualNetwork,
  placed: { prefix: ParsedPrefix; subnet: Subnet; src: SourceRef }[],
): void {
  for (const version of [4, 6] as const) {
    const list = placed
      .map((p, order) => ({ ...p, order }))
      .filter((p) => p.prefix.version === version)
      .sort((a, b) => (a.prefix.first < b.prefix.first ? -1 : a.prefix.first > b.prefix.first ? 1 : a.order - b.order));
    let reach: (typeof list)[number] | undefined;
    const reported = new Set<Subnet>();
    for (const item of list) {
      if (reach && item.prefix.first <= reach.prefix.last && item.subnet !== reach.subnet) {
        // Azure names the subnet being added; of two, the one written later is the one that does not fit.
        const later = item.order > reach.order ? item : reach;
        if (!reported.has(later.subnet)) {
          reported.add(later.subnet);
          const other = later === item ? reach.subnet : item.subnet;
          c.error(
            "subnet/NetcfgSubnetRangesOverlap",
            `Subnet '${later.subnet.name}' is not valid because its IP address range overlaps with that of an existing subnet in virtual network '${vnet.name}' (${other.name}).`,
            later.src,
            later.subnet.id,
          );
        }
      }
      if (!reach || item.prefix.last > reach.prefix.last) reach = item;
    }
  }
}

/** Peerings between VNets of the inputs whose spaces overlap (Azure refuses them: VnetAddressSpacesOverlap). */
function peeringChecks(c: Collector, topology: Topology, vnet: VirtualNetwork): void {
  for (const peering of vnet.virtualNetworkPeerings) {
    const remote = peering.remoteVirtualNetwork ? topology.vnets.get(peering.remoteVirtualNetwork.id) : undefined;
    if (!remote || remote.madeUp) continue;
    const overlap = AddressSet.fromPrefixes(vnetAddressSpace(vnet).prefixes).intersect(
      AddressSet.fromPrefixes(vnetAddressSpace(remote).prefixes),
    );
    if (overlap.isEmpty()) continue;
    c.error(
      "peering/VnetAddressSpacesOverlap",
      `Cannot create or update peering ${peering.id}. Virtual networks ${vnet.name} and ${remote.name} cannot be peered because their address spaces overlap. Overlapping address prefixes: ${overlap.toCidrs().join(", ")}`,
      peering.src,
      peering.id,
    );
  }
}

/**
 * References that name nothing: a NIC IP configuration whose subnet is missing from a VNet the inputs declare
 * (Azure refuses it), or whose subnet or application security group is not in the inputs at all (it may exist
 * in Azure, so what depends on it is Unknown: a warning).
 */
function referenceChecks(c: Collector, topology: Topology, model: NetworkModel): void {
  for (const nic of model.networkInterfaces) {
    for (const config of nic.ipConfigurations) {
      const subnetId = config.subnet?.id;
      if (subnetId && !topology.subnets.get(subnetId)) {
        const vnetId = subnetId.slice(0, subnetId.toLowerCase().lastIndexOf("/subnets/"));
        const vnet = topology.vnets.get(vnetId);
        if (vnet && !vnet.madeUp)
          c.error(
            "nic/subnet-not-found",
            `NIC ${nic.name} (${config.name}) names subnet ${subnetId}, which virtual network ${vnet.name} does not have.`,
            config.src,
            nic.id,
          );
        else
          c.warning(
            "nic/subnet-not-in-inputs",
            `NIC ${nic.name} (${config.name}) names subnet ${subnetId}, which is not in the inputs; flows through it are Unknown.`,
            config.src,
            nic.id,
          );
      }
      for (const asg of config.applicationSecurityGroups) {
        if (!topology.asgs.get(asg.id))
          c.warning(
            "nic/asg-not-in-inputs",
            `NIC ${nic.name} (${config.name}) is in application security group ${asg.id}, which is not in the inputs; rules that name it are Unknown.`,
            config.src,
            nic.id,
          );
      }
    }
  }
}

/** Diagnostics for the VNets (spaces, subnets, DNS servers, peerings) and NIC references of a model. */
export function validateNetwork(topology: Topology): Diagnostic[] {
  const c = new Collector();
  for (const vnet of topology.model.virtualNetworks) {
    vnetChecks(c, vnet);
    peeringChecks(c, topology, vnet);
  }
  referenceChecks(c, topology, topology.model);
  return c.items;
}
