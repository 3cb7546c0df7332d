/**
 * @module ingest/arm/edit-scope
 * What the ARM edit writer (ingest/arm/edit) asks of a template's structure before it writes: which template
 * (the file's, or a nested deployment's inline one) holds a declaration and whose parameters its expressions
 * see, whether a declaration is made by a `copy` loop, how the template itself names a resource it declares
 * (its `name` expression, so a reference is written as the user would write it, not with values that were
 * only assumed offline), and whether one resource already depends on another (so a `dependsOn` entry added
 * for a reference never closes a cycle); and how a change names the properties it sets. Read from the
 * parsed template only; nothing here writes.
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/linked-templates#expression-evaluation-scope-in-nested-templates
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/resource-dependency
 */
import { armExpression } from "../../model/arm-values.js";

export type Path = (string | number)[];

/** A refusal of one change, with the one line that says why. */
export class Refusal extends Error {}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** True for a string ARM reads as an expression (`[...]`, not the escaped `[[...`). */
export function isExpression(v: unknown): boolean {
  return typeof v === "string" && v.startsWith("[") && !v.startsWith("[[") && v.endsWith("]");
}

/** The key of `o` that is `key` in any case (ARM reads property names case-insensitively). */
export function keyOf(o: unknown, key: string): string | undefined {
  if (!isObject(o)) return undefined;
  if (Object.hasOwn(o, key)) return key;
  const lower = key.toLowerCase();
  return Object.keys(o).find((k) => k.toLowerCase() === lower);
}

/** The value at `path` of `root`. */
export function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let at = root;
  for (const step of path) {
    if (typeof at !== "object" || at === null || !Object.hasOwn(at, step)) return undefined;
    at = (at as Record<string | number, unknown>)[step];
  }
  return at;
}

/** A JSON pointer as a path; array indices as numbers (read against `root`). */
export function pathOf(pointer: string, root: unknown): Path {
  if (pointer === "") return [];
  const out: Path = [];
  let at = root;
  for (const raw of pointer.slice(1).split("/")) {
    const step = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const index = Array.isArray(at) && /^\d+$/.test(step) ? Number(step) : step;
    out.push(index);
    at = typeof at === "object" && at !== null ? (at as Record<string | number, unknown>)[index] : undefined;
  }
  return out;
}

/** A path as a JSON pointer. */
export function pointerOf(path: readonly (string | number)[]): string {
  return path.map((s) => `/${String(s).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

/** The path of the innermost template holding `path`: the file's (`[]`) or a nested deployment's inline one. */
export function templateOf(path: Path): Path {
  let out: Path = [];
  for (let i = 2; i + 1 < path.length; i++) {
    if (path[i] === "properties" && path[i + 1] === "template" && path[i - 2] === "resources")
      out = path.slice(0, i + 2);
  }
  return out;
}

/**
 * The template whose parameters and variables the expressions at `path` read: a nested deployment's own with
 * `expressionEvaluationOptions.scope` inner, its parent's otherwise (outer scope is ARM's default).
 */
export function scopeOf(root: unknown, path: Path): Path {
  const template = templateOf(path);
  if (template.length === 0) return template;
  const options = valueAt(root, [...template.slice(0, -1), "expressionEvaluationOptions"]);
  const scope = isObject(options) ? options[keyOf(options, "scope") ?? "scope"] : undefined;
  return typeof scope === "string" && scope.toLowerCase() === "inner" ? template : scopeOf(root, template.slice(0, -2));
}

/** The declaration of the resource that holds `path` (the last `resources` item on the way), or undefined. */
export function resourceOf(path: Path): Path | undefined {
  for (let i = path.length - 2; i >= 0; i--) if (path[i] === "resources") return path.slice(0, i + 2);
  return undefined;
}

/** Refuses a place a change must not be written at: made by a copy loop, or outside the resources. */
export function checkSite(root: unknown, path: Path): void {
  const where = pointerOf(path);
  if (path.includes("copy")) throw new Refusal(`it is declared in a copy loop (${where}); change the loop instead`);
  for (let i = 0; i + 1 < path.length; i++) {
    if (path[i] !== "resources") continue;
    const decl = valueAt(root, path.slice(0, i + 2));
    if (isObject(decl) && isObject(decl[keyOf(decl, "copy") ?? "copy"]))
      throw new Refusal(`it is declared in a copy loop (${pointerOf(path.slice(0, i + 2))}); change the loop instead`);
  }
  if (!path.includes("resources"))
    throw new Refusal(`it is declared outside the template's resources (${where}), where other resources may share it`);
}

/** Refuses writing `key` of `properties` when a property `copy` loop makes it. */
export function checkPropertyCopy(properties: unknown, key: string): void {
  const copy = isObject(properties) ? properties[keyOf(properties, "copy") ?? "copy"] : undefined;
  if (!Array.isArray(copy)) return;
  if (copy.some((c) => isObject(c) && typeof c.name === "string" && c.name.toLowerCase() === key.toLowerCase()))
    throw new Refusal(`its ${key} are made by a copy loop; change the loop instead`);
}

/** A short form of a value for a message. */
export function shortText(v: unknown): string {
  const text = typeof v === "string" ? v : JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * How a template names the resource it declares at `path` in `resourceId()`: `'nsg', 'rule'` for a literal
 * name, `X` for a top-level resource named `[X]`. Undefined when its name cannot be used so (a child declared
 * inside its parent, a child named by one expression).
 */
function nameArguments(root: unknown, path: Path): string | undefined {
  const decl = valueAt(root, path);
  if (!isObject(decl) || path.length !== templateOf(path).length + 2) return undefined;
  const name = decl[keyOf(decl, "name") ?? "name"];
  const type = decl[keyOf(decl, "type") ?? "type"];
  if (typeof name !== "string" || typeof type !== "string" || isExpression(type)) return undefined;
  if (isExpression(name)) return type.split("/").length === 2 ? name.slice(1, -1).trim() : undefined;
  const literal = name.startsWith("[[") ? name.slice(1) : name;
  return literal
    .split("/")
    .map((s) => armExpression(s)!)
    .join(", ");
}

/** A reference to the resource declared at `path` as the template names it (`[resourceId(...)]`), if it can. */
export function declarationId(root: unknown, path: Path): string | undefined {
  const decl = valueAt(root, path);
  const args = nameArguments(root, path);
  const type = isObject(decl) ? decl[keyOf(decl, "type") ?? "type"] : undefined;
  return args === undefined ? undefined : `[resourceId('${type}', ${args})]`;
}

/** The `dependsOn` entry for the resource declared at `path`: its symbolic name (languageVersion 2.0), or its id. */
export function dependsOnEntry(root: unknown, path: Path): string | undefined {
  const holder = valueAt(root, path.slice(0, -1));
  if (isObject(holder) && typeof path[path.length - 1] === "string") return String(path[path.length - 1]);
  return declarationId(root, path);
}

/** `text` without spaces, lower case, for comparing entries. */
const norm = (text: string) => text.replace(/\s+/g, "").toLowerCase();

/**
 * True when the `dependsOn` entry `entry` may name the resource declared at `path` (by its symbolic name, its
 * name expression or its last name): generous, since it decides only that an entry is there already or that an
 * added one might close a cycle.
 */
export function mentions(root: unknown, entry: unknown, path: Path): boolean {
  if (typeof entry !== "string") return false;
  const last = path[path.length - 1];
  if (typeof last === "string" && norm(entry) === norm(last)) return true;
  const decl = valueAt(root, path);
  const name = isObject(decl) ? decl[keyOf(decl, "name") ?? "name"] : undefined;
  if (typeof name !== "string") return false;
  if (isExpression(name)) return norm(entry).includes(norm(name.slice(1, -1)));
  const segment = name.split("/").pop() ?? name;
  return norm(entry) === norm(name) || norm(entry).includes(norm(`'${segment.replace(/'/g, "''")}'`));
}

/** The `dependsOn` entries of the declaration at `path`. */
export function dependsOnOf(root: unknown, path: Path): unknown[] {
  const decl = valueAt(root, path);
  const deps = isObject(decl) ? decl[keyOf(decl, "dependsOn") ?? "dependsOn"] : undefined;
  return Array.isArray(deps) ? deps : [];
}

/** The declarations of the `resources` of the template at `template`, with their paths. */
export function declarationsOf(root: unknown, template: Path): Path[] {
  const resources = valueAt(root, [...template, "resources"]);
  if (Array.isArray(resources)) return resources.map((_, i) => [...template, "resources", i]);
  if (isObject(resources)) return Object.keys(resources).map((k) => [...template, "resources", k]);
  return [];
}

/**
 * True when the resource at `from` may depend on the one at `to`, directly or through others: by a `dependsOn`
 * entry, or by naming it anywhere in its properties (a reference ARM needs deployed first).
 */
export function mayDependOn(root: unknown, from: Path, to: Path): boolean {
  const all = declarationsOf(root, templateOf(from));
  const seen = new Set<string>([pointerOf(from)]);
  const queue = [from];
  while (queue.length > 0) {
    const at = queue.shift()!;
    const decl = valueAt(root, at);
    const properties = isObject(decl) ? decl[keyOf(decl, "properties") ?? "properties"] : undefined;
    for (const entry of [...dependsOnOf(root, at), JSON.stringify(properties ?? null)]) {
      for (const other of all) {
        if (!mentions(root, entry, other)) continue;
        if (pointerOf(other) === pointerOf(to)) return true;
        if (!seen.has(pointerOf(other))) {
          seen.add(pointerOf(other));
          queue.push(other);
        }
      }
    }
  }
  return false;
}

/**
 * The keys a restatement rewrites: those it names, and the other of each singular and plural pair
 * (`addressPrefix` and `addressPrefixes`, `sourcePortRange` and `sourcePortRanges`) that it no longer has.
 */
export function withPartners(changed: string[], values: Record<string, unknown>): string[] {
  const out = new Set(changed);
  for (const k of changed) {
    for (const partner of [`${k}s`, `${k}es`, k.replace(/s$/, ""), k.replace(/es$/, "")]) {
      if (partner !== k && values[partner] === undefined) out.add(partner);
    }
  }
  return [...out];
}

/** `dnsSettings.domainNameLabel` or `additionalLocations[1].zones` as steps. */
export function stepsOf(path: string): Path {
  return path.split(".").flatMap((part) => {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return [part];
    const indices = [...m[2]!.matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]));
    return [...(m[1] ? [m[1]] : []), ...indices];
  });
}
