/**
 * @module ingest/terraform/eval/operators
 * Ingest layer, Terraform: the unary and binary operators of HCL
 * (developer.hashicorp.com/terraform/language/expressions/operators). Numbers convert from numeric strings;
 * `==` compares deeply and is Unknown when either side holds an unknown; `&&` and `||` are decided by a known
 * side that decides them alone (`false && unknown` is false), and Unknown otherwise.
 */
import type { Expr, Span } from "../hcl/ast.js";
import type { Evaluator } from "./evaluator.js";
import { showValue, toBoolValue, toNumberValue, typeName, Unknown, type Value, valuesEqual } from "./values.js";

export function unaryOp(ev: Evaluator, op: "!" | "-", v: Value, span: Span): Value {
  if (op === "!") {
    const b = toBoolValue(v);
    if (b instanceof Unknown) return b;
    if (b === undefined) ev.error(`'!' needs a boolean, found ${typeName(v)}`, span);
    return !b;
  }
  const n = toNumberValue(v);
  if (n instanceof Unknown) return n;
  if (n === undefined) ev.error(`'-' needs a number, found ${typeName(v)}`, span);
  return -n;
}

export function binaryOp(ev: Evaluator, expr: Extract<Expr, { kind: "Binary" }>): Value {
  const { op } = expr;
  if (op === "&&" || op === "||") {
    // Terraform 1.x evaluates both sides; an unknown side decides nothing unless the other side does.
    const l = toBoolValue(ev.eval(expr.left));
    const r = toBoolValue(ev.eval(expr.right));
    if (l === undefined) ev.error(`'${op}' needs booleans, found ${showValue(ev.eval(expr.left))}`, expr.left);
    if (r === undefined) ev.error(`'${op}' needs booleans, found ${showValue(ev.eval(expr.right))}`, expr.right);
    if (op === "&&") {
      if (l === false || r === false) return false;
      if (l instanceof Unknown) return l;
      if (r instanceof Unknown) return r;
      return true;
    }
    if (l === true || r === true) return true;
    if (l instanceof Unknown) return l;
    if (r instanceof Unknown) return r;
    return false;
  }
  const left = ev.eval(expr.left);
  const right = ev.eval(expr.right);
  if (op === "==" || op === "!=") {
    const eq = valuesEqual(left, right);
    if (eq instanceof Unknown) return eq;
    return op === "==" ? eq : !eq;
  }
  const a = toNumberValue(left);
  const b = toNumberValue(right);
  if (a instanceof Unknown) return a;
  if (b instanceof Unknown) return b;
  if (a === undefined) ev.error(`'${op}' needs numbers, found ${showValue(left)}`, expr.left);
  if (b === undefined) ev.error(`'${op}' needs numbers, found ${showValue(right)}`, expr.right);
  switch (op) {
    case "<":
      return a < b;
    case ">":
      return a > b;
    case "<=":
      return a <= b;
    case ">=":
      return a >= b;
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      if (b === 0) ev.error("division by zero", expr);
      return a / b;
    default:
      if (b === 0) ev.error("modulo by zero", expr);
      return a % b;
  }
}
