// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Bicep source, whose interpolation is ${…}
/**
 * Bicep resources and modules through the real ingest: ids as ARM's resourceId() gives them, child resources
 * (nested, `parent:`, `vnet::subnet`), symbolic references (`vnet.id`, `vnet.properties.subnets[0].id`,
 * `vnets[i].id`), loops with filters, conditions (false: not deployed; Unknown: checked both ways), `existing`
 * resources, extension resources, modules (params in, outputs out, scope, loops, cycles, depth, missing files,
 * registry modules cached or not), and locations on the `.bicep` lines.
 */
import { describe, expect, it } from "vitest";
import { codes, loadBicep, VROOT, vpath } from "../../../test/helpers/bicep.js";
import { formatSource, valueSource } from "../../model/source.js";
import { isUnknown } from "../../model/unknown.js";

const SUB = "00000000-0000-0000-0000-000000000000";
const rg = (group = "resourceGroup") => `/subscriptions/${SUB}/resourceGroups/${group}/providers`;

const NETWORK = `param prefix string = 'hub'
resource nsg 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-\${prefix}'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'AllowMgmt'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: 'ApiManagement'
          sourcePortRange: '*'
          destinationAddressPrefix: 'VirtualNetwork'
          destinationPortRange: '3443'
        }
      }
    ]
  }
}
resource vnet 'Microsoft.Network/virtualNetworks@2023-09-01' = {
  name: 'vnet-\${prefix}'
  location: 'westeurope'
  properties: {
    addressSpace: { addressPrefixes: ['10.0.0.0/16'] }
    subnets: [
      {
        name: 'apim'
        properties: {
          addressPrefix: '10.0.1.0/24'
          networkSecurityGroup: { id: nsg.id }
        }
      }
    ]
  }
  resource extra 'subnets' = {
    name: 'extra'
    properties: { addressPrefix: '10.0.2.0/24' }
  }
}
resource late 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
  parent: vnet
  name: 'late'
  properties: { addressPrefix: '10.0.3.0/24', routeTable: { id: rt.id } }
}
resource rt 'Microsoft.Network/routeTables@2023-09-01' = {
  name: 'rt'
  properties: {
    routes: [for (p, i) in ['0.0.0.0/0', '10.9.0.0/16']: {
      name: 'r\${i}'
      properties: { addressPrefix: p, nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.0.4' }
    }]
  }
}
output ids array = [vnet.properties.subnets[0].id, vnet::extra.id, late.name]
`;

describe("resources extraction", () => {
  const { model } = loadBicep({ "main.bicep": NETWORK });

  it("a VNet with its inline, nested and parent: subnets, an NSG and a route table, with ARM's ids", () => {
    const [vnet] = model.virtualNetworks;
    expect(vnet!.id).toBe(`${rg()}/Microsoft.Network/virtualNetworks/vnet-hub`);
    expect(vnet!.subnets.map((s) => [s.name, s.addressPrefix])).toEqual([
      ["apim", "10.0.1.0/24"],
      ["extra", "10.0.2.0/24"],
      ["late", "10.0.3.0/24"],
    ]);
    // A subnet referring to its NSG by id finds it: the id is what resourceId() gives for the same names.
    expect(vnet!.subnets[0]!.networkSecurityGroup?.id).toBe(model.networkSecurityGroups[0]!.id);
    expect(vnet!.subnets[2]!.routeTable?.id).toBe(`${rg()}/Microsoft.Network/routeTables/rt`);
    expect(model.routeTables[0]!.routes.map((r) => [r.name, r.addressPrefix])).toEqual([
      ["r0", "0.0.0.0/0"],
      ["r1", "10.9.0.0/16"],
    ]);
  });

  it("every resource, rule, route and property is located on its .bicep line", () => {
    const where = (src: Parameters<typeof formatSource>[0]) => formatSource(src).replace(`${VROOT}/`, "");
    const vnet = model.virtualNetworks[0]!;
    expect(where(vnet.src)).toBe("main.bicep:23:1");
    expect(where(vnet.subnets[0]!.src)).toBe("main.bicep:29:7");
    expect(where(vnet.subnets[1]!.src)).toBe("main.bicep:38:3");
    expect(where(valueSource(vnet.subnets[0]!.src, ["addressPrefix"]))).toBe("main.bicep:32:26");
    const rule = model.networkSecurityGroups[0]!.securityRules[0]!;
    expect(where(rule.src)).toBe("main.bicep:7:7");
    expect(where(valueSource(rule.src, ["destinationPortRange"]))).toBe("main.bicep:17:33");
    expect(where(model.routeTables[0]!.routes[1]!.src)).toBe("main.bicep:51:58");
  });
});

describe("resources conversion", () => {
  it("symbolic references: vnet.properties.subnets[0].id, vnet::child.id, child.name, vnets[i].id", () => {
    const src = `${NETWORK}
resource peer 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings@2023-09-01' = {
  parent: vnet
  name: 'to-spoke'
  properties: { remoteVirtualNetwork: { id: spokes[1].id } }
}
resource spokes 'Microsoft.Network/virtualNetworks@2023-09-01' = [for i in range(0, 2): {
  name: 'spoke-\${i}'
  properties: { addressSpace: { addressPrefixes: ['10.\${i + 1}.0.0/16'] }, subnets: [{ name: 'a', properties: { addressPrefix: '10.\${i + 1}.0.0/24', routeTable: { id: resourceId('Microsoft.Network/routeTables', 'rt') } } }] }
}]
resource route 'Microsoft.Network/routeTables/routes@2023-09-01' = {
  name: 'rt/to-subnet'
  properties: { addressPrefix: vnet.properties.subnets[0].properties.addressPrefix, nextHopType: 'VnetLocal' }
}
`;
    const result = loadBicep({ "main.bicep": src });
    const { model } = result;
    expect(codes(result, "error")).toEqual([]);
    const hub = model.virtualNetworks.find((v) => v.name === "vnet-hub")!;
    expect(hub.virtualNetworkPeerings[0]!.remoteVirtualNetwork?.id).toBe(
      `${rg()}/Microsoft.Network/virtualNetworks/spoke-1`,
    );
    expect(model.virtualNetworks.find((v) => v.name === "spoke-0")!.subnets[0]!.routeTable?.id).toBe(
      model.routeTables[0]!.id,
    );
    expect(model.routeTables[0]!.routes.map((r) => r.addressPrefix)).toContain("10.0.1.0/24");
  });

  it("conditions: false is not deployed, Unknown is deployed only if it holds (checked both ways)", () => {
    const src = `param deploy bool
resource a 'Microsoft.Network/networkSecurityGroups@2023-09-01' = if (false) { name: 'never' }
resource b 'Microsoft.Network/networkSecurityGroups@2023-09-01' = if (deploy) { name: 'maybe' }
resource c 'Microsoft.Network/networkSecurityGroups@2023-09-01' = [for (n, i) in ['x', 'y', 'z']: if (i != 1) { name: n }]
resource d 'Microsoft.Network/networkSecurityGroups@2023-09-01' = { name: 'after-\${c[1].name}' }
`;
    const result = loadBicep({ "main.bicep": src });
    const nsgs = result.model.networkSecurityGroups;
    expect(nsgs.map((n) => n.name)).toEqual(["maybe", "x", "z", "after-y"]);
    expect(nsgs[0]!.deployedIf?.condition).toBe("parameters('deploy')");
    expect(codes(result, "warning")).toContain("warning bicep/unknown-condition");
  });

  it("existing resources: the id is known, what is read from Azure is Unknown; one deployed in the run is read", () => {
    const src = `resource far 'Microsoft.Network/virtualNetworks@2023-09-01' existing = {
  name: 'far'
  scope: resourceGroup('rg-far')
}
resource near 'Microsoft.Network/networkSecurityGroups@2023-09-01' existing = { name: 'near' }
resource made 'Microsoft.Network/networkSecurityGroups@2023-09-01' = { name: 'near', properties: { securityRules: [] }, tags: { t: 'v' } }
resource rt 'Microsoft.Network/routeTables@2023-09-01' = {
  name: 'rt'
  tags: { from: near.tags.t }
  properties: { routes: [{ name: 'r', properties: { addressPrefix: far.properties.addressSpace.addressPrefixes[0], nextHopType: 'VnetLocal' } }] }
}
output farId string = far.id
`;
    const result = loadBicep({ "main.bicep": src });
    const route = result.model.routeTables[0]!.routes[0]!;
    expect(isUnknown(route.addressPrefix)).toBe(true);
    expect(route.addressPrefix).toContain("the existing resource 'far' is read from Azure");
    expect(codes(result, "warning")).toContain("warning bicep/external-reference");
    expect(result.model.networkSecurityGroups.map((n) => n.name)).toEqual(["near"]);
  });

  it("an extension resource is placed under its scope", () => {
    const src = `resource nsg 'Microsoft.Network/networkSecurityGroups@2023-09-01' = { name: 'n' }
resource lock 'Microsoft.Authorization/locks@2020-05-01' = { name: 'l', scope: nsg, properties: { level: 'CanNotDelete' } }
`;
    const { model } = loadBicep({ "main.bicep": src });
    expect(model.unmodeled.map((u) => u.id)).toEqual([
      `${rg()}/Microsoft.Network/networkSecurityGroups/n/providers/Microsoft.Authorization/locks/l`,
    ]);
  });
});

const HUB = `param location string
param spokes array
resource vnet 'Microsoft.Network/virtualNetworks@2023-09-01' = {
  name: 'vnet-hub'
  location: location
  properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ name: 'AzureFirewallSubnet', properties: { addressPrefix: '10.0.1.0/26' } }] }
}
output vnetId string = vnet.id
output firewallSubnetId string = vnet.properties.subnets[0].id
output count int = length(spokes)
`;
const SPOKE = `param index int
param hubId string
resource vnet 'Microsoft.Network/virtualNetworks@2023-09-01' = {
  name: 'vnet-spoke-\${index}'
  properties: {
    addressSpace: { addressPrefixes: ['10.\${index}.0.0/16'] }
    virtualNetworkPeerings: [{ name: 'to-hub', properties: { remoteVirtualNetwork: { id: hubId }, allowForwardedTraffic: true } }]
  }
}
output name string = vnet.name
`;

describe("modules conversion", () => {
  const MAIN = `param spokeCount int = 2
module hub 'modules/hub.bicep' = {
  name: 'hub'
  scope: resourceGroup('rg-hub')
  params: { location: 'westeurope', spokes: range(1, spokeCount) }
}
module spokes 'modules/spoke.bicep' = [for i in range(1, spokeCount): {
  name: 'spoke-\${i}'
  params: { index: i, hubId: hub.outputs.vnetId }
}]
resource last 'Microsoft.Network/networkSecurityGroups@2023-09-01' = { name: '\${spokes[1].outputs.name}-nsg-\${hub.outputs.count}' }
`;
  const files = { "main.bicep": MAIN, "modules/hub.bicep": HUB, "modules/spoke.bicep": SPOKE };

  it("params in, outputs out, scope, loops: one network across resource groups; modules are read through the caller", () => {
    const result = loadBicep(files);
    expect(codes(result, "error")).toEqual([]);
    const { model } = result;
    expect(model.inputs.map((i) => [i.file.replace(`${VROOT}/`, ""), i.format, i.resources])).toEqual([
      ["main.bicep", "bicep", 4],
      ["modules/hub.bicep", "bicep-module", 0],
      ["modules/spoke.bicep", "bicep-module", 0],
    ]);
    const hub = model.virtualNetworks.find((v) => v.name === "vnet-hub")!;
    expect(hub.id).toBe(`${rg("rg-hub")}/Microsoft.Network/virtualNetworks/vnet-hub`);
    const spoke = model.virtualNetworks.find((v) => v.name === "vnet-spoke-2")!;
    expect(spoke.virtualNetworkPeerings[0]!.remoteVirtualNetwork?.id).toBe(hub.id);
    expect(model.networkSecurityGroups[0]!.name).toBe("vnet-spoke-2-nsg-2");
    // Resources of a module are located in the module's file.
    expect(formatSource(spoke.src)).toBe(`${vpath("modules/spoke.bicep")}:3:1`);
    expect(codes(result, "info")).toContain("info bicep/read-as-module");
  });

  it("a module alone is a root: its parameters without a value are Unknown, with a warning naming -p", () => {
    const result = loadBicep(files, { inputs: ["modules/spoke.bicep"] });
    expect(result.model.virtualNetworks[0]!.name).toBe("vnet-spoke-<unknown: parameters('index')>");
    expect(result.model.diagnostics.map((d) => d.message)).toContain(
      "parameter 'index' has no value and no default; values that use it are Unknown (give it with -p index=...)",
    );
  });
});

describe("modules warns", () => {
  it("a missing module file, a registry module not in the cache: warnings; what they deploy is listed as Unknown", () => {
    const src = `module a './nope.bicep' = { name: 'a' }
module b 'br/public:avm/res/network/virtual-network:0.7.0' = { name: 'b', params: { name: 'v' } }
resource nsg 'Microsoft.Network/networkSecurityGroups@2023-09-01' = { name: 'n-\${b.outputs.name}' }
`;
    const result = loadBicep({ "main.bicep": src });
    expect(codes(result, "warning")).toEqual([
      "warning bicep/module-not-found",
      "warning bicep/registry-module-not-cached",
    ]);
    expect(result.model.diagnostics[1]!.message).toMatch(
      /br\/public:avm\/res\/network\/virtual-network:0\.7\.0 \(version 0\.7\.0\)/,
    );
    expect(result.model.unmodeled.map((u) => [u.type, u.name])).toEqual([
      ["Microsoft.Resources/deployments", "a"],
      ["Microsoft.Resources/deployments", "b"],
    ]);
    expect(isUnknown(result.model.networkSecurityGroups[0]!.name)).toBe(true);
  });

  it("a registry module in the restore cache is evaluated from its compiled main.json", () => {
    const template = {
      $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      contentVersion: "1.0.0.0",
      parameters: { name: { type: "string" } },
      resources: [
        {
          type: "Microsoft.Network/networkSecurityGroups",
          apiVersion: "2023-09-01",
          name: "[parameters('name')]",
          properties: { securityRules: [] },
        },
      ],
      outputs: {
        id: { type: "string", value: "[resourceId('Microsoft.Network/networkSecurityGroups', parameters('name'))]" },
      },
    };
    const src = `module m 'br/public:avm/res/network/network-security-group:0.5.1' = { name: 'm', scope: resourceGroup('rg-x'), params: { name: 'from-cache' } }
resource rt 'Microsoft.Network/routeTables@2023-09-01' = { name: last(split(m.outputs.id, '/')) }
`;
    const cache = {
      "br/mcr.microsoft.com/bicep$avm$res$network$network-security-group/0.5.1$/main.json": JSON.stringify(template),
    };
    const result = loadBicep({ "main.bicep": src }, { cache });
    expect(codes(result, "warning")).toEqual([]);
    expect(result.model.networkSecurityGroups.map((n) => n.id)).toEqual([
      `${rg("rg-x")}/Microsoft.Network/networkSecurityGroups/from-cache`,
    ]);
    expect(result.model.routeTables[0]!.name).toBe("from-cache");
  });

  it("module cycles are refused; a caller that omits a required parameter is refused", () => {
    const cycle = loadBicep(
      { "a.bicep": "module b './b.bicep' = { name: 'b' }\n", "b.bicep": "module a './a.bicep' = { name: 'a' }\n" },
      { inputs: ["a.bicep"] },
    );
    expect(codes(cycle, "error")).toEqual(["error bicep/module-cycle"]);
    const missing = loadBicep({
      "main.bicep": "module s './spoke.bicep' = { name: 's', params: { index: 1 } }\n",
      "spoke.bicep": SPOKE,
    });
    expect(codes(missing, "error")).toEqual(["error bicep/missing-module-parameter"]);
  });

  it("modules nest at most 16 deep", () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++) files[`m${i}.bicep`] = `module next './m${i + 1}.bicep' = { name: 'n${i}' }\n`;
    files["m20.bicep"] = "resource n 'Microsoft.Network/networkSecurityGroups@2023-09-01' = { name: 'deep' }\n";
    const result = loadBicep(files, { inputs: ["m0.bicep"] });
    expect(codes(result, "error")).toEqual(["error bicep/limit"]);
    expect(result.model.networkSecurityGroups).toEqual([]);
  });
});
