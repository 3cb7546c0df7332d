/**
 * @module ingest/terraform/eval/templates
 * Ingest layer, Terraform: string templates (developer.hashicorp.com/terraform/language/expressions/strings):
 * a template of one interpolation alone is that value, unconverted; otherwise every part is converted to a
 * string, an unknown part keeps its placeholder inside the text (so names built from it still match), and the
 * `%{if}` and `%{for}` directives are evaluated, bounded in length.
 */
import { unknownValue } from "../../../model/unknown.js";
import type { Span, TemplatePart } from "../hcl/ast.js";
import { type Evaluator, iterate } from "./evaluator.js";
import { LIMITS, LimitExceeded } from "./limits.js";
import { toBoolValue, toStringValue, typeName, Unknown, type Value } from "./values.js";

export function templateValue(ev: Evaluator, parts: TemplatePart[], span: Span): Value {
  // A template of one interpolation alone is that value, unconverted (hclsyntax: TemplateWrapExpr).
  if (parts.length === 1 && parts[0]!.kind === "interp") return ev.eval(parts[0]!.expr);
  const text = templateText(ev, parts, span);
  return text;
}

function templateText(ev: Evaluator, parts: TemplatePart[], span: Span): string | Unknown {
  let out = "";
  for (const part of parts) {
    if (part.kind === "text") out += part.value;
    else if (part.kind === "interp") {
      const v = ev.eval(part.expr);
      const s = toStringValue(v);
      if (s === undefined) ev.error(`cannot put a ${typeName(v)} into a string`, part.expr);
      out += s instanceof Unknown ? unknownValue(s.reason) : s;
    } else if (part.kind === "if") {
      const c = toBoolValue(ev.eval(part.cond));
      if (c === undefined) ev.error("the %{if} condition must be a boolean", part.cond);
      if (c instanceof Unknown) return c;
      const inner = templateText(ev, c ? part.whenTrue : part.whenFalse, span);
      if (inner instanceof Unknown) return inner;
      out += inner;
    } else {
      const coll = ev.eval(part.coll);
      if (coll instanceof Unknown) return coll;
      const pairs = coll === null ? [] : iterate(coll);
      if (!pairs) ev.error("%{for} needs a collection", part.coll);
      ev.checkSize(pairs.length, part.span);
      const inner = ev.derive(ev.file, new Map(ev.scope));
      for (const [k, v] of pairs) {
        if (part.keyVar !== undefined) inner.scope.set(part.keyVar, k);
        inner.scope.set(part.valueVar, v);
        const piece = templateText(inner, part.body, span);
        if (piece instanceof Unknown) return piece;
        out += piece;
        if (out.length > LIMITS.maxString) break;
      }
    }
    if (out.length > LIMITS.maxString) throw new LimitExceeded(`a string longer than ${LIMITS.maxString} characters`);
  }
  return out;
}
