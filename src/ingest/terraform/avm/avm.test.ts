import { describe, expect, it } from "vitest";
import { diagnosticLines, loadTerraform } from "../../../../test/helpers/terraform.js";
import { builtinModule } from "./index.js";
import { allows, newestAllowed } from "./versions.js";

describe("AVM built-in modules extraction", () => {
  it("reads Terraform's version constraints", () => {
    expect(allows("~> 0.16", "0.16.0")).toBe(true);
    expect(allows("~> 0.16", "1.0.0")).toBe(false);
    expect(allows("~> 0.4.1", "0.4.9")).toBe(true);
    expect(allows("~> 0.4.1", "0.5.0")).toBe(false);
    expect(allows(">= 0.12, < 0.15", "0.14.1")).toBe(true);
    expect(allows("!= 0.13.0", "0.13.0")).toBe(false);
    expect(newestAllowed(["0.12.0", "0.16.0", "0.14.0"], ">= 0.12.0, < 0.15.0")).toBe("0.14.0");
  });

  it("covers the versions it was checked against, and refuses the others with the covered list", () => {
    expect(builtinModule("Azure/avm-res-network-virtualnetwork/azurerm", "0.16.0").kind).toBe("module");
    expect(
      builtinModule("registry.terraform.io/azure/avm-res-network-networksecuritygroup/azurerm", "~> 0.5").kind,
    ).toBe("module");
    const old = builtinModule("Azure/avm-res-network-virtualnetwork/azurerm", "0.1.4");
    expect(old.kind === "refused" && old.why).toMatch(/covers versions 0\.12\.0, .*0\.16\.0/);
    expect(builtinModule("contoso/network/azurerm", "1.0.0").kind).toBe("none");
  });
});

describe("AVM built-in modules conversion", () => {
  it("makes the resources the module would, located where the caller wrote the values", () => {
    const result = loadTerraform({
      "c/main.tf": `module "nsg" {
  source              = "Azure/avm-res-network-networksecuritygroup/azurerm"
  version             = "0.5.0"
  name                = "nsg-apim"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rules = {
    mgmt = {
      name                       = "Allow-Management"
      access                     = "Allow"
      direction                  = "Inbound"
      priority                   = 100
      protocol                   = "Tcp"
      source_address_prefix      = "ApiManagement"
      destination_address_prefix = "VirtualNetwork"
      source_port_range          = "*"
      destination_port_range     = "3443"
    }
  }
}
module "vnet" {
  source        = "Azure/avm-res-network-virtualnetwork/azurerm"
  version       = "0.16.0"
  name          = "vnet-apim"
  location      = "westeurope"
  parent_id     = "/subscriptions/s/resourceGroups/rg"
  address_space = ["10.0.0.0/16"]
  subnets = {
    apim = {
      name                   = "snet-apim"
      address_prefixes       = ["10.0.1.0/24"]
      network_security_group = { id = module.nsg.resource_id }
    }
  }
}
module "rt" {
  source              = "Azure/avm-res-network-routetable/azurerm"
  version             = "0.4.1"
  name                = "rt-apim"
  location            = "westeurope"
  resource_group_name = "rg"
  routes = {
    fw = { name = "to-firewall", address_prefix = "0.0.0.0/0", next_hop_type = "VirtualAppliance", next_hop_in_ip_address = "10.0.0.4" }
  }
  subnet_resource_ids = { apim = module.vnet.subnets["apim"].resource_id }
}`,
    });
    const subnet = result.model.virtualNetworks[0]!.subnets[0]!;
    expect([subnet.name, subnet.addressPrefixes]).toEqual(["snet-apim", ["10.0.1.0/24"]]);
    expect(subnet.networkSecurityGroup?.id).toMatch(/networkSecurityGroups\/nsg-apim$/);
    expect(subnet.routeTable?.id).toMatch(/routeTables\/rt-apim$/);
    const rule = result.model.networkSecurityGroups[0]!.securityRules[0]!;
    expect(`${rule.name} ${rule.src.file}:${rule.src.line}`).toBe("Allow-Management /virtual/c/main.tf:8");
    expect(result.model.routeTables[0]!.disableBgpRoutePropagation).toBe(false);
    expect(diagnosticLines(result).filter((l) => l.startsWith("error"))).toEqual([]);
  });
});

describe("AVM built-in modules warns", () => {
  it("refuses an argument the module does not declare, as Terraform does", () => {
    const result = loadTerraform({
      "w/main.tf":
        'module "nsg" {\n  source = "Azure/avm-res-network-networksecuritygroup/azurerm"\n  version = "0.5.0"\n  name = "n"\n  location = "l"\n  resource_group_name = "rg"\n  nsgrules = {}\n}\n',
    });
    expect(diagnosticLines(result)).toContainEqual(
      expect.stringMatching(/^error terraform\/unsupported-argument module\.nsg declares no variable "nsgrules"/),
    );
  });
});
