/**
 * @module ingest/terraform/edit
 * The Terraform front end's edit writer: a fix's changes (model/change) written into the user's `.tf` file as
 * minimal text edits (`apim-netcheck fix`), everything outside them kept byte for byte. The model places each
 * resource and inline block at the line of its declaration (ingest/terraform/locator), so the writer parses the
 * file again (hcl/parser) and finds the block there. The attribute names are the azurerm provider's, from the
 * fix engine's per-type table (EditContext.typeForm), so a fix is spelt the same pasted or written.
 *
 * - A new NSG rule or route is a `security_rule` or `route` block after the last one its parent has, in that
 *   block's indentation and alignment of `=` (as `terraform fmt` writes it, or not).
 * - A restatement or a patch changes, in the block, only the attributes it names, each in place (an attribute
 *   the block lacks is added after its last one).
 * - A deletion takes out an inline block, its whole lines.
 *
 * Refused, with one line, and nothing of that change written: a resource made with `count` or `for_each`, rules
 * written as `dynamic` blocks, a parent with no inline blocks (its rules may be `azurerm_network_security_rule`
 * resources of their own, elsewhere: two ways of declaring them fight), a value the edit would replace that is
 * an expression (a variable, a local, a module output: change it where it comes from), a property azurerm
 * spells otherwise (a reference, a list of ids), a new resource of its own, and an Unknown value.
 */
import { textParts } from "../../model/arm-values.js";
import { isExpr, isRef, nameOf, parentOf, type Value } from "../../model/change.js";
import { EditRefusal, editEach, refuseAll } from "../edit-run.js";
import type { EditContext, EditOutcome, EditRequest, EditWriter, TextEdit } from "../edits.js";
import type { InputDocument } from "../types.js";
import { attributeOf, type Block, type Body, blocksOf, type Expr, LineMap } from "./hcl/ast.js";
import { parseHcl } from "./hcl/parser.js";

/** The inline block of its parent each child type is written as. */
const INLINE: Record<string, string> = {
  "microsoft.network/networksecuritygroups/securityrules": "security_rule",
  "microsoft.network/routetables/routes": "route",
};

const Refusal = EditRefusal;

export const terraformEditWriter: EditWriter = {
  format: "terraform",
  edits(input: InputDocument, requests: EditRequest[], ctx: EditContext): EditOutcome {
    return terraformEdits(input.text, requests, ctx);
  },
};

/** The edits that write `requests` into the Terraform file `text`. */
export function terraformEdits(text: string, requests: EditRequest[], ctx: EditContext = {}): EditOutcome {
  const parsed = parseHcl(text);
  if (parsed.problems.length > 0) return refuseAll(requests, "the file is not valid HCL; fix it first");
  const editor = new TerraformEditor(text, parsed.body, ctx);
  return editEach(requests, (request) => editor.apply(request));
}

/** An HCL string literal (`"`, `\`, `${` and `%{` escaped). */
function stringText(text: string): string {
  const body = text
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\$\{/g, "$${")
    .replace(/%\{/g, "%%{")
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t");
  return `"${body}"`;
}

/** `value` as HCL (strings, numbers, booleans and lists of them); refused otherwise. */
function valueText(value: Value): string {
  if (typeof value === "string") {
    const unknown = textParts(value).find((p) => "unknown" in p);
    if (unknown && "unknown" in unknown)
      throw new Refusal(`a value it needs is Unknown offline (${unknown.unknown}); write it by hand`);
    return stringText(value);
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(valueText).join(", ")}]`;
  if (isRef(value) || isExpr(value))
    throw new Refusal("it sets a reference, which azurerm spells otherwise; write it by hand");
  throw new Refusal("it sets an object, which azurerm spells as blocks; write it by hand");
}

/** True for a value written literally (a string without interpolation, a number, a boolean, a list of them). */
function isLiteral(e: Expr): boolean {
  if (e.kind === "Literal") return true;
  if (e.kind === "Template") return !e.heredoc && e.parts.every((p) => p.kind === "text");
  if (e.kind === "Tuple") return e.items.every(isLiteral);
  return false;
}

class TerraformEditor {
  private readonly eol: string;
  private readonly lines: LineMap;

  constructor(
    private readonly text: string,
    private readonly body: Body,
    private readonly ctx: EditContext,
  ) {
    this.eol = text.includes("\r\n") ? "\r\n" : "\n";
    this.lines = new LineMap(text);
  }

  apply({ change, at }: EditRequest): TextEdit[] {
    if (change.op === "create") {
      const parent = parentOf(change.resource);
      const block = INLINE[change.resource.type.toLowerCase()];
      if (!parent || !block)
        throw new Refusal(`a new ${change.resource.type} needs a resource block of its own; add it by hand`);
      if (!at) throw new Refusal(`its parent ${nameOf(parent)} is not declared in this file`);
      const owner = this.locate(at, "its parent");
      return this.addBlock(
        owner,
        block,
        {
          name: nameOf(change.resource),
          ...change.resource.properties,
        },
        change.resource.type,
      );
    }
    if (!at) throw new Refusal("it is not declared in this file");
    const found = this.locate(at, "it");
    if (change.op === "delete") {
      if (found.resource === found.block)
        throw new Refusal("it is a resource of its own; delete it by hand (other resources may refer to it)");
      return [this.removeLines(found.block.start, found.block.end)];
    }
    const type = change.op === "restate" ? change.resource.type : change.target.type;
    const values: Record<string, Value | undefined> =
      change.op === "restate"
        ? Object.fromEntries(change.changed.map((k) => [k, change.resource.properties[k]]))
        : change.set;
    const out: TextEdit[] = [];
    for (const [key, value] of Object.entries(values)) {
      const attr = this.attrOf(type, key);
      out.push(...this.setAttribute(found.block, attr, value));
      // A singular value replaces its plural twin and the other way round (source_port_range, ..._ranges).
      if (change.op === "restate") {
        for (const twin of [`${key}s`, `${key}es`, key.replace(/e?s$/, "")]) {
          if (twin === key || values[twin] !== undefined || change.resource.properties[twin] !== undefined) continue;
          const twinAttr = this.ctx.typeForm?.(type)?.terraform?.attrs[twin];
          if (twinAttr && attributeOf(found.block.body, twinAttr))
            out.push(...this.setAttribute(found.block, twinAttr, undefined));
        }
      }
    }
    return out;
  }

  /** The azurerm attribute of the ARM property `key` of `type`; refused when there is none to write. */
  private attrOf(type: string, key: string): string {
    const attr = this.ctx.typeForm?.(type)?.terraform?.attrs[key];
    if (!attr) throw new Refusal(`${key} has no azurerm attribute the writer knows; change it by hand`);
    return attr;
  }

  /** The block at `at` (a resource, or an inline block of one) and its resource; refused for count/for_each. */
  private locate(at: { line: number; column: number }, what: string): { block: Block; resource: Block } {
    for (const item of this.body.items) {
      if (item.kind !== "Block" || item.type !== "resource") continue;
      const inner = [item, ...blocksOf(item.body)].find((b) => this.lines.position(b.start).line === at.line);
      if (!inner) continue;
      for (const meta of ["count", "for_each"])
        if (attributeOf(item.body, meta))
          throw new Refusal(`${what} is made with ${meta} (line ${this.lineOf(item.start)}); change it by hand`);
      return { block: inner, resource: item };
    }
    throw new Refusal(`${what} is not declared as a resource at line ${at.line} of this file`);
  }

  private lineOf(offset: number): number {
    return this.lines.position(offset).line;
  }

  /** Sets (undefined: takes out) the attribute `attr` of `block`, in place. */
  private setAttribute(block: Block, attr: string, value: Value | undefined): TextEdit[] {
    const had = attributeOf(block.body, attr);
    if (value === undefined) return had ? [this.removeLines(had.start, had.end)] : [];
    if (had) {
      if (!isLiteral(had.expr))
        throw new Refusal(
          `${attr} is an expression (${this.snippet(had.expr)}, line ${this.lineOf(had.start)}); change it where its value comes from`,
        );
      return [{ offset: had.expr.start, length: had.expr.end - had.expr.start, text: valueText(value) }];
    }
    const last = block.body.items[block.body.items.length - 1];
    if (!last) throw new Refusal(`its block at line ${this.lineOf(block.start)} is empty; change it by hand`);
    const indent = this.indentAt(last.start);
    return [{ offset: this.lineEnd(last.end), length: 0, text: `${this.eol}${indent}${attr} = ${valueText(value)}` }];
  }

  /** Adds a `block` block with `values` after the last such block of `owner`. */
  private addBlock(
    owner: { block: Block; resource: Block },
    block: string,
    values: Record<string, Value>,
    childType: string,
  ): TextEdit[] {
    const body = owner.resource.body;
    if (blocksOf(body, "dynamic").some((d) => d.labels[0]?.value === block))
      throw new Refusal(`its ${block} blocks are dynamic (made from a collection); add the rule where it is`);
    const siblings = blocksOf(body, block);
    const last = siblings[siblings.length - 1];
    if (!last) return this.addResource(owner.resource, values, childType);
    const name = String(values.name).toLowerCase();
    for (const s of siblings) {
      const n = attributeOf(s.body, "name")?.expr;
      if (n?.kind === "Template" && this.text.slice(n.start + 1, n.end - 1).toLowerCase() === name)
        throw new Refusal(`it already has a ${block} named ${values.name} (line ${this.lineOf(s.start)})`);
    }
    const attrs = Object.entries(values).map(
      ([k, v]) => [k === "name" ? "name" : this.attrOf(childType, k), v] as const,
    );
    const indent = this.indentAt(last.start);
    const first = last.body.items[0];
    const inner = first ? this.indentAt(first.start) : `${indent}  `;
    // `=` aligned across the block as `terraform fmt` does, when the block beside it is written so.
    const aligned = /^[ \t]*\w+ {2,}=/m.test(this.text.slice(last.start, last.end));
    const width = aligned ? Math.max(...attrs.map(([a]) => a.length)) : 0;
    const linesOut = attrs.map(([a, v]) => `${inner}${a.padEnd(width)} = ${valueText(v)}`);
    const text = `${this.eol}${this.eol}${indent}${block} {${this.eol}${linesOut.join(this.eol)}${this.eol}${indent}}`;
    return [{ offset: last.end, length: 0, text }];
  }

  /**
   * Adds the child as a resource of its own (`azurerm_network_security_rule`, `azurerm_route`) after the last one
   * this file declares for the same parent, naming the parent as that one does (its own text copied): the file's
   * style. Refused when the file declares none for that parent.
   */
  private addResource(parent: Block, values: Record<string, Value>, childType: string): TextEdit[] {
    const form = this.ctx.typeForm?.(childType)?.terraform;
    const parentAttr = form?.parents[0];
    const [kind, label] = parent.labels.map((l) => l.value);
    const own = (b: Block) => {
      const attr = parentAttr ? attributeOf(b.body, parentAttr) : undefined;
      return attr !== undefined && this.text.slice(attr.expr.start, attr.expr.end).includes(`${kind}.${label}.`);
    };
    const children = form
      ? this.body.items.filter(
          (i): i is Block =>
            i.kind === "Block" && i.type === "resource" && i.labels[0]?.value === form.resource && own(i),
        )
      : [];
    const last = children[children.length - 1];
    if (!form || !last)
      throw new Refusal(
        `it has no inline ${INLINE[childType.toLowerCase()]} blocks and no resources of its own for them in this file; add one by hand`,
      );
    if (["count", "for_each"].some((m) => attributeOf(last.body, m)))
      throw new Refusal(`its ${form.resource} resources are made with count or for_each; add one by hand`);
    const taken = new Set(
      this.body.items.flatMap((i) => (i.kind === "Block" ? [i.labels.map((l) => l.value).join(".")] : [])),
    );
    let symbol = String(values.name)
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, "_")
      .replace(/^(\d)/, "_$1");
    while (taken.has(`${form.resource}.${symbol}`)) symbol += "_";
    // The attributes naming the parent and its resource group, as the resource beside it writes them.
    const copied = last.body.items.filter(
      (i) => i.kind === "Attribute" && (i.name === parentAttr || i.name === "resource_group_name"),
    );
    const attrs: (readonly [string, string])[] = [
      ...Object.entries(values).map(
        ([k, v]) => [k === "name" ? "name" : this.attrOf(childType, k), valueText(v)] as const,
      ),
      ...copied.map(
        (i) =>
          [
            i.kind === "Attribute" ? i.name : "",
            this.text.slice(i.kind === "Attribute" ? i.expr.start : 0, i.end),
          ] as const,
      ),
    ];
    const indent = this.indentAt(last.start);
    const first = last.body.items[0];
    const inner = first ? this.indentAt(first.start) : `${indent}  `;
    const aligned = /^[ \t]*\w+ {2,}=/m.test(this.text.slice(last.start, last.end));
    const width = aligned ? Math.max(...attrs.map(([a]) => a.length)) : 0;
    const lines = attrs.map(([a, v]) => `${inner}${a.padEnd(width)} = ${v}`);
    const text = `${this.eol}${this.eol}${indent}resource "${form.resource}" "${symbol}" {${this.eol}${lines.join(this.eol)}${this.eol}${indent}}`;
    return [{ offset: last.end, length: 0, text }];
  }

  /** The edit that takes out `start`..`end` with its whole lines (and one blank line before it, if any). */
  private removeLines(start: number, end: number): TextEdit {
    const lineStart = this.text.lastIndexOf("\n", start - 1) + 1;
    if (this.text.slice(lineStart, start).trim() !== "")
      throw new Refusal("it shares its first line with other text; change it by hand");
    const stop = this.lineEnd(end);
    if (this.text.slice(end, stop).trim() !== "" && !this.text.slice(end, stop).trim().startsWith("#"))
      throw new Refusal("it shares its last line with other text; change it by hand");
    let from = lineStart;
    const before = this.text.lastIndexOf("\n", lineStart - 2) + 1;
    if (lineStart > 0 && this.text.slice(before, lineStart).trim() === "") from = before;
    const next = this.text.indexOf("\n", stop);
    return { offset: from, length: (next < 0 ? this.text.length : next + 1) - from, text: "" };
  }

  /** The offset of the end of the line holding `offset` (before its line break). */
  private lineEnd(offset: number): number {
    const n = this.text.indexOf("\n", offset);
    const end = n < 0 ? this.text.length : n;
    return this.text[end - 1] === "\r" ? end - 1 : end;
  }

  private indentAt(offset: number): string {
    const lineStart = this.text.lastIndexOf("\n", offset - 1) + 1;
    return /^[ \t]*/.exec(this.text.slice(lineStart))![0];
  }

  private snippet(e: Expr): string {
    const t = this.text.slice(e.start, e.end).split(/\r?\n/)[0]!.trim();
    return t.length > 40 ? `${t.slice(0, 37)}...` : t;
  }
}
