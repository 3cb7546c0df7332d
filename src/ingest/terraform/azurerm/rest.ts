/**
 * @module ingest/terraform/azurerm/rest
 * Ingest layer, Terraform: resource instances (config/run or the plan reader) to the REST-shaped nodes the shared
 * conversion takes (resources/to-model), the same shapes an ARM template gives. Each azurerm type of this domain
 * has its mapping (network.ts, services.ts), `azapi_resource` hands its body on (azapi.ts), and every other type
 * is a node of its Terraform type, which the conversion lists as unmodelled. Associations — a subnet's NSG,
 * route table and NAT gateway, a NIC's NSG and ASGs — and `azapi_update_resource` are applied to the resource
 * they name when this configuration declares it; one that names a resource outside it is said and not applied
 * (a partial declaration of a resource declared elsewhere would replace it).
 */
import { providerKey } from "../../../model/ids.js";
import { unknownValue } from "../../../model/unknown.js";
import type { Instance, Undecided } from "../config/run.js";
import * as avnm from "./avnm.js";
import { azapiResource } from "./azapi.js";
import { Args, type Json, obj, put, ref } from "./emit.js";
import * as gw from "./gateways.js";
import type { MapContext } from "./network.js";
import * as net from "./network.js";
import * as svc from "./services.js";

type Mapper = (a: Args, ctx: MapContext) => Json[];

const MAPPERS: Record<string, Mapper> = {
  azurerm_virtual_network: net.virtualNetwork,
  azurerm_subnet: net.subnet,
  azurerm_network_security_group: net.networkSecurityGroup,
  azurerm_network_security_rule: net.securityRule,
  azurerm_application_security_group: net.applicationSecurityGroup,
  azurerm_route_table: net.routeTable,
  azurerm_route: net.route,
  azurerm_virtual_network_peering: net.peering,
  azurerm_network_interface: gw.networkInterface,
  azurerm_public_ip: gw.publicIp,
  azurerm_nat_gateway: gw.natGateway,
  azurerm_virtual_network_gateway: gw.virtualNetworkGateway,
  azurerm_local_network_gateway: gw.localNetworkGateway,
  azurerm_virtual_network_gateway_connection: gw.gatewayConnection,
  azurerm_api_management: svc.apiManagement,
  azurerm_api_management_backend: svc.apimBackend,
  azurerm_api_management_api: svc.apimApi,
  azurerm_private_endpoint: svc.privateEndpoint,
  azurerm_private_dns_zone: svc.privateDnsZone,
  azurerm_private_dns_a_record: svc.privateDnsARecord,
  azurerm_private_dns_zone_virtual_network_link: svc.privateDnsLink,
  azurerm_route_server: svc.routeServer,
  azurerm_route_server_bgp_connection: svc.bgpConnection,
  azurerm_virtual_hub_bgp_connection: svc.bgpConnection,
  azurerm_network_manager: avnm.networkManager,
  azurerm_network_manager_network_group: avnm.networkGroup,
  azurerm_network_manager_static_member: avnm.staticMember,
  azurerm_network_manager_security_admin_configuration: avnm.securityAdminConfiguration,
  azurerm_network_manager_admin_rule_collection: avnm.adminRuleCollection,
  azurerm_network_manager_admin_rule: avnm.adminRule,
  azurerm_network_manager_deployment: avnm.deployment,
  azapi_resource: azapiResource,
};

/** Associations: the resource they attach to, and the property they set on it. */
const ASSOCIATIONS: Record<
  string,
  { target: string; kind: "subnet" | "nic" | "nat"; property: string; value: string; list?: boolean }
> = {
  azurerm_subnet_network_security_group_association: {
    target: "subnet_id",
    kind: "subnet",
    property: "networkSecurityGroup",
    value: "network_security_group_id",
  },
  azurerm_subnet_route_table_association: {
    target: "subnet_id",
    kind: "subnet",
    property: "routeTable",
    value: "route_table_id",
  },
  azurerm_subnet_nat_gateway_association: {
    target: "subnet_id",
    kind: "subnet",
    property: "natGateway",
    value: "nat_gateway_id",
  },
  azurerm_network_interface_security_group_association: {
    target: "network_interface_id",
    kind: "nic",
    property: "networkSecurityGroup",
    value: "network_security_group_id",
  },
  azurerm_network_interface_application_security_group_association: {
    target: "network_interface_id",
    kind: "nic",
    property: "applicationSecurityGroups",
    value: "application_security_group_id",
    list: true,
  },
  azurerm_nat_gateway_public_ip_association: {
    target: "nat_gateway_id",
    kind: "nat",
    property: "publicIpAddresses",
    value: "public_ip_address_id",
    list: true,
  },
  azurerm_nat_gateway_public_ip_prefix_association: {
    target: "nat_gateway_id",
    kind: "nat",
    property: "publicIpPrefixes",
    value: "public_ip_prefix_id",
    list: true,
  },
};

export interface RestResult {
  nodes: Json[];
  /** Nodes whose instance hangs on a count no input decides. */
  undecided: Map<Json, Undecided>;
  /** Terraform types that were not mapped, with how many instances (for the inventory note). */
  unmodelled: Map<string, number>;
}

/** Maps instances to REST nodes and applies associations and updates. */
export function toRest(instances: Instance[], ctx: MapContext): RestResult {
  const nodes: Json[] = [];
  const undecided = new Map<Json, Undecided>();
  const unmodelled = new Map<string, number>();
  const later: { inst: Instance; a: Args }[] = [];
  for (const inst of instances) {
    const a = new Args(inst.value, inst.place, inst.address);
    if (ASSOCIATIONS[inst.type] || inst.type === "azapi_update_resource") {
      later.push({ inst, a });
      continue;
    }
    const mapper = MAPPERS[inst.type];
    const made = mapper ? mapper(a, ctx) : svc.unmodelled(a, inst.type);
    if (!mapper) unmodelled.set(inst.type, (unmodelled.get(inst.type) ?? 0) + 1);
    for (const n of made) {
      nodes.push(n);
      if (inst.undecided) undecided.set(n, inst.undecided);
    }
  }
  const index = new Targets(nodes);
  for (const { inst, a } of later) {
    if (inst.type === "azapi_update_resource") update(inst, a, index, nodes, undecided, ctx);
    else associate(inst, a, index, ctx);
  }
  return { nodes, undecided, unmodelled };
}

/** The objects associations attach to, by the loose key of their id. */
class Targets {
  readonly subnets = new Map<string, Json>();
  readonly nics = new Map<string, Json>();
  readonly nats = new Map<string, Json>();
  readonly all = new Map<string, Json>();

  constructor(nodes: Json[]) {
    for (const n of nodes) {
      const id = typeof n.id === "string" ? n.id : undefined;
      if (!id) continue;
      const key = providerKey(id);
      this.all.set(key, n);
      const type = String(n.type).toLowerCase();
      const props = n.properties as Json;
      if (type === "microsoft.network/virtualnetworks/subnets") this.subnets.set(key, props);
      if (type === "microsoft.network/networkinterfaces") this.nics.set(key, props);
      if (type === "microsoft.network/natgateways") this.nats.set(key, props);
      if (type === "microsoft.network/virtualnetworks") {
        for (const s of (props.subnets as Json[] | undefined) ?? []) {
          if (typeof s.name === "string")
            this.subnets.set(providerKey(`${id}/subnets/${s.name}`), s.properties as Json);
        }
      }
    }
  }
}

function associate(inst: Instance, a: Args, index: Targets, ctx: MapContext): void {
  const spec = ASSOCIATIONS[inst.type]!;
  const targetId = a.str(spec.target);
  const valueId = a.str(spec.value);
  const map = spec.kind === "subnet" ? index.subnets : spec.kind === "nic" ? index.nics : index.nats;
  // An id holding a placeholder still names one resource: two ids built from the same unknown are equal.
  const target = targetId ? map.get(providerKey(targetId)) : undefined;
  const what = spec.kind === "subnet" ? "subnet" : spec.kind === "nic" ? "network interface" : "NAT gateway";
  if (!target) {
    ctx.report(
      "warning",
      "terraform/association-target",
      `${inst.address}: the ${what} it attaches to (${targetId ?? "not set"}) is not declared in this configuration, so the association is not applied`,
      a.at(spec.target),
    );
    return;
  }
  // An association that hangs on an undecided count leaves the attachment Unknown, not present nor absent.
  const id = inst.undecided
    ? unknownValue(`${spec.property} of the ${what}, set by ${inst.address} only if ${inst.undecided.reason}`)
    : valueId;
  const place = a.at(spec.value);
  if (spec.kind === "nic" && spec.list) {
    for (const config of (target.ipConfigurations as Json[] | undefined) ?? []) {
      const cp = (config.properties as Json | undefined) ?? obj(place);
      const list = (cp.applicationSecurityGroups as Json[] | undefined) ?? [];
      list.push(ref(id, place)!);
      put(cp, "applicationSecurityGroups", list, place);
      config.properties = cp;
    }
    return;
  }
  if (spec.list) {
    const list = (target[spec.property] as Json[] | undefined) ?? [];
    list.push(ref(id, place)!);
    put(target, spec.property, list, place);
    return;
  }
  const existing = target[spec.property] as Json | undefined;
  if (existing && typeof existing.id === "string" && existing.id !== id)
    ctx.report(
      "warning",
      "terraform/association-conflict",
      `${inst.address}: the ${what} already has a ${spec.property} (${existing.id}); this association replaces it, as the last one applied would`,
      place,
    );
  put(target, spec.property, ref(id, place), place);
}

/** `azapi_update_resource`: its body merged into the resource it updates, or a node of its own. */
function update(
  inst: Instance,
  a: Args,
  index: Targets,
  nodes: Json[],
  undecided: Map<Json, Undecided>,
  ctx: MapContext,
): void {
  const [made] = azapiResource(a, ctx);
  if (!made) return;
  const target = typeof made.id === "string" ? index.all.get(providerKey(made.id)) : undefined;
  if (!target) {
    ctx.report(
      "info",
      "terraform/update-target",
      `${inst.address} updates ${String(made.id ?? made.name)}, which this configuration does not declare; its body is read as that resource`,
      a.place,
    );
    nodes.push(made);
    if (inst.undecided) undecided.set(made, inst.undecided);
    return;
  }
  merge(target, made);
}

function merge(into: Json, from: Json): void {
  for (const [k, v] of Object.entries(from)) {
    if (k === "id" || k === "name" || k === "type") continue;
    const old = into[k];
    if (v && typeof v === "object" && !Array.isArray(v) && old && typeof old === "object" && !Array.isArray(old))
      merge(old as Json, v as Json);
    else into[k] = v;
  }
}
