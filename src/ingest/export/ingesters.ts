/**
 * @module ingest/export/ingesters
 * Ingesters for what Azure prints about deployed resources: REST bodies and `az` output (with `properties` or
 * flattened), lists and envelopes, Resource Graph results, REST spec examples, and the observed-fact bodies
 * (effective routes, effective NSGs, IP flow verify, next hop, APIM network status; read in ./observed).
 */
import type { NetworkStatusEntry } from "../../model/network.js";
import { field, isObject, type Json } from "../resources/fields.js";
import type { IngestContext, Ingester, InputDocument } from "../types.js";
import { appliedAdminRulesExport, deploymentStatusExport } from "./avnm.js";
import { learnedRoutesExport } from "./learned-routes.js";
import {
  effectiveNsgOf,
  effectiveRouteOf,
  ipFlowRequestOf,
  nextHopRequestOf,
  optionalText,
  restRequest,
  scopeOfRequest,
  targetOf,
} from "./observed.js";
import {
  isEffectiveNsg,
  isEffectiveRoute,
  isResource,
  listItems,
  networkStatusOf,
  networkWatcherResult,
  typeFromId,
  unwrapRestExample,
} from "./shapes.js";

function body(input: InputDocument): unknown {
  return input.json ? unwrapRestExample(input.json.value) : undefined;
}

function fileSrc(input: InputDocument) {
  return { file: input.file, pointer: "", line: 1, column: 1 };
}

/** Gives a resource without `type` the type its id names (a copy, located where the original is). */
function withType(node: Json, ctx: IngestContext): Json {
  if (field(node, "type") !== undefined) return node;
  const typed: Json = { ...node, type: typeFromId(node) };
  ctx.sources.alias(typed, node);
  return typed;
}

/**
 * A single resource object or a list of them (any envelope: `az ... list`, `az resource list`, REST
 * `{ value }`, Resource Graph `{ data }`). An empty list is a valid export of nothing.
 */
export const resourceExport: Ingester = {
  format: "azure-export",
  detect(input) {
    const value = body(input);
    if (isResource(value)) return true;
    const items = listItems(value);
    if (!items) return false;
    const envelope = !Array.isArray(value) && isObject(value) && Object.keys(value).length <= 5;
    // A list with one bad item is still a list of resources: the rest is loaded and the item is named.
    return items.length > 0 ? items.every(isObject) && items.some(isResource) : Array.isArray(value) || envelope;
  },
  load(input, ctx) {
    const value = body(input);
    const items = isResource(value) ? [value] : (listItems(value) ?? []);
    const nodes: Json[] = [];
    items.forEach((item, i) => {
      if (isResource(item)) nodes.push(item);
      else
        ctx.diags.warning(
          "input/not-a-resource",
          `item ${i} of the list is not a resource (it needs a string 'name' and a 'type' or an 'id' with 'properties'); skipped`,
          ctx.sources.lazy(item as object, fileSrc(input)),
        );
    });
    return ctx.addResources(
      nodes.map((n) => withType(n, ctx)),
      { fileSrc: fileSrc(input) },
    );
  },
};

/** Network Watcher `nextHop` and `ipFlowVerify` answers, kept as observed facts with their request when given. */
export const networkWatcherExport: Ingester = {
  format: "network-watcher-result",
  detect(input) {
    return networkWatcherResult(body(input)) !== undefined;
  },
  load(input, ctx) {
    const value = body(input) as Json;
    const kind = networkWatcherResult(value);
    const parameters = restRequest(input);
    const scope = scopeOfRequest(parameters);
    const src = located(input, ctx);
    if (kind === "ip-flow-verify") {
      const request = ipFlowRequestOf(parameters);
      const ruleName = optionalText(value, "ruleName");
      const ruleId = optionalText(value, "ruleId");
      ctx.model.observed.ipFlowVerify.push({
        ...(request ? { request } : {}),
        scope,
        access: String(field(value, "access")),
        ...(ruleName ? { ruleName } : {}),
        ...(ruleId ? { ruleId } : {}),
        src,
      });
      if (!request) unaskedNote(ctx, input, "an IP flow verify answer", "the 5-tuple it was asked about");
    } else {
      const request = nextHopRequestOf(parameters);
      const ip = optionalText(value, "nextHopIpAddress");
      const table = optionalText(value, "routeTableId");
      ctx.model.observed.nextHop.push({
        ...(request ? { request } : {}),
        scope,
        nextHopType: String(field(value, "nextHopType")),
        ...(ip ? { nextHopIpAddress: ip } : {}),
        ...(table ? { routeTableId: table } : {}),
        src,
      });
      if (!request) unaskedNote(ctx, input, "a next hop answer", "the source and destination it was asked about");
    }
    return 0;
  },
};

/** Says, where the user sees it, that an answer cannot be compared: it does not hold what it was asked. */
function unaskedNote(ctx: IngestContext, input: InputDocument, what: string, missing: string): void {
  ctx.diags.warning(
    "input/observed-not-compared",
    `${what} without ${missing} (a bare az answer holds only the result); it is not compared with the computed answer: give the REST request and response together ({ "parameters", "responses" })`,
    located(input, ctx),
  );
}

/** `az network nic show-effective-route-table` / REST `effectiveRouteTable`. */
export const effectiveRoutesExport: Ingester = {
  format: "effective-routes",
  detect(input) {
    const items = listItems(body(input));
    return !!items && items.length > 0 && items.every(isEffectiveRoute);
  },
  load(input, ctx) {
    const items = (listItems(body(input)) ?? []) as Json[];
    const scope = scopeOfRequest(restRequest(input));
    const target = targetOf(scope);
    ctx.model.observed.effectiveRoutes.push({
      ...(target ? { target } : {}),
      scope,
      routes: items.map(effectiveRouteOf),
      rowSrc: items.map((r) => ctx.sources.lazy(r, fileSrc(input))),
      src: located(input, ctx),
    });
    return 0;
  },
};

/** `az network nic list-effective-nsg` / REST `effectiveNetworkSecurityGroups`. */
export const effectiveNsgExport: Ingester = {
  format: "effective-nsgs",
  detect(input) {
    const items = listItems(body(input));
    return !!items && items.length > 0 && items.every(isEffectiveNsg);
  },
  load(input, ctx) {
    const groups = ((listItems(body(input)) ?? []) as Json[]).map((e) => effectiveNsgOf(e, ctx, fileSrc(input)));
    const scope = scopeOfRequest(restRequest(input));
    // The associations name the NIC and the subnet the NSGs apply at (reference §4.4), one of each at most.
    const nics = new Set(groups.flatMap((g) => g.association.networkInterfaceId ?? []).map((i) => i.toLowerCase()));
    const subnets = groups.flatMap((g) => g.association.subnetId ?? []);
    if (!scope.networkInterfaceId && nics.size === 1)
      scope.networkInterfaceId = groups.find((g) => g.association.networkInterfaceId)!.association.networkInterfaceId;
    if (new Set(subnets.map((i) => i.toLowerCase())).size === 1) scope.subnetId = subnets[0];
    const target = targetOf(scope);
    ctx.model.observed.effectiveNsgs.push({ ...(target ? { target } : {}), scope, groups, src: located(input, ctx) });
    return 0;
  },
};

/** APIM `networkstatus` (one region's contract, or the by-service array). */
export const networkStatusExport: Ingester = {
  format: "apim-network-status",
  detect(input) {
    const value = body(input);
    if (networkStatusOf(value)) return true;
    const items = listItems(value);
    return !!items && items.length > 0 && items.every((i) => networkStatusOf(i) !== undefined);
  },
  load(input, ctx) {
    const value = body(input);
    const regions = networkStatusOf(value) ? [value] : (listItems(value) ?? []);
    for (const region of regions) {
      const found = networkStatusOf(region);
      if (!found) continue;
      const entries = (found.status.connectivityStatus as unknown[]).filter(isObject).map(
        (e): NetworkStatusEntry => ({
          name: String(e.name ?? ""),
          status: String(e.status ?? ""),
          error: typeof e.error === "string" ? e.error : undefined,
          resourceType: String(e.resourceType ?? ""),
          isOptional: e.isOptional === true,
          lastUpdated: typeof e.lastUpdated === "string" ? e.lastUpdated : undefined,
        }),
      );
      const dns = found.status.dnsServers;
      ctx.model.observed.networkStatus.push({
        location: found.location,
        dnsServers: Array.isArray(dns) ? dns.map(String) : [],
        connectivityStatus: entries,
        src: isObject(region) ? ctx.sources.lazy(region, fileSrc(input)) : fileSrc(input),
      });
    }
    return 0;
  },
};

function located(input: InputDocument, ctx: IngestContext) {
  const value = body(input);
  return isObject(value) ? ctx.sources.lazy(value, fileSrc(input)) : fileSrc(input);
}

/** The export ingesters, most specific first. */
export const exportIngesters: Ingester[] = [
  deploymentStatusExport,
  appliedAdminRulesExport,
  learnedRoutesExport,
  effectiveRoutesExport,
  effectiveNsgExport,
  networkStatusExport,
  networkWatcherExport,
  resourceExport,
];
