/**
 * @module checks/fix/forms
 * Checks layer, fix engine: how each resource type a fix touches is written in each form, as data: the az CLI
 * command group and the flag of each ARM property, the azurerm resource and the attribute of each property, the
 * api-version for Bicep and ARM. The renderers (checks/fix/render) read only this table, so a type, a flag or an
 * attribute is written in one place. Flag and attribute names are those of az CLI 2.6x and azurerm 3.x/4.x
 * (`az network nsg rule create --help`, registry.terraform.io/providers/hashicorp/azurerm docs).
 */

/** How one ARM property is written as an az flag. */
export interface AzFlag {
  flag: string;
  /** `list`: the values space-separated; `refName`: a reference written as the resource's name; `refId`: as its id. */
  as?: "list" | "refName" | "refId" | "bool" | "endpoints" | "delegations";
}

/** How one ARM property is written as an azurerm attribute. */
export interface TfAttr {
  attr: string;
  /**
   * `ids`: a list of references written as a list of ids; `endpoints`: serviceEndpoints as service names;
   * `wrap`: one value written as a list of one (`addressPrefix` as `address_prefixes`).
   */
  as?: "ids" | "ref" | "endpoints" | "wrap";
}

export interface TypeForm {
  /** The type as ARM spells it (`Microsoft.Network/networkSecurityGroups`). */
  type: string;
  /** The api-version Bicep and ARM fixes are written against. */
  apiVersion: string;
  /** Words after `az` (`network nsg rule`), the flags that name the parents, the flag of the name. */
  az: {
    group: string;
    parents: string[];
    nameFlag: string;
    createVerb?: string;
    flags: Record<string, AzFlag>;
    /** The flags of the resource's `sku.name` and `zones` (outside `properties`), where the type has them. */
    sku?: string;
    zones?: string;
  };
  /** The azurerm resource, the attributes that name the parents, whether it has a resource group and location. */
  terraform: {
    resource: string;
    parents: string[];
    location?: boolean;
    /** The attributes of `sku.name` and `zones`, where the type has them. */
    sku?: string;
    zones?: string;
    attrs: Record<string, TfAttr>;
    /** Inline children of a parent declared with its children (`security_rule` blocks). */
    blocks?: { property: string; block: string; childType: string };
  };
  /** The location a new resource of this type takes when the change gives none (`global` for DNS links). */
  location?: string;
}

const RULE_ATTRS: Record<string, TfAttr> = {
  description: { attr: "description" },
  priority: { attr: "priority" },
  direction: { attr: "direction" },
  access: { attr: "access" },
  protocol: { attr: "protocol" },
  sourcePortRange: { attr: "source_port_range" },
  sourcePortRanges: { attr: "source_port_ranges" },
  destinationPortRange: { attr: "destination_port_range" },
  destinationPortRanges: { attr: "destination_port_ranges" },
  sourceAddressPrefix: { attr: "source_address_prefix" },
  sourceAddressPrefixes: { attr: "source_address_prefixes" },
  destinationAddressPrefix: { attr: "destination_address_prefix" },
  destinationAddressPrefixes: { attr: "destination_address_prefixes" },
  sourceApplicationSecurityGroups: { attr: "source_application_security_group_ids", as: "ids" },
  destinationApplicationSecurityGroups: { attr: "destination_application_security_group_ids", as: "ids" },
};

const ROUTE_ATTRS: Record<string, TfAttr> = {
  addressPrefix: { attr: "address_prefix" },
  nextHopType: { attr: "next_hop_type" },
  nextHopIpAddress: { attr: "next_hop_in_ip_address" },
};

const NETWORK = "2023-05-01";
const DNS = "2020-06-01";

export const FORMS: Record<string, TypeForm> = {
  "microsoft.network/networksecuritygroups/securityrules": {
    type: "Microsoft.Network/networkSecurityGroups/securityRules",
    apiVersion: NETWORK,
    az: {
      group: "network nsg rule",
      parents: ["--nsg-name"],
      nameFlag: "--name",
      flags: {
        priority: { flag: "--priority" },
        direction: { flag: "--direction" },
        access: { flag: "--access" },
        protocol: { flag: "--protocol" },
        description: { flag: "--description" },
        sourceAddressPrefix: { flag: "--source-address-prefixes", as: "list" },
        sourceAddressPrefixes: { flag: "--source-address-prefixes", as: "list" },
        sourcePortRange: { flag: "--source-port-ranges", as: "list" },
        sourcePortRanges: { flag: "--source-port-ranges", as: "list" },
        destinationAddressPrefix: { flag: "--destination-address-prefixes", as: "list" },
        destinationAddressPrefixes: { flag: "--destination-address-prefixes", as: "list" },
        destinationPortRange: { flag: "--destination-port-ranges", as: "list" },
        destinationPortRanges: { flag: "--destination-port-ranges", as: "list" },
        sourceApplicationSecurityGroups: { flag: "--source-asgs", as: "list" },
        destinationApplicationSecurityGroups: { flag: "--destination-asgs", as: "list" },
      },
    },
    terraform: {
      resource: "azurerm_network_security_rule",
      parents: ["network_security_group_name"],
      attrs: RULE_ATTRS,
    },
  },
  "microsoft.network/networksecuritygroups": {
    type: "Microsoft.Network/networkSecurityGroups",
    apiVersion: NETWORK,
    az: { group: "network nsg", parents: [], nameFlag: "--name", flags: {} },
    terraform: {
      resource: "azurerm_network_security_group",
      parents: [],
      location: true,
      attrs: {},
      blocks: {
        property: "securityRules",
        block: "security_rule",
        childType: "microsoft.network/networksecuritygroups/securityrules",
      },
    },
  },
  "microsoft.network/routetables/routes": {
    type: "Microsoft.Network/routeTables/routes",
    apiVersion: NETWORK,
    az: {
      group: "network route-table route",
      parents: ["--route-table-name"],
      nameFlag: "--name",
      flags: {
        addressPrefix: { flag: "--address-prefix" },
        nextHopType: { flag: "--next-hop-type" },
        nextHopIpAddress: { flag: "--next-hop-ip-address" },
      },
    },
    terraform: { resource: "azurerm_route", parents: ["route_table_name"], attrs: ROUTE_ATTRS },
  },
  "microsoft.network/routetables": {
    type: "Microsoft.Network/routeTables",
    apiVersion: NETWORK,
    az: {
      group: "network route-table",
      parents: [],
      nameFlag: "--name",
      flags: { disableBgpRoutePropagation: { flag: "--disable-bgp-route-propagation", as: "bool" } },
    },
    terraform: {
      resource: "azurerm_route_table",
      parents: [],
      location: true,
      attrs: {},
      blocks: { property: "routes", block: "route", childType: "microsoft.network/routetables/routes" },
    },
  },
  "microsoft.network/virtualnetworks/subnets": {
    type: "Microsoft.Network/virtualNetworks/subnets",
    apiVersion: NETWORK,
    az: {
      group: "network vnet subnet",
      parents: ["--vnet-name"],
      nameFlag: "--name",
      flags: {
        addressPrefix: { flag: "--address-prefixes", as: "list" },
        addressPrefixes: { flag: "--address-prefixes", as: "list" },
        networkSecurityGroup: { flag: "--network-security-group", as: "refName" },
        routeTable: { flag: "--route-table", as: "refName" },
        serviceEndpoints: { flag: "--service-endpoints", as: "endpoints" },
        delegations: { flag: "--delegations", as: "delegations" },
        defaultOutboundAccess: { flag: "--default-outbound", as: "bool" },
      },
    },
    terraform: {
      resource: "azurerm_subnet",
      parents: ["virtual_network_name"],
      attrs: {
        addressPrefix: { attr: "address_prefixes", as: "wrap" },
        addressPrefixes: { attr: "address_prefixes" },
        serviceEndpoints: { attr: "service_endpoints", as: "endpoints" },
        defaultOutboundAccess: { attr: "default_outbound_access_enabled" },
      },
    },
  },
  "microsoft.network/virtualnetworks/virtualnetworkpeerings": {
    type: "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
    apiVersion: NETWORK,
    az: {
      group: "network vnet peering",
      parents: ["--vnet-name"],
      nameFlag: "--name",
      flags: {
        remoteVirtualNetwork: { flag: "--remote-vnet", as: "refId" },
        allowVirtualNetworkAccess: { flag: "--allow-vnet-access", as: "bool" },
        allowForwardedTraffic: { flag: "--allow-forwarded-traffic", as: "bool" },
        allowGatewayTransit: { flag: "--allow-gateway-transit", as: "bool" },
        useRemoteGateways: { flag: "--use-remote-gateways", as: "bool" },
      },
    },
    terraform: {
      resource: "azurerm_virtual_network_peering",
      parents: ["virtual_network_name"],
      attrs: {
        remoteVirtualNetwork: { attr: "remote_virtual_network_id", as: "ref" },
        allowVirtualNetworkAccess: { attr: "allow_virtual_network_access" },
        allowForwardedTraffic: { attr: "allow_forwarded_traffic" },
        allowGatewayTransit: { attr: "allow_gateway_transit" },
        useRemoteGateways: { attr: "use_remote_gateways" },
      },
    },
  },
  "microsoft.network/privatednszones/virtualnetworklinks": {
    type: "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
    apiVersion: DNS,
    location: "global",
    az: {
      group: "network private-dns link vnet",
      parents: ["--zone-name"],
      nameFlag: "--name",
      flags: {
        virtualNetwork: { flag: "--virtual-network", as: "refId" },
        registrationEnabled: { flag: "--registration-enabled" },
      },
    },
    terraform: {
      resource: "azurerm_private_dns_zone_virtual_network_link",
      parents: ["private_dns_zone_name"],
      attrs: {
        virtualNetwork: { attr: "virtual_network_id", as: "ref" },
        registrationEnabled: { attr: "registration_enabled" },
      },
    },
  },
  "microsoft.network/privatednszones/a": {
    type: "Microsoft.Network/privateDnsZones/A",
    apiVersion: DNS,
    az: {
      group: "network private-dns record-set a",
      parents: ["--zone-name"],
      nameFlag: "--record-set-name",
      createVerb: "add-record",
      flags: { aRecords: { flag: "--ipv4-address" } },
    },
    terraform: {
      resource: "azurerm_private_dns_a_record",
      parents: ["zone_name"],
      attrs: { ttl: { attr: "ttl" }, aRecords: { attr: "records" } },
    },
  },
  "microsoft.network/publicipaddresses": {
    type: "Microsoft.Network/publicIPAddresses",
    apiVersion: NETWORK,
    az: {
      group: "network public-ip",
      parents: [],
      nameFlag: "--name",
      sku: "--sku",
      zones: "--zone",
      flags: {
        publicIPAllocationMethod: { flag: "--allocation-method" },
        publicIPAddressVersion: { flag: "--version" },
        "dnsSettings.domainNameLabel": { flag: "--dns-name" },
      },
    },
    terraform: {
      resource: "azurerm_public_ip",
      parents: [],
      location: true,
      sku: "sku",
      zones: "zones",
      attrs: {
        publicIPAllocationMethod: { attr: "allocation_method" },
        "dnsSettings.domainNameLabel": { attr: "domain_name_label" },
      },
    },
  },
  "microsoft.apimanagement/service": {
    type: "Microsoft.ApiManagement/service",
    apiVersion: "2023-05-01-preview",
    az: {
      group: "apim",
      parents: [],
      nameFlag: "--name",
      flags: {
        virtualNetworkType: { flag: "--virtual-network" },
        publicIpAddressId: { flag: "--set publicIpAddressId", as: "refId" },
        "virtualNetworkConfiguration.subnetResourceId": {
          flag: "--set virtualNetworkConfiguration.subnetResourceId",
          as: "refId",
        },
      },
    },
    terraform: {
      resource: "azurerm_api_management",
      parents: [],
      attrs: {
        virtualNetworkType: { attr: "virtual_network_type" },
        publicIpAddressId: { attr: "public_ip_address_id", as: "ref" },
      },
    },
  },
};

/** The form of a type, by its full type name (any case). */
export function formOf(type: string): TypeForm | undefined {
  return FORMS[type.toLowerCase()];
}
