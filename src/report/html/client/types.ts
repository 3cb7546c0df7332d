/**
 * @module report/html/client/types
 * Report layer: the data the HTML report's page script reads (embedded as JSON), shared by the Node side
 * that builds it (html/flow-data.ts, html/data.ts) and the page code that reads it (client/*.ts). Address
 * sets and rules are interned in tables and referred to by index, so a rule or tag used by many subnets is
 * written once. IPv6 interval bounds are hex strings (JSON has no bigint).
 *
 * The flow data comes in two layers, so a page of a large estate does not parse it all when it opens: an
 * index (ClientFlowData: every subnet's name, prefixes and NIC addresses, the service tags) in the page's
 * data block, and one ClientVnetFlow per VNet (its subnets' NSGs compiled for their place, the rules and
 * sets they refer to) in a script element of its own, parsed the first time a flow needs that VNet.
 */

/** Flat sorted disjoint intervals `[lo, hi, lo, hi, ...]`. */
export interface ClientSet {
  v4: number[];
  /** Hex strings (`0x20010db8...`). */
  v6: string[];
}

/**
 * A VNet part's reference to a set of the index's `sets`: large sets (service tags) are written once for the
 * page, not once per part.
 */
export interface ClientSharedSet {
  shared: number;
}

/** A rule in evaluation form (engine/nsg NormalizedRule), address sets by index into `sets`. */
export interface ClientRule {
  name: string;
  /** Network Watcher form (`securityRules/<name>`). */
  ruleName: string;
  access: "Allow" | "Deny" | "Unknown";
  /** null when unresolved. */
  priority: number | null;
  /** [definite, possible] protocol bit masks over `protocols`. */
  protocols: [number, number];
  source: [number, number];
  destination: [number, number];
  sourcePorts: [number[], number[]];
  destinationPorts: [number[], number[]];
  unresolved: string[];
  /** `file:line:column` of the declaration. */
  where: string;
}

/** One direction's rules in evaluation order (engine/nsg/order.ts OrderedRules). */
export interface ClientOrdered {
  /** Indices into `rules`. */
  rules: number[];
  /** Positions (into this list) of rules that can only "maybe" match, with why. */
  maybeOnly: Record<number, string>;
}

/** An NSG compiled for one place. */
export interface ClientNsg {
  name: string;
  id: string;
  inbound: ClientOrdered;
  outbound: ClientOrdered;
  /** Platform addresses (IPv4 numbers) this NSG does not filter outbound (reference §1.5). */
  bypass: number[];
  bypassText: string;
}

/** One NSG level of a place: an NSG (index into `nsgs`), none, or an undeclared one. */
export interface ClientLayer {
  scopeId: string;
  nsg: number | null;
  unknown?: string;
}

/** A tag as seen from a place: a set (index) or why it is unknown. */
export interface ClientTag {
  name: string;
  set?: number;
  unknown?: string;
  /** Addresses the inputs leave undecided, in a sentence (virtual tags). */
  maybe?: string;
}

export interface ClientNicAddress {
  nic: string;
  nicId: string;
  address: string;
}

/** What the NSG layers of one subnet need, in its VNet's part of the data. */
export interface ClientPlace {
  layer: ClientLayer;
  /** The NIC layers, in the order of the index's `nics` for this subnet. */
  nics: ClientLayer[];
  /** VirtualNetwork, AzureLoadBalancer, Internet as seen from this subnet (lower-case keys; sets are this VNet's). */
  virtualTags: Record<string, ClientTag>;
}

/** The tables a set of NSG layers refers to by index, with sets of type `S`. */
interface ClientTablesOf<S> {
  sets: S[];
  rules: ClientRule[];
  nsgs: ClientNsg[];
}

/** The tables as embedded: a VNet part's large sets are references into the index's `sets`. */
export type ClientTables = ClientTablesOf<ClientSet | ClientSharedSet>;

/** One VNet's part of the flow data (a script element of its own in the page). */
export interface ClientVnetFlow extends ClientTables {
  /** By the index's `place` of each subnet of the VNet. */
  places: ClientPlace[];
}

/** What the NSG evaluator reads: the protocol bits and one VNet's tables, shared sets resolved. */
export interface ClientEvalData extends ClientTablesOf<ClientSet> {
  protocols: string[];
  portlessMask: number;
}

export interface ClientSubnet {
  /** The diagram node id of the subnet. */
  key: string;
  /** `vnet/subnet`. */
  label: string;
  id: string;
  /** Address prefixes as intervals (for "which subnet holds this address"). */
  prefixes: { version: 4 | 6; first: string; last: string; length: number }[];
  /** First usable address (network + 4), what `vnet/subnet` stands for in a flow. */
  first?: string;
  nics: ClientNicAddress[];
  /** The subnet's VNet part (index into the VNet parts) and its place in that part's `places`; -1 when omitted. */
  part: number;
  place: number;
  /** Set when the page does not hold the VNet's NSG rules (report/html/budget.ts); why: `omittedReason`. */
  omitted?: true;
  /**
   * Set when Virtual Network Manager security admin rules apply (or may apply) at the subnet: the page's tester
   * evaluates NSGs only, so its answer there would not be the engine's; it says Unknown and names `flow` instead.
   */
  adminRules?: true;
}

export interface ClientFlowData {
  /** engine/nsg FLOW_PROTOCOLS, in bit order. */
  protocols: string[];
  portlessMask: number;
  /** The sets of the service tags (`tags`) and the large sets the VNet parts refer to (ClientSharedSet). */
  sets: ClientSet[];
  subnets: ClientSubnet[];
  /** How many VNet parts there are. */
  parts: number;
  /** Service tags the report can resolve (lower-case keys; sets into `sets`); the others need the CLI. */
  tags: Record<string, ClientTag>;
  /** What the tags were resolved from (source and change number). */
  tagSource: string;
  /** Why an `omitted` subnet has no NSG side here, and what answers (written once, not per subnet). */
  omittedReason?: string;
}

/** An address value: a number for IPv4, a bigint for IPv6 (as engine/nsg takes them). */
export type Ip = number | bigint;
export type Addr = { version: 4 | 6; value: Ip };

export type PageVerdict = "Allow" | "Deny" | "Unknown";

export interface PageLayer {
  scope: "subnet" | "nic";
  nsg?: string;
  direction: "Inbound" | "Outbound";
  evaluated: boolean;
  access?: PageVerdict;
  ruleName?: string;
  priority?: number | null;
  where?: string;
  candidates?: string[];
  note?: string;
  detail?: string;
}
