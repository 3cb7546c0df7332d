/**
 * @module ingest/terraform/azurerm/network
 * Ingest layer, Terraform: the azurerm networking resources mapped to the REST shapes of Microsoft.Network,
 * the same shapes an evaluated ARM template gives (so resources/to-model reads both alike). Argument names
 * follow the provider's documentation (registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/…),
 * with the 3.x names where 4.0 renamed them (`disable_bgp_route_propagation` / `bgp_route_propagation_enabled`,
 * `enable_ip_forwarding` / `ip_forwarding_enabled`, `enable_bgp` / `bgp_enabled`, `address_prefix` of an inline
 * subnet). Associations (NSG, route table, NAT gateway of a subnet; NSG and ASGs of a NIC) are applied by
 * associations.ts.
 */
import { unknownValue } from "../../../model/unknown.js";
import { type Args, enabled, type Json, obj, put, ref, region } from "./emit.js";

export interface MapContext {
  report(severity: "error" | "warning" | "info", code: string, message: string, place?: Args["place"]): void;
  /** The azurerm provider's major version the configuration requires, when it says. */
  azurermMajor?: number;
}

/** A REST node of `type`, named by its id's names (`vnet/subnet` for a child), with `id` and `location`. */
export function node(a: Args, type: string, names: string[], id: string | undefined): Json {
  const n = obj(a.place);
  n.type = type;
  n.name = names.join("/");
  if (id !== undefined) n.id = id;
  const location = region(a.str("location"));
  if (location !== undefined) put(n, "location", location, a.at("location"));
  n.properties = obj(a.place);
  return n;
}

export function propsOf(n: Json): Json {
  return n.properties as Json;
}

/** Names for a node: from the id when it parses, else the arguments. */
export function namesOf(id: string | undefined, fallback: (string | undefined)[]): string[] {
  const parsed = id ? /\/providers\/[^/]+\/(.+)$/.exec(id) : null;
  if (parsed) return parsed[1]!.split("/").filter((_, i) => i % 2 === 1);
  return fallback.map((f) => f ?? unknownValue("a name"));
}

/** `addressPrefix` for one prefix, `addressPrefixes` for several (as templates write them). */
function prefixes(p: Json, list: string[] | string | undefined, place: Args["place"]): void {
  if (list === undefined) return;
  if (typeof list === "string") put(p, "addressPrefix", list, place);
  else if (list.length === 1) put(p, "addressPrefix", list[0], place);
  else put(p, "addressPrefixes", list, place);
}

function delegations(a: Args): Json[] | undefined {
  const list = a.blocks("delegation").map((d) => {
    const o = obj(d.place);
    put(o, "name", d.str("name"), d.at("name"));
    const service = d.block("service_delegation");
    const props = obj(d.place);
    put(props, "serviceName", service?.str("name"), service?.at("name") ?? d.place);
    o.properties = props;
    return o;
  });
  return list.length > 0 ? list : undefined;
}

function serviceEndpoints(a: Args): Json[] | undefined {
  const list = a.strings("service_endpoints");
  if (list === undefined) return undefined;
  const items = typeof list === "string" ? [list] : list;
  return items.map((service) => {
    const o = obj(a.at("service_endpoints"));
    put(o, "service", service, a.at("service_endpoints"));
    return o;
  });
}

/**
 * The properties of a subnet, from `azurerm_subnet` or an inline `subnet` block of a VNet. The provider's
 * defaults are written out as a plan shows them: outbound access on, and private endpoint network policies
 * Disabled in 4.x (`private_endpoint_network_policies`) but Enabled in 3.x
 * (`private_endpoint_network_policies_enabled` defaults to true).
 */
function subnetProperties(a: Args, p: Json, ctx: MapContext): void {
  prefixes(
    p,
    a.strings("address_prefixes") ?? a.strings("address_prefix"),
    a.has("address_prefixes") ? a.at("address_prefixes") : a.at("address_prefix"),
  );
  put(p, "networkSecurityGroup", ref(a.str("security_group"), a.at("security_group")), a.at("security_group"));
  put(p, "routeTable", ref(a.str("route_table_id"), a.at("route_table_id")), a.at("route_table_id"));
  put(p, "serviceEndpoints", serviceEndpoints(a), a.at("service_endpoints"));
  put(p, "delegations", delegations(a), a.at("delegation"));
  const policyDefault = ctx.azurermMajor === undefined ? undefined : ctx.azurermMajor >= 4 ? "Disabled" : "Enabled";
  const policies =
    a.str("private_endpoint_network_policies") ??
    enabled(a.bool("private_endpoint_network_policies_enabled")) ??
    policyDefault;
  put(p, "privateEndpointNetworkPolicies", policies, a.at("private_endpoint_network_policies"));
  put(
    p,
    "defaultOutboundAccess",
    a.bool("default_outbound_access_enabled") ?? true,
    a.at("default_outbound_access_enabled"),
  );
}

export function virtualNetwork(a: Args, ctx: MapContext): Json[] {
  const id = a.str("id");
  const n = node(a, "Microsoft.Network/virtualNetworks", namesOf(id, [a.str("name")]), id);
  const p = propsOf(n);
  const space = obj(a.at("address_space"));
  put(space, "addressPrefixes", a.strings("address_space") ?? [], a.at("address_space"));
  put(p, "addressSpace", space, a.at("address_space"));
  if (a.has("dns_servers")) {
    const dhcp = obj(a.at("dns_servers"));
    put(dhcp, "dnsServers", a.strings("dns_servers"), a.at("dns_servers"));
    put(p, "dhcpOptions", dhcp, a.at("dns_servers"));
  }
  const unknownSubnets = a.unknownBlocks("subnet");
  if (unknownSubnets)
    ctx.report(
      "warning",
      "terraform/unknown-blocks",
      `${a.address}: its inline subnets are not known (${unknownSubnets}); they are not in the model`,
      a.at("subnet"),
    );
  const subnets = a.blocks("subnet").map((s) => {
    const o = obj(s.place);
    put(o, "name", s.str("name"), s.at("name"));
    const sp = obj(s.place);
    subnetProperties(s, sp, ctx);
    o.properties = sp;
    return o;
  });
  if (subnets.length > 0) put(p, "subnets", subnets, a.at("subnet"));
  return [n];
}

export function subnet(a: Args, ctx: MapContext): Json[] {
  const id = a.str("id");
  const n = node(
    a,
    "Microsoft.Network/virtualNetworks/subnets",
    namesOf(id, [a.str("virtual_network_name"), a.str("name")]),
    id,
  );
  subnetProperties(a, propsOf(n), ctx);
  return [n];
}

/** A security rule's properties, from an inline `security_rule` or an `azurerm_network_security_rule`. */
export function ruleProperties(a: Args, p: Json): void {
  put(p, "description", a.str("description"), a.at("description"));
  put(p, "priority", a.num("priority"), a.at("priority"));
  put(p, "direction", a.str("direction"), a.at("direction"));
  put(p, "access", a.str("access"), a.at("access"));
  put(p, "protocol", a.str("protocol"), a.at("protocol"));
  for (const [tf, rest] of [
    ["source_port_range", "sourcePortRange"],
    ["destination_port_range", "destinationPortRange"],
    ["source_address_prefix", "sourceAddressPrefix"],
    ["destination_address_prefix", "destinationAddressPrefix"],
  ] as const)
    put(p, rest, a.str(tf), a.at(tf));
  for (const [tf, rest] of [
    ["source_port_ranges", "sourcePortRanges"],
    ["destination_port_ranges", "destinationPortRanges"],
    ["source_address_prefixes", "sourceAddressPrefixes"],
    ["destination_address_prefixes", "destinationAddressPrefixes"],
  ] as const) {
    const list = a.strings(tf);
    put(p, rest, typeof list === "string" ? [list] : list, a.at(tf));
  }
  for (const [tf, rest] of [
    ["source_application_security_group_ids", "sourceApplicationSecurityGroups"],
    ["destination_application_security_group_ids", "destinationApplicationSecurityGroups"],
  ] as const) {
    const list = a.strings(tf);
    const items = typeof list === "string" ? [list] : list;
    put(
      p,
      rest,
      items?.map((id) => ref(id, a.at(tf))),
      a.at(tf),
    );
  }
}

export function networkSecurityGroup(a: Args, _ctx: MapContext): Json[] {
  const id = a.str("id");
  const n = node(a, "Microsoft.Network/networkSecurityGroups", namesOf(id, [a.str("name")]), id);
  // Rules no input decides (a dynamic block over an unknown map) stay Unknown: the conversion makes them one
  // Unknown rule, so no verdict through this NSG is decided by the default rules alone.
  const unknownRules = a.unknownBlocks("security_rule");
  if (unknownRules) {
    put(propsOf(n), "securityRules", unknownRules, a.at("security_rule"));
    return [n];
  }
  const rules = a.blocks("security_rule").map((r) => {
    const o = obj(r.place);
    put(o, "name", r.str("name"), r.at("name"));
    const rp = obj(r.place);
    ruleProperties(r, rp);
    o.properties = rp;
    return o;
  });
  put(propsOf(n), "securityRules", rules, a.at("security_rule"));
  return [n];
}

export function securityRule(a: Args): Json[] {
  const id = a.str("id");
  const n = node(
    a,
    "Microsoft.Network/networkSecurityGroups/securityRules",
    namesOf(id, [a.str("network_security_group_name"), a.str("name")]),
    id,
  );
  delete n.location;
  ruleProperties(a, propsOf(n));
  return [n];
}

export function applicationSecurityGroup(a: Args): Json[] {
  const id = a.str("id");
  return [node(a, "Microsoft.Network/applicationSecurityGroups", namesOf(id, [a.str("name")]), id)];
}

function routeProperties(a: Args, p: Json): void {
  put(p, "addressPrefix", a.str("address_prefix"), a.at("address_prefix"));
  put(p, "nextHopType", a.str("next_hop_type"), a.at("next_hop_type"));
  put(p, "nextHopIpAddress", a.str("next_hop_in_ip_address"), a.at("next_hop_in_ip_address"));
}

/** `disableBgpRoutePropagation`: 4.x writes `bgp_route_propagation_enabled` (default true), 3.x the inverse. */
function disableBgp(a: Args): { value: boolean | string; place: Args["place"] } {
  const enabledV = a.bool("bgp_route_propagation_enabled");
  if (enabledV !== undefined)
    return {
      value: typeof enabledV === "boolean" ? !enabledV : enabledV,
      place: a.at("bgp_route_propagation_enabled"),
    };
  return { value: a.bool("disable_bgp_route_propagation") ?? false, place: a.at("disable_bgp_route_propagation") };
}

export function routeTable(a: Args, _ctx: MapContext): Json[] {
  const id = a.str("id");
  const n = node(a, "Microsoft.Network/routeTables", namesOf(id, [a.str("name")]), id);
  const p = propsOf(n);
  const unknownRoutes = a.unknownBlocks("route");
  const routes = a.blocks("route").map((r) => {
    const o = obj(r.place);
    put(o, "name", r.str("name"), r.at("name"));
    const rp = obj(r.place);
    routeProperties(r, rp);
    o.properties = rp;
    return o;
  });
  put(p, "routes", unknownRoutes ?? routes, a.at("route"));
  const bgp = disableBgp(a);
  put(p, "disableBgpRoutePropagation", bgp.value, bgp.place);
  return [n];
}

export function route(a: Args): Json[] {
  const id = a.str("id");
  const n = node(
    a,
    "Microsoft.Network/routeTables/routes",
    namesOf(id, [a.str("route_table_name"), a.str("name")]),
    id,
  );
  routeProperties(a, propsOf(n));
  return [n];
}

export function peering(a: Args): Json[] {
  const id = a.str("id");
  const n = node(
    a,
    "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
    namesOf(id, [a.str("virtual_network_name"), a.str("name")]),
    id,
  );
  const p = propsOf(n);
  put(
    p,
    "remoteVirtualNetwork",
    ref(a.str("remote_virtual_network_id"), a.at("remote_virtual_network_id")),
    a.at("remote_virtual_network_id"),
  );
  // https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/virtual_network_peering: access defaults to true, the others to false.
  put(
    p,
    "allowVirtualNetworkAccess",
    a.bool("allow_virtual_network_access") ?? true,
    a.at("allow_virtual_network_access"),
  );
  put(p, "allowForwardedTraffic", a.bool("allow_forwarded_traffic") ?? false, a.at("allow_forwarded_traffic"));
  put(p, "allowGatewayTransit", a.bool("allow_gateway_transit") ?? false, a.at("allow_gateway_transit"));
  put(p, "useRemoteGateways", a.bool("use_remote_gateways") ?? false, a.at("use_remote_gateways"));
  const complete = a.bool("peer_complete_virtual_networks_enabled");
  if (complete !== undefined) put(p, "peerCompleteVnets", complete, a.at("peer_complete_virtual_networks_enabled"));
  put(p, "localSubnetNames", a.strings("local_subnet_names"), a.at("local_subnet_names"));
  put(p, "remoteSubnetNames", a.strings("remote_subnet_names"), a.at("remote_subnet_names"));
  return [n];
}
