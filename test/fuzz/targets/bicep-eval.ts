// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Bicep source, whose interpolation is ${…}
/**
 * Fuzz targets for the Bicep evaluator and ingesters (src/ingest/bicep): generated programs (the parser
 * family's tree arbitrary, printed), mutated realistic files (modules, loops, conditions, lambdas, imports,
 * .bicepparam), and whole runs of several mutated files calling each other, all loaded through the real ingest
 * on an in-memory host (no disk). Nothing may throw, no `bicep/internal` diagnostic may appear (the last-resort
 * catch), and every diagnostic must be one line.
 */
import fc from "fast-check";
import { print } from "../../../src/ingest/bicep/print.js";
import { InputError } from "../../../src/model/diagnostics.js";
import { loadBicep } from "../../helpers/bicep.js";
import { bicepProgram } from "./bicep.js";
import { mutated } from "./mutate.js";

const MAIN = `targetScope = 'resourceGroup'
@allowed(['Developer', 'Premium'])
param sku string = 'Premium'
param spokes array = [1, 2]
param prefix string
var names = map(spokes, s => 'spoke-\${s}')
var rules = [for (r, i) in range(0, 3): { name: 'r\${i}', properties: { priority: 100 + i, access: i % 2 == 0 ? 'Allow' : 'Deny' } }]
import { shared } from './shared.bicep'
func label(s string) string => toLower('\${prefix}-\${s}')
resource nsg 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: label('nsg')
  properties: { securityRules: union(rules, [shared]) }
}
resource vnet 'Microsoft.Network/virtualNetworks@2023-09-01' = [for (n, i) in names: if (i >= 0) {
  name: n
  properties: {
    addressSpace: { addressPrefixes: [cidrSubnet('10.0.0.0/8', 16, i)] }
    subnets: [{ name: 'a', properties: { addressPrefix: cidrSubnet(cidrSubnet('10.0.0.0/8', 16, i), 24, 0), networkSecurityGroup: { id: nsg.id } } }]
  }
  resource child 'subnets' existing = { name: 'a' }
}]
module hub './hub.bicep' = {
  name: 'hub'
  scope: resourceGroup('rg-hub')
  params: { ids: [for i in range(0, length(names)): vnet[i].id], sku: sku }
}
output o object = { ...hub.outputs, first: vnet[0]::child.id, n: nsg.properties.securityRules[?0].?name ?? 'none' }
`;
const HUB = `param ids array
param sku string
resource rt 'Microsoft.Network/routeTables@2023-09-01' = {
  name: 'rt-\${sku}'
  properties: { routes: [for (id, i) in ids: { name: 'to-\${i}', properties: { addressPrefix: '10.\${i}.0.0/16', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.0.4' } }] }
}
module again './main.bicep' = if (length(ids) > 99) { name: 'cycle' }
output rtId string = rt.id
`;
const SHARED = "@export()\nvar shared = { name: 'deny', properties: { priority: 4096, access: 'Deny' } }\n";
const PARAMS =
  "using './main.bicep'\nparam prefix = readEnvironmentVariable('P', 'x')\nparam spokes = [for i in range(0, 3): i]\n";

/** One run must not throw nor fail internally; diagnostics are one line each. */
function checkRun(files: Record<string, string>): void {
  let result: ReturnType<typeof loadBicep>;
  try {
    result = loadBicep(files, { env: { P: "fuzz" } });
  } catch (error) {
    // A text that looks like JSON (a mutation left a leading '{') is refused by the JSON reader: documented.
    if (error instanceof InputError) return;
    throw error;
  }
  for (const d of result.model.diagnostics) {
    if (d.code === "bicep/internal") throw new Error(d.message);
    if (d.message.includes("\n")) throw new Error(`diagnostic on several lines: ${d.message}`);
  }
}

export const targets = {
  "bicep eval: generated programs": {
    arbitrary: bicepProgram.map(print),
    check: (text: string) => checkRun({ "main.bicep": text }),
  },
  "bicep eval: mutated main file": {
    arbitrary: mutated(fc.constant(MAIN), 4),
    check: (text: string) => checkRun({ "main.bicep": text, "hub.bicep": HUB, "shared.bicep": SHARED }),
  },
  "bicep eval: mutated run of modules and parameters": {
    arbitrary: fc.tuple(mutated(fc.constant(MAIN), 2), mutated(fc.constant(HUB), 3), mutated(fc.constant(PARAMS), 3)),
    check: ([main, hub, params]: [string, string, string]) =>
      checkRun({ "main.bicep": main, "hub.bicep": hub, "shared.bicep": SHARED, "main.bicepparam": params }),
  },
};
