/**
 * @module engine/reach/context
 * Engine layer: one analysis session over a topology: the service-tag catalog, and caches of what is costly to
 * build (virtual tags per subnet, NSGs compiled per place, effective route tables). Every question the CLI and
 * the checks ask (flow verdicts, routes, next hops, reachability) goes through one EngineContext, so each NSG is
 * compiled once per subnet however many questions are asked.
 */
import type { NetworkInterface, NetworkSecurityGroup, SecurityRule, Subnet } from "../../model/resources.js";
import type { Topology } from "../../model/topology.js";
import { type AdminLayer, compileAdminLayer } from "../nsg/admin.js";
import { adminRulesAt, groupAddresses } from "../nsg/admin-scope.js";
import {
  type AsgLookup,
  asgMembership,
  CompiledNsg,
  compileSecurityRule,
  type NsgLayers,
  nsgLayersFor,
  prepareNsg,
} from "../nsg/index.js";
import { type EffectiveRouteTable, effectiveRoutes } from "../routes/index.js";
import type { ServiceTagCatalog } from "../servicetags/catalog.js";
import { resolverFor, type TagResolver } from "../servicetags/resolver.js";
import { type VirtualTags, virtualTagsForSubnet } from "../servicetags/virtual.js";

export interface EngineOptions {
  /** Reserved None route profile for effective routes (engine/routes data); default the newest. */
  reservedRoutes?: string;
}

export class EngineContext {
  private readonly compiled = new Map<string, CompiledNsg>();
  private readonly resolvers = new Map<string, TagResolver>();
  private readonly routeTables = new Map<string, EffectiveRouteTable>();
  private readonly placeKeys = new Map<string, string>();
  private readonly tags = new Map<string, VirtualTags>();
  private readonly asg: (asgId: string) => AsgLookup;

  constructor(
    readonly topology: Topology,
    readonly catalog: ServiceTagCatalog,
    readonly options: EngineOptions = {},
  ) {
    this.asg = asgMembership(topology.model);
  }

  /** The virtual tags (VirtualNetwork, AzureLoadBalancer, Internet) as seen from `subnet`, computed once. */
  virtualTags(subnet: Subnet): VirtualTags {
    let tags = this.tags.get(subnet.id);
    if (!tags) {
      tags = virtualTagsForSubnet(this.topology, subnet, this.catalog);
      this.tags.set(subnet.id, tags);
    }
    return tags;
  }

  /** A resolver for address texts used at `subnet` (or with no place: virtual tags then resolve to Unknown). */
  resolver(subnet?: Subnet): TagResolver {
    const key = subnet?.id ?? "";
    let resolver = this.resolvers.get(key);
    if (!resolver) {
      resolver = resolverFor(this.catalog, subnet ? this.virtualTags(subnet) : undefined);
      this.resolvers.set(key, resolver);
    }
    return resolver;
  }

  /**
   * What an NSG's meaning depends on at `subnet`: the addresses of its virtual tags. Subnets with the same key
   * (most subnets of one VNet) read every rule the same way, so an NSG is compiled once per key.
   */
  placeKey(subnet: Subnet | undefined): string {
    if (!subnet) return "";
    let key = this.placeKeys.get(subnet.id);
    if (key === undefined) {
      const t = this.virtualTags(subnet);
      const sets = [
        t.virtualNetwork.set,
        t.virtualNetwork.maybe,
        t.internet.set,
        t.internet.maybe,
        t.azureLoadBalancer.set,
        t.azureLoadBalancer.maybe,
      ];
      key = sets.map((set) => `${set.v4.join(",")};${set.v6.join(",")}`).join("|");
      this.placeKeys.set(subnet.id, key);
    }
    return key;
  }

  /** `nsg` compiled for the place `subnet` (its tags differ from subnet to subnet; see placeKey). */
  compileNsg(nsg: NetworkSecurityGroup, subnet: Subnet | undefined): CompiledNsg {
    const key = `${nsg.id}\u0000${this.placeKey(subnet)}`;
    let compiled = this.compiled.get(key);
    if (!compiled) {
      compiled = prepareNsg(nsg, { resolver: this.resolver(subnet), asgAddresses: this.asg });
      this.compiled.set(key, compiled);
    }
    return compiled;
  }

  /**
   * `nsg` with `securityRules` as its user rules, compiled for the place `subnet` and not cached: what a fix
   * would make of it. Rules it shares with the NSG as written keep their normalized form from compileNsg; only
   * the others are normalized (a fix's check compiled every rule of the NSG again: issue 17).
   */
  compileNsgWith(nsg: NetworkSecurityGroup, subnet: Subnet | undefined, securityRules: SecurityRule[]): CompiledNsg {
    const written = this.compileNsg(nsg, subnet).normalized;
    const known = new Map(written.rules.map((r) => [r.rule, r]));
    const ctx = { resolver: this.resolver(subnet), asgAddresses: this.asg };
    const rules = [...securityRules, ...nsg.defaultSecurityRules].map(
      (r) => known.get(r) ?? compileSecurityRule(r, ctx),
    );
    return new CompiledNsg({ ...written, rules });
  }

  /** The NSG layers a flow crosses at a place (subnet, and NIC when there is one), after its admin rules. */
  layersAt(place: { subnet?: Subnet; nic?: NetworkInterface }): NsgLayers {
    const layers = nsgLayersFor(this.topology, place, (nsg) => this.compileNsg(nsg, place.subnet));
    const admin = place.subnet ? this.adminAt(place.subnet) : undefined;
    if (admin) layers.admin = admin;
    return layers;
  }

  private readonly admins = new Map<string, AdminLayer | null>();

  /** The security admin rules at `subnet` (engine/nsg/admin), compiled once; undefined when none apply. */
  adminAt(subnet: Subnet): AdminLayer | undefined {
    let layer = this.admins.get(subnet.id);
    if (layer === undefined) {
      const place = adminRulesAt(this.topology.model, subnet, this.topology.vnetOf(subnet));
      layer =
        place.entries.length > 0 || place.notApplied
          ? compileAdminLayer(place, {
              resolver: this.resolver(subnet),
              groupAddresses: (id) => groupAddresses(this.topology, id),
            })
          : null;
      this.admins.set(subnet.id, layer);
    }
    return layer ?? undefined;
  }

  /** The effective route table of `subnet`, computed once. */
  routes(subnet: Subnet): EffectiveRouteTable {
    let table = this.routeTables.get(subnet.id);
    if (!table) {
      table = effectiveRoutes(this.topology, subnet, this.catalog, { reservedRoutes: this.options.reservedRoutes });
      this.routeTables.set(subnet.id, table);
    }
    return table;
  }
}
