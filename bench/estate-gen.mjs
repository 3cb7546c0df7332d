/**
 * Generates the estate benchmark's input (bench/estate.bench.mjs): one REST export of a hub-and-spoke estate as
 * platform teams run it. Hub VNets (one per 400 spokes: Azure allows 500 peerings per VNet), each with an Azure
 * Firewall (the next hop of its spokes' 0.0.0.0/0) and a VPN gateway; spokes of 4 to 12 subnets, each spoke peered
 * with its hub (gateway transit on the hub side,
 * remote gateways and forwarded traffic on the spoke side); two NSGs per spoke of 20 to 200 rules (service tags,
 * CIDRs, port ranges and lists, both directions, some denies); a route table per spoke sending 0.0.0.0/0 to the
 * firewall; one Premium API Management instance (Internal) per 20 spokes, in its own subnet with the documented
 * rules, with backends at addresses in other spokes. Deterministic for a given spoke count (bench/random.mjs), so
 * figures from two runs compare. Usage: `node bench/estate-gen.mjs <subnets> > estate.json`.
 */
import { pathToFileURL } from "node:url";
import { prng } from "./random.mjs";

const NET = "2023-09-01";
const APIM = "2023-05-01-preview";
const TAGS = ["VirtualNetwork", "AzureLoadBalancer", "Internet", "Storage", "Sql", "AzureMonitor", "AzureKeyVault"];
const PORTS = ["80", "443", "1433", "3389", "22", "8080", "5671-5672", "8000-8999", "445", "1024-65535"];
/** Spokes per hub: Azure allows 500 peerings per VNet, so a large estate has regional hubs. */
const SPOKES_PER_HUB = 400;

/** The /22 of spoke `i` (spokes start at 10.1.0.0; 16 /26 subnets each), as its first three octets' base. */
function spokeBase(i) {
  const n = (1 << 16) + i * 1024; // address offset within 10.0.0.0/8, in units of one address
  return { b: (n >>> 16) & 255, c: (n >>> 8) & 255 };
}

function subnetPrefix(i, s) {
  const { b, c } = spokeBase(i);
  return `10.${b}.${c + (s >>> 2)}.${(s & 3) * 64}/26`;
}

function subnetAddress(i, s, host) {
  const { b, c } = spokeBase(i);
  return `10.${b}.${c + (s >>> 2)}.${(s & 3) * 64 + host}`;
}

const ref = (type, ...names) => `[resourceId('${type}', ${names.map((n) => `'${n}'`).join(", ")})]`;

/**
 * An NSG of `count` rules drawn from `rand` (mostly allows of workload traffic, some denies) for spoke `own`: the
 * local side of a rule (the destination inbound, the source outbound) is the subnets it is attached to or
 * VirtualNetwork, as users write them; the remote side is any spoke, a service tag or the Internet.
 */
function nsg(name, count, rand, spokes, own, parity) {
  const rules = [];
  for (let r = 0; r < count; r++) {
    const pick = (list) => list[Math.floor(rand() * list.length)];
    const cidr = () => subnetPrefix(Math.floor(rand() * spokes), Math.floor(rand() * 4));
    const remote = () => (rand() < 0.45 ? pick(TAGS) : cidr());
    // The NSG is attached to the spoke's even (parity 0) or odd subnets: its local prefixes are theirs.
    const local = () => (rand() < 0.4 ? "VirtualNetwork" : subnetPrefix(own, parity + 2 * Math.floor(rand() * 2)));
    const protocol = pick(["Tcp", "Tcp", "Udp", "*", "Icmp"]);
    const direction = rand() < 0.6 ? "Inbound" : "Outbound";
    const properties = {
      description: `rule ${r} of ${name}`,
      protocol,
      sourcePortRange: "*",
      access: rand() < 0.15 ? "Deny" : "Allow",
      priority: 100 + r * 10,
      direction,
    };
    // Ports only where the protocol has them (Icmp and `*` rules name every port, as users write them).
    if (protocol === "Icmp" || protocol === "*") properties.destinationPortRange = "*";
    else if (rand() < 0.2) properties.destinationPortRanges = [pick(PORTS), pick(PORTS), String(9000 + r)];
    else properties.destinationPortRange = rand() < 0.3 ? pick(PORTS) : String(1000 + r);
    const [source, destination] = direction === "Inbound" ? [remote, local] : [local, remote];
    if (direction === "Inbound" && rand() < 0.15) properties.sourceAddressPrefixes = [cidr(), cidr()];
    else properties.sourceAddressPrefix = source();
    properties.destinationAddressPrefix = destination();
    rules.push({ name: `rule-${r}`, properties });
  }
  return {
    type: "Microsoft.Network/networkSecurityGroups",
    apiVersion: NET,
    name,
    location: "[parameters('location')]",
    properties: { securityRules: rules },
  };
}

/** Hub h's address space: a /20 of 10.0.0.0/16 (spokes start at 10.1.0.0). */
const hubSpace = (h) => `10.0.${h * 16}.0/20`;
/** Hub h's firewall address: the first usable address of its AzureFirewallSubnet. */
const hubFirewall = (h) => `10.0.${h * 16}.4`;

/** Hub h (VNet, firewall, VPN gateway) added to `resources`; returns the hub VNet (spokes add its peerings). */
function hubResources(h, resources) {
  const name = `vnet-hub-${h}`;
  const hub = {
    type: "Microsoft.Network/virtualNetworks",
    apiVersion: NET,
    name,
    location: "[parameters('location')]",
    properties: {
      addressSpace: { addressPrefixes: [hubSpace(h)] },
      subnets: [
        { name: "AzureFirewallSubnet", properties: { addressPrefix: `10.0.${h * 16}.0/26` } },
        { name: "GatewaySubnet", properties: { addressPrefix: `10.0.${h * 16 + 1}.0/27` } },
      ],
      virtualNetworkPeerings: [],
    },
  };
  const subnetId = (subnet) => ({ id: ref("Microsoft.Network/virtualNetworks/subnets", name, subnet) });
  resources.push(hub, {
    type: "Microsoft.Network/azureFirewalls",
    apiVersion: NET,
    name: `afw-hub-${h}`,
    location: "[parameters('location')]",
    properties: {
      ipConfigurations: [
        {
          name: "ipconfig",
          properties: { privateIPAddress: hubFirewall(h), subnet: subnetId("AzureFirewallSubnet") },
        },
      ],
    },
  });
  resources.push({
    type: "Microsoft.Network/virtualNetworkGateways",
    apiVersion: NET,
    name: `vgw-hub-${h}`,
    location: "[parameters('location')]",
    properties: {
      gatewayType: "Vpn",
      vpnType: "RouteBased",
      enableBgp: false,
      sku: { name: "VpnGw1", tier: "VpnGw1" },
      ipConfigurations: [{ name: "default", properties: { subnet: subnetId("GatewaySubnet") } }],
    },
  });
  return hub;
}

/** The rules the APIM subnet needs (docs: management endpoint, load balancer, and the dependencies out). */
function apimRules() {
  const rule = (name, priority, direction, source, destination, port) => ({
    name,
    properties: {
      protocol: "Tcp",
      sourcePortRange: "*",
      destinationPortRange: port,
      sourceAddressPrefix: source,
      destinationAddressPrefix: destination,
      access: "Allow",
      priority,
      direction,
    },
  });
  return [
    rule("Allow-ApiManagement", 100, "Inbound", "ApiManagement", "VirtualNetwork", "3443"),
    rule("Allow-LoadBalancer", 110, "Inbound", "AzureLoadBalancer", "VirtualNetwork", "6390"),
    rule("Allow-Clients", 120, "Inbound", "VirtualNetwork", "VirtualNetwork", "443"),
    rule("Allow-Storage", 100, "Outbound", "VirtualNetwork", "Storage", "443"),
    rule("Allow-Sql", 110, "Outbound", "VirtualNetwork", "Sql", "1433"),
    rule("Allow-KeyVault", 120, "Outbound", "VirtualNetwork", "AzureKeyVault", "443"),
    rule("Allow-Monitor", 130, "Outbound", "VirtualNetwork", "AzureMonitor", "1886"),
    rule("Allow-Backends", 140, "Outbound", "VirtualNetwork", "VirtualNetwork", "8080"),
  ];
}

/**
 * The estate with about `targetSubnets` subnets (spokes of 4-12, mean 8, plus the hub's two), as
 * `{ text, subnets, spokes, nsgs, rules, apims }`.
 */
export function generateEstate(targetSubnets) {
  const spokes = Math.max(2, Math.round((targetSubnets - 2) / 8));
  const rand = prng(20_100);
  const resources = [];
  const hubs = [];
  for (let h = 0; h * SPOKES_PER_HUB < spokes; h++) hubs.push(hubResources(h, resources));
  let subnets = 2 * hubs.length;
  let nsgs = 0;
  let rules = 0;
  let apims = 0;
  const counts = [];
  for (let i = 0; i < spokes; i++) counts.push(4 + Math.floor(rand() * 9));
  for (let i = 0; i < spokes; i++) {
    const vnet = `vnet-spoke-${i}`;
    const h = Math.floor(i / SPOKES_PER_HUB);
    const hub = hubs[h];
    const firewall = hubFirewall(h);
    const hasApim = i % 20 === 0;
    for (const half of ["a", "b"]) {
      const count = 20 + Math.floor(180 * rand() ** 3);
      resources.push(nsg(`nsg-${i}-${half}`, count, rand, spokes, i, half === "a" ? 0 : 1));
      nsgs++;
      rules += count;
    }
    resources.push({
      type: "Microsoft.Network/routeTables",
      apiVersion: NET,
      name: `rt-${i}`,
      location: "[parameters('location')]",
      properties: {
        disableBgpRoutePropagation: i % 3 === 0,
        routes: [
          {
            name: "default-to-firewall",
            properties: { addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: firewall },
          },
          {
            name: "on-premises-to-gateway",
            properties: { addressPrefix: "192.168.0.0/16", nextHopType: "VirtualNetworkGateway" },
          },
        ],
      },
    });
    const spokeSubnets = [];
    for (let s = 0; s < counts[i]; s++) {
      const apimSubnet = hasApim && s === 0;
      spokeSubnets.push({
        name: apimSubnet ? "snet-apim" : `snet-${s}`,
        properties: {
          addressPrefix: subnetPrefix(i, s),
          networkSecurityGroup: {
            id: ref(
              "Microsoft.Network/networkSecurityGroups",
              apimSubnet ? `nsg-apim-${i}` : `nsg-${i}-${"ab"[s & 1]}`,
            ),
          },
          routeTable: { id: ref("Microsoft.Network/routeTables", `rt-${i}`) },
        },
      });
    }
    subnets += counts[i];
    resources.push({
      type: "Microsoft.Network/virtualNetworks",
      apiVersion: NET,
      name: vnet,
      location: "[parameters('location')]",
      dependsOn: [ref("Microsoft.Network/virtualNetworks", hub.name)],
      properties: {
        addressSpace: { addressPrefixes: [subnetPrefix(i, 0).replace(/\.\d+\/26$/, ".0/22")] },
        subnets: spokeSubnets,
        virtualNetworkPeerings: [
          {
            name: "to-hub",
            properties: {
              remoteVirtualNetwork: { id: ref("Microsoft.Network/virtualNetworks", hub.name) },
              allowVirtualNetworkAccess: true,
              allowForwardedTraffic: true,
              useRemoteGateways: true,
              peeringState: "Connected",
            },
          },
        ],
      },
    });
    hub.properties.virtualNetworkPeerings.push({
      name: `to-spoke-${i}`,
      properties: {
        remoteVirtualNetwork: { id: ref("Microsoft.Network/virtualNetworks", vnet) },
        allowVirtualNetworkAccess: true,
        allowForwardedTraffic: true,
        allowGatewayTransit: true,
        peeringState: "Connected",
      },
    });
    if (hasApim) {
      apims++;
      resources.push({
        type: "Microsoft.Network/networkSecurityGroups",
        apiVersion: NET,
        name: `nsg-apim-${i}`,
        location: "[parameters('location')]",
        properties: { securityRules: apimRules() },
      });
      nsgs++;
      rules += apimRules().length;
      const name = `apim-${i}`;
      resources.push({
        type: "Microsoft.ApiManagement/service",
        apiVersion: APIM,
        name,
        location: "[parameters('location')]",
        sku: { name: "Premium", capacity: 1 },
        properties: {
          publisherEmail: "api@contoso.example",
          publisherName: "Contoso",
          virtualNetworkType: "Internal",
          virtualNetworkConfiguration: {
            subnetResourceId: ref("Microsoft.Network/virtualNetworks/subnets", vnet, "snet-apim"),
          },
        },
      });
      for (let b = 0; b < 3; b++) {
        // Backends in other spokes of the same hub (reachable through its firewall).
        const first = h * SPOKES_PER_HUB;
        const group = Math.min(spokes, first + SPOKES_PER_HUB) - first;
        const other = first + ((i - first + 1 + Math.floor(rand() * (group - 1))) % group);
        const s = 1 + Math.floor(rand() * (counts[other] - 1));
        resources.push({
          type: "Microsoft.ApiManagement/service/backends",
          apiVersion: APIM,
          name: `${name}/backend-${b}`,
          properties: { url: `http://${subnetAddress(other, s, 10)}:8080/api`, protocol: "http" },
        });
      }
    }
  }
  return { text: JSON.stringify(asExport(resources), null, 2), subnets, spokes, nsgs, rules, apims };
}

const SCOPE = "/subscriptions/00000000-0000-4000-8000-000000000017/resourceGroups/rg-estate/providers";

/** The id `resourceId(type, ...names)` stands for, in the export's one resource group. */
function idOf(type, names) {
  const [namespace, ...types] = type.split("/");
  return `${SCOPE}/${namespace}/${types.map((t, i) => `${t}/${names[i]}`).join("/")}`;
}

/**
 * The resources as a REST export (`{ value: [...] }`, what `az rest` and the portal's export give): ids instead of
 * `resourceId()`, the location written out. An estate of this size is never one ARM template (Azure allows 800
 * resources in one), but it is one export.
 */
function asExport(resources) {
  const literal = (value) => {
    if (typeof value === "string") {
      const m = /^\[resourceId\('([^']+)', (.+)\)\]$/.exec(value);
      if (m)
        return idOf(
          m[1],
          [...m[2].matchAll(/'([^']*)'/g)].map((x) => x[1]),
        );
      return value === "[parameters('location')]" ? "westeurope" : value;
    }
    if (Array.isArray(value)) return value.map(literal);
    if (value && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, literal(v)]));
    return value;
  };
  return {
    value: resources.map(({ apiVersion: _, dependsOn: __, ...r }) => {
      const names = r.name.split("/");
      return { ...literal(r), id: idOf(r.type, names), name: names[names.length - 1] };
    }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.stdout.write(generateEstate(Number(process.argv[2] ?? 500)).text);
}
