/**
 * @module ingest/terraform/azurerm/gateways
 * Ingest layer, Terraform: the azurerm resources around the VNets — network interfaces, public IPs (whose
 * default SKU depends on the provider version: Basic before azurerm 4.0, Standard since), NAT gateways, VPN and
 * ExpressRoute gateways, local network gateways and their connections — mapped to the REST shapes of
 * Microsoft.Network, with the 3.x argument names where 4.0 renamed them.
 * https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/virtual_network_gateway
 */
import { unknownValue } from "../../../model/unknown.js";
import { type Args, type Json, obj, put, ref } from "./emit.js";
import { type MapContext, namesOf, node, propsOf } from "./network.js";

/**
 * The `ip_configuration` blocks of a NIC or a gateway as ARM's `ipConfigurations` (the subnet, public IP and
 * allocation every such configuration has; `more` adds what one resource type has besides).
 */
function ipConfigurations(
  a: Args,
  defaultName: string | undefined,
  more: (c: Args, cp: Json) => void = () => {},
): Json[] {
  return a.blocks("ip_configuration").map((c) => {
    const o = obj(c.place);
    put(o, "name", c.str("name") ?? defaultName, c.at("name"));
    const cp = obj(c.place);
    put(cp, "subnet", ref(c.str("subnet_id"), c.at("subnet_id")), c.at("subnet_id"));
    put(cp, "privateIPAllocationMethod", c.str("private_ip_address_allocation"), c.at("private_ip_address_allocation"));
    put(
      cp,
      "publicIPAddress",
      ref(c.str("public_ip_address_id"), c.at("public_ip_address_id")),
      c.at("public_ip_address_id"),
    );
    more(c, cp);
    o.properties = cp;
    return o;
  });
}

export function networkInterface(a: Args): Json[] {
  const id = a.str("id");
  const n = node(a, "Microsoft.Network/networkInterfaces", namesOf(id, [a.str("name")]), id);
  const p = propsOf(n);
  put(
    p,
    "enableIPForwarding",
    a.bool("ip_forwarding_enabled") ?? a.bool("enable_ip_forwarding"),
    a.has("ip_forwarding_enabled") ? a.at("ip_forwarding_enabled") : a.at("enable_ip_forwarding"),
  );
  const configs = ipConfigurations(a, undefined, (c, cp) => {
    put(cp, "privateIPAddress", c.str("private_ip_address"), c.at("private_ip_address"));
    put(cp, "primary", c.bool("primary"), c.at("primary"));
  });
  put(p, "ipConfigurations", configs, a.at("ip_configuration"));
  return [n];
}

export function publicIp(a: Args, ctx: MapContext): Json[] {
  const id = a.str("id");
  const n = node(a, "Microsoft.Network/publicIPAddresses", namesOf(id, [a.str("name")]), id);
  const p = propsOf(n);
  // The default SKU became Standard in azurerm 4.0 (it was Basic); which applies depends on the provider version.
  let skuName = a.str("sku");
  if (skuName === undefined) {
    if (ctx.azurermMajor !== undefined) skuName = ctx.azurermMajor >= 4 ? "Standard" : "Basic";
    else {
      skuName = unknownValue(`the sku of ${a.address} (not set: Basic before azurerm 4.0, Standard since)`);
      ctx.report(
        "warning",
        "terraform/provider-default",
        `${a.address}: sku is not set and the azurerm version is not required here, so its default (Basic in 3.x, Standard in 4.x) is Unknown`,
        a.place,
      );
    }
  }
  const sku = obj(a.at("sku"));
  put(sku, "name", skuName, a.at("sku"));
  put(sku, "tier", a.str("sku_tier"), a.at("sku_tier"));
  put(n, "sku", sku, a.at("sku"));
  put(n, "zones", a.strings("zones"), a.at("zones"));
  put(p, "publicIPAllocationMethod", a.str("allocation_method"), a.at("allocation_method"));
  put(p, "publicIPAddressVersion", a.str("ip_version") ?? "IPv4", a.at("ip_version"));
  if (a.has("domain_name_label")) {
    const dns = obj(a.at("domain_name_label"));
    put(dns, "domainNameLabel", a.str("domain_name_label"), a.at("domain_name_label"));
    put(p, "dnsSettings", dns, a.at("domain_name_label"));
  }
  put(p, "ipAddress", a.str("ip_address"), a.at("ip_address"));
  return [n];
}

export function natGateway(a: Args): Json[] {
  const id = a.str("id");
  const n = node(a, "Microsoft.Network/natGateways", namesOf(id, [a.str("name")]), id);
  const sku = obj(a.at("sku_name"));
  put(sku, "name", a.str("sku_name") ?? "Standard", a.at("sku_name"));
  put(n, "sku", sku, a.at("sku_name"));
  put(n, "zones", a.strings("zones"), a.at("zones"));
  put(propsOf(n), "idleTimeoutInMinutes", a.num("idle_timeout_in_minutes"), a.at("idle_timeout_in_minutes"));
  return [n];
}

export function virtualNetworkGateway(a: Args): Json[] {
  const id = a.str("id");
  const n = node(a, "Microsoft.Network/virtualNetworkGateways", namesOf(id, [a.str("name")]), id);
  const p = propsOf(n);
  put(p, "gatewayType", a.str("type"), a.at("type"));
  put(p, "vpnType", a.str("vpn_type") ?? "RouteBased", a.at("vpn_type"));
  put(p, "activeActive", a.bool("active_active") ?? false, a.at("active_active"));
  put(
    p,
    "enableBgp",
    a.bool("bgp_enabled") ?? a.bool("enable_bgp") ?? false,
    a.has("bgp_enabled") ? a.at("bgp_enabled") : a.at("enable_bgp"),
  );
  const sku = obj(a.at("sku"));
  put(sku, "name", a.str("sku"), a.at("sku"));
  put(sku, "tier", a.str("sku"), a.at("sku"));
  put(p, "sku", sku, a.at("sku"));
  const configs = ipConfigurations(a, "vnetGatewayConfig");
  put(p, "ipConfigurations", configs, a.at("ip_configuration"));
  const bgp = a.block("bgp_settings");
  if (bgp) {
    const b = obj(bgp.place);
    put(b, "asn", bgp.num("asn"), bgp.at("asn"));
    put(p, "bgpSettings", b, a.at("bgp_settings"));
  }
  return [n];
}

export function localNetworkGateway(a: Args): Json[] {
  const id = a.str("id");
  const n = node(a, "Microsoft.Network/localNetworkGateways", namesOf(id, [a.str("name")]), id);
  const p = propsOf(n);
  const space = obj(a.at("address_space"));
  put(space, "addressPrefixes", a.strings("address_space") ?? [], a.at("address_space"));
  put(p, "localNetworkAddressSpace", space, a.at("address_space"));
  put(p, "gatewayIpAddress", a.str("gateway_address"), a.at("gateway_address"));
  put(p, "fqdn", a.str("gateway_fqdn"), a.at("gateway_fqdn"));
  const bgp = a.block("bgp_settings");
  if (bgp) {
    const b = obj(bgp.place);
    put(b, "asn", bgp.num("asn"), bgp.at("asn"));
    put(b, "bgpPeeringAddress", bgp.str("bgp_peering_address"), bgp.at("bgp_peering_address"));
    put(p, "bgpSettings", b, a.at("bgp_settings"));
  }
  return [n];
}

export function gatewayConnection(a: Args): Json[] {
  const id = a.str("id");
  const n = node(a, "Microsoft.Network/connections", namesOf(id, [a.str("name")]), id);
  const p = propsOf(n);
  put(p, "connectionType", a.str("type"), a.at("type"));
  put(
    p,
    "virtualNetworkGateway1",
    ref(a.str("virtual_network_gateway_id"), a.at("virtual_network_gateway_id")),
    a.at("virtual_network_gateway_id"),
  );
  put(
    p,
    "virtualNetworkGateway2",
    ref(a.str("peer_virtual_network_gateway_id"), a.at("peer_virtual_network_gateway_id")),
    a.at("peer_virtual_network_gateway_id"),
  );
  put(
    p,
    "localNetworkGateway2",
    ref(a.str("local_network_gateway_id"), a.at("local_network_gateway_id")),
    a.at("local_network_gateway_id"),
  );
  put(
    p,
    "peer",
    ref(a.str("express_route_circuit_id"), a.at("express_route_circuit_id")),
    a.at("express_route_circuit_id"),
  );
  put(
    p,
    "enableBgp",
    a.bool("bgp_enabled") ?? a.bool("enable_bgp") ?? false,
    a.has("bgp_enabled") ? a.at("bgp_enabled") : a.at("enable_bgp"),
  );
  return [n];
}
