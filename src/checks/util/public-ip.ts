/**
 * @module checks/util/public-ip
 * Checks layer: what is wrong with a public IP address given to API Management (apim-requirements §3.2), and
 * fixes for it. A DNS name label can be added to the address in place (az network public-ip update --dns-name;
 * the ARM form restates the address with the label). SKU, allocation method, IP version and region cannot be
 * changed in place, so that fix is a new Standard static IPv4 address in the instance's region and the instance
 * pointed at it; it has no ARM form, because pointing the instance at it changes the service resource (see
 * checks/util/apim-fixes).
 */
import type { PublicIPAddress } from "../../model/resources.js";
import { isUnknown, unknownReason } from "../../model/unknown.js";
import type { ApimPlacement } from "../placements.js";
import type { Fix } from "../types.js";
import { API_VERSION, bicepName, resourceGroupOf, tfName } from "./fixes.js";

const region = (text: string | undefined) => (text ?? "").toLowerCase().replace(/[\s_-]/g, "");

/**
 * What is wrong with `ip` for `p`: hard problems (a new address is needed) and a missing label or zones (soft),
 * and what could not be read (unknown).
 */
export function publicIpProblems(
  ip: PublicIPAddress,
  p: ApimPlacement,
): { hard: string[]; soft: string[]; unknown: string[] } {
  const hard: string[] = [];
  const soft: string[] = [];
  const unknown: string[] = [];
  const known = (v: string | undefined, what: string) => {
    if (isUnknown(v)) unknown.push(`${what} (${unknownReason(v!)})`);
    return !isUnknown(v);
  };
  const sku = ip.sku?.name;
  if (known(sku, "its SKU") && sku?.toLowerCase() !== "standard")
    hard.push(sku ? `its SKU is ${sku}, not Standard` : "it names no SKU, so Azure makes it a Basic SKU address");
  const alloc = ip.publicIPAllocationMethod;
  if (known(alloc, "its allocation method") && alloc && alloc.toLowerCase() !== "static")
    hard.push(`its allocation method is ${alloc}, not Static`);
  const version = ip.publicIPAddressVersion;
  if (known(version, "its IP version") && version && version.toLowerCase() !== "ipv4")
    hard.push(`it is an ${version} address; API Management takes IPv4`);
  if (
    known(ip.location, "its region") &&
    known(p.location, "the instance's region") &&
    ip.location &&
    p.location &&
    region(ip.location) !== region(p.location)
  )
    hard.push(`it is in ${ip.location}, not in the instance's region ${p.location}`);
  const label = ip.dnsSettings?.domainNameLabel;
  if (known(label, "its DNS name label") && !label) soft.push("it has no DNS name label (dnsSettings.domainNameLabel)");
  const zones = p.isPrimary
    ? p.service.zones
    : p.service.additionalLocations.find((l) => l.location === p.location)?.zones;
  const missing = (zones ?? []).filter((z) => !(ip.zones ?? []).includes(z));
  if (zones?.length && ip.zones?.length && missing.length)
    soft.push(`the instance uses zones ${zones.join(", ")} but the address covers only ${ip.zones.join(", ")}`);
  return { hard, soft, unknown };
}

/** Fixes that give `ip` the DNS name label `label`. */
export function dnsLabelFixes(ip: PublicIPAddress, label: string): Fix[] {
  const arm = [
    {
      type: "Microsoft.Network/publicIPAddresses",
      apiVersion: API_VERSION,
      name: ip.name,
      ...(ip.location ? { location: ip.location } : {}),
      ...(ip.sku ? { sku: { name: ip.sku.name, ...(ip.sku.tier ? { tier: ip.sku.tier } : {}) } } : {}),
      ...(ip.zones?.length ? { zones: ip.zones } : {}),
      properties: {
        ...(ip.publicIPAllocationMethod ? { publicIPAllocationMethod: ip.publicIPAllocationMethod } : {}),
        ...(ip.publicIPAddressVersion ? { publicIPAddressVersion: ip.publicIPAddressVersion } : {}),
        dnsSettings: { domainNameLabel: label },
      },
    },
  ];
  return [
    {
      kind: "az-cli",
      text: `az network public-ip update --resource-group ${resourceGroupOf(ip.id)} --name ${ip.name} --dns-name ${label}`,
    },
    {
      kind: "bicep",
      text: [
        `// in resource ${bicepName(ip.name)} 'Microsoft.Network/publicIPAddresses@${API_VERSION}':`,
        "properties: {",
        `  dnsSettings: { domainNameLabel: '${label}' }`,
        "}",
      ].join("\n"),
    },
    {
      kind: "terraform",
      text: [`# in resource "azurerm_public_ip" "${tfName(ip.name)}":`, `domain_name_label = "${label}"`].join("\n"),
    },
    { kind: "arm", text: JSON.stringify(arm, null, 2) },
  ];
}

/** Fixes that make a new Standard static IPv4 address for `p` and point the instance at it. */
export function newPublicIpFixes(ip: PublicIPAddress, p: ApimPlacement): Fix[] {
  const rg = resourceGroupOf(ip.id);
  const name = `${p.service.name}-${p.location.toLowerCase().replace(/\s+/g, "")}-pip`;
  const label = p.service.name.toLowerCase();
  const target = p.isPrimary ? "publicIpAddressId" : `additionalLocations[<index of ${p.location}>].publicIpAddressId`;
  const zones = p.isPrimary ? p.service.zones : undefined;
  return [
    {
      kind: "az-cli",
      text: [
        `az network public-ip create --resource-group ${rg} --name ${name} --location ${p.location} --sku Standard` +
          ` --allocation-method Static --version IPv4 --dns-name ${label}${zones?.length ? ` --zone ${zones.join(" ")}` : ""}`,
        `az apim update --resource-group ${rg} --name ${p.service.name} --set ${target}=$(az network public-ip show --resource-group ${rg} --name ${name} --query id --output tsv)`,
      ].join("\n"),
    },
    {
      kind: "bicep",
      text: [
        `resource ${bicepName(name)} 'Microsoft.Network/publicIPAddresses@${API_VERSION}' = {`,
        `  name: '${name}'`,
        `  location: '${p.location}'`,
        "  sku: { name: 'Standard' }",
        ...(zones?.length ? [`  zones: [ ${zones.map((z) => `'${z}'`).join(", ")} ]`] : []),
        "  properties: {",
        "    publicIPAllocationMethod: 'Static'",
        "    publicIPAddressVersion: 'IPv4'",
        `    dnsSettings: { domainNameLabel: '${label}' }`,
        "  }",
        "}",
        `// and in the API Management service: ${target}: ${bicepName(name)}.id`,
      ].join("\n"),
    },
    {
      kind: "terraform",
      text: [
        `resource "azurerm_public_ip" "${tfName(name)}" {`,
        `  name                = "${name}"`,
        `  resource_group_name = "${rg}"`,
        `  location            = "${p.location}"`,
        `  sku                 = "Standard"`,
        `  allocation_method   = "Static"`,
        `  domain_name_label   = "${label}"`,
        ...(zones?.length ? [`  zones               = [${zones.map((z) => `"${z}"`).join(", ")}]`] : []),
        "}",
        `# and in azurerm_api_management: public_ip_address_id = azurerm_public_ip.${tfName(name)}.id`,
      ].join("\n"),
    },
  ];
}
