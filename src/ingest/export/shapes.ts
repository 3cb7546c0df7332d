/**
 * @module ingest/export/shapes
 * Recognising the JSON shapes Azure tools print: a single resource, a list (`[...]`, `{ "value": [...] }`,
 * Resource Graph's `{ "data": [...] }` or its table form `{ "data": { "columns", "rows" } }`), a REST API
 * example (`{ "parameters", "responses": { "200": { "body" } } }`), and the Network Watcher / NIC diagnostics
 * bodies kept as observed facts. A REST body may leave out `type` (a child resource such as a peering): it is
 * read from the resource id.
 */
import { parseResourceId } from "../../model/ids.js";
import { field, isObject, type Json } from "../resources/fields.js";

/** The response body of a REST API spec example (200, then 201), or the value itself. */
export function unwrapRestExample(value: unknown): unknown {
  if (isObject(value) && isObject(value.responses) && "parameters" in value) {
    const responses = value.responses as Json;
    for (const code of ["200", "201", "202"]) {
      const response = responses[code];
      if (isObject(response) && "body" in response) return response.body;
    }
    return undefined;
  }
  return value;
}

/** The items of a list envelope, or undefined when `value` is not a list. */
export function listItems(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (isObject(value)) {
    if (Array.isArray(value.value)) return value.value;
    if (Array.isArray(value.data)) return value.data; // Azure Resource Graph
    if (isObject(value.data)) return graphTableRows(value.data);
  }
  return undefined;
}

/** Resource Graph's table result (`resultFormat=table`): one object per row, keyed by the column names. */
function graphTableRows(table: Json): unknown[] | undefined {
  const { columns, rows } = table;
  if (!Array.isArray(columns) || !Array.isArray(rows)) return undefined;
  const names = columns.map((c) => (isObject(c) && typeof c.name === "string" ? c.name : ""));
  return rows.map((row) => {
    const out: Json = {};
    if (!Array.isArray(row)) return out;
    for (const [i, name] of names.entries()) {
      // defineProperty: a column named __proto__ stays data.
      Object.defineProperty(out, name, { value: row[i], enumerable: true, writable: true, configurable: true });
    }
    return out;
  });
}

/** The resource type an ARM id names (`.../virtualNetworks/v/virtualNetworkPeerings/p` → the peering type). */
export function typeFromId(value: Json): string | undefined {
  const id = field(value, "id");
  if (typeof id !== "string") return undefined;
  const parsed = parseResourceId(id);
  return parsed?.names.every((n) => n.length > 0) ? parsed.type : undefined;
}

export function isResource(value: unknown): value is Json {
  if (!isObject(value) || typeof field(value, "name") !== "string") return false;
  const type = field(value, "type");
  if (typeof type === "string") return type.includes("/");
  // REST bodies of child resources often have no type; an id and properties make them resources.
  return type === undefined && isObject(field(value, "properties")) && typeFromId(value) !== undefined;
}

/** A Network Watcher answer (`nextHop`, `ipFlowVerify`): kept for reference, not part of the model. */
export function networkWatcherResult(value: unknown): "next-hop" | "ip-flow-verify" | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.nextHopType === "string" && "nextHopIpAddress" in value && !Array.isArray(value.addressPrefix))
    return "next-hop";
  if ((value.access === "Allow" || value.access === "Deny") && typeof value.ruleName === "string")
    return "ip-flow-verify";
  return undefined;
}

/** A row of an effective route table: flat, with an array `addressPrefix`. */
export function isEffectiveRoute(value: unknown): value is Json {
  return isObject(value) && "nextHopType" in value && Array.isArray(value.addressPrefix) && "source" in value;
}

export function isEffectiveNsg(value: unknown): value is Json {
  return isObject(value) && Array.isArray(value.effectiveSecurityRules);
}

/** One region's APIM network status (`{ dnsServers, connectivityStatus }`), bare or under `networkStatus`. */
export function networkStatusOf(value: unknown): { location?: string; status: Json } | undefined {
  if (!isObject(value)) return undefined;
  if (Array.isArray(value.connectivityStatus)) return { status: value };
  if (isObject(value.networkStatus) && Array.isArray(value.networkStatus.connectivityStatus)) {
    return { location: typeof value.location === "string" ? value.location : undefined, status: value.networkStatus };
  }
  return undefined;
}
