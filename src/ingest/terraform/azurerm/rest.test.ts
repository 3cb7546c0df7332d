import { describe, expect, it } from "vitest";
import { diagnosticLines, loadTerraform } from "../../../../test/helpers/terraform.js";
import { isUnknown } from "../../../model/unknown.js";

const RG = 'resource_group_name = "rg"\n  location = "West Europe"';

describe("azurerm resources extraction", () => {
  it("reads VNets with inline subnets, peerings with the provider's defaults, and route tables both ways", () => {
    const { model } = loadTerraform({
      "n/main.tf": `
resource "azurerm_virtual_network" "hub" {
  name = "hub"
  ${RG}
  address_space = ["10.0.0.0/16"]
  dns_servers = ["10.0.0.4"]
  subnet {
    name = "GatewaySubnet"
    address_prefixes = ["10.0.255.0/27"]
  }
}
resource "azurerm_virtual_network_peering" "p" {
  name = "hub-to-spoke"
  resource_group_name = "rg"
  virtual_network_name = "hub"
  remote_virtual_network_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke"
  allow_gateway_transit = true
}
resource "azurerm_route_table" "v4" {
  name = "rt4"
  ${RG}
  bgp_route_propagation_enabled = false
}
resource "azurerm_route_table" "v3" {
  name = "rt3"
  ${RG}
  disable_bgp_route_propagation = true
  route {
    name = "r"
    address_prefix = "ApiManagement"
    next_hop_type = "Internet"
  }
}`,
    });
    const hub = model.virtualNetworks[0]!;
    expect([hub.location, hub.dhcpOptions?.dnsServers, hub.subnets.map((s) => s.name)]).toEqual([
      "westeurope",
      ["10.0.0.4"],
      ["GatewaySubnet"],
    ]);
    const p = hub.virtualNetworkPeerings[0]!;
    expect([p.allowVirtualNetworkAccess, p.allowForwardedTraffic, p.allowGatewayTransit, p.useRemoteGateways]).toEqual([
      true,
      false,
      true,
      false,
    ]);
    expect(
      model.routeTables.map((t) => [t.name, t.disableBgpRoutePropagation, t.routes.map((r) => r.addressPrefix)]),
    ).toEqual([
      ["rt4", true, []],
      ["rt3", true, ["ApiManagement"]],
    ]);
  });

  it("reads API Management with its SKU, VNet settings, additional locations and hostnames, and its backends and APIs", () => {
    const { model } = loadTerraform({
      "a/main.tf": `
resource "azurerm_api_management" "apim" {
  name = "apim"
  ${RG}
  sku_name = "Premium_2"
  virtual_network_type = "External"
  public_ip_address_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/pip"
  zones = ["1", "2"]
  virtual_network_configuration {
    subnet_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/apim"
  }
  additional_location {
    location = "North Europe"
    capacity = 1
    virtual_network_configuration {
      subnet_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v2/subnets/apim"
    }
  }
  hostname_configuration {
    proxy {
      host_name = "api.contoso.com"
    }
  }
}
resource "azurerm_api_management_backend" "b" {
  name = "orders"
  resource_group_name = "rg"
  api_management_name = azurerm_api_management.apim.name
  protocol = "http"
  url = "http://10.2.1.10:8080/api"
}
resource "azurerm_api_management_api" "api" {
  name = "orders-api"
  resource_group_name = "rg"
  api_management_name = azurerm_api_management.apim.name
  revision = "1"
  service_url = "http://10.2.1.11"
}`,
    });
    const apim = model.apiManagementServices[0]!;
    expect([apim.sku, apim.virtualNetworkType, apim.zones, apim.publicNetworkAccess]).toEqual([
      { name: "Premium", capacity: 2 },
      "External",
      ["1", "2"],
      "Enabled",
    ]);
    expect(apim.virtualNetworkConfiguration?.subnetResourceId).toMatch(/subnets\/apim$/);
    expect(
      apim.additionalLocations.map((l) => [
        l.location,
        l.sku?.capacity,
        l.virtualNetworkConfiguration?.subnetResourceId?.split("/")[8],
      ]),
    ).toEqual([["northeurope", 1, "v2"]]);
    expect(apim.hostnameConfigurations).toEqual([{ type: "Proxy", hostName: "api.contoso.com" }]);
    expect(model.apimBackends.map((b) => [b.name, b.url, b.serviceId === apim.id])).toEqual([
      ["orders", "http://10.2.1.10:8080/api", true],
    ]);
    expect(model.apimApis.map((a) => a.serviceUrl)).toEqual(["http://10.2.1.11"]);
  });
});

describe("azurerm resources conversion", () => {
  it("applies NIC, ASG and NAT gateway associations to the resources they name", () => {
    const { model } = loadTerraform({
      "c/main.tf": `
resource "azurerm_subnet" "s" {
  name = "s"
  resource_group_name = "rg"
  virtual_network_name = "v"
  address_prefixes = ["10.0.1.0/24"]
}
resource "azurerm_nat_gateway" "nat" {
  name = "nat"
  ${RG}
}
resource "azurerm_subnet_nat_gateway_association" "a" {
  subnet_id = azurerm_subnet.s.id
  nat_gateway_id = azurerm_nat_gateway.nat.id
}
resource "azurerm_network_interface" "nic" {
  name = "nic"
  ${RG}
  ip_configuration {
    name = "c"
    subnet_id = azurerm_subnet.s.id
    private_ip_address_allocation = "Static"
    private_ip_address = "10.0.1.5"
  }
}
resource "azurerm_network_security_group" "n" {
  name = "nsg"
  ${RG}
}
resource "azurerm_application_security_group" "asg" {
  name = "asg"
  ${RG}
}
resource "azurerm_network_interface_security_group_association" "x" {
  network_interface_id = azurerm_network_interface.nic.id
  network_security_group_id = azurerm_network_security_group.n.id
}
resource "azurerm_network_interface_application_security_group_association" "y" {
  network_interface_id = azurerm_network_interface.nic.id
  application_security_group_id = azurerm_application_security_group.asg.id
}`,
    });
    expect(model.virtualNetworks[0]!.subnets[0]!.natGateway?.id).toMatch(/natGateways\/nat$/);
    const nic = model.networkInterfaces[0]!;
    expect(nic.networkSecurityGroup?.id).toMatch(/networkSecurityGroups\/nsg$/);
    expect(nic.ipConfigurations[0]!.applicationSecurityGroups.map((a) => a.id.split("/").pop())).toEqual(["asg"]);
    expect(nic.ipConfigurations[0]!.privateIPAddress).toBe("10.0.1.5");
  });

  it("maps gateways, local gateways, connections, route servers and private DNS", () => {
    const { model } = loadTerraform({
      "g/main.tf": `
resource "azurerm_virtual_network_gateway" "vpn" {
  name = "vpn"
  ${RG}
  type = "Vpn"
  sku = "VpnGw1"
  bgp_enabled = true
  ip_configuration {
    subnet_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub/subnets/GatewaySubnet"
    public_ip_address_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/pip"
  }
  bgp_settings {
    asn = 65010
  }
}
resource "azurerm_local_network_gateway" "onprem" {
  name = "onprem"
  ${RG}
  gateway_address = "203.0.113.1"
  address_space = ["192.168.0.0/16"]
}
resource "azurerm_virtual_network_gateway_connection" "c" {
  name = "c"
  ${RG}
  type = "IPsec"
  virtual_network_gateway_id = azurerm_virtual_network_gateway.vpn.id
  local_network_gateway_id = azurerm_local_network_gateway.onprem.id
}
resource "azurerm_private_dns_zone" "z" {
  name = "azure-api.net"
  resource_group_name = "rg"
}
resource "azurerm_private_dns_a_record" "a" {
  name = "apim"
  zone_name = azurerm_private_dns_zone.z.name
  resource_group_name = "rg"
  ttl = 300
  records = ["10.0.1.5"]
}
resource "azurerm_private_dns_zone_virtual_network_link" "l" {
  name = "link"
  resource_group_name = "rg"
  private_dns_zone_name = azurerm_private_dns_zone.z.name
  virtual_network_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub"
}`,
    });
    const gw = model.virtualNetworkGateways[0]!;
    expect([
      gw.gatewayType,
      gw.enableBgp,
      gw.bgpSettings?.asn,
      gw.ipConfigurations[0]!.subnet?.id.split("/").pop(),
    ]).toEqual(["Vpn", true, 65010, "GatewaySubnet"]);
    expect(model.localNetworkGateways[0]!.localNetworkAddressSpace.addressPrefixes).toEqual(["192.168.0.0/16"]);
    expect(model.connections[0]!.localNetworkGateway2?.id).toMatch(/localNetworkGateways\/onprem$/);
    const zone = model.privateDnsZones[0]!;
    expect([zone.name, zone.records.map((r) => [r.name, r.values]), zone.virtualNetworkLinks.length]).toEqual([
      "azure-api.net",
      [["apim", ["10.0.1.5"]]],
      1,
    ]);
  });
});

describe("azurerm resources warns", () => {
  it("does not guess a public IP's default SKU when the provider version is not said", () => {
    const result = loadTerraform({
      "p/main.tf": `resource "azurerm_public_ip" "pip" {\n  name = "pip"\n  ${RG}\n  allocation_method = "Static"\n}\n`,
    });
    expect(isUnknown(result.model.publicIPAddresses[0]!.sku?.name)).toBe(true);
    expect(diagnosticLines(result).some((l) => l.startsWith("warning terraform/provider-default"))).toBe(true);
    const v4 = loadTerraform({
      "q/main.tf": `terraform {\n  required_providers {\n    azurerm = { source = "hashicorp/azurerm", version = "~> 4.0" }\n  }\n}\nresource "azurerm_public_ip" "pip" {\n  name = "pip"\n  ${RG}\n  allocation_method = "Static"\n}\n`,
    });
    expect(v4.model.publicIPAddresses[0]!.sku?.name).toBe("Standard");
  });

  it("says an association whose target is not in the configuration, and applies none", () => {
    const result = loadTerraform({
      "x/main.tf":
        'resource "azurerm_subnet_route_table_association" "a" {\n  subnet_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/elsewhere"\n  route_table_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/routeTables/rt"\n}\n',
    });
    expect(diagnosticLines(result)).toContainEqual(
      expect.stringMatching(/^warning terraform\/association-target .*is not declared in this configuration/),
    );
    expect(result.model.virtualNetworks).toEqual([]);
  });
});
