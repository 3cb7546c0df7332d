/**
 * @module model/change
 * Model layer: a fix as data — a list of changes against resources, each in ARM's vocabulary
 * (type, names, properties) — which one renderer per form (checks/fix/render) writes as az CLI, Bicep,
 * Terraform and ARM, and which each front end's edit writer applies to the user's own files. It lives in the
 * model because both the checks (which describe changes) and the front ends (which write them) read it.
 * Checks describe what to change; they never write fix text themselves (issue "Findings to trust and one fix
 * engine").
 *
 * - `create`: a new resource or child (an NSG rule, a route, a peering half, an NSG with its rules);
 * - `restate`: an existing resource declared again whole with some properties changed (`changed` names them),
 *   because a PUT replaces it whole (a subnet, a rule moved to another priority);
 * - `patch`: properties set on a resource that is not restated (the API Management service, a public IP);
 * - `delete`: a resource taken away (a rule that can never match and grants nothing).
 */
import { parseResourceId } from "./ids.js";

/** A reference to a resource by type and names (and its id when the inputs know it). */
export interface RefValue {
  $ref: { type: string; names: string[]; id?: string };
}

/** A value that no form can write literally (a private IP known after deployment): one text per form. */
export interface ExprValue {
  $expr: { arm: string; bicep: string; terraform: string; az: string };
}

export type Value = string | number | boolean | Value[] | { [key: string]: Value } | RefValue | ExprValue;

export function isRef(v: unknown): v is RefValue {
  return typeof v === "object" && v !== null && "$ref" in v;
}

export function isExpr(v: unknown): v is ExprValue {
  return typeof v === "object" && v !== null && "$expr" in v;
}

/** A resource a change is about: its full type, one name per type segment, and its id. */
export interface Target {
  /** `Microsoft.Network/networkSecurityGroups/securityRules`. */
  type: string;
  /** `["nsg-apim", "Allow-3443"]`. */
  names: string[];
  id: string;
}

/** A resource as a change declares it (the body of an ARM resource). */
export interface Declaration extends Target {
  location?: Value;
  sku?: Value;
  zones?: Value;
  properties: Record<string, Value>;
}

export type Change =
  | { op: "create"; resource: Declaration }
  | { op: "restate"; resource: Declaration; changed: string[] }
  | { op: "patch"; target: Target; set: Record<string, Value> }
  | { op: "delete"; target: Target };

/** The target for a resource id of the model (its type and names read from the id). */
export function targetOf(id: string, fallback?: { type: string; names: string[] }): Target {
  const parsed = parseResourceId(id);
  return { type: parsed?.type ?? fallback?.type ?? "", names: parsed?.names ?? fallback?.names ?? [], id };
}

/** The id of a child of `parent`: `<parent id>/<segment>/<name>`. */
export function childId(parent: Target, segment: string, name: string): Target {
  const last = segment;
  return { type: `${parent.type}/${last}`, names: [...parent.names, name], id: `${parent.id}/${segment}/${name}` };
}

/** The short name of a target (its last name segment). */
export function nameOf(t: Target): string {
  return t.names[t.names.length - 1] ?? "";
}

/** The parent of a child target, or undefined for a top-level resource. */
export function parentOf(t: Target): Target | undefined {
  const segments = t.type.split("/");
  if (segments.length <= 2) return undefined;
  const at = t.id.toLowerCase().lastIndexOf(`/${segments[segments.length - 1]!.toLowerCase()}/`);
  return {
    type: segments.slice(0, -1).join("/"),
    names: t.names.slice(0, -1),
    id: at > 0 ? t.id.slice(0, at) : t.id,
  };
}
