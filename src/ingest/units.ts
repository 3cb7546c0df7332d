/**
 * @module ingest/units
 * Deployment units: which inputs form one network. Several inputs are not merged by name alone (issue "Never a
 * silent pass (I)"): three unrelated templates that happen to use the same names would otherwise make one
 * network that none of them describes. The rule (docs/inputs.md):
 * - an input that refers to a resource it does not declare itself (a subnet id, a remote VNet, an NSG, the
 *   parent of a child resource declared on its own) joins every input that declares that resource, or its
 *   parent (a networking template and an APIM template; a spoke template and a hub export);
 * - inputs linked that way, directly or through others, are one unit; every other input is a unit of its own;
 * - ids are compared by type and names, ignoring subscription and resource group (templates write
 *   placeholders, exports the real ones), as the topology does.
 * Inputs that declare no resources (observed facts: effective routes, network status) belong to every unit.
 */
import { buildResourceId, parseResourceId, providerKey } from "../model/ids.js";
import { field, isObject, type Json, propsOf } from "./resources/fields.js";

/** Inline children a parent resource declares, by the property that holds them and their type segment. */
const INLINE_CHILDREN: Record<string, [string, string][]> = {
  "microsoft.network/virtualnetworks": [
    ["subnets", "subnets"],
    ["virtualNetworkPeerings", "virtualNetworkPeerings"],
  ],
  "microsoft.network/networksecuritygroups": [["securityRules", "securityRules"]],
  "microsoft.network/routetables": [["routes", "routes"]],
};

/** The key a node is declared under (type and names), and the keys of the children it declares inline. */
function declaredKeys(node: Json): string[] {
  const type = field(node, "type");
  const name = field(node, "name");
  if (typeof type !== "string" || typeof name !== "string") return [];
  const rawId = field(node, "id");
  const id = typeof rawId === "string" && rawId.length > 0 ? rawId : buildResourceId(type, name.split("/"));
  const keys = [providerKey(id)];
  const names = parseResourceId(id)?.names ?? name.split("/");
  for (const [property, segment] of INLINE_CHILDREN[type.toLowerCase()] ?? []) {
    const children = field(propsOf(node), property);
    if (!Array.isArray(children)) continue;
    for (const child of children) {
      const childName = isObject(child) ? field(child, "name") : undefined;
      if (typeof childName === "string")
        keys.push(providerKey(buildResourceId(`${type}/${segment}`, [...names, childName])));
    }
  }
  return keys;
}

const ID_SHAPE = /\/providers\/[^/]+\/[^/]+\/[^/]/i;

/** Every resource id written anywhere in `node` (references), and the parent of a child declared on its own. */
function referencedKeys(node: Json, out: Set<string>): void {
  const type = field(node, "type");
  const id = field(node, "id");
  if (typeof type === "string" && type.split("/").length > 2 && typeof id === "string") {
    for (const key of ancestors(providerKey(id)).slice(1)) out.add(key);
  } else if (typeof type === "string" && type.split("/").length > 2) {
    const name = field(node, "name");
    if (typeof name === "string") {
      const parentType = type.split("/").slice(0, -1).join("/");
      out.add(providerKey(buildResourceId(parentType, name.split("/").slice(0, -1))));
    }
  }
  const stack: unknown[] = [node];
  let budget = 1_000_000;
  while (stack.length > 0 && budget-- > 0) {
    const value = stack.pop();
    if (typeof value === "string") {
      if (ID_SHAPE.test(value) && parseResourceId(value)) out.add(providerKey(value));
    } else if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
    } else if (isObject(value)) {
      for (const key of Object.keys(value)) stack.push(value[key]);
    }
  }
}

/** A key and the keys of its parents (`…/subnets/v/s` then `…/virtualnetworks/v`), most specific first. */
function ancestors(key: string): string[] {
  // providerKey is `namespace/type[/type...]/name[/name...]`: types and names are interleaved in the id, but the
  // key lists all types first; rebuild the parents from the parsed parts.
  const parts = key.split("/");
  const out = [key];
  const half = (parts.length - 1) / 2;
  if (!Number.isInteger(half) || half < 2) return out;
  const namespace = parts[0]!;
  const types = parts.slice(1, 1 + half);
  const names = parts.slice(1 + half);
  for (let depth = half - 1; depth >= 1; depth--) {
    out.push([namespace, ...types.slice(0, depth), ...names.slice(0, depth)].join("/"));
  }
  return out;
}

/**
 * Groups inputs into units. `nodes[i]` are the resources input `i` declares (REST-shaped). Returns the units
 * as lists of input indices in input order, units ordered by their first input; inputs without resources are
 * left out (they belong to every unit).
 */
export function partitionUnits(nodes: readonly (readonly Json[])[]): number[][] {
  // One input with resources is one unit: no need to read its references (a large template has many).
  const withResources = nodes.flatMap((list, i) => (list.length > 0 ? [i] : []));
  if (withResources.length <= 1) return withResources.length === 1 ? [withResources] : [];
  const declaredBy = new Map<string, number[]>();
  const declared = nodes.map((list) => new Set(list.flatMap(declaredKeys)));
  declared.forEach((keys, i) => {
    for (const key of keys) declaredBy.set(key, [...(declaredBy.get(key) ?? []), i]);
  });
  const parent = nodes.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  nodes.forEach((list, i) => {
    if (list.length === 0) return;
    const refs = new Set<string>();
    for (const node of list) referencedKeys(node, refs);
    for (const ref of refs) {
      // A resource the input declares itself links it to nobody; otherwise the most specific declared ancestor.
      const chain = ancestors(ref);
      if (chain.some((k) => declared[i]!.has(k))) continue;
      const holder = chain.find((k) => declaredBy.has(k));
      if (holder) for (const j of declaredBy.get(holder)!) union(i, j);
    }
  });
  const groups = new Map<number, number[]>();
  nodes.forEach((list, i) => {
    if (list.length === 0) return;
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), i]);
  });
  return [...groups.values()].sort((a, b) => a[0]! - b[0]!);
}
