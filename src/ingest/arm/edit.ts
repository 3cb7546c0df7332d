/**
 * @module ingest/arm/edit
 * The ARM front end's edit writer: a fix's changes (model/change) written into the user's template as minimal
 * text edits (`apim-netcheck fix`), everything outside them kept byte for byte (json/rewrite). A new NSG rule,
 * route, subnet or peering goes at the end of its parent's inline array (the property is added when the parent
 * has none), or, when the parent is not declared in the file or the template declares such children on their
 * own, as a resource of its own at the end of `resources` (with `dependsOn` its parent where the template has
 * it); a new resource is added to `resources`. A restatement changes only the properties it names, a patch
 * sets its paths in the declaration's `properties`, a deletion takes the declaration out with its comma.
 * References are written as the template names the resource (its own `name` expression), and a reference to a
 * resource of the template gets a `dependsOn` entry unless one is there or it could close a cycle.
 *
 * A change is refused, with one line saying why, when it cannot be written safely: the declaration is made by
 * a copy loop, the edit would overwrite an expression the user wrote with a value the user did not write, a
 * value it needs is Unknown and no parameter of the template, or the target is not declared in the file. A
 * refused change leaves nothing behind: each is applied to a copy-on-write draft that is put back on refusal.
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/child-resource-name-type
 */
import { armName, armRefText, armText, armValue, refsIn, Unwritable } from "../../model/arm-values.js";
import { type Declaration, nameOf, parentOf, type RefValue, type Value } from "../../model/change.js";
import { idKey } from "../../model/ids.js";
import type { EditContext, EditOutcome, EditRequest, EditWriter } from "../edits.js";
import type { JsonDocument } from "../json/parse.js";
import { Draft, rewrite, setOwn } from "../json/rewrite.js";
import { parseSpans, type SpanNode, spanAt, type TextStyle, textStyle } from "../json/spans.js";
import { blankComments } from "../json/strict.js";
import type { InputDocument } from "../types.js";
import {
  checkPropertyCopy,
  checkSite,
  declarationId,
  declarationsOf,
  dependsOnEntry,
  dependsOnOf,
  isExpression,
  isObject,
  keyOf,
  mayDependOn,
  mentions,
  type Path,
  pathOf,
  pointerOf,
  Refusal,
  resourceOf,
  scopeOf,
  shortText,
  stepsOf,
  templateOf,
  withPartners,
} from "./edit-scope.js";

/** The inline array of its parent each child type can be declared in. */
const INLINE: Record<string, string> = {
  "microsoft.network/networksecuritygroups/securityrules": "securityRules",
  "microsoft.network/routetables/routes": "routes",
  "microsoft.network/virtualnetworks/subnets": "subnets",
  "microsoft.network/virtualnetworks/virtualnetworkpeerings": "virtualNetworkPeerings",
};

/** The edits that write `requests` into the ARM template `text` (parsed as `doc`). */
export function armEdits(text: string, doc: JsonDocument, requests: EditRequest[], ctx: EditContext = {}): EditOutcome {
  return new TemplateEditor(text, doc, ctx).run(requests);
}

export const armEditWriter: EditWriter = {
  format: "arm-template",
  edits(input: InputDocument, requests: EditRequest[], ctx: EditContext): EditOutcome {
    if (!input.json) return { edits: [], refused: requests.map((_, index) => ({ index, reason: "not JSON" })) };
    return armEdits(input.text, input.json, requests, ctx);
  },
};

class TemplateEditor {
  private readonly spans: SpanNode;
  private readonly style: TextStyle;
  private readonly draft: Draft;
  /** Resources this run adds, by id: how a reference and a `dependsOn` entry name each. */
  private created = new Map<string, { id: string; entry: string }>();

  constructor(
    private readonly text: string,
    private readonly doc: JsonDocument,
    private readonly ctx: EditContext,
  ) {
    this.spans = parseSpans(blankComments(text), text.charCodeAt(0) === 0xfeff ? 1 : 0);
    this.style = textStyle(text);
    this.draft = new Draft(doc.value);
  }

  run(requests: EditRequest[]): EditOutcome {
    const refused: EditOutcome["refused"] = [];
    requests.forEach((request, index) => {
      const root = this.draft.root;
      const created = new Map(this.created);
      try {
        this.apply(request);
        const [first] = this.rewrite().overwrites;
        if (first) throw new Refusal(this.overwriteReason(first.path, first.value));
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        this.draft.root = root;
        this.created = created;
        refused.push({ index, reason: error.message });
      }
    });
    return { edits: this.rewrite().edits, refused };
  }

  private rewrite() {
    return rewrite(this.text, this.spans, this.doc.value, this.draft, this.style, isExpression);
  }

  private overwriteReason(path: Path, value: unknown): string {
    const node = spanAt(this.spans, path);
    const line = node ? ` (line ${this.doc.position(node.start).line})` : "";
    return `it would replace the expression ${shortText(value)} at ${pointerOf(path)}${line} with a value it computed; change it there`;
  }

  private apply({ change, pointer }: EditRequest): void {
    if (change.op === "create") {
      this.create(change.resource, pointer);
      return;
    }
    if (pointer === undefined) throw new Refusal("it is not declared in this file");
    const original = pathOf(pointer, this.doc.value);
    checkSite(this.doc.value, original);
    const path = this.current(original);
    if (!isObject(this.draft.get(path))) throw new Refusal(`there is no declaration at ${pointer}`);
    if (change.op === "delete") {
      this.remove(path);
      return;
    }
    const properties = this.properties(path);
    if (change.op === "restate") {
      const values = change.resource.properties;
      for (const key of withPartners(change.changed, values)) {
        checkPropertyCopy(this.draft.get(properties), key);
        this.setPath(properties, [key], values[key] === undefined ? undefined : this.arm(values[key], path));
      }
      this.dependOnRefs(
        path,
        change.changed.flatMap((k) => refsIn(values[k])),
      );
    } else {
      for (const [text, value] of Object.entries(change.set)) {
        const steps = stepsOf(text);
        checkPropertyCopy(this.draft.get(properties), String(steps[0]));
        this.setPath(properties, steps, this.arm(value, path));
      }
      this.dependOnRefs(path, refsIn(Object.values(change.set)));
    }
  }

  /** The path in the draft of what the original document has at `original` (items taken out shift the rest). */
  private current(original: Path): Path {
    const out: Path = [];
    let was: unknown = this.doc.value;
    let now: unknown = this.draft.root;
    for (const step of original) {
      const before = (was as Record<string | number, unknown> | undefined)?.[step];
      let at: string | number = step;
      if (Array.isArray(now) && typeof before === "object" && before !== null) {
        at = now.findIndex((x) => x === before || (typeof x === "object" && x && this.draft.originOf(x) === before));
        if (at < 0) throw new Refusal("another change of this run takes it out");
      }
      out.push(at);
      was = before;
      now = (now as Record<string | number, unknown> | undefined)?.[at];
    }
    return out;
  }

  /** The path of a declaration's `properties`, added when it has none; refused when they are an expression. */
  private properties(decl: Path): Path {
    const key = keyOf(this.draft.get(decl), "properties");
    const value = key ? this.draft.get([...decl, key]) : undefined;
    if (key && !isObject(value)) throw new Refusal(`its properties are an expression (${shortText(value)})`);
    if (!key) this.draft.update(decl, (d) => setOwn(d as Record<string, unknown>, "properties", {}));
    return [...decl, key ?? "properties"];
  }

  /** Sets (or, for undefined, takes out) the value at `steps` below `base`, adding objects on the way. */
  private setPath(base: Path, steps: Path, value: unknown): void {
    let at = base;
    for (let i = 0; i < steps.length; i++) {
      const container = this.draft.get(at);
      const step = steps[i]!;
      const key = typeof step === "number" ? step : (keyOf(container, step) ?? step);
      const shown = steps.slice(0, i + 1).join(".");
      if (typeof step === "number" && !(Array.isArray(container) && step < container.length))
        throw new Refusal(`${shown}: the declaration has no such item`);
      if (i === steps.length - 1) {
        this.draft.update(at, (c) => {
          if (Array.isArray(c)) c[step as number] = value;
          else if (value === undefined) delete c[key];
          else setOwn(c, String(key), value);
        });
        return;
      }
      const child = (container as Record<string | number, unknown>)[key];
      if (child === undefined) {
        if (value === undefined) return;
        if (steps.slice(i + 1).some((s) => typeof s === "number"))
          throw new Refusal(`${shown}: the declaration has no such item`);
        const made = steps.slice(i + 1).reduceRight<unknown>((v, s) => ({ [s]: v }), value);
        this.draft.update(at, (c) => setOwn(c as Record<string, unknown>, String(key), made));
        return;
      }
      if (typeof child !== "object" || child === null)
        throw new Refusal(
          `${shown} is ${isExpression(child) ? "an expression" : "not an object"} (${shortText(child)})`,
        );
      at = [...at, key];
    }
  }

  /** Takes out the declaration at `path` (an item of an inline array, or a resource). */
  private remove(path: Path): void {
    const holder = path.slice(0, -1);
    if (holder[holder.length - 1] === "resources") {
      for (const other of declarationsOf(this.draft.root, templateOf(path))) {
        if (pointerOf(other) === pointerOf(path)) continue;
        if (dependsOnOf(this.draft.root, other).some((e) => mentions(this.draft.root, e, path)))
          throw new Refusal(`${pointerOf(other)} depends on it`);
      }
    }
    const last = path[path.length - 1]!;
    this.draft.update(holder, (c) => {
      if (Array.isArray(c)) c.splice(last as number, 1);
      else delete c[last as string];
    });
  }

  private create(r: Declaration, pointer: string | undefined): void {
    const parent = parentOf(r);
    if (!parent || pointer === undefined) {
      this.addResource(r, undefined);
      return;
    }
    const original = pathOf(pointer, this.doc.value);
    checkSite(this.doc.value, original);
    const decl = this.current(original);
    if (!isObject(this.draft.get(decl))) throw new Refusal(`there is no declaration of its parent at ${pointer}`);
    const inline = INLINE[r.type.toLowerCase()];
    const props = inline ? keyOf(this.draft.get(decl), "properties") : undefined;
    const bag = props ? this.draft.get([...decl, props]) : undefined;
    if (props && !isObject(bag)) throw new Refusal(`its parent's properties are an expression (${shortText(bag)})`);
    const key = inline ? keyOf(bag, inline) : undefined;
    if (!inline || (!key && this.declaresOnTheirOwn(decl, r.type))) {
      this.addResource(r, decl);
      return;
    }
    checkPropertyCopy(bag, inline);
    const list = key ? this.draft.get([...decl, props!, key]) : undefined;
    if (key && !Array.isArray(list)) throw new Refusal(`its parent's ${inline} are an expression (${shortText(list)})`);
    const name = armText(nameOf(r));
    if (name === undefined) throw new Refusal(`its name ${nameOf(r)} is Unknown offline and no template parameter`);
    const taken = (list as unknown[] | undefined)?.some(
      (x) => isObject(x) && typeof x.name === "string" && x.name.toLowerCase() === name.toLowerCase(),
    );
    if (taken) throw new Refusal(`its parent already declares ${inline} ${name}`);
    const item = { name, properties: this.arm(r.properties, decl) };
    const properties = this.properties(decl);
    if (key) this.draft.update([...properties, key], (c) => (c as unknown[]).push(item));
    else this.draft.update(properties, (c) => setOwn(c as Record<string, unknown>, inline, [item]));
    this.dependOnRefs(decl, refsIn(r.properties));
  }

  /**
   * True when the template declares resources of `type` on their own (beside or inside the parent at `parent`):
   * a child is then added the same way, not inline (a parent's inline list and its own child resources fight
   * over the same children on every deployment).
   */
  private declaresOnTheirOwn(parent: Path, type: string): boolean {
    const lower = type.toLowerCase();
    const leaf = lower.split("/").pop()!;
    const candidates = [
      ...declarationsOf(this.draft.root, templateOf(parent)),
      ...declarationsOf(this.draft.root, parent),
    ];
    return candidates.some((p) => {
      const t = (this.draft.get(p) as Record<string, unknown> | undefined)?.type;
      return typeof t === "string" && (t.toLowerCase() === lower || t.toLowerCase() === leaf);
    });
  }

  /** Adds `r` as a resource of its own, to the template that declares its parent (at `parent`) or the file's. */
  private addResource(r: Declaration, parent: Path | undefined): void {
    const form = this.ctx.typeForm?.(r.type);
    if (!form) throw new Refusal(`no ARM form is known for ${r.type}`);
    const template = parent ? templateOf(parent) : [];
    const site = [...template, "resources"];
    const parentTarget = parentOf(r);
    const parentRef =
      parent && parentTarget
        ? (dependsOnEntry(this.draft.root, parent) ??
          armRefText({ $ref: { type: parentTarget.type, names: parentTarget.names } }))
        : undefined;
    const name = this.childName(r, parent) ?? this.unwritable(() => armName(r.names));
    const location = r.location ?? (form.location && !parentOf(r) ? form.location : undefined);
    const dependsOn = [
      ...(parentRef ? [parentRef] : []),
      ...refsIn(r.properties).flatMap((ref) => {
        const entry = this.refEntry(ref, site);
        return entry ? [entry] : [];
      }),
    ];
    const item: Record<string, unknown> = {
      type: form.type,
      apiVersion: form.apiVersion,
      name,
      ...(location !== undefined ? { location: this.arm(location, site) } : {}),
      ...(r.sku !== undefined ? { sku: this.arm(r.sku, site) } : {}),
      ...(r.zones !== undefined ? { zones: this.arm(r.zones, site) } : {}),
      ...(dependsOn.length > 0 ? { dependsOn: [...new Set(dependsOn)] } : {}),
      properties: this.arm(r.properties, site),
    };
    this.checkParameters(item, site);
    const resources = this.draft.get(site);
    if (Array.isArray(resources)) this.draft.update(site, (c) => (c as unknown[]).push(item));
    else if (isObject(resources)) {
      let symbol = r.names.join("_").replace(/[^A-Za-z0-9_]/g, "_");
      while (Object.hasOwn(resources, symbol)) symbol += "_";
      this.draft.update(site, (c) => setOwn(c as Record<string, unknown>, symbol, item));
      const id = armRefText({ $ref: { type: form.type, names: r.names } });
      if (id) this.created.set(idKey(r.id), { id, entry: symbol });
      return;
    } else this.draft.update(template, (c) => setOwn(c as Record<string, unknown>, "resources", [item]));
    const id = armRefText({ $ref: { type: form.type, names: r.names } });
    if (id) this.created.set(idKey(r.id), { id, entry: id });
  }

  /** A child's `name` from its parent's declaration (`[concat(<parent's name>, '/', 'rule')]`), when it can. */
  private childName(r: Declaration, parent: Path | undefined): string | undefined {
    if (!parent || templateOf(parent).length + 2 !== parent.length) return undefined;
    const name = (this.draft.get(parent) as Record<string, unknown>)[keyOf(this.draft.get(parent), "name") ?? "name"];
    if (typeof name !== "string" || !isExpression(name)) return undefined;
    const leaf = armText(nameOf(r));
    if (leaf === undefined || isExpression(leaf)) return undefined;
    return `[concat(${name.slice(1, -1).trim()}, '/${leaf.replace(/^\[\[/, "[").replace(/'/g, "''")}')]`;
  }

  /** A change's value as ARM JSON for the place `site`: refused when the template cannot say it. */
  private arm(v: Value, site: Path): unknown {
    const value = this.unwritable(() => armValue(v, (ref) => this.refText(ref, site)));
    this.checkParameters(value, site);
    return value;
  }

  /** Refuses a value that reads a parameter the template whose expressions `site` sees does not declare. */
  private checkParameters(value: unknown, site: Path): void {
    const scope = scopeOf(this.draft.root, site);
    const declared = this.draft.get([...scope, "parameters"]);
    const names = new Set(Object.keys(isObject(declared) ? declared : {}).map((k) => k.toLowerCase()));
    for (const m of JSON.stringify(value).matchAll(/parameters\('([^']*)'\)/g)) {
      if (!names.has(m[1]!.toLowerCase()))
        throw new Refusal(`a value it needs is the parameter '${m[1]}', which this template does not declare`);
    }
  }

  private unwritable<T>(write: () => T): T {
    try {
      return write();
    } catch (error) {
      if (!(error instanceof Unwritable)) throw error;
      throw new Refusal(`a value it needs is Unknown offline (${error.message}) and no template parameter`);
    }
  }

  /** A reference as the template at `site` names the resource, if it declares it there; else armRefText. */
  private refText(ref: RefValue, site: Path): string | undefined {
    const at = this.declaredHere(ref, site);
    const id = this.created.get(idKey(ref.$ref.id ?? ""))?.id;
    return (at && declarationId(this.draft.root, at)) ?? id ?? armRefText(ref);
  }

  /** The `dependsOn` entry for a reference to a resource of the template at `site` (existing or added). */
  private refEntry(ref: RefValue, site: Path): string | undefined {
    const at = this.declaredHere(ref, site);
    return (at && dependsOnEntry(this.draft.root, at)) ?? this.created.get(idKey(ref.$ref.id ?? ""))?.entry;
  }

  /** Where (in the draft) the template holding `site` declares the resource `ref` names, outside copy loops. */
  private declaredHere(ref: RefValue, site: Path): Path | undefined {
    const pointer = ref.$ref.id ? this.ctx.declaredAt?.(ref.$ref.id) : undefined;
    if (pointer === undefined) return undefined;
    const original = pathOf(pointer, this.doc.value);
    try {
      checkSite(this.doc.value, original);
      const at = this.current(original);
      return pointerOf(templateOf(at)) === pointerOf(templateOf(site)) ? at : undefined;
    } catch (error) {
      if (error instanceof Refusal) return undefined;
      throw error;
    }
  }

  /**
   * The resource holding `path` gets a `dependsOn` entry for each resource of its template that `refs` names,
   * unless one is there or the other may depend on it already (a cycle ARM would refuse).
   */
  private dependOnRefs(path: Path, refs: RefValue[]): void {
    const decl = resourceOf(path);
    if (!decl) return;
    for (const ref of refs) {
      const target = this.declaredHere(ref, decl);
      if (target && pointerOf(target) === pointerOf(decl)) continue;
      const entry = target
        ? dependsOnEntry(this.draft.root, target)
        : this.created.get(idKey(ref.$ref.id ?? ""))?.entry;
      if (!entry || (target && mayDependOn(this.draft.root, target, decl))) continue;
      const deps = dependsOnOf(this.draft.root, decl);
      const known = deps.some((e) =>
        target ? mentions(this.draft.root, e, target) : typeof e === "string" && e === entry,
      );
      if (known) continue;
      const key = keyOf(this.draft.get(decl), "dependsOn");
      if (key && !Array.isArray(this.draft.get([...decl, key]))) continue;
      if (key) this.draft.update([...decl, key], (c) => (c as unknown[]).push(entry));
      else this.draft.update(decl, (c) => setOwn(c as Record<string, unknown>, "dependsOn", [entry]));
    }
  }
}
