/**
 * @module model/avnm
 * Azure Virtual Network Manager (AVNM) as plain typed data, in Azure's REST vocabulary (reference part 2 §10.1):
 * network managers, their network groups (static members; conditional members added by Azure Policy, which no
 * offline tool can decide), security admin configurations with their rule collections and rules, and the commits
 * (deployments) without which a configuration has no effect. Nothing here computes; engine/nsg/admin does.
 */
import type { ResourceBase } from "./resources.js";
import type { SourceRef } from "./source.js";

/** One `sources[]` / `destinations[]` item of an admin rule. */
export interface AdminAddressItem {
  addressPrefix: string;
  /** `IPPrefix` | `ServiceTag` | `NetworkGroup`, as written (validated by the engine). */
  addressPrefixType: string;
  src: SourceRef;
}

/** `…/securityAdminConfigurations/{c}/ruleCollections/{rc}/rules/{r}`, kind `Custom` or `Default`. */
export interface SecurityAdminRule extends ResourceBase {
  /** `Custom` | `Default` (a catalogue rule selected by `flag`, read-only). */
  kind: string;
  flag?: string;
  description?: string;
  /** `Tcp` | `Udp` | `Icmp` | `Esp` | `Ah` | `Any`, as written. */
  protocol: string;
  sources: AdminAddressItem[];
  destinations: AdminAddressItem[];
  sourcePortRanges: string[];
  destinationPortRanges: string[];
  /** `Allow` | `Deny` | `AlwaysAllow`, as written. */
  access: string;
  /** 1-4096; NaN when unresolved. */
  priority: number;
  direction: string;
}

/** `…/securityAdminConfigurations/{c}/ruleCollections/{rc}`: its rules apply to the members of its groups. */
export interface AdminRuleCollection extends ResourceBase {
  description?: string;
  /** `appliesToGroups[].networkGroupId`, as written. */
  appliesToGroups: string[];
  rules: SecurityAdminRule[];
}

/** `…/networkManagers/{nm}/securityAdminConfigurations/{c}`. */
export interface SecurityAdminConfiguration extends ResourceBase {
  networkManagerId: string;
  description?: string;
  /** `None` | `All` | `AllowRulesOnly` (an array in the REST API); empty when not written (Azure's default None). */
  applyOnNetworkIntentPolicyBasedServices: string[];
  ruleCollections: AdminRuleCollection[];
}

/** `…/networkGroups/{g}/staticMembers/{m}`. */
export interface NetworkGroupStaticMember {
  name: string;
  resourceId: string;
  src: SourceRef;
}

/** An Azure Policy definition of the inputs that adds members to a group (effect `addToNetworkGroup`). */
export interface ConditionalMembership {
  policy: string;
  src: SourceRef;
}

/** `…/networkManagers/{nm}/networkGroups/{g}`. */
export interface NetworkGroup extends ResourceBase {
  networkManagerId: string;
  /** `VirtualNetwork` (the default) | `Subnet`. */
  memberType?: string;
  staticMembers: NetworkGroupStaticMember[];
  conditionalMembership: ConditionalMembership[];
}

/** `Microsoft.Network/networkManagers` with the children the model keeps under it. */
export interface NetworkManager extends ResourceBase {
  networkManagerScopes: { managementGroups: string[]; subscriptions: string[] };
  networkManagerScopeAccesses: string[];
  networkGroups: NetworkGroup[];
  securityAdminConfigurations: SecurityAdminConfiguration[];
}

/**
 * Evidence that configurations were committed (deployed) to regions: a `listDeploymentStatus` export row, a
 * commit the user declares with `--assume networkManagerCommits` (an ARM template cannot hold the commit: it is
 * a POST), or a Terraform `azurerm_network_manager_deployment`.
 */
export interface NetworkManagerCommit {
  /** Network manager name or id, when the evidence says. */
  networkManager?: string;
  /** `SecurityAdmin` | `Connectivity` | `Routing`, as written. */
  commitType: string;
  /** Configuration ids or names. */
  configurationIds: string[];
  targetLocations: string[];
  /** `deploymentStatus` of an export row (`Deployed`, `Deploying`, `Failed`, `NotStarted`); absent when declared. */
  status?: string;
  /**
   * `export`: a deployment-status row (the region's whole state); `active-rules`: a configuration seen in a
   * `listActiveSecurityAdminRules` list (possibly one page of it); `declared`: a deployment resource of the inputs
   * (Terraform `azurerm_network_manager_deployment`).
   */
  origin: "export" | "assume" | "declared" | "active-rules";
  src: SourceRef;
}
