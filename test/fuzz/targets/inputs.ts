/**
 * Fuzz targets for the other input readers: the --assume reader (YAML or JSON), the Service Tags loader
 * (catalogFromServiceTagsJson, then every look-up of the catalog it built), and the export ingesters through
 * loadDocuments (REST bodies, lists and envelopes, Resource Graph tables, Network Watcher and effective-route
 * bodies), and the recogniser of files we name but do not read (Bicep, Terraform: text inputs, where a regular
 * expression that backtracks would hang on long runs of blank lines). Only InputError (ServiceTagsFormatError is
 * one) may escape.
 */
import fc from "fast-check";
import { stringify as toYaml } from "yaml";
import { catalogFromServiceTagsJson } from "../../../src/engine/servicetags/catalog.js";
import { parseAssumptions } from "../../../src/ingest/assume/read.js";
import { loadDocuments, toDocument } from "../../../src/ingest/load.js";
import { InputError } from "../../../src/model/diagnostics.js";
import { allowOnly, mutated, syntaxNoise } from "./mutate.js";

/** Strings that are, or are close to, what the readers look for. */
const azureString = fc.oneof(
  fc.constantFrom(
    "10.0.0.0/16",
    "10.0.1.0/24",
    "10.0.1.4",
    "0.0.0.0/0",
    "::/0",
    "2001:db8::/33",
    "10.0.0.0/33",
    "10.0.0.1/8",
    "300.1.1.1",
    "*",
    "Internet",
    "VirtualNetwork",
    "ApiManagement",
    "ApiManagement.WestEurope",
    "AzureLoadBalancer",
    "Storage",
    "Inbound",
    "Outbound",
    "Allow",
    "Deny",
    "Tcp",
    "Udp",
    "443",
    "1-65535",
    "65536",
    "3443-3442",
    "VirtualAppliance",
    "VnetLocal",
    "None",
    "Connected",
    "Initiated",
    "<unknown:x>",
    "",
  ),
  fc.string({ maxLength: 10 }),
);

const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    azureString,
    fc.integer({ min: -2, max: 70000 }),
    fc.constantFrom(null, true, false, Number.MAX_VALUE, -0, 1.5, 4096, 100, Number.MAX_SAFE_INTEGER),
    fc.array(tie("v"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("id", "name", "properties", "__proto__", "constructor", "value"), tie("v"), {
      maxKeys: 3,
    }),
  ),
})).v;

// ---- --assume ----------------------------------------------------------------------------------------

const gatewayRoute = fc.record(
  {
    gateway: fc.oneof(azureString, anyValue),
    prefixes: fc.oneof(fc.array(azureString, { maxLength: 3 }), anyValue),
    nextHopIpAddress: fc.oneof(fc.array(azureString, { maxLength: 2 }), anyValue),
    extra: anyValue,
  },
  { requiredKeys: [] },
);
const assumptions = fc.oneof(
  fc.record({ gatewayRoutes: fc.array(gatewayRoute, { maxLength: 3 }) }),
  fc.record({ gatewayRoutes: anyValue }, { requiredKeys: [] }),
  anyValue,
);
const assumptionText = fc.oneof(
  assumptions.map((v) => toYaml(v)),
  assumptions.map((v) => JSON.stringify(v) ?? "null"),
);

function checkAssumptions(text: string): void {
  try {
    parseAssumptions(text, "fuzz.yaml");
  } catch (error) {
    allowOnly(error, InputError);
  }
}

// ---- Service Tags -----------------------------------------------------------------------------------

const tag = fc.record(
  {
    name: fc.oneof(
      fc.constantFrom("Storage", "Storage.WestEurope", "ApiManagement", "AzureCloud.westeurope"),
      anyValue,
    ),
    id: fc.oneof(fc.constantFrom("Storage", "ApiManagement"), anyValue),
    properties: fc.oneof(
      fc.record(
        {
          changeNumber: fc.oneof(fc.nat(), anyValue),
          region: fc.oneof(fc.constantFrom("", "westeurope", "centralfrance"), anyValue),
          regionId: fc.oneof(fc.nat(100), anyValue),
          platform: fc.oneof(fc.constant("Azure"), anyValue),
          systemService: fc.oneof(fc.constant("AzureStorage"), anyValue),
          addressPrefixes: fc.oneof(fc.array(azureString, { maxLength: 4 }), anyValue),
          networkFeatures: fc.oneof(fc.constant(null), fc.constant(["API", "NSG"]), anyValue),
        },
        { requiredKeys: [] },
      ),
      anyValue,
    ),
  },
  { requiredKeys: [] },
);
const serviceTags = fc.oneof(
  fc.record(
    {
      changeNumber: fc.oneof(fc.nat(), anyValue),
      cloud: fc.oneof(fc.constant("Public"), anyValue),
      values: fc.oneof(fc.array(tag, { maxLength: 4 }), anyValue),
    },
    { requiredKeys: [] },
  ),
  anyValue,
);

function checkServiceTags(json: unknown): void {
  try {
    const catalog = catalogFromServiceTagsJson(json, "ServiceTags_Public_20250101.json");
    for (const name of [...catalog.names(), "storage", "Nope", "ApiManagement.WestEurope"]) {
      catalog.get(name);
      catalog.canonicalName(name);
      catalog.networkFeatures(name);
      catalog.regionOf(name);
      catalog.entry(name);
      catalog.regionalName(name, "West Europe");
    }
  } catch (error) {
    allowOnly(error, InputError);
  }
}

// ---- exports ---------------------------------------------------------------------------------------

const TYPES = [
  "Microsoft.Network/virtualNetworks",
  "Microsoft.Network/virtualNetworks/subnets",
  "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
  "Microsoft.Network/networkSecurityGroups",
  "Microsoft.Network/networkSecurityGroups/securityRules",
  "Microsoft.Network/routeTables",
  "Microsoft.Network/routeTables/routes",
  "Microsoft.Network/networkInterfaces",
  "Microsoft.Network/applicationSecurityGroups",
  "Microsoft.Network/virtualNetworkGateways",
  "Microsoft.Network/publicIPAddresses",
  "Microsoft.ApiManagement/service",
  "Microsoft.Contoso/widgets",
];
const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers";
const ids = fc.oneof(
  fc.constantFrom(
    `${SUB}/Microsoft.Network/virtualNetworks/vnet`,
    `${SUB}/Microsoft.Network/virtualNetworks/vnet/subnets/snet`,
    `${SUB}/Microsoft.Network/networkSecurityGroups/nsg`,
    `${SUB}/Microsoft.Network/routeTables/rt`,
    `${SUB}/Microsoft.Network/virtualNetworks/vnet/virtualNetworkPeerings/p`,
    "/subscriptions//resourceGroups/",
    "not-an-id",
  ),
  anyValue,
);

/** A property bag that uses the names the converter reads, with values of any type. */
const properties = fc.dictionary(
  fc.constantFrom(
    "addressSpace",
    "addressPrefix",
    "addressPrefixes",
    "subnets",
    "securityRules",
    "defaultSecurityRules",
    "routes",
    "networkSecurityGroup",
    "routeTable",
    "remoteVirtualNetwork",
    "peeringState",
    "allowForwardedTraffic",
    "useRemoteGateways",
    "priority",
    "direction",
    "access",
    "protocol",
    "sourceAddressPrefix",
    "sourceAddressPrefixes",
    "destinationPortRange",
    "destinationPortRanges",
    "nextHopType",
    "nextHopIpAddress",
    "virtualNetworkType",
    "virtualNetworkConfiguration",
    "subnetResourceId",
    "ipConfigurations",
    "delegations",
    "__proto__",
  ),
  fc.oneof(
    anyValue,
    ids,
    fc.record({ id: ids }),
    fc.array(fc.record({ name: azureString, id: ids, properties: anyValue }), { maxLength: 2 }),
  ),
  { maxKeys: 6 },
);
const resource = fc.record(
  {
    type: fc.oneof(fc.constantFrom(...TYPES), anyValue),
    name: fc.oneof(fc.constantFrom("vnet", "nsg", "rt", "snet", "apim", "p"), azureString),
    id: ids,
    location: fc.constantFrom("westeurope", "West Europe", ""),
    sku: fc.oneof(fc.record({ name: fc.constantFrom("Developer", "Premium", "Basic", "StandardV2") }), anyValue),
    properties: fc.oneof(properties, anyValue),
  },
  { requiredKeys: ["name"] },
);
const exportValue = fc.oneof(
  resource,
  fc.array(resource, { maxLength: 5 }),
  fc.record({ value: fc.array(resource, { maxLength: 5 }) }),
  fc.record({ data: fc.array(resource, { maxLength: 5 }) }),
  fc.record({
    data: fc.record({
      columns: fc.array(fc.record({ name: fc.constantFrom("id", "name", "type", "properties", "__proto__") }), {
        maxLength: 4,
      }),
      rows: fc.array(fc.array(anyValue, { maxLength: 4 }), { maxLength: 3 }),
    }),
  }),
  fc.record({
    parameters: anyValue,
    responses: fc.record({ "200": fc.record({ body: fc.oneof(resource, anyValue) }) }),
  }),
  fc.record({
    value: fc.array(
      fc.record({
        source: azureString,
        addressPrefix: fc.array(azureString),
        nextHopType: azureString,
        state: azureString,
      }),
      { maxLength: 3 },
    ),
  }),
  fc.record({
    effectiveSecurityRules: fc.array(anyValue, { maxLength: 3 }),
    networkSecurityGroup: fc.record({ id: ids }),
  }),
  fc.record({ nextHopType: azureString, nextHopIpAddress: azureString, routeTableId: ids }),
  fc.record({ connectivityStatus: fc.array(anyValue, { maxLength: 2 }), dnsServers: anyValue }),
);

function checkExport(texts: string[]): void {
  try {
    loadDocuments(texts.map((text, i) => toDocument(`fuzz-${i}.json`, text)));
  } catch (error) {
    allowOnly(error, InputError);
  }
}

const exportTexts = fc.array(
  fc.oneof(
    exportValue.map((v) => JSON.stringify(v) ?? "null"),
    mutated(
      exportValue.map((v) => JSON.stringify(v, null, 1) ?? "null"),
      2,
    ),
  ),
  { minLength: 1, maxLength: 3 },
);

/** Bicep and Terraform fragments, blank runs and noise, as lines of a text input. */
const textLine = fc.oneof(
  fc.constantFrom(
    "resource vnet 'Microsoft.Network/virtualNetworks@2023-05-01' = {",
    "module hub './hub.bicep' = {",
    "targetScope = 'subscription'",
    "param location string = 'westeurope'",
    "using './main.bicep'",
    'resource "azurerm_subnet" "apim" {',
    'variable "location" {',
    "terraform {",
    "locals {",
    "}",
    "resource",
    "resource vnet",
    "param",
    "",
    "   \t",
  ),
  fc.string({ maxLength: 40 }),
  fc.nat({ max: 5000 }).map((n) => "\n".repeat(n)),
  fc.nat({ max: 5000 }).map((n) => " ".repeat(n)),
);
const textInput = fc.array(textLine, { maxLength: 12 }).map((lines) => lines.join("\n"));

function checkTextInputs(texts: string[]): void {
  try {
    loadDocuments(texts.map((text, i) => toDocument(`fuzz-${i}.${i % 2 ? "tf" : "bicep"}`, text)));
  } catch (error) {
    allowOnly(error, InputError);
  }
}

export const targets = {
  "assume: generated": { arbitrary: assumptionText, check: checkAssumptions },
  "assume: mutated": { arbitrary: mutated(assumptionText, 3), check: checkAssumptions },
  "assume: noise": { arbitrary: syntaxNoise, check: checkAssumptions },
  "service tags: generated": { arbitrary: serviceTags, check: checkServiceTags },
  "service tags: mutated text": {
    arbitrary: mutated(
      serviceTags.map((v) => JSON.stringify(v) ?? "null"),
      3,
    ),
    check(text: string) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return;
      }
      checkServiceTags(json);
    },
  },
  "exports: loadDocuments": { arbitrary: exportTexts, check: checkExport },
  "text inputs: generated": { arbitrary: fc.array(textInput, { minLength: 1, maxLength: 3 }), check: checkTextInputs },
  "text inputs: mutated": {
    arbitrary: fc.array(mutated(textInput, 3), { minLength: 1, maxLength: 3 }),
    check: checkTextInputs,
  },
};
