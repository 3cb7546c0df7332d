/**
 * @module checks/util/egress
 * Checks layer: how Internet-bound traffic leaves a subnet once its route is `Internet` (reference part 2 §11.2,
 * the simulator rule): through the subnet's NAT gateway, else an instance-level public IP, else default outbound
 * access unless the subnet is private (§11.3), else not at all. A route to an appliance or a gateway wins over all
 * of these and is decided before this is asked. Shared by APIM-OUTBOUND-EGRESS and by the answers that print an
 * Internet next hop's egress. Pure: reads the model through the topology.
 */
import type { NatGateway, PublicIPAddress, Subnet } from "../../model/resources.js";
import type { Topology } from "../../model/topology.js";
import { isUnknown, unknownReason } from "../../model/unknown.js";

/** The first api-version that makes the subnets of a newly created VNet private ([DOA-BLOG], §11.3). */
export const PRIVATE_BY_DEFAULT_API = "2025-07-01";

/** Whether the subnet has default outbound access (step 4 of §11.2), and why we say so. */
export interface DefaultOutbound {
  state: "available" | "unavailable" | "unknown";
  /** A clause naming the fact or the assumption. */
  why: string;
  /** True when the state is assumed (from the api-version), not written. */
  assumed: boolean;
}

/** Reads `defaultOutboundAccess` as §11.3's simulator rule says: absent is Unknown unless the api-version decides. */
export function defaultOutboundOf(subnet: Subnet): DefaultOutbound {
  if (subnet.defaultOutboundAccess === false)
    return {
      state: "unavailable",
      why: `subnet ${subnet.name} is private (defaultOutboundAccess false)`,
      assumed: false,
    };
  if (subnet.defaultOutboundAccess === true)
    return { state: "available", why: `subnet ${subnet.name} has defaultOutboundAccess true`, assumed: false };
  const api = subnet.declaredApiVersion;
  // Dates compare as text (`2023-05-01-preview` < `2025-07-01`).
  if (api !== undefined && api < PRIVATE_BY_DEFAULT_API)
    return {
      state: "available",
      why: `subnet ${subnet.name} does not set defaultOutboundAccess and is declared with api-version ${api}, older than ${PRIVATE_BY_DEFAULT_API}, the first that makes a new VNet's subnets private (reference part 2 §11.3)`,
      assumed: true,
    };
  return {
    state: "unknown",
    why:
      `subnet ${subnet.name} does not set defaultOutboundAccess, and whether Azure made it private depends on ` +
      `${api ? `when the VNet was created (api-version ${api} makes the subnets of a new VNet private, an existing VNet keeps its state)` : `the api-version it was created with and when (${PRIVATE_BY_DEFAULT_API} and later make a new VNet's subnets private), which the input does not show`} (reference part 2 §11.3)`,
    assumed: false,
  };
}

/** The NAT gateway a subnet names, as far as the inputs tell. */
export type SubnetNat =
  | { kind: "none" }
  /** Declared: its public IPs and prefixes as the inputs give them. */
  | { kind: "nat"; nat: NatGateway; publicIps: (PublicIPAddress | string)[]; prefixes: string[] }
  /** Named by id but not in the inputs: the subnet has a NAT gateway whose addresses are not known. */
  | { kind: "outside"; id: string }
  | { kind: "unknown"; why: string };

export function natOf(topology: Topology, subnet: Subnet): SubnetNat {
  const id = subnet.natGateway?.id;
  if (!id) return { kind: "none" };
  if (isUnknown(id))
    return { kind: "unknown", why: `the NAT gateway of subnet ${subnet.name} is Unknown (${unknownReason(id)})` };
  const nat = topology.natGateways.get(id);
  if (!nat) return { kind: "outside", id };
  return {
    kind: "nat",
    nat,
    publicIps: nat.publicIpAddresses.map((r) => topology.publicIps.get(r.id) ?? r.id),
    prefixes: nat.publicIpPrefixes.map((r) => r.id),
  };
}

/** `natgw-1 (public IP pip-nat 20.1.2.3, prefix pfx-nat)`: the NAT gateway and its egress addresses, for messages. */
export function natText(nat: Extract<SubnetNat, { kind: "nat" | "outside" }>): string {
  if (nat.kind === "outside") return `${lastSegment(nat.id)} (not in the inputs: its public IPs are not known)`;
  const ips = nat.publicIps.map((ip) =>
    typeof ip === "string"
      ? `public IP ${lastSegment(ip)} (not in the inputs)`
      : `public IP ${ip.name}${ip.ipAddress && !isUnknown(ip.ipAddress) ? ` ${ip.ipAddress}` : ""}`,
  );
  const prefixes = nat.prefixes.map((p) => `public IP prefix ${lastSegment(p)}`);
  const all = [...ips, ...prefixes];
  return `${nat.nat.name} (${all.length ? all.join(", ") : "no public IP or prefix in the inputs"})`;
}

function lastSegment(id: string): string {
  return id.split("/").filter(Boolean).pop() ?? id;
}

/**
 * The egress of traffic whose route is `Internet`, as one clause for the `next-hop` answer (§11.2 steps 1, 4, 5):
 * the NAT gateway with its addresses, default outbound access, or no way out. A NIC's own public IP (step 2) and
 * a load balancer's outbound rule (step 3) belong to one machine, not to the subnet: said, not decided.
 */
export function internetEgressText(topology: Topology, subnet: Subnet): string {
  const nat = natOf(topology, subnet);
  if (nat.kind === "nat" || nat.kind === "outside")
    return `egress: NAT gateway ${natText(nat)} (a NAT gateway takes over the subnet's Internet-bound traffic; reference part 2 §11.2)`;
  if (nat.kind === "unknown") return `egress: Unknown: ${nat.why}`;
  const dflt = defaultOutboundOf(subnet);
  const machine = "unless the machine has its own public IP or a load balancer outbound rule (not decided here)";
  if (dflt.state === "available")
    return `egress: default outbound access (a Microsoft-owned address that may change), ${machine}${dflt.assumed ? `; assumed: ${dflt.why}` : ""}`;
  if (dflt.state === "unavailable") return `egress: none: ${dflt.why} and has no NAT gateway, ${machine}`;
  return `egress: Unknown: ${dflt.why}; no NAT gateway, ${machine}`;
}

/**
 * The line `routes` adds under a table whose active rows send something to `Internet`, when the subnet's egress
 * is not the plain default: it names its NAT gateway, or says a private subnet has none (§11.2). Empty otherwise,
 * so that an ordinary subnet's table reads as Azure prints it.
 */
export function routesEgressLines(
  topology: Topology,
  subnet: Subnet,
  rows: readonly { route: { state: string; nextHopType: string } }[],
): string[] {
  if (!rows.some((r) => r.route.state === "Active" && r.route.nextHopType === "Internet")) return [];
  if (!subnet.natGateway && subnet.defaultOutboundAccess !== false) return [];
  return [`Internet ${internetEgressText(topology, subnet)}`];
}
