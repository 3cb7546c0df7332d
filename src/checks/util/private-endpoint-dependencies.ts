/**
 * @module checks/util/private-endpoint-dependencies
 * Checks layer: which private endpoints serve an API Management dependency (Key Vault, Storage, SQL, Event
 * Hubs) from the instance's subnet. An endpoint serves a dependency when it connects to a resource of that
 * service (the provider of `privateLinkServiceConnections[].privateLinkServiceId`) with one of the service's
 * sub-resources (`groupIds`), and its /32 InterfaceEndpoint row is Active in the subnet's effective routes: that
 * traffic bypasses a forced tunnel and needs no service endpoint (reference part 2 §9.3, §9.5). What the inputs
 * cannot tell (the target's type, which resource the instance uses, DNS) is said as an assumption or Unknown.
 */
import type { ComputedRoute, EffectiveRouteTable } from "../../engine/routes/index.js";
import { parseResourceId } from "../../model/ids.js";
import type { PrivateEndpoint } from "../../model/resources.js";
import { isUnknown } from "../../model/unknown.js";
import { evidenceAt } from "../context.js";
import type { Evidence } from "../types.js";

/** Per dependency tag (as the requirements table writes it): the ARM provider type and its sub-resources. */
const SERVICES: Record<string, { type: string; groupIds: string[] }> = {
  AzureKeyVault: { type: "microsoft.keyvault/vaults", groupIds: ["vault"] },
  Storage: {
    type: "microsoft.storage/storageaccounts",
    groupIds: ["blob", "blob_secondary", "table", "table_secondary", "queue", "queue_secondary", "file", "dfs", "web"],
  },
  Sql: { type: "microsoft.sql/servers", groupIds: ["sqlserver"] },
  EventHub: { type: "microsoft.eventhub/namespaces", groupIds: ["namespace"] },
};

/** A private endpoint that serves a dependency from the subnet, with its row in the subnet's table. */
export interface ServingEndpoint {
  endpoint: PrivateEndpoint;
  /** The resource behind it, as the input names it. */
  target: string;
  row: ComputedRoute;
  /** What was taken as given to decide it. */
  assumptions: string[];
}

/** The answer for one dependency: the endpoints serving it, and what could not be told. */
export interface EndpointAnswer {
  serving: ServingEndpoint[];
  unknowns: string[];
}

function typeOf(id: string | undefined): string | undefined {
  if (!id || isUnknown(id)) return undefined;
  const parsed = parseResourceId(id);
  return parsed?.type.toLowerCase();
}

/** Which service tags a sub-resource name may belong to (`namespace` is Event Hubs and Service Bus alike). */
function tagsOfGroup(group: string): string[] {
  const g = group.toLowerCase();
  const tags = Object.entries(SERVICES)
    .filter(([, s]) => s.groupIds.includes(g))
    .map(([tag]) => tag);
  return g === "namespace" ? [...tags, "ServiceBus"] : tags;
}

/**
 * The private endpoints that serve dependency `tag` (`AzureKeyVault`, `Storage`, ...; a regional suffix is
 * ignored) from the subnet whose table is `table`.
 */
export function endpointsServing(
  endpoints: readonly PrivateEndpoint[],
  table: EffectiveRouteTable,
  tag: string,
): EndpointAnswer {
  const base = tag.split(".")[0]!;
  const service = SERVICES[base];
  const out: EndpointAnswer = { serving: [], unknowns: [] };
  if (!service) return out;
  for (const endpoint of endpoints) {
    const rows = table.routes.filter(
      (r) => r.origin.kind === "privateEndpoint" && r.origin.endpoint.id === endpoint.id,
    );
    for (const c of endpoint.privateLinkServiceConnections) {
      const groups = c.groupIds.filter((g) => !isUnknown(g)).map((g) => g.toLowerCase());
      const type = typeOf(c.privateLinkServiceId);
      const assumptions: string[] = [];
      if (type !== undefined) {
        if (type !== service.type || !groups.some((g) => service.groupIds.includes(g))) continue;
      } else {
        const candidates = [...new Set(groups.flatMap(tagsOfGroup))];
        if (!candidates.includes(base)) continue;
        if (candidates.length > 1 || groups.length === 0) {
          out.unknowns.push(
            `private endpoint ${endpoint.name}: its target is not resolved and sub-resource ${groups.join(", ") || "(none)"} may be ${candidates.join(" or ")}, so whether it serves ${base} is unknown`,
          );
          continue;
        }
        assumptions.push(
          `private endpoint ${endpoint.name}: its target is not resolved; sub-resource ${groups.join(", ")} is taken to mean ${base}`,
        );
      }
      if (c.status && c.status.toLowerCase() !== "approved") {
        out.unknowns.push(`private endpoint ${endpoint.name}: its connection ${c.name} is ${c.status}, not Approved`);
        continue;
      }
      if (c.manual && !c.status) {
        assumptions.push(`private endpoint ${endpoint.name}: its manual connection ${c.name} is taken to be approved`);
      }
      // A row taken by a user route (part 2 §9.3 rule B) serves nothing: the user route decides, certainly.
      if (rows.length > 0 && !rows.some((r) => r.route.state === "Active")) continue;
      const row = rows.find((r) => r.route.state === "Active");
      if (!row) {
        out.unknowns.push(
          `private endpoint ${endpoint.name} connects to ${base}, but its address is not in the inputs (Azure assigns it at deployment)`,
        );
        continue;
      }
      const target =
        c.privateLinkServiceId && !isUnknown(c.privateLinkServiceId) ? c.privateLinkServiceId : "its target";
      out.serving.push({ endpoint, target, row, assumptions });
      break;
    }
  }
  return out;
}

/**
 * Evidence for a finding about dependency `tag`'s service-tag addresses when private endpoints also serve it
 * from the subnet: the endpoint's traffic goes to a VNet address (its /32), which that finding does not cover.
 */
export function servingEvidence(
  endpoints: readonly PrivateEndpoint[],
  table: EffectiveRouteTable,
  tag: string,
): Evidence[] {
  const answer = endpointsServing(endpoints, table, tag);
  return [
    ...answer.serving.map((s) =>
      evidenceAt(
        "private-endpoint",
        `private endpoint ${s.endpoint.name} serves ${tag} (${s.target}) at ${s.row.route.addressPrefix.join(", ")} (InterfaceEndpoint): traffic to it goes to that VNet address, not to the service tag this finding is about`,
        s.endpoint.src,
        s.endpoint.id,
      ),
    ),
    ...answer.unknowns.map((u) => evidenceAt("unknown", u, undefined)),
  ];
}
