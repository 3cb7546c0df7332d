/**
 * @module ingest/terraform/azurerm/azapi
 * Ingest layer, Terraform: `azapi_resource` and `azapi_update_resource`. Their `body` is already the ARM shape
 * (`properties`, `sku`, `zones`, ...), as an HCL object (azapi 2.x) or a JSON string (`jsonencode`, azapi 1.x),
 * so it is handed to the REST mapping as it is, with the `type` it names (without the API version) and the id
 * its `parent_id` and `name` give (ids.ts). An update resource changes a resource declared elsewhere: its body
 * is merged into that resource when this configuration declares it, and stands on its own otherwise.
 * https://registry.terraform.io/providers/Azure/azapi/latest/docs/resources/resource
 */
import { unknownValue } from "../../../model/unknown.js";
import { isObjectValue, setPlace, toJson, Unknown, type ValueObject } from "../eval/values.js";
import { type Args, type Json, obj, put, region } from "./emit.js";
import { azapiType } from "./ids.js";
import type { MapContext } from "./network.js";

/** The body as a JSON object (a JSON string is decoded), or a placeholder reason when it is not known. */
function bodyOf(a: Args, ctx: MapContext): Json | undefined {
  const raw = a.raw("body");
  if (raw === undefined || raw === null) return undefined;
  if (raw instanceof Unknown) {
    ctx.report(
      "warning",
      "terraform/unknown-body",
      `${a.address}: its body is not known (${raw.reason}); its properties are not in the model`,
      a.at("body"),
    );
    return undefined;
  }
  if (typeof raw === "string") {
    try {
      const parsed = JSON.parse(raw) as unknown;
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
      setPlace(parsed as ValueObject, a.at("body"));
      return parsed as Json;
    } catch (error) {
      ctx.report(
        "error",
        "terraform/invalid-body",
        `${a.address}: the body is not a JSON object (${(error as Error).message})`,
        a.at("body"),
      );
      return undefined;
    }
  }
  if (!isObjectValue(raw)) {
    ctx.report("error", "terraform/invalid-body", `${a.address}: the body must be an object`, a.at("body"));
    return undefined;
  }
  return toJson(raw) as Json;
}

/** The REST node of an `azapi_resource` (or an update's body, for associations.ts to merge). */
export function azapiResource(a: Args, ctx: MapContext): Json[] {
  const armType = azapiType(a.raw("type") ?? null);
  if (!armType) {
    ctx.report(
      "warning",
      "terraform/unknown-type",
      `${a.address}: its type is not known; it is not in the model`,
      a.at("type"),
    );
    return [];
  }
  const id = a.str("id");
  const n = obj(a.place);
  n.type = armType;
  const parsed = id ? /\/providers\/[^/]+\/(.+)$/.exec(id) : null;
  n.name = parsed
    ? parsed[1]!
        .split("/")
        .filter((_, i) => i % 2 === 1)
        .join("/")
    : (a.str("name") ?? unknownValue(`${a.address}.name`));
  if (id !== undefined) n.id = id;
  const body = bodyOf(a, ctx);
  if (body) {
    for (const [k, v] of Object.entries(body)) {
      if (k === "type" || k === "name" || k === "id") continue;
      put(n, k, v, a.at("body"));
    }
  }
  const location = region(a.str("location"));
  if (location !== undefined && n.location === undefined) put(n, "location", location, a.at("location"));
  if (n.properties === undefined) n.properties = obj(a.place);
  return [n];
}

export { unknownValue };
