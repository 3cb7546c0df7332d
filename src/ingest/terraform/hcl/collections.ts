/**
 * @module ingest/terraform/hcl/collections
 * Ingest layer, Terraform: the collection half of the HCL expression parser: tuples (`[a, b]`), object
 * constructors (`{ name = v, "key" = v, (expr) : v }`, items separated by commas or newlines) and `for`
 * expressions in both forms (`[for k, v in coll : v if cond]`, `{for k, v in coll : k => v... }`), inside
 * which newlines are not tokens.
 */
import type { Expr, ForExpr, ObjectItem } from "./ast.js";
import { describeToken, scanToken, skipBlank, type Token } from "./scanner.js";
import { TemplateParser } from "./templates.js";

export abstract class CollectionParser extends TemplateParser {
  protected abstract binary(level: number): Expr;

  protected tuple(open: Token): Expr {
    this.enter(open);
    try {
      return this.withNewlines(false, () => {
        if (this.isForKeyword()) return this.forExpr(open, false);
        const items: Expr[] = [];
        for (;;) {
          const t = this.peek();
          if (this.isPunct(t, "]")) {
            this.next();
            return { kind: "Tuple", items, start: open.start, end: t.end };
          }
          items.push(this.expression());
          const sep = this.next();
          if (this.isPunct(sep, "]")) return { kind: "Tuple", items, start: open.start, end: sep.end };
          if (!this.isPunct(sep, ",")) this.fail(`expected ',' or ']' in the list, found ${describeToken(sep)}`, sep);
        }
      });
    } finally {
      this.leave();
    }
  }

  protected object(open: Token): Expr {
    this.enter(open);
    try {
      if (this.withNewlines(false, () => this.isForKeyword()))
        return this.withNewlines(false, () => this.forExpr(open, true));
      return this.withNewlines(true, () => {
        const items: ObjectItem[] = [];
        for (;;) {
          this.skipNewlines();
          const t = this.peek();
          if (this.isPunct(t, "}")) {
            this.next();
            return { kind: "Object", items, start: open.start, end: t.end };
          }
          items.push(this.objectItem());
          const sep = this.peek();
          if (this.isPunct(sep, ",") || sep.kind === "newline") this.next();
          else if (!this.isPunct(sep, "}"))
            this.fail(`expected ',', a newline or '}' in the object, found ${describeToken(sep)}`, sep);
        }
      });
    } finally {
      this.leave();
    }
  }

  protected objectItem(): ObjectItem {
    const t = this.peek();
    let key: Expr;
    let keyIsName = false;
    if (t.kind === "ident") {
      const after = scanToken(this.text, skipBlank(this.text, t.end));
      if (this.isPunct(after, "=") || this.isPunct(after, ":")) {
        this.next();
        key = { kind: "Literal", value: t.text, start: t.start, end: t.end };
        keyIsName = true;
      } else {
        key = this.withNewlines(false, () => this.binary(0));
      }
    } else {
      key = this.withNewlines(false, () => this.binary(0));
    }
    const sep = this.next();
    if (!(this.isPunct(sep, "=") || this.isPunct(sep, ":")))
      this.fail(`expected '=' or ':' after the object key, found ${describeToken(sep)}`, sep);
    const value = this.expression();
    return { key, keyIsName, value };
  }

  protected isForKeyword(): boolean {
    const t = this.peek();
    if (t.kind !== "ident" || t.text !== "for") return false;
    const after = scanToken(this.text, skipBlank(this.text, t.end));
    return after.kind === "ident";
  }

  /** `[for k, v in coll : value if cond]` or `{for k, v in coll : key => value... if cond}`, after the opener. */
  protected forExpr(open: Token, isObject: boolean): ForExpr {
    this.next();
    const first = this.next();
    if (first.kind !== "ident") this.fail(`expected a variable name after 'for', found ${describeToken(first)}`, first);
    let keyVar: string | undefined;
    let valueVar = first.text;
    if (this.isPunct(this.peek(), ",")) {
      this.next();
      const second = this.next();
      if (second.kind !== "ident")
        this.fail(`expected a variable name after ',', found ${describeToken(second)}`, second);
      keyVar = first.text;
      valueVar = second.text;
    }
    const inKw = this.next();
    if (inKw.kind !== "ident" || inKw.text !== "in")
      this.fail(`expected 'in' in the for expression, found ${describeToken(inKw)}`, inKw);
    const coll = this.expression();
    this.expect(":", "after the collection of the for expression");
    let keyExpr: Expr | undefined;
    let valueExpr = this.expression();
    let group = false;
    if (isObject) {
      this.expect("=>", "between the key and the value of the for expression");
      keyExpr = valueExpr;
      valueExpr = this.expression();
      if (this.isPunct(this.peek(), "...")) {
        this.next();
        group = true;
      }
    }
    let cond: Expr | undefined;
    const t = this.peek();
    if (t.kind === "ident" && t.text === "if") {
      this.next();
      cond = this.expression();
    }
    const close = this.expect(isObject ? "}" : "]", "to close the for expression");
    return { kind: "For", keyVar, valueVar, coll, keyExpr, valueExpr, cond, group, start: open.start, end: close.end };
  }
}
