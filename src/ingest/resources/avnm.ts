/**
 * @module ingest/resources/avnm
 * Azure Virtual Network Manager resources in Azure's REST shape (ARM templates, `az network manager ...` and
 * REST exports, Resource Graph) into the model (reference part 2 §10.1): network managers, network groups and
 * their static members, security admin configurations, rule collections and rules. Children declared on their
 * own join their parent whichever comes first (a parent no input declares is made up and marked so). An Azure
 * Policy definition whose effect is `addToNetworkGroup` is kept on its group as conditional membership: Azure
 * Policy decides it at run time, so the engine answers Unknown for it. Kept apart from to-model.ts, which only
 * routes the types here.
 */
import type {
  AdminAddressItem,
  AdminRuleCollection,
  NetworkGroup,
  NetworkManager,
  SecurityAdminConfiguration,
  SecurityAdminRule,
} from "../../model/avnm.js";
import { idKey, parseResourceId, sameResource } from "../../model/ids.js";
import type { NetworkModel } from "../../model/network.js";
import type { ResourceBase } from "../../model/resources.js";
import type { SourceRef } from "../../model/source.js";
import { type FieldReader, field, type Json, propsOf } from "./fields.js";

const MANAGER_TYPE = "Microsoft.Network/networkManagers";

/** The id of the ancestor `levels` type segments up (`…/ruleCollections/rc/rules/r` up 1 → the collection). */
function ancestorId(id: string, levels: number): string {
  const parts = id.replace(/\/+$/, "").split("/");
  return parts.slice(0, parts.length - 2 * levels).join("/");
}

function nameOf(id: string): string {
  return parseResourceId(id)?.names.at(-1) ?? id.split("/").pop() ?? id;
}

function madeUpBase(id: string, type: string, src: SourceRef): ResourceBase {
  return { id, name: nameOf(id), type, src, madeUp: true };
}

/** Finds (or makes up) the manager, configuration and collection a child id belongs to. */
class Parents {
  constructor(
    readonly model: NetworkModel,
    readonly src: SourceRef,
  ) {}

  manager(id: string): NetworkManager {
    const found = this.model.networkManagers.find((m) => idKey(m.id) === idKey(id));
    if (found) return found;
    const made: NetworkManager = {
      ...madeUpBase(id, MANAGER_TYPE, this.src),
      networkManagerScopes: { managementGroups: [], subscriptions: [] },
      networkManagerScopeAccesses: [],
      networkGroups: [],
      securityAdminConfigurations: [],
    };
    this.model.networkManagers.push(made);
    return made;
  }

  configuration(id: string): SecurityAdminConfiguration {
    const manager = this.manager(ancestorId(id, 1));
    return childOf(manager.securityAdminConfigurations, id, () => ({
      ...madeUpBase(id, `${MANAGER_TYPE}/securityAdminConfigurations`, this.src),
      networkManagerId: manager.id,
      applyOnNetworkIntentPolicyBasedServices: [],
      ruleCollections: [],
    }));
  }

  collection(id: string): AdminRuleCollection {
    const configuration = this.configuration(ancestorId(id, 1));
    return childOf(configuration.ruleCollections, id, () => ({
      ...madeUpBase(id, `${MANAGER_TYPE}/securityAdminConfigurations/ruleCollections`, this.src),
      appliesToGroups: [],
      rules: [],
    }));
  }

  group(id: string): NetworkGroup {
    const manager = this.manager(ancestorId(id, 1));
    return childOf(manager.networkGroups, id, () => ({
      ...madeUpBase(id, `${MANAGER_TYPE}/networkGroups`, this.src),
      networkManagerId: manager.id,
      staticMembers: [],
      conditionalMembership: [],
    }));
  }
}

/** The child of `list` with id `id`, or a made-up one added to it. */
function childOf<T extends ResourceBase>(list: T[], id: string, make: () => T): T {
  const found = list.find((x) => idKey(x.id) === idKey(id));
  if (found) return found;
  const made = make();
  list.push(made);
  return made;
}

/** Replaces a made-up entry (or an earlier declaration) of `list` by `next`, keeping the children it collected. */
function put<T extends ResourceBase>(list: T[], next: T, keep: (old: T) => void): void {
  const at = list.findIndex((x) => idKey(x.id) === idKey(next.id));
  if (at < 0) {
    list.push(next);
    return;
  }
  keep(list[at]!);
  list[at] = next;
}

/** Reads one AVNM resource into `model`; false when `type` is not one of them. */
export function addAvnmResource(
  model: NetworkModel,
  read: FieldReader,
  type: string,
  node: Json,
  base: ResourceBase,
): boolean {
  const p = propsOf(node);
  const parents = new Parents(model, base.src);
  switch (type) {
    case "microsoft.network/networkmanagers": {
      const scopes = read.object(p, "networkManagerScopes", base.src);
      const next: NetworkManager = {
        ...base,
        networkManagerScopes: {
          managementGroups: (scopes && read.stringArray(scopes, "managementGroups", base.src)) ?? [],
          subscriptions: (scopes && read.stringArray(scopes, "subscriptions", base.src)) ?? [],
        },
        networkManagerScopeAccesses: read.stringArray(p, "networkManagerScopeAccesses", base.src) ?? [],
        networkGroups: [],
        securityAdminConfigurations: [],
      };
      put(model.networkManagers, next, (old) => {
        next.networkGroups = old.networkGroups;
        next.securityAdminConfigurations = old.securityAdminConfigurations;
      });
      return true;
    }
    case "microsoft.network/networkmanagers/networkgroups": {
      const manager = parents.manager(ancestorId(base.id, 1));
      const next: NetworkGroup = {
        ...base,
        networkManagerId: manager.id,
        memberType: read.string(p, "memberType", base.src),
        staticMembers: [],
        conditionalMembership: [],
      };
      put(manager.networkGroups, next, (old) => {
        next.staticMembers = old.staticMembers;
        next.conditionalMembership = old.conditionalMembership;
      });
      return true;
    }
    case "microsoft.network/networkmanagers/networkgroups/staticmembers": {
      const group = parents.group(ancestorId(base.id, 1));
      const resourceId = read.string(p, "resourceId", base.src) ?? "";
      const member = { name: base.name, resourceId, src: base.src };
      const at = group.staticMembers.findIndex((m) => m.name.toLowerCase() === base.name.toLowerCase());
      if (at >= 0) group.staticMembers[at] = member;
      else group.staticMembers.push(member);
      return true;
    }
    case "microsoft.network/networkmanagers/securityadminconfigurations": {
      const manager = parents.manager(ancestorId(base.id, 1));
      const next: SecurityAdminConfiguration = {
        ...base,
        networkManagerId: manager.id,
        description: read.string(p, "description", base.src),
        applyOnNetworkIntentPolicyBasedServices:
          read.stringArray(p, "applyOnNetworkIntentPolicyBasedServices", base.src) ?? [],
        ruleCollections: [],
      };
      put(manager.securityAdminConfigurations, next, (old) => {
        next.ruleCollections = old.ruleCollections;
      });
      return true;
    }
    case "microsoft.network/networkmanagers/securityadminconfigurations/rulecollections": {
      const configuration = parents.configuration(ancestorId(base.id, 1));
      const next: AdminRuleCollection = {
        ...base,
        description: read.string(p, "description", base.src),
        appliesToGroups: read
          .objectArray(p, "appliesToGroups", base.src)
          .map((g) => read.string(g, "networkGroupId", base.src) ?? ""),
        rules: [],
      };
      put(configuration.ruleCollections, next, (old) => {
        next.rules = old.rules;
      });
      return true;
    }
    case "microsoft.network/networkmanagers/securityadminconfigurations/rulecollections/rules": {
      const collection = parents.collection(ancestorId(base.id, 1));
      const rule = adminRule(read, node, base);
      put(collection.rules, rule, () => {});
      return true;
    }
    case "microsoft.network/networkmanagers/commits": {
      // Not an ARM type: what ingest/terraform/azurerm/avnm makes of an azurerm_network_manager_deployment.
      const commit = {
        networkManager: read.string(p, "networkManager", base.src) ?? ancestorId(base.id, 1),
        commitType: read.string(p, "commitType", base.src) ?? "SecurityAdmin",
        configurationIds: read.stringArray(p, "configurationIds", base.src) ?? [],
        targetLocations: read.stringArray(p, "targetLocations", base.src) ?? [],
        origin: "declared" as const,
        src: base.src,
      };
      model.observed.networkManagerCommits = [...(model.observed.networkManagerCommits ?? []), commit];
      return true;
    }
    default:
      return false;
  }
}

function addressItems(read: FieldReader, p: Json, name: string, src: SourceRef): AdminAddressItem[] {
  return read.objectArray(p, name, src).map((item) => ({
    addressPrefix: read.string(item, "addressPrefix", src) ?? "",
    addressPrefixType: read.string(item, "addressPrefixType", src) ?? "",
    src: read.where(item, src),
  }));
}

function adminRule(read: FieldReader, node: Json, base: ResourceBase): SecurityAdminRule {
  const p = propsOf(node);
  const src = base.src;
  const kind = field(node, "kind");
  return {
    ...base,
    kind: typeof kind === "string" ? kind : "Custom",
    flag: read.string(p, "flag", src),
    description: read.string(p, "description", src),
    protocol: read.string(p, "protocol", src) ?? "",
    sources: addressItems(read, p, "sources", src),
    destinations: addressItems(read, p, "destinations", src),
    sourcePortRanges: read.stringArray(p, "sourcePortRanges", src) ?? [],
    destinationPortRanges: read.stringArray(p, "destinationPortRanges", src) ?? [],
    access: read.string(p, "access", src) ?? "",
    priority: read.number(p, "priority", src) ?? Number.NaN,
    direction: read.string(p, "direction", src) ?? "",
  };
}

/**
 * An Azure Policy definition that adds members to a network group (`mode` `Microsoft.Network.Data`, effect
 * `addToNetworkGroup`, reference part 2 §10.1): recorded on that group; false for any other definition (which
 * stays unmodelled).
 */
export function addMembershipPolicy(model: NetworkModel, read: FieldReader, node: Json, base: ResourceBase): boolean {
  const p = propsOf(node);
  const rule = read.object(p, "policyRule", base.src);
  const then = rule ? read.object(rule, "then", base.src) : undefined;
  const effect = then ? read.string(then, "effect", base.src) : undefined;
  if (!then || effect?.toLowerCase() !== "addtonetworkgroup") return false;
  const details = read.object(then, "details", base.src);
  const groupId = details ? read.string(details, "networkGroupId", base.src) : undefined;
  if (!groupId) return false;
  const group =
    model.networkManagers.flatMap((m) => m.networkGroups).find((g) => sameResource(g.id, groupId)) ??
    new Parents(model, base.src).group(groupId);
  group.conditionalMembership.push({ policy: base.name, src: base.src });
  return true;
}
