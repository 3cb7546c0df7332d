/**
 * @module ingest/terraform/azurerm/avnm
 * Ingest layer, Terraform: Azure Virtual Network Manager (`azurerm_network_manager` and its
 * `_network_group`, `_static_member`, `_security_admin_configuration`, `_admin_rule_collection`, `_admin_rule`)
 * mapped to the REST shapes of their ARM types, which ingest/resources/avnm reads (reference part 2 §10.1).
 * `azurerm_network_manager_deployment` is the commit that makes configurations take effect: it becomes a
 * `networkManagers/commits` node, read as a declared commit (no such ARM type exists; the commit is a POST).
 * https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/network_manager_admin_rule
 */
import { unknownValue } from "../../../model/unknown.js";
import { type Args, type Json, obj, put } from "./emit.js";
import { namesOf, node, propsOf } from "./network.js";

const NM = "Microsoft.Network/networkManagers";

/** A list argument as a list (an Unknown whole list stays one Unknown item, so it is not read as empty). */
function list(a: Args, name: string): string[] | undefined {
  const v = a.strings(name);
  return typeof v === "string" ? [v] : v;
}

/** A child node: its names from its id, or Unknown parents and its own name when the id is not known. */
function child(a: Args, type: string): Json {
  const id = a.str("id");
  const depth = type.split("/").length - 1;
  const names = namesOf(id, [
    ...Array.from({ length: depth - 1 }, () => unknownValue("a parent's name")),
    a.str("name"),
  ]);
  const n = node(a, type, names, id);
  delete n.location;
  return n;
}

export function networkManager(a: Args): Json[] {
  const id = a.str("id");
  const n = node(a, NM, namesOf(id, [a.str("name")]), id);
  const p = propsOf(n);
  const scope = a.block("scope");
  const s = obj(scope?.place ?? a.place);
  put(
    s,
    "subscriptions",
    scope ? (list(scope, "subscription_ids") ?? []) : [],
    scope?.at("subscription_ids") ?? a.place,
  );
  put(
    s,
    "managementGroups",
    scope ? (list(scope, "management_group_ids") ?? []) : [],
    scope?.at("management_group_ids") ?? a.place,
  );
  put(p, "networkManagerScopes", s, a.at("scope"));
  put(p, "networkManagerScopeAccesses", list(a, "scope_accesses"), a.at("scope_accesses"));
  return [n];
}

export function networkGroup(a: Args): Json[] {
  const n = child(a, `${NM}/networkGroups`);
  put(propsOf(n), "memberType", a.str("member_type"), a.at("member_type"));
  return [n];
}

export function staticMember(a: Args): Json[] {
  const n = child(a, `${NM}/networkGroups/staticMembers`);
  put(propsOf(n), "resourceId", a.str("target_virtual_network_id"), a.at("target_virtual_network_id"));
  return [n];
}

export function securityAdminConfiguration(a: Args): Json[] {
  const n = child(a, `${NM}/securityAdminConfigurations`);
  const p = propsOf(n);
  put(p, "description", a.str("description"), a.at("description"));
  put(
    p,
    "applyOnNetworkIntentPolicyBasedServices",
    list(a, "apply_on_network_intent_policy_based_services"),
    a.at("apply_on_network_intent_policy_based_services"),
  );
  return [n];
}

export function adminRuleCollection(a: Args): Json[] {
  const n = child(a, `${NM}/securityAdminConfigurations/ruleCollections`);
  const groups = (list(a, "network_group_ids") ?? []).map((g) => {
    const o = obj(a.at("network_group_ids"));
    put(o, "networkGroupId", g, a.at("network_group_ids"));
    return o;
  });
  put(propsOf(n), "appliesToGroups", groups, a.at("network_group_ids"));
  return [n];
}

function addressItems(a: Args, block: string): Json[] {
  return a.blocks(block).map((b) => {
    const o = obj(b.place);
    put(o, "addressPrefix", b.str("address_prefix"), b.at("address_prefix"));
    put(o, "addressPrefixType", b.str("address_prefix_type"), b.at("address_prefix_type"));
    return o;
  });
}

export function adminRule(a: Args): Json[] {
  const n = child(a, `${NM}/securityAdminConfigurations/ruleCollections/rules`);
  n.kind = "Custom";
  const p = propsOf(n);
  put(p, "access", a.str("action"), a.at("action"));
  put(p, "direction", a.str("direction"), a.at("direction"));
  put(p, "priority", a.num("priority"), a.at("priority"));
  put(p, "protocol", a.str("protocol"), a.at("protocol"));
  put(p, "description", a.str("description"), a.at("description"));
  put(p, "sourcePortRanges", list(a, "source_port_ranges") ?? [], a.at("source_port_ranges"));
  put(p, "destinationPortRanges", list(a, "destination_port_ranges") ?? [], a.at("destination_port_ranges"));
  put(p, "sources", addressItems(a, "source"), a.at("source"));
  put(p, "destinations", addressItems(a, "destination"), a.at("destination"));
  return [n];
}

/** `azurerm_network_manager_deployment`: the commit of configurations to one region, as a `commits` node. */
export function deployment(a: Args): Json[] {
  const managerId = a.str("network_manager_id");
  const access = a.str("scope_access") ?? "SecurityAdmin";
  const names = [
    ...namesOf(managerId, [unknownValue("the network manager's name")]),
    `${access}-${a.str("location") ?? ""}`,
  ];
  const n = node(a, `${NM}/commits`, names, managerId ? `${managerId}/commits/${names.at(-1)}` : undefined);
  const p = propsOf(n);
  put(p, "networkManager", managerId, a.at("network_manager_id"));
  put(p, "commitType", access, a.at("scope_access"));
  put(p, "configurationIds", list(a, "configuration_ids") ?? [], a.at("configuration_ids"));
  put(p, "targetLocations", [a.str("location") ?? unknownValue("location")], a.at("location"));
  return [n];
}
