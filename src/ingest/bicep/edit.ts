/**
 * @module ingest/bicep/edit
 * The Bicep front end's edit writer: a fix's changes (model/change) written into the user's `.bicep` file as
 * minimal text edits (`apim-netcheck fix`), everything outside them kept byte for byte. The model places each
 * resource and rule at the line and column of its declaration (ingest/bicep/locator), so the writer parses the
 * file again and finds the node there:
 *
 * - a new NSG rule or route goes at the end of its parent's inline `securityRules` or `routes` array, in the
 *   indentation of the items beside it (the property is added when the parent's `properties` has none);
 * - a restatement changes, in the declaration's `properties`, only the properties it names, each in place;
 *   a patch sets its paths there (adding the objects on the way);
 * - a deletion takes out an item of an inline array, its whole lines.
 *
 * What cannot be written safely is refused with one line, and nothing of that change is written: a declaration
 * made by a loop (`[for ...]`), a value the edit would replace that is an expression (a parameter, a variable,
 * a function call: the value comes from elsewhere, change it there), a list that is not written in the file
 * (`securityRules: rules`), a new resource of its own (Bicep needs a symbolic name and an API version the user
 * chooses), a reference to a resource this file does not declare, and an Unknown value.
 */

import { textParts } from "../../model/arm-values.js";
import { type ExprValue, isExpr, isRef, nameOf, parentOf, type RefValue, type Value } from "../../model/change.js";
import { stepsOf } from "../arm/edit-scope.js";
import { EditRefusal, editEach, refuseAll } from "../edit-run.js";
import type { EditContext, EditOutcome, EditRequest, EditWriter, TextEdit } from "../edits.js";
import type { InputDocument } from "../types.js";
import { type ArrayExpr, type Expr, findProperty, type Node, type ObjectExpr, type ResourceDecl } from "./ast.js";
import { parseBicep } from "./parser.js";
import { childNodes } from "./walk.js";

/** The inline array of its parent each child type is declared in. */
const INLINE: Record<string, string> = {
  "microsoft.network/networksecuritygroups/securityrules": "securityRules",
  "microsoft.network/routetables/routes": "routes",
};

const Refusal = EditRefusal;

/** A node with the nodes that hold it, outermost first. */
interface Located {
  node: ResourceDecl | ObjectExpr;
  ancestors: Node[];
}

export const bicepEditWriter: EditWriter = {
  format: "bicep",
  edits(input: InputDocument, requests: EditRequest[], ctx: EditContext): EditOutcome {
    return bicepEdits(input.text, input.file, requests, ctx);
  },
};

/** The edits that write `requests` into the Bicep file `text`. */
export function bicepEdits(text: string, file: string, requests: EditRequest[], ctx: EditContext = {}): EditOutcome {
  const parsed = parseBicep(text, file);
  if (parsed.diagnostics.length > 0) return refuseAll(requests, "the file is not valid Bicep; fix it first");
  const editor = new BicepEditor(text, parsed.ast, ctx);
  return editEach(requests, (request) => editor.apply(request));
}

/** `key` as Bicep writes it: bare when it is an identifier, quoted otherwise. */
function keyText(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : stringText(key);
}

/** A Bicep string literal of `text` (`'`, `\` and `${` escaped). */
function stringText(text: string): string {
  const body = text
    .replace(/\\/g, "\\\\")
    .replace(/'/g, "\\'")
    .replace(/\$\{/g, "\\${")
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t");
  return `'${body}'`;
}

/** True for a value written literally (a string without holes, a number, a boolean, null). */
function isLiteral(e: Expr): boolean {
  if (e.kind === "StringExpr") return e.parts.length === 1;
  if (e.kind === "UnaryExpr") return e.operator === "-" && e.operand.kind === "IntExpr";
  return e.kind === "IntExpr" || e.kind === "BoolExpr" || e.kind === "NullExpr";
}

class BicepEditor {
  private readonly eol: string;
  private readonly unit: string;
  /** Lists this run adds (a parent had none), by owner and name: the edit that writes each and its items. */
  private readonly lists = new Map<string, { edit: TextEdit; items: Value[] }>();

  constructor(
    private readonly text: string,
    private readonly program: Node,
    private readonly ctx: EditContext,
  ) {
    this.eol = text.includes("\r\n") ? "\r\n" : "\n";
    const indents = [...text.matchAll(/^([ \t]+)\S/gm)].map((m) => m[1]!);
    this.unit = indents.find((i) => i.startsWith("\t"))
      ? "\t"
      : (indents.sort((a, b) => a.length - b.length)[0] ?? "  ");
  }

  apply({ change, at }: EditRequest): TextEdit[] {
    if (change.op === "create") {
      const parent = parentOf(change.resource);
      const inline = INLINE[change.resource.type.toLowerCase()];
      if (!parent || !inline)
        throw new Refusal(`a new ${change.resource.type} needs a resource declaration of its own; add it by hand`);
      if (!at) throw new Refusal(`its parent ${nameOf(parent)} is not declared in this file`);
      const decl = this.locate(at, "its parent");
      return this.addItem(decl, inline, nameOf(change.resource), change.resource.properties);
    }
    if (!at) throw new Refusal("it is not declared in this file");
    const found = this.locate(at, "it");
    if (change.op === "delete") return this.removeItem(found);
    const properties = this.propertiesOf(found);
    const out: TextEdit[] = [];
    if (change.op === "restate") {
      const values = change.resource.properties;
      for (const key of change.changed) out.push(...this.setPath(properties, [key], values[key]));
      // A singular value replaces its plural twin and the other way round (sourcePortRange, sourcePortRanges).
      for (const key of change.changed) {
        for (const twin of [`${key}s`, `${key}es`, key.replace(/e?s$/, "")]) {
          if (twin !== key && values[twin] === undefined && findProperty(properties, twin))
            out.push(...this.setPath(properties, [twin], undefined));
        }
      }
    } else {
      for (const [path, value] of Object.entries(change.set))
        out.push(...this.setPath(properties, stepsOf(path), value));
    }
    return out;
  }

  /** The declaration at `at` (a resource, or an object item of an inline list); refused inside a loop. */
  private locate(at: { line: number; column: number }, what: string): Located {
    let best: Located | undefined;
    const visit = (node: Node, ancestors: Node[]) => {
      if ((node.kind === "ResourceDecl" || node.kind === "ObjectExpr") && node.range.line === at.line) {
        if (!best || node.range.col === at.column) best = { node, ancestors };
      }
      for (const child of childNodes(node)) visit(child, [...ancestors, node]);
    };
    visit(this.program, []);
    if (!best) throw new Refusal(`${what} is not declared at line ${at.line} of this file`);
    const loop = [...best.ancestors, best.node].find(
      (n) => n.kind === "ForExpr" || (n.kind === "ResourceDecl" && n.value.kind === "ForExpr"),
    );
    if (loop) throw new Refusal(`${what} is declared in a loop (line ${loop.range.line}); change the loop instead`);
    return best;
  }

  /** The body object of a declaration: a resource's (a condition's body too), or the object itself. */
  private bodyOf(found: Located): ObjectExpr {
    const { node } = found;
    if (node.kind === "ObjectExpr") return node;
    const value = node.value;
    if (value.kind === "ObjectExpr") return value;
    if (value.kind === "IfExpr") return value.body;
    throw new Refusal(`it is declared in a loop (line ${node.range.line}); change the loop instead`);
  }

  /** The `properties` object of a declaration; refused when it is not written as an object. */
  private propertiesOf(found: Located): ObjectExpr {
    const body = this.bodyOf(found);
    const props = findProperty(body, "properties");
    if (!props) throw new Refusal(`it has no properties written at line ${body.range.line}`);
    if (props.value.kind !== "ObjectExpr")
      throw new Refusal(
        `its properties are an expression (line ${props.range.line}); change them where they come from`,
      );
    if (props.value.spreads.length > 0)
      throw new Refusal(`its properties spread another object (line ${props.range.line}); change it by hand`);
    return props.value;
  }

  /** Sets (undefined: takes out) the value at `steps` below `obj`, in place, adding objects on the way. */
  private setPath(obj: ObjectExpr, steps: (string | number)[], value: Value | undefined): TextEdit[] {
    const [step, ...rest] = steps;
    if (typeof step !== "string") throw new Refusal("a list item of the declaration cannot be set in place");
    const prop = findProperty(obj, step);
    if (rest.length === 0) {
      if (value === undefined) return prop ? [this.removeLines(prop.range.start, prop.range.end, step)] : [];
      if (!prop) return [this.insertProperty(obj, step, value)];
      if (!isLiteral(prop.value) && !this.sameShape(prop.value, value))
        throw new Refusal(
          `${step} is an expression (${this.snippet(prop.value)}, line ${prop.range.line}); change it where its value comes from`,
        );
      const indent = this.indentAt(prop.range.start);
      return [
        {
          offset: prop.value.range.start,
          length: prop.value.range.end - prop.value.range.start,
          text: this.valueText(value, indent),
        },
      ];
    }
    if (!prop) {
      if (value === undefined) return [];
      const made = rest.reduceRight<Value>((v, s) => {
        if (typeof s !== "string") throw new Refusal(`${step}: the declaration has no such item`);
        return { [s]: v };
      }, value);
      return [this.insertProperty(obj, step, made)];
    }
    if (prop.value.kind !== "ObjectExpr")
      throw new Refusal(
        `${step} is ${prop.value.kind === "ArrayExpr" ? "a list" : "an expression"} (line ${prop.range.line}); change it by hand`,
      );
    return this.setPath(prop.value, rest, value);
  }

  /** True when an object or list written in the file stands where an object or list is to be written. */
  private sameShape(e: Expr, value: Value): boolean {
    return (e.kind === "ObjectExpr" || e.kind === "ArrayExpr") && typeof value === "object" && !isRef(value);
  }

  /** The edit that adds `key: value` as the last property of `obj`. */
  private insertProperty(obj: ObjectExpr, key: string, value: Value): TextEdit {
    const last = obj.members[obj.members.length - 1];
    const close = obj.range.end - 1;
    if (!last) {
      // `{}` (or `{ }` over lines): written out over lines below the owner's indentation.
      const indent = this.indentAt(obj.range.start);
      const inner = indent + this.unit;
      return {
        offset: obj.range.start + 1,
        length: close - obj.range.start - 1,
        text: `${this.eol}${inner}${keyText(key)}: ${this.valueText(value, inner)}${this.eol}${indent}`,
      };
    }
    if (this.lineOf(last.range.start) === this.lineOf(close))
      throw new Refusal(`its object at line ${obj.range.line} is written on one line; change it by hand`);
    const indent = this.indentAt(last.range.start);
    return {
      offset: last.range.end,
      length: 0,
      text: `${this.eol}${indent}${keyText(key)}: ${this.valueText(value, indent)}`,
    };
  }

  /** Adds a child `name` with `properties` to the inline list `list` of the declaration `found`. */
  private addItem(found: Located, list: string, name: string, properties: Record<string, Value>): TextEdit[] {
    const item: Value = { name, properties };
    const body = this.bodyOf(found);
    // A parent declared without properties (an NSG with no rules yet) gets them, and a list the properties do
    // not have is added; the items of later changes of the run join the list the first one wrote.
    if (!findProperty(body, "properties"))
      return this.newList(body, list, item, (items) => this.insertProperty(body, "properties", { [list]: items }));
    const props = this.propertiesOf(found);
    const prop = findProperty(props, list);
    if (!prop) return this.newList(props, list, item, (items) => this.insertProperty(props, list, items));
    if (prop.value.kind !== "ArrayExpr")
      throw new Refusal(
        `its ${list} are ${this.snippet(prop.value)} (line ${prop.range.line}), not a list written here; add the rule where the list is written`,
      );
    const array: ArrayExpr = prop.value;
    for (const x of array.items) {
      if (x.kind !== "ObjectExpr") {
        if (x.kind === "SpreadExpr" || x.kind === "ForExpr")
          throw new Refusal(`its ${list} are partly made elsewhere (line ${x.range.line}); add the rule by hand`);
        continue;
      }
      const n = findProperty(x, "name")?.value;
      if (n?.kind === "StringExpr" && n.parts.length === 1 && String(n.parts[0]).toLowerCase() === name.toLowerCase())
        throw new Refusal(`its ${list} already have one named ${name} (line ${x.range.line})`);
    }
    const last = array.items[array.items.length - 1];
    if (!last) {
      const indent = this.indentAt(prop.range.start);
      return [
        {
          offset: array.range.start,
          length: array.range.end - array.range.start,
          text: this.valueText([item], indent),
        },
      ];
    }
    // Written as the list's last item, on the lines just above its closing bracket (so that a deletion of the
    // item before, in the same run, does not touch the same text).
    const close = array.range.end - 1;
    const closeLine = this.text.lastIndexOf("\n", close - 1) + 1;
    if (this.text.slice(closeLine, close).trim() !== "")
      throw new Refusal(`its ${list} end on a line with other text (line ${prop.range.line}); add the rule by hand`);
    const indent = this.indentAt(last.range.start);
    // A file that separates the items with commas gets one after the item before.
    const after = this.text.slice(last.range.end, close);
    const commas = array.items.length > 1 && /^\s*,/.test(this.text.slice(array.items[0]!.range.end, close));
    const out: TextEdit[] = [];
    if (commas && !/^\s*,/.test(after)) out.push({ offset: last.range.end, length: 0, text: "," });
    out.push({
      offset: closeLine,
      length: 0,
      text: `${indent}${this.valueText(item, indent)}${commas ? "," : ""}${this.eol}`,
    });
    return out;
  }

  /** The edit that writes a list `list` new in `owner`, with `item` and the items other changes gave it. */
  private newList(owner: ObjectExpr, list: string, item: Value, write: (items: Value[]) => TextEdit): TextEdit[] {
    const key = `${owner.range.start}|${list}`;
    const had = this.lists.get(key);
    if (had) {
      had.items.push(item);
      Object.assign(had.edit, write(had.items));
      return [];
    }
    const edit = write([item]);
    this.lists.set(key, { edit, items: [item] });
    return [edit];
  }

  /** Takes out an object item of an inline list, its whole lines. */
  private removeItem(found: Located): TextEdit[] {
    const { node, ancestors } = found;
    const holder = ancestors[ancestors.length - 1];
    if (node.kind !== "ObjectExpr" || holder?.kind !== "ArrayExpr")
      throw new Refusal("it is declared as a resource of its own; delete it by hand (other declarations may use it)");
    return [this.removeLines(node.range.start, node.range.end, "it")];
  }

  /** The edit that takes out the text from `start` to `end` with its whole lines (a trailing comma too). */
  private removeLines(start: number, end: number, what: string): TextEdit {
    const lineStart = this.text.lastIndexOf("\n", start - 1) + 1;
    if (this.text.slice(lineStart, start).trim() !== "")
      throw new Refusal(`${what} shares its first line with other text; change it by hand`);
    const rest = /^[ \t]*,?[ \t]*(\/\/[^\r\n]*)?(\r?\n|$)/.exec(this.text.slice(end));
    if (!rest || rest[1]) throw new Refusal(`${what} shares its last line with other text; change it by hand`);
    return { offset: lineStart, length: end + rest[0].length - lineStart, text: "" };
  }

  private lineOf(offset: number): number {
    let n = 0;
    for (let i = this.text.indexOf("\n"); i >= 0 && i < offset; i = this.text.indexOf("\n", i + 1)) n++;
    return n;
  }

  /** The indentation of the line that holds `offset`. */
  private indentAt(offset: number): string {
    const lineStart = this.text.lastIndexOf("\n", offset - 1) + 1;
    return /^[ \t]*/.exec(this.text.slice(lineStart))![0];
  }

  private snippet(e: Expr): string {
    const t = this.text.slice(e.range.start, e.range.end).split(/\r?\n/)[0]!.trim();
    return t.length > 40 ? `${t.slice(0, 37)}...` : t;
  }

  /** `value` as Bicep text, lists and objects over lines below `indent`. */
  private valueText(value: Value, indent: string): string {
    if (typeof value === "string") {
      const unknown = textParts(value).find((p) => "unknown" in p);
      if (unknown && "unknown" in unknown)
        throw new Refusal(`a value it needs is Unknown offline (${unknown.unknown}); write it by hand`);
      return stringText(value);
    }
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    if (isRef(value)) return this.refText(value);
    if (isExpr(value)) return (value as ExprValue).$expr.bicep;
    const inner = indent + this.unit;
    if (Array.isArray(value)) {
      if (value.length === 0) return "[]";
      return `[${value.map((v) => `${this.eol}${inner}${this.valueText(v, inner)}`).join("")}${this.eol}${indent}]`;
    }
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    return `{${entries.map(([k, v]) => `${this.eol}${inner}${keyText(k)}: ${this.valueText(v, inner)}`).join("")}${this.eol}${indent}}`;
  }

  /** A reference: `symbol.id` of the resource this file declares. */
  private refText(ref: RefValue): string {
    const id = ref.$ref.id;
    const at = id ? this.ctx.declaredSource?.(id) : undefined;
    if (at) {
      const found = this.locate(at, ref.$ref.names.join("/"));
      if (found.node.kind === "ResourceDecl") return `${found.node.name.name}.id`;
    }
    throw new Refusal(
      `it refers to ${ref.$ref.names.join("/")}, which this file does not declare as a resource; write the reference by hand`,
    );
  }
}
