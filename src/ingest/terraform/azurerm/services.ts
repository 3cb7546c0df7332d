/**
 * @module ingest/terraform/azurerm/services
 * Ingest layer, Terraform: API Management (`azurerm_api_management` with its VNet settings, additional
 * locations and hostnames; backends; APIs), private endpoints, private DNS (zones, A records, VNet links) and
 * Route Server (`azurerm_route_server` is a virtualHubs resource of sku Standard with an ipConfiguration on its
 * subnet; a BGP connection is its bgpConnections child) mapped to the REST shapes of their ARM types.
 * https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/api_management
 */
import { type Args, enabled, type Json, obj, put, ref, region } from "./emit.js";
import { type MapContext, namesOf, node, propsOf } from "./network.js";

/** `Premium_2` → Premium, 2 (`Consumption_0` has capacity 0). */
function sku(skuName: string | undefined): { name?: string; capacity?: number | string } {
  if (skuName === undefined) return {};
  if (skuName.includes("<unknown:")) return { name: skuName, capacity: skuName };
  const at = skuName.lastIndexOf("_");
  if (at < 0) return { name: skuName };
  const capacity = Number(skuName.slice(at + 1));
  return { name: skuName.slice(0, at), capacity: Number.isInteger(capacity) ? capacity : skuName.slice(at + 1) };
}

const HOSTNAME_TYPES: [string, string][] = [
  ["management", "Management"],
  ["portal", "Portal"],
  ["developer_portal", "DeveloperPortal"],
  ["proxy", "Proxy"],
  ["scm", "Scm"],
];

export function apiManagement(a: Args, ctx: MapContext): Json[] {
  const id = a.str("id");
  const n = node(a, "Microsoft.ApiManagement/service", namesOf(id, [a.str("name")]), id);
  const p = propsOf(n);
  const s = sku(a.str("sku_name"));
  const skuObj = obj(a.at("sku_name"));
  put(skuObj, "name", s.name, a.at("sku_name"));
  put(skuObj, "capacity", s.capacity, a.at("sku_name"));
  put(n, "sku", skuObj, a.at("sku_name"));
  put(n, "zones", a.strings("zones"), a.at("zones"));
  put(p, "virtualNetworkType", a.str("virtual_network_type") ?? "None", a.at("virtual_network_type"));
  const vnet = a.block("virtual_network_configuration");
  const unknownVnet = a.unknownBlocks("virtual_network_configuration");
  if (vnet || unknownVnet) {
    const v = obj(vnet?.place ?? a.at("virtual_network_configuration"));
    put(
      v,
      "subnetResourceId",
      vnet ? vnet.str("subnet_id") : unknownVnet,
      vnet?.at("subnet_id") ?? a.at("virtual_network_configuration"),
    );
    put(p, "virtualNetworkConfiguration", v, a.at("virtual_network_configuration"));
  }
  put(p, "publicIpAddressId", a.str("public_ip_address_id"), a.at("public_ip_address_id"));
  // Provider defaults, as a plan shows them: public network access on, the gateway enabled.
  put(
    p,
    "publicNetworkAccess",
    enabled(a.bool("public_network_access_enabled") ?? true),
    a.at("public_network_access_enabled"),
  );
  put(p, "disableGateway", a.bool("gateway_disabled") ?? false, a.at("gateway_disabled"));
  const locations = a.blocks("additional_location").map((l) => {
    const o = obj(l.place);
    put(o, "location", region(l.str("location")), l.at("location"));
    const ls = obj(l.at("capacity"));
    put(ls, "name", s.name, a.at("sku_name"));
    put(ls, "capacity", l.num("capacity") ?? s.capacity, l.at("capacity"));
    put(o, "sku", ls, l.at("capacity"));
    put(o, "zones", l.strings("zones"), l.at("zones"));
    put(o, "publicIpAddressId", l.str("public_ip_address_id"), l.at("public_ip_address_id"));
    put(o, "disableGateway", l.bool("gateway_disabled"), l.at("gateway_disabled"));
    const lv = l.block("virtual_network_configuration");
    if (lv) {
      const v = obj(lv.place);
      put(v, "subnetResourceId", lv.str("subnet_id"), lv.at("subnet_id"));
      put(o, "virtualNetworkConfiguration", v, l.at("virtual_network_configuration"));
    }
    return o;
  });
  if (a.unknownBlocks("additional_location"))
    ctx.report(
      "warning",
      "terraform/unknown-blocks",
      `${a.address}: its additional locations are not known; they are not in the model`,
      a.at("additional_location"),
    );
  if (locations.length > 0) put(p, "additionalLocations", locations, a.at("additional_location"));
  const hostnames: Json[] = [];
  for (const h of a.blocks("hostname_configuration")) {
    for (const [tf, type] of HOSTNAME_TYPES) {
      for (const entry of h.blocks(tf)) {
        const o = obj(entry.place);
        put(o, "type", type, entry.place);
        put(o, "hostName", entry.str("host_name"), entry.at("host_name"));
        hostnames.push(o);
      }
    }
  }
  if (hostnames.length > 0) put(p, "hostnameConfigurations", hostnames, a.at("hostname_configuration"));
  return [n];
}

export function apimBackend(a: Args): Json[] {
  const id = a.str("id");
  const n = node(
    a,
    "Microsoft.ApiManagement/service/backends",
    namesOf(id, [a.str("api_management_name"), a.str("name")]),
    id,
  );
  delete n.location;
  put(propsOf(n), "url", a.str("url"), a.at("url"));
  put(propsOf(n), "protocol", a.str("protocol"), a.at("protocol"));
  return [n];
}

export function apimApi(a: Args): Json[] {
  const id = a.str("id");
  const n = node(
    a,
    "Microsoft.ApiManagement/service/apis",
    namesOf(id, [a.str("api_management_name"), a.str("name")]),
    id,
  );
  delete n.location;
  put(propsOf(n), "serviceUrl", a.str("service_url"), a.at("service_url"));
  put(propsOf(n), "path", a.str("path"), a.at("path"));
  return [n];
}

export function privateEndpoint(a: Args): Json[] {
  const id = a.str("id");
  const n = node(a, "Microsoft.Network/privateEndpoints", namesOf(id, [a.str("name")]), id);
  const p = propsOf(n);
  put(p, "subnet", ref(a.str("subnet_id"), a.at("subnet_id")), a.at("subnet_id"));
  const auto: Json[] = [];
  const manual: Json[] = [];
  for (const c of a.blocks("private_service_connection")) {
    const o = obj(c.place);
    put(o, "name", c.str("name"), c.at("name"));
    const cp = obj(c.place);
    put(cp, "privateLinkServiceId", c.str("private_connection_resource_id"), c.at("private_connection_resource_id"));
    put(cp, "groupIds", c.strings("subresource_names"), c.at("subresource_names"));
    o.properties = cp;
    (c.bool("is_manual_connection") === true ? manual : auto).push(o);
  }
  if (auto.length > 0) put(p, "privateLinkServiceConnections", auto, a.at("private_service_connection"));
  if (manual.length > 0) put(p, "manualPrivateLinkServiceConnections", manual, a.at("private_service_connection"));
  const ips = a.blocks("ip_configuration").map((c) => {
    const o = obj(c.place);
    put(o, "name", c.str("name"), c.at("name"));
    const cp = obj(c.place);
    put(cp, "privateIPAddress", c.str("private_ip_address"), c.at("private_ip_address"));
    o.properties = cp;
    return o;
  });
  if (ips.length > 0) put(p, "ipConfigurations", ips, a.at("ip_configuration"));
  return [n];
}

export function privateDnsZone(a: Args): Json[] {
  const id = a.str("id");
  const n = node(a, "Microsoft.Network/privateDnsZones", namesOf(id, [a.str("name")]), id);
  n.location = "global";
  return [n];
}

export function privateDnsARecord(a: Args): Json[] {
  const id = a.str("id");
  const n = node(a, "Microsoft.Network/privateDnsZones/A", namesOf(id, [a.str("zone_name"), a.str("name")]), id);
  delete n.location;
  const p = propsOf(n);
  put(p, "ttl", a.num("ttl"), a.at("ttl"));
  const records = a.strings("records");
  const list = typeof records === "string" ? [records] : (records ?? []);
  put(
    p,
    "aRecords",
    list.map((ip) => {
      const o = obj(a.at("records"));
      put(o, "ipv4Address", ip, a.at("records"));
      return o;
    }),
    a.at("records"),
  );
  return [n];
}

export function privateDnsLink(a: Args): Json[] {
  const id = a.str("id");
  const n = node(
    a,
    "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
    namesOf(id, [a.str("private_dns_zone_name"), a.str("name")]),
    id,
  );
  n.location = "global";
  const p = propsOf(n);
  put(p, "virtualNetwork", ref(a.str("virtual_network_id"), a.at("virtual_network_id")), a.at("virtual_network_id"));
  put(p, "registrationEnabled", a.bool("registration_enabled") ?? false, a.at("registration_enabled"));
  return [n];
}

export function routeServer(a: Args): Json[] {
  const id = a.str("id");
  const names = namesOf(id, [a.str("name")]);
  const hub = node(a, "Microsoft.Network/virtualHubs", names, id);
  const p = propsOf(hub);
  put(p, "sku", a.str("sku") ?? "Standard", a.at("sku"));
  put(
    p,
    "allowBranchToBranchTraffic",
    a.bool("branch_to_branch_traffic_enabled") ?? false,
    a.at("branch_to_branch_traffic_enabled"),
  );
  put(p, "hubRoutingPreference", a.str("hub_routing_preference"), a.at("hub_routing_preference"));
  const config = node(
    a,
    "Microsoft.Network/virtualHubs/ipConfigurations",
    [...names, "ipconfig1"],
    id ? `${id}/ipConfigurations/ipconfig1` : undefined,
  );
  delete config.location;
  const cp = propsOf(config);
  put(cp, "subnet", ref(a.str("subnet_id"), a.at("subnet_id")), a.at("subnet_id"));
  put(
    cp,
    "publicIPAddress",
    ref(a.str("public_ip_address_id"), a.at("public_ip_address_id")),
    a.at("public_ip_address_id"),
  );
  return [hub, config];
}

export function bgpConnection(a: Args): Json[] {
  const id = a.str("id");
  const hubId = a.str("route_server_id") ?? a.str("virtual_hub_id");
  const names = namesOf(id, [namesOf(hubId, [undefined])[0], a.str("name")]);
  const n = node(
    a,
    "Microsoft.Network/virtualHubs/bgpConnections",
    names,
    id ?? (hubId && !hubId.includes("<unknown:") ? `${hubId}/bgpConnections/${a.str("name")}` : undefined),
  );
  delete n.location;
  put(propsOf(n), "peerAsn", a.num("peer_asn"), a.at("peer_asn"));
  put(propsOf(n), "peerIp", a.str("peer_ip"), a.at("peer_ip"));
  return [n];
}

/** A resource type that is not modelled: listed in `model.unmodeled` under its Terraform type and address. */
export function unmodelled(a: Args, type: string): Json[] {
  const n = obj(a.place);
  n.type = type;
  const name = a.str("name");
  // The address names it when its own name does not (no name, a placeholder, or a `/` the id would split on).
  n.name =
    name !== undefined && !name.includes("/") && !name.includes("<unknown:") ? name : a.address.replace(/\//g, "∕");
  return [n];
}
