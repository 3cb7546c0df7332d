/**
 * @module ingest/export/shapes
 * Recognising the JSON shapes Azure tools print: a single resource, a list (`[...]`, `{ "value": [...] }`,
 * Resource Graph's `{ "data": [...] }`), a REST API example (`{ "parameters", "responses": { "200": { "body" } } }`),
 * and the Network Watcher / NIC diagnostics bodies kept as observed facts.
 */
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
  }
  return undefined;
}

export function isResource(value: unknown): value is Json {
  return isObject(value) && typeof field(value, "type") === "string" && String(field(value, "type")).includes("/") &&
    typeof field(value, "name") === "string";
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
