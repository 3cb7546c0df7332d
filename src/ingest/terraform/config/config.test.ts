// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are HCL source, whose interpolation is ${…}
import { describe, expect, it } from "vitest";
import { diagnosticLines, loadTerraform } from "../../../../test/helpers/terraform.js";
import { formatSource, valueSource } from "../../../model/source.js";
import { isUnknown } from "../../../model/unknown.js";

const NSG = `
variable "rules" {
  type = map(object({
    priority = number
    port     = string
    access   = optional(string, "Allow")
  }))
  default = {
    mgmt = { priority = 100, port = "3443" }
    lb   = { priority = 110, port = "6390" }
  }
}

resource "azurerm_network_security_group" "apim" {
  name                = "nsg-apim"
  location            = "westeurope"
  resource_group_name = "rg"

  dynamic "security_rule" {
    for_each = var.rules
    content {
      name                       = "rule-\${security_rule.key}"
      priority                   = security_rule.value.priority
      direction                  = "Inbound"
      access                     = security_rule.value.access
      protocol                   = "Tcp"
      source_port_range          = "*"
      destination_port_range     = security_rule.value.port
      source_address_prefix      = "*"
      destination_address_prefix = "VirtualNetwork"
    }
  }
}
`;

describe("configuration extraction", () => {
  it("reads all .tf files of a directory as one configuration, with locals, tfvars and --var", () => {
    const result = loadTerraform(
      {
        "net/main.tf": `
          resource "azurerm_virtual_network" "v" {
            name                = "\${local.prefix}-vnet"
            location            = var.location
            resource_group_name = "rg"
            address_space       = [var.space]
          }`,
        "net/variables.tf": `
          variable "location" { default = "westeurope" }
          variable "space" {}
          variable "env" { default = "dev" }
          locals { prefix = "app-\${var.env}" }`,
        "net/terraform.tfvars": 'space = "10.0.0.0/16"\nenv = "test"\n',
      },
      { vars: ["env=prod"] },
    );
    const [vnet] = result.model.virtualNetworks;
    expect(vnet?.name).toBe("app-prod-vnet");
    expect(vnet?.addressSpace.addressPrefixes).toEqual(["10.0.0.0/16"]);
    expect(result.model.inputs.map((i) => `${i.format}:${i.resources}`)).toEqual([
      "terraform:1",
      "terraform:0",
      "terraform-vars:0",
    ]);
  });

  it("expands count, for_each over maps and sets, and dynamic blocks", () => {
    const result = loadTerraform({
      "n/main.tf": `${NSG}
        resource "azurerm_route_table" "rt" {
          for_each            = toset(["a", "b"])
          name                = "rt-\${each.key}"
          location            = "westeurope"
          resource_group_name = "rg"
        }
        resource "azurerm_application_security_group" "asg" {
          count               = 2
          name                = "asg-\${count.index}"
          location            = "westeurope"
          resource_group_name = "rg"
        }`,
    });
    const nsg = result.model.networkSecurityGroups[0]!;
    expect(nsg.securityRules.map((r) => `${r.name}:${r.priority}:${r.access}:${r.destinationPortRange}`)).toEqual([
      "rule-lb:110:Allow:6390",
      "rule-mgmt:100:Allow:3443",
    ]);
    expect(result.model.routeTables.map((t) => t.name)).toEqual(["rt-a", "rt-b"]);
    expect(result.model.applicationSecurityGroups.map((a) => a.name)).toEqual(["asg-0", "asg-1"]);
  });

  it("reads local modules with their inputs and outputs, from the inputs or from disk", () => {
    const result = loadTerraform(
      {
        "root/main.tf": `
          module "net" {
            source = "./modules/net"
            name   = "hub"
          }
          resource "azurerm_subnet_network_security_group_association" "a" {
            subnet_id                 = module.net.subnet_id
            network_security_group_id = module.net.nsg_id
          }`,
      },
      {},
      {
        "root/modules/net/main.tf": `
          variable "name" {}
          resource "azurerm_virtual_network" "v" {
            name = "vnet-\${var.name}"
            location = "westeurope"
            resource_group_name = "rg"
            address_space = ["10.1.0.0/16"]
          }
          resource "azurerm_subnet" "s" {
            name = "snet"
            resource_group_name = "rg"
            virtual_network_name = azurerm_virtual_network.v.name
            address_prefixes = ["10.1.1.0/24"]
          }
          resource "azurerm_network_security_group" "n" {
            name = "nsg-\${var.name}"
            location = "westeurope"
            resource_group_name = "rg"
          }
          output "subnet_id" { value = azurerm_subnet.s.id }
          output "nsg_id" { value = azurerm_network_security_group.n.id }`,
      },
    );
    const subnet = result.model.virtualNetworks[0]!.subnets[0]!;
    expect(subnet.networkSecurityGroup?.id).toMatch(/networkSecurityGroups\/nsg-hub$/);
    expect(formatSource(subnet.src)).toBe("/virtual/root/modules/net/main.tf:9:11");
  });

  it("maps azapi_resource bodies with their type, and lists what is not modelled under its Terraform type", () => {
    const result = loadTerraform({
      "z/main.tf": `
        resource "azapi_resource" "vnet" {
          type      = "Microsoft.Network/virtualNetworks@2024-07-01"
          name      = "vnet-z"
          parent_id = "/subscriptions/s/resourceGroups/rg"
          location  = "westeurope"
          body = { properties = { addressSpace = { addressPrefixes = ["10.9.0.0/16"] } } }
        }
        resource "azapi_resource" "subnet" {
          type      = "Microsoft.Network/virtualNetworks/subnets@2024-07-01"
          name      = "snet"
          parent_id = azapi_resource.vnet.id
          body      = jsonencode({ properties = { addressPrefix = "10.9.1.0/24" } })
        }
        resource "azurerm_key_vault" "kv" {
          name = "kv-z"
        }`,
    });
    const vnet = result.model.virtualNetworks[0]!;
    expect(vnet.addressSpace.addressPrefixes).toEqual(["10.9.0.0/16"]);
    expect(vnet.subnets.map((s) => `${s.name} ${s.addressPrefix}`)).toEqual(["snet 10.9.1.0/24"]);
    expect(result.model.unmodeled.map((u) => `${u.type} ${u.name}`)).toEqual(["azurerm_key_vault kv-z"]);
  });
});

describe("configuration conversion", () => {
  it("locates each rule at its block, and a subnet's prefix at its address_prefixes argument", () => {
    const result = loadTerraform({
      "l/main.tf": `resource "azurerm_subnet" "s" {
  name                 = "snet"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.0.1.0/24"]
}
${NSG}`,
    });
    const subnet = result.model.virtualNetworks[0]!.subnets[0]!;
    expect(formatSource(subnet.src)).toBe("/virtual/l/main.tf:1:1");
    expect(formatSource(valueSource(subnet.src, ["addressPrefix"]))).toBe("/virtual/l/main.tf:5:26");
    const rule = result.model.networkSecurityGroups[0]!.securityRules[0]!;
    // A rule of a dynamic block is located where its element is written (the variable's default).
    expect(rule.name).toBe("rule-lb");
    expect(formatSource(rule.src)).toBe("/virtual/l/main.tf:16:12");
    expect(formatSource(valueSource(rule.src, ["destinationPortRange"]))).toBe("/virtual/l/main.tf:16:37");
  });

  it("builds ids from names so references link, ignoring subscription and resource group", () => {
    const result = loadTerraform({
      "a/main.tf": `
        resource "azurerm_route_table" "rt" {
          name = "rt"
          location = "westeurope"
          resource_group_name = var.rg
        }
        variable "rg" {}
        resource "azurerm_subnet" "s" {
          name = "snet"
          resource_group_name = var.rg
          virtual_network_name = "vnet"
          address_prefixes = ["10.0.0.0/24"]
        }
        resource "azurerm_subnet_route_table_association" "a" {
          subnet_id      = azurerm_subnet.s.id
          route_table_id = azurerm_route_table.rt.id
        }`,
    });
    const subnet = result.model.virtualNetworks[0]!.subnets[0]!;
    expect(subnet.routeTable?.id).toBe(result.model.routeTables[0]!.id);
    expect(isUnknown(subnet.routeTable?.id)).toBe(false);
  });
});

describe("configuration warns", () => {
  it("marks a resource whose count no input decides, and names the variable to give", () => {
    const result = loadTerraform({
      "c/main.tf": `
        variable "strict" { type = bool }
        resource "azurerm_network_security_rule" "deny" {
          count = var.strict ? 1 : 0
          name = "deny-all"
          network_security_group_name = "nsg"
          resource_group_name = "rg"
          priority = 4000
          direction = "Inbound"
          access = "Deny"
          protocol = "*"
          source_port_range = "*"
          destination_port_range = "*"
          source_address_prefix = "*"
          destination_address_prefix = "*"
        }`,
    });
    const rule = result.model.networkSecurityGroups[0]!.securityRules[0]!;
    expect(rule.deployedIf?.condition).toBe("var.strict ? 1 : 0");
    expect(diagnosticLines(result).some((l) => l.includes("--var strict=<value>"))).toBe(true);
  });

  it("keeps rules no input decides Unknown, so the default rules alone never decide", () => {
    const result = loadTerraform({
      "u/main.tf": `
        variable "rules" {}
        resource "azurerm_network_security_group" "inline" {
          name = "nsg-inline"
          dynamic "security_rule" {
            for_each = var.rules
            content { name = security_rule.key }
          }
        }
        resource "azurerm_network_security_group" "split" {
          name = "nsg-split"
        }
        resource "azurerm_network_security_rule" "r" {
          for_each = var.rules
          name = each.key
          priority = each.value.priority
          network_security_group_name = azurerm_network_security_group.split.name
        }`,
    });
    for (const nsg of result.model.networkSecurityGroups) {
      expect(nsg.securityRules, nsg.name).toHaveLength(1);
      expect(Number.isNaN(nsg.securityRules[0]!.priority), nsg.name).toBe(true);
    }
    expect(diagnosticLines(result).some((l) => l.includes("read as one rule or route of Unknown fields"))).toBe(true);
  });

  it("says a registry module it cannot read, a data source and an HCL syntax error, and reads on", () => {
    const result = loadTerraform({
      "r/main.tf": `
        module "x" {
          source  = "contoso/network/azurerm"
          version = "1.0.0"
        }
        data "azurerm_subnet" "s" {
          name = "snet"
          virtual_network_name = "vnet"
          resource_group_name = "rg"
        }
        resource "azurerm_network_interface" "nic" {
          name = "nic"
          location = "westeurope"
          resource_group_name = "rg"
          ip_configuration {
            name = "c"
            subnet_id = data.azurerm_subnet.s.id
            private_ip_address_allocation = "Dynamic"
          }
        }`,
      "r/broken.tf": 'resource "a" "b" {\n  x = \n}\n',
    });
    const lines = diagnosticLines(result);
    expect(
      lines.some((l) =>
        l.startsWith(
          "warning terraform/module-not-read module.x: the module contoso/network/azurerm 1.0.0 is not read",
        ),
      ),
    ).toBe(true);
    expect(lines.some((l) => l.startsWith("warning terraform/data-source data.azurerm_subnet.s"))).toBe(true);
    const syntax = result.diagnostics.items.find((d) => d.code === "terraform/syntax")!;
    expect(`${formatSource(syntax.src)}: ${syntax.message}`).toBe(
      "/virtual/r/broken.tf:2:7: expected an expression, found newline",
    );
    // The data source's id is built from its arguments: the NIC still names its subnet.
    expect(result.model.networkInterfaces[0]!.ipConfigurations[0]!.subnet?.id).toMatch(
      /virtualNetworks\/vnet\/subnets\/snet$/,
    );
  });

  it("stops hostile input with a diagnostic: huge for_each, deep recursion of locals, cyclic modules", () => {
    const big = loadTerraform({
      "h/main.tf":
        'resource "azurerm_application_security_group" "a" {\n  for_each = toset([for i in range(9000) : tostring(i)])\n  name = each.key\n}\nlocals { x = [for i in range(100000) : i] }\noutput "o" { value = local.x }\n',
    });
    expect(big.model.applicationSecurityGroups).toHaveLength(9000);
    const chain = Array.from({ length: 3000 }, (_, i) => `  l${i} = local.l${i + 1}`).join("\n");
    const deep = loadTerraform({
      "d/main.tf": `locals {\n${chain}\n  l3000 = 1\n}\nresource "azurerm_application_security_group" "a" {\n  name = local.l0\n}\n`,
    });
    expect(diagnosticLines(deep).some((l) => l.includes("terraform/limit"))).toBe(true);
    const cycle = loadTerraform({ "y/main.tf": 'module "self" {\n  source = "./"\n}\n' });
    expect(diagnosticLines(cycle).some((l) => /nested deeper than|terraform\/limit/.test(l))).toBe(true);
    const loopLocals = loadTerraform({
      "z/main.tf":
        'locals {\n  a = local.b\n  b = local.a\n}\nresource "azurerm_application_security_group" "a" {\n  name = local.a\n}\n',
    });
    expect(diagnosticLines(loopLocals).some((l) => l.includes("terraform/cycle"))).toBe(true);
  });
});
