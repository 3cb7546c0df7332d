/**
 * @module engine/nsg/admin-scope
 * Engine layer: which Virtual Network Manager security admin rules apply at a subnet, and how surely (reference
 * part 2 §10.1-10.3). A rule applies when its rule collection names a network group the subnet's VNet (or, for
 * a group of `memberType` Subnet, the subnet) belongs to, and its configuration is committed to the VNet's
 * region. What the inputs cannot decide makes the rule apply "maybe", with the reason, never "no":
 * - a group filled by Azure Policy (conditional membership), or one with no members in the inputs;
 * - a configuration with no commit in the inputs (no deployment-status export row, no `--assume` commit).
 * Where Azure does not apply admin rules (§10.3: gateway, firewall, Bastion and Route Server subnets; VNets with
 * services under network intent policies unless `applyOnNetworkIntentPolicyBasedServices` says so), the rules
 * do not apply and the place says why. Assumed, and documented (docs/inputs.md): the VNet is inside the manager's
 * `networkManagerScopes` (templates rarely give real subscription ids to compare).
 */

import { subnetPrefixes, vnetAddressSpace } from "../../model/addresses.js";
import type {
  AdminRuleCollection,
  NetworkGroup,
  NetworkManager,
  NetworkManagerCommit,
  SecurityAdminConfiguration,
  SecurityAdminRule,
} from "../../model/avnm.js";
import { sameResource, shortName } from "../../model/ids.js";
import type { NetworkModel } from "../../model/network.js";
import type { Subnet, UnmodeledResource, VirtualNetwork } from "../../model/resources.js";
import { formatSource } from "../../model/source.js";
import type { Topology } from "../../model/topology.js";
import { isUnknown } from "../../model/unknown.js";
import { AddressSet } from "../ip/address-set.js";

/** Three-valued: the rule surely applies, may apply (reasons say why it is not known), or does not. */
export type Applies = "yes" | "maybe" | "no";

/** One admin rule that applies (or may apply) at a place, with its parents. */
export interface AdminEntry {
  rule: SecurityAdminRule;
  collection: AdminRuleCollection;
  configuration: SecurityAdminConfiguration;
  manager: NetworkManager;
  applies: Exclude<Applies, "no">;
  /** Why it only may apply; empty when it surely applies. */
  reasons: string[];
  /** Assumptions Azure's documentation leaves open that this answer took (INFERRED in the reference). */
  assumptions: string[];
}

/** The admin rules of a place, or why Azure applies none there. */
export interface AdminPlace {
  entries: AdminEntry[];
  /** Set when the place is one Azure leaves out (§10.3); `entries` is then empty. */
  notApplied?: string;
}

/** Subnets Azure never applies admin rules to, by their required names (reference part 2 §10.3). */
const EXCLUDED_SUBNETS: Record<string, string> = {
  gatewaysubnet: "a VPN or ExpressRoute gateway subnet",
  azurebastionsubnet: "an Azure Bastion subnet",
  azurefirewallsubnet: "an Azure Firewall subnet",
  azurefirewallmanagementsubnet: "an Azure Firewall management subnet",
  routeserversubnet: "a Route Server subnet",
};

/** Delegations of the services with network intent policies (reference part 2 §10.3). */
const INTENT_POLICY_SERVICES: Record<string, string> = {
  "microsoft.sql/managedinstances": "Azure SQL Managed Instance",
  "microsoft.databricks/workspaces": "Azure Databricks",
};

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const region = (text: string) => text.replace(/\s+/g, "").toLowerCase();

function refersTo(text: string, id: string): boolean {
  return text.includes("/") ? sameResource(text, id) : sameName(text, shortName(id));
}

/** Membership of the place in one group. */
function membership(group: NetworkGroup | undefined, groupId: string, subnet: Subnet, vnet: VirtualNetwork) {
  if (!group || group.madeUp) {
    return { applies: "maybe" as Applies, reason: `network group ${shortName(groupId)} is not declared in the inputs` };
  }
  const bySubnet = group.memberType?.toLowerCase() === "subnet";
  const target = bySubnet ? subnet.id : vnet.id;
  if (group.staticMembers.some((m) => !isUnknown(m.resourceId) && sameResource(m.resourceId, target))) {
    return { applies: "yes" as Applies, reason: "" };
  }
  const unknown = group.staticMembers.find((m) => isUnknown(m.resourceId));
  if (unknown) {
    return {
      applies: "maybe" as Applies,
      reason: `static member ${unknown.name} of network group ${group.name} has an unresolved resourceId (${formatSource(unknown.src)})`,
    };
  }
  const policy = group.conditionalMembership[0];
  if (policy) {
    return {
      applies: "maybe" as Applies,
      reason: `network group ${group.name} also takes members from Azure Policy ${policy.policy} (${formatSource(policy.src)}), whose conditions Azure Policy evaluates at run time, not offline; assumed it may hold ${bySubnet ? `subnet ${subnet.name}` : `VNet ${vnet.name}`}`,
    };
  }
  if (group.staticMembers.length === 0) {
    return {
      applies: "maybe" as Applies,
      reason: `network group ${group.name} has no members in the inputs (${formatSource(group.src)}): its members are presumably added by Azure Policy or declared elsewhere`,
    };
  }
  return { applies: "no" as Applies, reason: "" };
}

/** Whether the collection applies at the place: the best membership over its groups. */
function collectionApplies(
  manager: NetworkManager,
  collection: AdminRuleCollection,
  subnet: Subnet,
  vnet: VirtualNetwork,
): { applies: Applies; reasons: string[] } {
  const reasons: string[] = [];
  if (collection.appliesToGroups.length === 0) {
    return { applies: "no", reasons };
  }
  for (const groupId of collection.appliesToGroups) {
    if (isUnknown(groupId)) {
      reasons.push(`rule collection ${collection.name} names a network group that is unresolved (${groupId})`);
      continue;
    }
    const group = manager.networkGroups.find((g) => refersTo(groupId, g.id));
    const m = membership(group, groupId, subnet, vnet);
    if (m.applies === "yes") return { applies: "yes", reasons: [] };
    if (m.applies === "maybe") reasons.push(m.reason);
  }
  return { applies: reasons.length > 0 ? "maybe" : "no", reasons };
}

/** Whether the configuration is committed to the VNet's region (reference part 2 §10.1). */
function deployed(
  configuration: SecurityAdminConfiguration,
  manager: NetworkManager,
  vnet: VirtualNetwork,
  commits: readonly NetworkManagerCommit[],
  scripts: readonly UnmodeledResource[],
): { applies: Applies; reason: string } {
  const where = vnet.location && !isUnknown(vnet.location) ? region(vnet.location) : undefined;
  const relevant = commits.filter(
    (c) =>
      c.commitType.toLowerCase() === "securityadmin" &&
      (c.networkManager === undefined || refersTo(c.networkManager, manager.id)) &&
      (where === undefined || c.targetLocations.some((l) => region(l) === where)),
  );
  const listing = relevant.filter((c) => c.configurationIds.some((id) => refersTo(id, configuration.id)));
  const done = listing.find((c) => c.status === undefined || c.status.toLowerCase() === "deployed");
  if (done && where !== undefined) return { applies: "yes", reason: "" };
  if (done) {
    return {
      applies: "maybe",
      reason: `configuration ${configuration.name} is committed (${formatSource(done.src)}), but the region of VNet ${vnet.name} is not known`,
    };
  }
  if (listing[0]) {
    return {
      applies: "maybe",
      reason: `the deployment of configuration ${configuration.name} to ${where ?? "the VNet's region"} is ${listing[0].status} (${formatSource(listing[0].src)}): application is eventually consistent`,
    };
  }
  // A deployment-status row is the region's current goal state: a configuration it does not list is not deployed.
  if (where !== undefined && relevant.some((c) => c.origin === "export")) return { applies: "no", reason: "" };
  // Templates often commit with a deployment script (Deploy-AzNetworkManagerCommit); its script is not read.
  const script = scripts[0];
  const byScript = script
    ? `; deployment script ${script.name} (${formatSource(script.src)}) may make the commit, but scripts are not read`
    : "";
  return {
    applies: "maybe",
    reason: `no commit in the inputs deploys configuration ${configuration.name} to ${where ?? "the VNet's region"} (nothing takes effect before a commit, reference part 2 §10.1)${byScript}; give one with --assume networkManagerCommits or an \`az network manager list-deploy-status\` export`,
  };
}

/** Services with network intent policies in the VNet (by their subnet delegations). */
function intentPolicyServices(vnet: VirtualNetwork): string[] {
  const found = new Set<string>();
  for (const s of vnet.subnets)
    for (const d of s.delegations) {
      const service = INTENT_POLICY_SERVICES[d.serviceName.toLowerCase()];
      if (service) found.add(service);
    }
  return [...found];
}

/** Every admin rule that applies or may apply at `subnet` (in model order; the evaluator orders them). */
export function adminRulesAt(model: NetworkModel, subnet: Subnet, vnet: VirtualNetwork | undefined): AdminPlace {
  const managers = model.networkManagers ?? [];
  if (!vnet || managers.every((m) => m.securityAdminConfigurations.length === 0)) return { entries: [] };
  const commits = [...(model.observed.networkManagerCommits ?? []), ...(model.assumptions.networkManagerCommits ?? [])];
  const services = intentPolicyServices(vnet);
  const scripts = model.unmodeled.filter((u) => u.type.toLowerCase() === "microsoft.resources/deploymentscripts");
  const entries: AdminEntry[] = [];
  /** Configurations Azure does not apply here because of services with network intent policies. */
  const skipped: string[] = [];
  for (const manager of managers)
    for (const configuration of manager.securityAdminConfigurations) {
      const deployment = deployed(configuration, manager, vnet, commits, scripts);
      if (deployment.applies === "no") continue;
      const applyOn = configuration.applyOnNetworkIntentPolicyBasedServices.map((a) => a.toLowerCase());
      const assumptions: string[] = [];
      let denyRulesSkipped = false;
      if (services.length > 0) {
        if (applyOn.includes("allowrulesonly")) denyRulesSkipped = true;
        else if (applyOn.includes("all"))
          assumptions.push(
            `VNet ${vnet.name} holds ${services.join(" and ")}; with applyOnNetworkIntentPolicyBasedServices All every rule is assumed applied (reference part 2 §10.3: INFERRED)`,
          );
        else {
          skipped.push(configuration.name);
          continue;
        }
      }
      for (const collection of configuration.ruleCollections) {
        const member = collectionApplies(manager, collection, subnet, vnet);
        if (member.applies === "no") continue;
        for (const rule of collection.rules) {
          if (denyRulesSkipped && rule.access.toLowerCase() === "deny") continue;
          const reasons = [...member.reasons, ...(deployment.applies === "maybe" ? [deployment.reason] : [])];
          entries.push({
            rule,
            collection,
            configuration,
            manager,
            applies: reasons.length > 0 ? "maybe" : "yes",
            reasons,
            assumptions,
          });
        }
      }
    }
  if (entries.length === 0 && skipped.length > 0) {
    return {
      entries,
      notApplied: `VNet ${vnet.name} holds ${services.join(" and ")}: Azure applies no rules of configuration ${skipped.join(", ")} there (applyOnNetworkIntentPolicyBasedServices is not AllowRulesOnly or All; reference part 2 §10.3)`,
    };
  }
  if (entries.length === 0) return { entries };
  const excluded = EXCLUDED_SUBNETS[subnet.name.toLowerCase()];
  if (excluded) {
    return {
      entries: [],
      notApplied: `subnet ${subnet.name} is ${excluded}: Azure applies no security admin rules there (reference part 2 §10.3)`,
    };
  }
  return { entries };
}

/**
 * The addresses of a network group's members, for an admin rule's `addressPrefixType` NetworkGroup: the
 * address spaces of its member VNets (or the prefixes of its member subnets). Unknown when the members are not
 * all known (Azure Policy members, members not in the inputs, unresolved ids or prefixes).
 */
export function groupAddresses(topology: Topology, groupId: string): AddressSet | { unknown: string } {
  const group = (topology.model.networkManagers ?? [])
    .flatMap((m) => m.networkGroups)
    .find((g) => refersTo(groupId, g.id));
  if (!group || group.madeUp) return { unknown: "the group is not declared in the inputs" };
  if (group.conditionalMembership.length > 0)
    return { unknown: `Azure Policy ${group.conditionalMembership[0]!.policy} adds members at run time` };
  if (group.staticMembers.length === 0) return { unknown: "the group has no members in the inputs" };
  const bySubnet = group.memberType?.toLowerCase() === "subnet";
  let set = AddressSet.EMPTY;
  for (const m of group.staticMembers) {
    const list = bySubnet
      ? (() => {
          const s = topology.subnets.get(m.resourceId);
          return s ? subnetPrefixes(s) : undefined;
        })()
      : (() => {
          const v = topology.vnets.get(m.resourceId);
          return v ? vnetAddressSpace(v) : undefined;
        })();
    if (!list?.complete) return { unknown: `the addresses of member ${m.name} are not known` };
    set = set.union(AddressSet.fromPrefixes(list.prefixes));
  }
  return set;
}
