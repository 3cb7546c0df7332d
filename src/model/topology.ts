/**
 * @module model/topology
 * Look-ups over a NetworkModel: resources by id (exact, then by provider path when it is unambiguous),
 * a subnet's virtual network, the subnets an NSG or route table is attached to, and subnets by the
 * `vnet/subnet` names users type. Built once per model; pure.
 */
import { idKey, providerKey } from "./ids.js";
import type { NetworkModel } from "./network.js";
import type {
  ApiManagementService,
  ApplicationSecurityGroup,
  LocalNetworkGateway,
  NatGateway,
  NetworkInterface,
  NetworkInterfaceIPConfiguration,
  NetworkSecurityGroup,
  PublicIPAddress,
  ResourceBase,
  RouteTable,
  Subnet,
  VirtualNetwork,
  VirtualNetworkGateway,
} from "./resources.js";

/** Resources keyed by exact id and by provider path; a provider-path hit counts only when it is unique. */
class IdMap<T extends { id: string }> {
  private exact = new Map<string, T>();
  private loose = new Map<string, T | null>();
  /**
   * Answers by the id text as written: estates ask for the same few thousand ids hundreds of thousands of times,
   * and each answer costs a lower-casing and a parse of the id (issue 17). Emptied by `add`.
   */
  private answers = new Map<string, T | undefined>();

  add(item: T): void {
    this.exact.set(idKey(item.id), item);
    const key = providerKey(item.id);
    this.loose.set(key, this.loose.has(key) ? null : item);
    this.answers.clear();
  }

  get(id: string | undefined): T | undefined {
    if (!id) return undefined;
    if (this.answers.has(id)) return this.answers.get(id);
    const found = this.exact.get(idKey(id)) ?? this.loose.get(providerKey(id)) ?? undefined;
    this.answers.set(id, found);
    return found;
  }

  values(): IterableIterator<T> {
    return this.exact.values();
  }
}

export class Topology {
  readonly vnets = new IdMap<VirtualNetwork>();
  readonly subnets = new IdMap<Subnet>();
  readonly nsgs = new IdMap<NetworkSecurityGroup>();
  readonly routeTables = new IdMap<RouteTable>();
  readonly asgs = new IdMap<ApplicationSecurityGroup>();
  readonly nics = new IdMap<NetworkInterface>();
  readonly gateways = new IdMap<VirtualNetworkGateway>();
  readonly localGateways = new IdMap<LocalNetworkGateway>();
  readonly publicIps = new IdMap<PublicIPAddress>();
  readonly apims = new IdMap<ApiManagementService>();
  readonly natGateways = new IdMap<NatGateway>();

  constructor(readonly model: NetworkModel) {
    for (const vnet of model.virtualNetworks) {
      this.vnets.add(vnet);
      for (const subnet of vnet.subnets) this.subnets.add(subnet);
    }
    for (const x of model.networkSecurityGroups) this.nsgs.add(x);
    for (const x of model.routeTables) this.routeTables.add(x);
    for (const x of model.applicationSecurityGroups) this.asgs.add(x);
    for (const x of model.networkInterfaces) this.nics.add(x);
    for (const x of model.virtualNetworkGateways) this.gateways.add(x);
    for (const x of model.localNetworkGateways) this.localGateways.add(x);
    for (const x of model.publicIPAddresses) this.publicIps.add(x);
    for (const x of model.apiManagementServices) this.apims.add(x);
    for (const x of model.natGateways) this.natGateways.add(x);
  }

  vnetOf(subnet: Subnet): VirtualNetwork | undefined {
    return this.vnets.get(subnet.virtualNetworkId);
  }

  /**
   * Reverse look-ups (subnets by NSG, by route table; NIC configurations by subnet), built on first use in one
   * pass each: a scan of every subnet per question made the checks quadratic in the estate (issue 17). The
   * associations are read when first asked, as the scans did; a model changed after that needs a new Topology.
   */
  private bySubnetNsg?: Map<ResourceBase, Subnet[]>;
  private bySubnetRouteTable?: Map<ResourceBase, Subnet[]>;
  private nicConfigsBySubnet?: Map<
    Subnet,
    { nic: NetworkInterface; ipConfiguration: NetworkInterfaceIPConfiguration }[]
  >;

  private static group<K, V>(items: Iterable<V>, keyOf: (item: V) => K | undefined): Map<K, V[]> {
    const out = new Map<K, V[]>();
    for (const item of items) {
      const key = keyOf(item);
      if (key === undefined) continue;
      const list = out.get(key);
      if (list) list.push(item);
      else out.set(key, [item]);
    }
    return out;
  }

  /** The subnets (in model order) whose NSG is `nsg`. */
  subnetsWithNsg(nsg: ResourceBase): Subnet[] {
    this.bySubnetNsg ??= Topology.group<ResourceBase, Subnet>(this.subnets.values(), (s) =>
      this.nsgs.get(s.networkSecurityGroup?.id),
    );
    return [...(this.bySubnetNsg.get(nsg) ?? [])];
  }

  /** The subnets whose route table is `table`. */
  subnetsWithRouteTable(table: ResourceBase): Subnet[] {
    this.bySubnetRouteTable ??= Topology.group<ResourceBase, Subnet>(this.subnets.values(), (s) =>
      this.routeTables.get(s.routeTable?.id),
    );
    return [...(this.bySubnetRouteTable.get(table) ?? [])];
  }

  /** NIC IP configurations placed in `subnet`. */
  nicConfigsIn(subnet: Subnet): { nic: NetworkInterface; ipConfiguration: NetworkInterfaceIPConfiguration }[] {
    if (!this.nicConfigsBySubnet) {
      const configs = [...this.nics.values()].flatMap((nic) =>
        nic.ipConfigurations.map((ipConfiguration) => ({ nic, ipConfiguration })),
      );
      this.nicConfigsBySubnet = Topology.group(configs, (c) => this.subnets.get(c.ipConfiguration.subnet?.id));
    }
    return [...(this.nicConfigsBySubnet.get(subnet) ?? [])];
  }

  /**
   * Finds a subnet by `vnet/subnet` (names, case-insensitive), by id, or by its name alone when only one
   * subnet has it. Returns undefined when nothing or more than one subnet matches.
   */
  findSubnet(text: string): Subnet | undefined {
    const byId = this.subnets.get(text);
    if (byId && text.includes("/providers/")) return byId;
    const wanted = text.toLowerCase();
    const matches = [...this.subnets.values()].filter((s) => {
      const vnet = this.vnetOf(s);
      const full = `${vnet?.name ?? ""}/${s.name}`.toLowerCase();
      return full === wanted || (!wanted.includes("/") && s.name.toLowerCase() === wanted);
    });
    return matches.length === 1 ? matches[0] : undefined;
  }

  /** Finds a VNet by name or id. */
  findVnet(text: string): VirtualNetwork | undefined {
    const byId = this.vnets.get(text);
    if (byId && text.includes("/providers/")) return byId;
    const matches = [...this.vnets.values()].filter((v) => v.name.toLowerCase() === text.toLowerCase());
    return matches.length === 1 ? matches[0] : undefined;
  }
}
