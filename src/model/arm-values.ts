/**
 * @module model/arm-values
 * Model layer: how a change's values (model/change) are written in an ARM template, shared by the ARM form of
 * a fix (checks/fix/render) and the ARM front end's edit writer (ingest/arm/edit), so that a value pasted from
 * `check --fix arm` and one written by `apim-netcheck fix` are the same text. A text from the inputs is split
 * into literal parts and Unknown parts (model/unknown placeholders); literal parts are written as they are (a
 * leading `[` doubled, so it is not read as an expression), Unknown parts as the template's own parameter or
 * the deployment scope function they stand for. An Unknown that is neither cannot be written in a template:
 * the writers throw `Unwritable` and leave the form out (render) or refuse the change (edit).
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/template-expressions#escape-characters
 */
import { isExpr, isRef, type RefValue, type Value } from "./change.js";
import { DEFAULT_RESOURCE_GROUP, DEFAULT_SUBSCRIPTION, parseResourceId } from "./ids.js";
import { unknownReason } from "./unknown.js";

/** A text split into literal parts and Unknown parts (the reason a placeholder gives). */
export type TextPart = { literal: string } | { unknown: string };

const MARK = /<unknown:\s*([^>]*)>/g;

/** Splits `text` at its Unknown placeholders. */
export function textParts(text: string): TextPart[] {
  const out: TextPart[] = [];
  let at = 0;
  for (const m of text.matchAll(MARK)) {
    if (m.index! > at) out.push({ literal: text.slice(at, m.index) });
    out.push({ unknown: unknownReason(m[0]) });
    at = m.index! + m[0].length;
  }
  if (at < text.length || out.length === 0) out.push({ literal: text.slice(at) });
  return out;
}

/** The template parameter an Unknown stands for (`parameters('workloadName')` → `workloadName`). */
export function parameterOf(reason: string): string | undefined {
  const m = /^parameters\('([^']+)'\)$/.exec(reason.trim());
  return m && /^[A-Za-z_][A-Za-z0-9_]*$/.test(m[1]!) ? m[1] : undefined;
}

/**
 * Unknowns that are the deployment's own scope: a template names them with ARM's functions (`resourceGroup()`,
 * `subscription()`, the same in Bicep), so only the az and Terraform forms ask for them.
 */
export const SCOPE_REASONS = new Set([
  "resourceGroup().name",
  "resourceGroup().location",
  "subscription().subscriptionId",
]);

/** An ARM string literal inside an expression: `'` doubled. */
function armLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * A string value of an ARM template: the text itself (a leading `[` doubled, so it is not read as an
 * expression), or, with Unknown parts, an expression that builds it from the template's parameters. Undefined
 * when an Unknown part is not a parameter (the template cannot name it).
 */
export function armText(text: string): string | undefined {
  const expr = armExpression(text);
  if (expr === undefined) return undefined;
  return expr.startsWith("'") ? text.replace(/^\[/, "[[") : `[${expr}]`;
}

/** `'literal'`, `parameters('x')` or `concat(...)` of them, for use inside an ARM expression. */
export function armExpression(text: string): string | undefined {
  const parts = textParts(text);
  const items: string[] = [];
  for (const p of parts) {
    if ("literal" in p) items.push(armLiteral(p.literal));
    else if (SCOPE_REASONS.has(p.unknown)) items.push(p.unknown);
    else {
      const param = parameterOf(p.unknown);
      if (!param) return undefined;
      items.push(`parameters('${param}')`);
    }
  }
  return items.length === 1 ? items[0] : `concat(${items.join(", ")})`;
}

/** True for an id in the placeholder scope templates are read in (model/ids): `resourceId()` builds it. */
export function isTemplateId(id: string): boolean {
  const p = parseResourceId(id);
  return !!p && p.subscriptionId === DEFAULT_SUBSCRIPTION && p.resourceGroup === DEFAULT_RESOURCE_GROUP;
}

/** A value a form cannot write (an Unknown that is not a template parameter, for ARM). */
export class Unwritable extends Error {}

/** A reference as ARM writes it: `[resourceId(...)]` in the template's scope, the id itself elsewhere. */
export function armRefText(ref: RefValue): string | undefined {
  const { type, names, id } = ref.$ref;
  if (id && !isTemplateId(id)) return armText(id);
  // The type is written like the names: a name holding '/' makes a parsed id's type carry input text (fuzzing).
  const args = [type, ...names].map(armExpression);
  if (args.some((a) => a === undefined)) return undefined;
  return `[resourceId(${args.join(", ")})]`;
}

/**
 * A change's value as ARM JSON. `refText` writes references (armRefText unless the caller knows better, e.g.
 * the template's own name expression of the resource). Throws Unwritable for what a template cannot say.
 */
export function armValue(v: Value, refText: (ref: RefValue) => string | undefined = armRefText): unknown {
  if (typeof v === "string") {
    const text = armText(v);
    if (text === undefined) throw new Unwritable(unknownReason(v));
    return text;
  }
  if (typeof v !== "object" || v === null) return v;
  if (isRef(v)) {
    const text = refText(v);
    if (text === undefined) throw new Unwritable(v.$ref.names.map(unknownReason).join("/"));
    return text;
  }
  if (isExpr(v)) return v.$expr.arm;
  if (Array.isArray(v)) return v.map((x) => armValue(x, refText));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, armValue(x, refText)]));
}

/** A resource's `name` in ARM (`nsg/rule`), an expression when a segment is Unknown; throws Unwritable. */
export function armName(names: string[]): string {
  if (names.every((n) => !n.includes("<unknown:"))) return armText(names.join("/"))!;
  const parts = names.map(armExpression);
  if (parts.some((p) => p === undefined)) throw new Unwritable(names.join("/"));
  return `[concat(${parts.flatMap((p, i) => (i ? ["'/'", p!] : [p!])).join(", ")})]`;
}

/** Every `$ref` in a value. */
export function refsIn(v: Value | undefined, out: RefValue[] = []): RefValue[] {
  if (isRef(v)) out.push(v);
  else if (Array.isArray(v)) for (const x of v) refsIn(x, out);
  else if (typeof v === "object" && v !== null && !isExpr(v)) for (const x of Object.values(v)) refsIn(x, out);
  return out;
}
