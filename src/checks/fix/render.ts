/**
 * @module checks/fix/render
 * Checks layer, fix engine: a fix's changes (checks/fix/changes) written in the four forms people deploy with —
 * az CLI, Bicep, Terraform (azurerm) and ARM — from the per-type table of checks/fix/forms. Every value from the
 * inputs is quoted for its form (checks/fix/values); a value no input gives becomes what the user sets: a shell
 * variable, the template's own parameter, a Terraform variable, with one line saying what to set. A form that
 * cannot express a change (a deletion in a template form, an Unknown that is no template parameter in ARM) is
 * left out rather than written wrong.
 */

import { armName, armRefText, armValue, isTemplateId, refsIn, Unwritable } from "../../model/arm-values.js";
import {
  type Change,
  type Declaration,
  isExpr,
  isRef,
  nameOf,
  parentOf,
  type RefValue,
  type Target,
  type Value,
} from "../../model/change.js";
import { DEFAULT_RESOURCE_GROUP, DEFAULT_SUBSCRIPTION, idKey, parseResourceId } from "../../model/ids.js";
import { unknownValue } from "../../model/unknown.js";
import type { Fix } from "../types.js";
import { formOf, type TypeForm } from "./forms.js";
import { azText, bicepText, commentSafe, hclText, shellWord, Variables } from "./values.js";

/** The Unknown reasons the placeholders of the scope take (templates do not say where they deploy). */
const RESOURCE_GROUP = "resourceGroup().name";
const SUBSCRIPTION = "subscription().subscriptionId";

/** An id with the placeholder subscription and resource group marked Unknown, so each form asks for them. */
function idText(id: string): string {
  return id
    .replace(`/subscriptions/${DEFAULT_SUBSCRIPTION}/`, `/subscriptions/<unknown: ${SUBSCRIPTION}>/`)
    .replace(/\/resourceGroups\/resourceGroup\//i, `/resourceGroups/<unknown: ${RESOURCE_GROUP}>/`);
}

/** The resource group a target is in, as text (Unknown when the input did not say). */
function groupText(t: Target): string {
  const rg = parseResourceId(t.id)?.resourceGroup;
  return rg && rg !== DEFAULT_RESOURCE_GROUP ? rg : `<unknown: ${RESOURCE_GROUP}>`;
}

/** `{ id: ref }` (ARM's shape of a reference) as the reference itself; anything else as it is. */
function unwrapId(v: Value): Value {
  if (typeof v === "object" && v !== null && !Array.isArray(v) && !isRef(v) && !isExpr(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === "id") return (v as Record<string, Value>).id!;
  }
  return v;
}

/** Symbolic names (Bicep) and local names (Terraform) per resource, unique within one fix. */
class Names {
  private readonly used = new Set<string>();
  private readonly byId = new Map<string, string>();

  constructor(private readonly make: (name: string) => string) {}

  of(t: { id: string; names: string[] }): string {
    const key = idKey(t.id);
    let name = this.byId.get(key);
    if (!name) {
      const base = this.make(t.names.map((n) => n.replace(/<unknown:[^>]*>/g, "x")).join("-"));
      name = base;
      for (let i = 2; this.used.has(name); i++) name = `${base}${i}`;
      this.used.add(name);
      this.byId.set(key, name);
    }
    return name;
  }
}

const bicepName = (name: string) => {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words
    .map((w, i) => (i === 0 ? w[0]!.toLowerCase() + w.slice(1) : w[0]!.toUpperCase() + w.slice(1)))
    .join("");
  return /^[A-Za-z]/.test(joined) ? joined : `r${joined}`;
};
const tfName = (name: string) =>
  name
    .replace(/[^A-Za-z0-9_]/g, "_")
    .replace(/^([0-9])/, "_$1")
    .toLowerCase() || "x";

/** The declarations and targets of a fix that are created or restated in it (refs to them are symbolic). */
function declared(changes: Change[]): Map<string, Declaration> {
  const out = new Map<string, Declaration>();
  for (const c of changes) if (c.op === "create" || c.op === "restate") out.set(idKey(c.resource.id), c.resource);
  return out;
}

// ---- ARM -------------------------------------------------------------------------------------------------

function renderArm(changes: Change[]): string | undefined {
  const made = declared(changes);
  const out: Record<string, unknown>[] = [];
  // Items set in a declaration the template already has rather than added (patches): a comment says so above
  // each (Resource Manager accepts comments in templates; so do our readers).
  const merged = new Set<number>();
  try {
    for (const c of changes) {
      if (c.op === "delete") return undefined;
      if (c.op === "patch") {
        // One item of a list cannot be merged alone: the list would be replaced whole.
        if (Object.keys(c.set).some((k) => k.includes("["))) return undefined;
        const form = formOf(c.target.type);
        if (!form) return undefined;
        merged.add(out.length);
        out.push({ type: form.type, name: armName(c.target.names), properties: armValue(nested(c.set)) });
        continue;
      }
      const r = c.resource;
      const form = formOf(r.type);
      if (!form) return undefined;
      const parent = parentOf(r);
      const dependsOn = [
        ...(parent && isTemplateId(parent.id)
          ? [armRefText({ $ref: { type: parent.type, names: parent.names } })]
          : []),
        ...refsIn(r.properties)
          .filter((ref) => ref.$ref.id && made.has(idKey(ref.$ref.id)))
          .map((ref) => armRefText({ $ref: { type: ref.$ref.type, names: ref.$ref.names } })),
      ].filter((x): x is string => x !== undefined);
      const location = r.location ?? (form.location && !parent ? form.location : undefined);
      out.push({
        type: form.type,
        apiVersion: form.apiVersion,
        name: armName(r.names),
        ...(location !== undefined ? { location: armValue(location) } : {}),
        ...(r.sku !== undefined ? { sku: armValue(r.sku) } : {}),
        ...(r.zones !== undefined ? { zones: armValue(r.zones) } : {}),
        ...(dependsOn.length ? { dependsOn: [...new Set(dependsOn)] } : {}),
        properties: armValue(r.properties),
      });
    }
  } catch (error) {
    if (error instanceof Unwritable) return undefined;
    throw error;
  }
  if (merged.size === 0) return JSON.stringify(out, null, 2);
  const items = out.map((item, i) => {
    // Indented line by line: `^` with the m flag also matches after U+2028 and U+2029, which JSON.stringify
    // leaves raw inside a string, and would put spaces into a name.
    const text = JSON.stringify(item, null, 2)
      .split("\n")
      .map((line) => `  ${line}`)
      .join("\n");
    if (!merged.has(i)) return text;
    const name = commentSafe(String(item.name));
    return `  // merge into the template's own declaration of ${item.type} ${name} (do not add it again)\n${text}`;
  });
  return `[\n${items.join(",\n")}\n]`;
}

// ---- Bicep -----------------------------------------------------------------------------------------------

function bicepKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : `'${key.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

function bicepValue(v: Value, ctx: BicepContext, indent: string): string {
  const inner = `${indent}  `;
  if (typeof v === "string") return bicepText(v, ctx.vars);
  if (typeof v !== "object" || v === null) return String(v);
  if (isExpr(v)) return v.$expr.bicep;
  if (isRef(v)) {
    const { type, names, id } = v.$ref;
    if (id && ctx.made.has(idKey(id))) return `${ctx.names.of({ id, names })}.id`;
    if (id && !isTemplateId(id)) return bicepText(id, ctx.vars);
    // The type through the same writer as the names: it can carry input text (a name holding '/').
    return `resourceId(${[type, ...names].map((n) => bicepText(n, ctx.vars)).join(", ")})`;
  }
  if (Array.isArray(v))
    return v.length === 0 ? "[]" : `[\n${v.map((x) => `${inner}${bicepValue(x, ctx, inner)}`).join("\n")}\n${indent}]`;
  const entries = Object.entries(v);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, x]) => `${inner}${bicepKey(k)}: ${bicepValue(x, ctx, inner)}`).join("\n")}\n${indent}}`;
}

interface BicepContext {
  vars: Variables;
  names: Names;
  made: Map<string, Declaration>;
}

/** Dot paths (`dnsSettings.domainNameLabel`) as one nested object. */
function nested(set: Record<string, Value>): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const [path, value] of Object.entries(set)) {
    const keys = path.split(".");
    let at = out as Record<string, Value>;
    for (const k of keys.slice(0, -1)) {
      at[k] ??= {};
      at = at[k] as Record<string, Value>;
    }
    at[keys[keys.length - 1]!] = value;
  }
  return out;
}

function renderBicep(changes: Change[]): string | undefined {
  const ctx: BicepContext = { vars: new Variables("bicep"), names: new Names(bicepName), made: declared(changes) };
  const body: string[] = [];
  const existing = new Set<string>();
  for (const c of changes) {
    if (c.op === "delete") return undefined;
    const target = c.op === "patch" ? c.target : c.resource;
    const form = formOf(target.type);
    if (!form) return undefined;
    if (c.op === "patch") {
      // An item of a list (`additionalLocations[1]`) cannot be set alone in Bicep: the list is declared whole.
      if (Object.keys(c.set).some((k) => k.includes("["))) return undefined;
      // Set in the file's own declaration, so written as a commented instruction: the fix stays valid Bicep.
      const fragment = `properties: ${bicepValue(nested(c.set), ctx, "")}`;
      body.push(
        `// merge into your declaration of resource ${commentSafe(nameOf(target))} ('${form.type}'):`,
        ...fragment.split("\n").map((line) => `//   ${line}`),
        "",
      );
      continue;
    }
    const r = c.resource;
    const parent = parentOf(r);
    let parentLine: string | undefined;
    if (parent) {
      const sym = ctx.names.of(parent);
      if (!ctx.made.has(idKey(parent.id)) && !existing.has(sym)) {
        existing.add(sym);
        const parentType = form.type.split("/").slice(0, -1).join("/");
        body.push(
          `resource ${sym} '${parentType}@${form.apiVersion}' existing = {`,
          `  name: ${bicepText(nameOf(parent), ctx.vars)}`,
          "}",
          "",
        );
      }
      parentLine = `  parent: ${sym}`;
    }
    if (c.op === "restate") body.push("// Declares it again with every property it has now, plus the change.");
    const location = r.location ?? (form.location && !parent ? form.location : undefined);
    body.push(
      `resource ${ctx.names.of(r)} '${form.type}@${form.apiVersion}' = {`,
      ...(parentLine ? [parentLine] : []),
      `  name: ${bicepText(nameOf(r), ctx.vars)}`,
      ...(location !== undefined ? [`  location: ${bicepValue(location, ctx, "  ")}`] : []),
      ...(r.sku !== undefined ? [`  sku: ${bicepValue(r.sku, ctx, "  ")}`] : []),
      ...(r.zones !== undefined ? [`  zones: ${bicepValue(r.zones, ctx, "  ")}`] : []),
      `  properties: ${bicepValue(r.properties, ctx, "  ")}`,
      "}",
      "",
    );
  }
  // Values no template parameter gives become parameters of their own, each saying what it is.
  const params = ctx.vars
    .all()
    .filter((v) => ctx.vars.nonParameters().some((r) => ctx.vars.of(r) === v))
    .map((v) => `param ${v.name} string // ${v.what}`);
  return [...params, ...(params.length ? [""] : []), ...body].join("\n").trimEnd();
}

// ---- Terraform -------------------------------------------------------------------------------------------

interface TfContext {
  vars: Variables;
  names: Names;
  made: Map<string, Declaration>;
}

function tfRef(ref: RefValue, ctx: TfContext): string {
  const { type, names, id } = ref.$ref;
  const form = formOf(type);
  if (id && form && ctx.made.has(idKey(id))) return `${form.terraform.resource}.${ctx.names.of({ id, names })}.id`;
  return hclText(idText(id ?? ""), ctx.vars);
}

function hclValue(value: Value, ctx: TfContext, as?: string): string {
  const v = as === "ref" || as === "ids" ? value : unwrapId(value);
  if (as === "ref") return hclValue(unwrapId(value), ctx);
  if (as === "ids" && Array.isArray(v)) return `[${v.map((x) => hclValue(unwrapId(x), ctx)).join(", ")}]`;
  if (as === "endpoints" && Array.isArray(v))
    return `[${v.map((e) => hclText(String((e as Record<string, Value>).service ?? ""), ctx.vars)).join(", ")}]`;
  if (typeof v === "string") return hclText(v, ctx.vars);
  if (typeof v !== "object" || v === null) return String(v);
  if (isExpr(v)) return v.$expr.terraform;
  if (isRef(v)) return tfRef(v, ctx);
  if (Array.isArray(v)) {
    // A records: the addresses only.
    const addresses = v.map((x) => (typeof x === "object" && x && "ipv4Address" in x ? x.ipv4Address : x));
    if (addresses.length === 1 && isExpr(addresses[0])) return addresses[0].$expr.terraform;
    return `[${addresses.map((x) => hclValue(x as Value, ctx)).join(", ")}]`;
  }
  return `{ ${Object.entries(v)
    .map(([k, x]) => `${k} = ${hclValue(x, ctx)}`)
    .join(", ")} }`;
}

/** The value at `path` (`dnsSettings.domainNameLabel`) of `properties`, nested or written as one key. */
function valueAt(properties: Record<string, Value>, path: string): Value | undefined {
  if (path in properties) return properties[path];
  let at: Value | undefined = properties;
  for (const key of path.split(".")) {
    if (typeof at !== "object" || at === null || Array.isArray(at) || isRef(at) || isExpr(at)) return undefined;
    at = (at as Record<string, Value>)[key];
  }
  return at;
}

function tfAttributes(form: TypeForm, properties: Record<string, Value>, ctx: TfContext, pad: string): string[] {
  const lines: string[] = [];
  for (const [path, attr] of Object.entries(form.terraform.attrs)) {
    const value = valueAt(properties, path);
    if (value === undefined) continue;
    const text = attr.as === "wrap" ? `[${hclValue(value, ctx)}]` : hclValue(value, ctx, attr.as);
    lines.push(`${pad}${attr.attr} = ${text}`);
  }
  return lines;
}

function tfParents(form: TypeForm, r: Target, ctx: TfContext): string[] {
  return form.terraform.parents.map((attr, i) => `  ${attr} = ${hclText(r.names[i] ?? "", ctx.vars)}`);
}

/** A subnet restated: what changed, as azurerm writes it (associations are resources of their own). */
function tfSubnet(c: Extract<Change, { op: "restate" }>, form: TypeForm, ctx: TfContext): string[] {
  const r = c.resource;
  const subnetId = hclText(idText(r.id), ctx.vars);
  const out: string[] = [];
  const local = ctx.names.of(r);
  const association = (resource: string, attr: string, key: string) => {
    const ref = r.properties[key];
    if (ref === undefined) return;
    out.push(
      `resource "${resource}" "${local}" {`,
      `  subnet_id = ${subnetId}`,
      `  ${attr} = ${hclValue(ref, ctx)}`,
      "}",
      "",
    );
  };
  if (c.changed.includes("networkSecurityGroup"))
    association(
      "azurerm_subnet_network_security_group_association",
      "network_security_group_id",
      "networkSecurityGroup",
    );
  if (c.changed.includes("routeTable"))
    association("azurerm_subnet_route_table_association", "route_table_id", "routeTable");
  const attrs = c.changed.filter((k) => k !== "networkSecurityGroup" && k !== "routeTable");
  if (attrs.length > 0) {
    out.push(`# in the azurerm_subnet of ${commentSafe(r.names.join("/"))}:`);
    out.push(...tfAttributes(form, Object.fromEntries(attrs.map((k) => [k, r.properties[k] ?? []])), ctx, ""));
    if (attrs.includes("delegations")) {
      const list = (r.properties.delegations ?? []) as Record<string, Value>[];
      if (list.length === 0) out.push("# and remove every delegation { ... } block");
      for (const d of list) {
        const service = String(((d.properties ?? {}) as Record<string, Value>).serviceName ?? "");
        out.push(
          "delegation {",
          `  name = ${hclText(String(d.name ?? ""), ctx.vars)}`,
          "  service_delegation {",
          `    name = ${hclText(service, ctx.vars)}`,
          "  }",
          "}",
        );
      }
    }
  }
  return out;
}

function renderTerraform(changes: Change[]): string | undefined {
  const ctx: TfContext = { vars: new Variables("terraform"), names: new Names(tfName), made: declared(changes) };
  const body: string[] = [];
  for (const c of changes) {
    if (c.op === "delete") return undefined;
    const target = c.op === "patch" ? c.target : c.resource;
    const form = formOf(target.type);
    if (!form) return undefined;
    if (c.op === "patch") {
      // A property the table has no attribute for cannot be written: no Terraform form rather than a partial one.
      if (Object.keys(c.set).some((k) => !(k in form.terraform.attrs))) return undefined;
      body.push(`# in the ${form.terraform.resource} of ${commentSafe(nameOf(target))}:`);
      body.push(...tfAttributes(form, c.set, ctx, ""), "");
      continue;
    }
    if (c.op === "restate" && form.type === "Microsoft.Network/virtualNetworks/subnets") {
      body.push(...tfSubnet(c, form, ctx));
      continue;
    }
    const r = c.resource;
    const lines = [
      `resource "${form.terraform.resource}" "${ctx.names.of(r)}" {`,
      `  name = ${hclText(nameOf(r), ctx.vars)}`,
      `  resource_group_name = ${hclText(groupText(r), ctx.vars)}`,
      ...tfParents(form, r, ctx),
      ...(form.terraform.location && r.location !== undefined ? [`  location = ${hclValue(r.location, ctx)}`] : []),
      ...outsideProperties(form.terraform, r, (v) => hclValue(v, ctx), " = ").map((line) => `  ${line}`),
      ...tfAttributes(form, r.properties, ctx, "  "),
    ];
    const blocks = form.terraform.blocks;
    if (blocks) {
      const child = formOf(blocks.childType)!;
      for (const item of (r.properties[blocks.property] ?? []) as Record<string, Value>[]) {
        lines.push(`  ${blocks.block} {`, `    name = ${hclText(String(item.name ?? ""), ctx.vars)}`);
        lines.push(...tfAttributes(child, (item.properties ?? {}) as Record<string, Value>, ctx, "    "), "  }");
      }
    }
    body.push(...lines, "}", "");
  }
  const vars = ctx.vars.all().map((v) => `# uses var.${v.name}: ${v.what}`);
  return [...vars, ...body].join("\n").trimEnd();
}

/** `sku.name` and `zones` of a new resource as a form writes them (flags or attributes), where it has them. */
function outsideProperties(
  names: { sku?: string; zones?: string },
  r: Declaration,
  write: (v: Value) => string | undefined,
  join: string,
): string[] {
  const out: string[] = [];
  const sku =
    typeof r.sku === "object" && r.sku !== null && !Array.isArray(r.sku)
      ? (r.sku as Record<string, Value>).name
      : undefined;
  if (names.sku && sku !== undefined) out.push(`${names.sku}${join}${write(sku)}`);
  if (names.zones && Array.isArray(r.zones) && r.zones.length) out.push(`${names.zones}${join}${write(r.zones)}`);
  return out;
}

// ---- az CLI ----------------------------------------------------------------------------------------------

function azValue(value: Value, vars: Variables, as?: string): string | undefined {
  const v = unwrapId(value);
  if (as === "bool") return v === true ? "true" : "false";
  if (as === "endpoints" && Array.isArray(v))
    return v.map((e) => azText(String((e as Record<string, Value>).service ?? ""), vars)).join(" ");
  if (as === "delegations" && Array.isArray(v))
    return v
      .map((d) =>
        azText(String(((d as Record<string, Value>).properties as Record<string, Value>)?.serviceName ?? ""), vars),
      )
      .join(" ");
  if (isRef(v)) {
    const id = v.$ref.id ?? "";
    return as === "refName" ? azText(v.$ref.names[v.$ref.names.length - 1] ?? "", vars) : azText(idText(id), vars);
  }
  if (isExpr(v)) return v.$expr.az;
  if (Array.isArray(v)) {
    const items = v.map((x) =>
      typeof x === "object" && x !== null && "ipv4Address" in x ? (x.ipv4Address as Value) : unwrapId(x),
    );
    return items.map((x) => azValue(x, vars)).join(" ");
  }
  if (typeof v === "object" && v !== null) return undefined;
  return typeof v === "string" ? azText(v, vars) : shellWord(String(v));
}

/** The flags of `properties` (only those of `keys` when given), in the table's order. */
function azFlags(
  form: TypeForm,
  properties: Record<string, Value>,
  keys: string[] | undefined,
  vars: Variables,
): string[] {
  const out: string[] = [];
  for (const [key, spec] of Object.entries(form.az.flags)) {
    if (keys && !keys.includes(key)) continue;
    const value = valueAt(properties, key);
    if (value === undefined) continue;
    if (spec.as === "delegations" && Array.isArray(value) && value.length === 0) {
      out.push("--remove delegations");
      continue;
    }
    if (spec.as === "bool" && value !== true) continue;
    const text = azValue(value, vars, spec.as);
    if (text === undefined || text === "") continue;
    // `--set path` takes `path=value` as one argument.
    out.push(spec.flag.startsWith("--set ") ? `--set ${spec.flag.slice(6)}=${text}` : `${spec.flag} ${text}`);
  }
  return out;
}

/**
 * The generic `--set path=value` of every patched property the table has no flag for (az's update commands all
 * take it). The path is quoted as one shell word, since `[1]` would otherwise be a glob.
 */
function azSets(form: TypeForm, set: Record<string, Value>, vars: Variables): string[] {
  const out: string[] = [];
  for (const [path, value] of Object.entries(set)) {
    if (path in form.az.flags) continue;
    const text = azValue(value, vars, "refId");
    if (text === undefined) throw new Error(`no az form for ${form.type} ${path}`);
    out.push(`--set ${shellWord(`${path}=`)}${text}`);
  }
  return out;
}

function azCommand(
  form: TypeForm,
  verb: string,
  t: Target,
  vars: Variables,
  flags: string[],
  location?: Value,
): string {
  const parents = form.az.parents.map((flag, i) => `${flag} ${azText(t.names[i] ?? "", vars)}`);
  return shellLines([
    `az ${form.az.group} ${verb}`,
    `--resource-group ${azText(groupText(t), vars)}`,
    ...parents,
    `${form.az.nameFlag} ${azText(nameOf(t), vars)}`,
    // az takes the resource group's region when --location is left out: that is what an Unknown region means here.
    ...(location !== undefined && location !== unknownValue("resourceGroup().location")
      ? [`--location ${azValue(location, vars) ?? ""}`]
      : []),
    ...flags,
  ]);
}

/**
 * Words of one command as lines of at most about 100 characters, continued with ` \`. Each word is a flag with
 * its already-quoted value, so a break never falls inside a quoted value and the command pastes as one.
 */
function shellLines(words: string[]): string {
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line && line.length + 1 + word.length > 100) {
      lines.push(line);
      line = `  ${word}`;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join(" \\\n");
}

function renderAz(changes: Change[]): string | undefined {
  const vars = new Variables("az");
  const lines: string[] = [];
  for (const c of changes) {
    const target = c.op === "patch" || c.op === "delete" ? c.target : c.resource;
    const form = formOf(target.type);
    if (!form) return undefined;
    if (c.op === "delete") lines.push(azCommand(form, "delete", target, vars, []));
    else if (c.op === "patch")
      lines.push(
        azCommand(form, "update", target, vars, [
          ...azFlags(form, c.set, undefined, vars),
          ...azSets(form, c.set, vars),
        ]),
      );
    else if (c.op === "restate")
      lines.push(azCommand(form, "update", c.resource, vars, azFlags(form, c.resource.properties, c.changed, vars)));
    else {
      const r = c.resource;
      const isTop = !parentOf(r);
      const flags = [
        ...outsideProperties(form.az, r, (v) => azValue(v, vars), " "),
        ...azFlags(form, r.properties, undefined, vars),
      ];
      lines.push(azCommand(form, form.az.createVerb ?? "create", r, vars, flags, isTop ? r.location : undefined));
      // Inline children (the rules of a new NSG, the routes of a new table) are created one by one.
      const blocks = form.terraform.blocks;
      const child = blocks && formOf(blocks.childType);
      for (const item of (blocks ? (r.properties[blocks.property] ?? []) : []) as Record<string, Value>[]) {
        const props = (item.properties ?? {}) as Record<string, Value>;
        const t = { type: child!.type, names: [...r.names, String(item.name ?? "")], id: `${r.id}/x/${item.name}` };
        lines.push(azCommand(child!, "create", t, vars, azFlags(child!, props, undefined, vars)));
      }
    }
  }
  // Each value no input gives is a variable set first; `: "${X:?}"` stops the script while it is unset.
  const preamble = vars.all().flatMap((v) => [`# set ${v.name} first: ${v.what}`, `: "\${${v.name}:?}"`]);
  return [...preamble, ...lines].join("\n");
}

/** The az form, or undefined when a value cannot be one shell argument (a NUL, which no argument can hold). */
function azOrNone(changes: Change[]): string | undefined {
  try {
    return renderAz(changes);
  } catch (error) {
    if (error instanceof Unwritable) return undefined;
    throw error;
  }
}

/** The fix in every form that can express it, in the order az CLI, Bicep, Terraform, ARM. */
export function renderFix(changes: Change[]): Fix[] {
  if (changes.length === 0) return [];
  const out: Fix[] = [];
  const az = azOrNone(changes);
  if (az) out.push({ kind: "az-cli", text: az });
  const bicep = renderBicep(changes);
  if (bicep) out.push({ kind: "bicep", text: bicep });
  const terraform = renderTerraform(changes);
  if (terraform) out.push({ kind: "terraform", text: terraform });
  const arm = renderArm(changes);
  if (arm) out.push({ kind: "arm", text: arm });
  return out;
}
