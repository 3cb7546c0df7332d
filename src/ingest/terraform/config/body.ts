/**
 * @module ingest/terraform/config/body
 * Ingest layer, Terraform: the body of a resource instance evaluated into its value: each argument with the
 * place its value was written (followed through `each`, iterators and built-in modules' variables), each
 * nested block as one object of a list (as the provider schema would hold it), and `dynamic` blocks expanded
 * over their `for_each` with their iterator, each generated block located at the element it came from.
 * https://developer.hashicorp.com/terraform/language/expressions/dynamic-blocks
 */

import { iterate } from "../eval/evaluator.js";
import {
  markComputed,
  memberPlace,
  newObject,
  type Place,
  placeOf,
  setMemberPlace,
  setPlace,
  showValue,
  Unknown,
  unknown,
  type Value,
  type ValueObject,
} from "../eval/values.js";
import { attributeOf, type Block, type Body } from "../hcl/ast.js";
import type { TfFile } from "./files.js";
import { fileOfItem } from "./module-config.js";
import type { ModuleRun } from "./module-run.js";

/** Arguments of a resource block that are Terraform's, not the provider's. */
const RESOURCE_META = new Set(["count", "for_each", "depends_on", "provider"]);
const META_BLOCKS = new Set(["lifecycle", "provisioner", "connection", "precondition", "postcondition"]);

/** A resource's arguments and nested blocks; `id` is added by the caller. */
export function evalBody(
  run: ModuleRun,
  body: Body,
  file: TfFile,
  scope: Map<string, Value>,
  address: string,
  top: boolean,
  place?: Place,
): ValueObject {
  const out = newObject();
  setPlace(out, place ?? run.mapPlace({ file: file.index, offset: body.start }));
  for (const item of body.items) {
    const itemFile = fileOfItem(item, file);
    if (item.kind === "Attribute") {
      if (top && RESOURCE_META.has(item.name)) continue;
      const { value, place } = run.evalTop(item.expr, itemFile, scope, `${address}.${item.name}`);
      out[item.name] = value;
      setMemberPlace(out, item.name, place);
      continue;
    }
    if (META_BLOCKS.has(item.type)) continue;
    if (item.type === "dynamic") {
      dynamicBlocks(run, item, itemFile, scope, address, out);
      continue;
    }
    const nested = evalBody(
      run,
      item.body,
      itemFile,
      scope,
      `${address}.${item.type}`,
      false,
      run.mapPlace({ file: itemFile.index, offset: item.start }),
    );
    pushBlock(out, item.type, nested, address);
  }
  return out;
}

function pushBlock(out: ValueObject, type: string, nested: ValueObject, address: string): void {
  const list = (Array.isArray(out[type]) ? out[type] : []) as Value[];
  markComputed(nested, `${address}.${type}[${list.length}]`);
  list.push(nested);
  out[type] = list;
  setMemberPlace(list, list.length - 1, placeOf(nested));
}

/** `dynamic "name" { for_each = ...; iterator = it; content { ... } }`: one `name` block per element. */
function dynamicBlocks(
  run: ModuleRun,
  block: Block,
  file: TfFile,
  scope: Map<string, Value>,
  address: string,
  out: ValueObject,
): void {
  const label = block.labels[0]?.value;
  const forEach = attributeOf(block.body, "for_each");
  const content = block.body.items.find((i): i is Block => i.kind === "Block" && i.type === "content");
  if (!label || !forEach || !content) {
    run.run.report(
      "error",
      "terraform/invalid-dynamic",
      `${address}: a dynamic block needs a label, for_each and a content block`,
      { file: file.index, offset: block.start },
    );
    return;
  }
  const iteratorAttr = attributeOf(block.body, "iterator");
  const iterator = iteratorAttr?.expr.kind === "Variable" ? iteratorAttr.expr.name : label;
  const { value, place } = run.evalTop(forEach.expr, file, scope, `${address} dynamic "${label}" for_each`);
  if (value instanceof Unknown) {
    run.run.report(
      "warning",
      "terraform/unknown-dynamic",
      `${address}: the ${label} blocks come from a for_each that is not known (${value.reason}); they are Unknown`,
      place,
    );
    out[label] = unknown(`${address}.${label} (${value.reason})`);
    return;
  }
  if (value === null) return;
  const pairs = iterate(value);
  if (!pairs) {
    run.run.report(
      "error",
      "terraform/invalid-dynamic",
      `${address}: dynamic "${label}" for_each needs a collection, found ${showValue(value)}`,
      place,
    );
    return;
  }
  if (pairs.length > 10_000) {
    run.run.report(
      "error",
      "terraform/limit",
      `${address}: dynamic "${label}" of more than 10000 blocks is not read`,
      place,
    );
    return;
  }
  if (!Array.isArray(out[label])) out[label] = [];
  for (const [k, v] of pairs) {
    const it = newObject();
    it.key = k;
    it.value = v;
    setMemberPlace(it, "value", memberPlace(value, k as string | number));
    const inner = new Map(scope);
    inner.set(iterator, it);
    inner.set(`\u0000iterator:${iterator}`, true);
    const nested = evalBody(
      run,
      content.body,
      file,
      inner,
      `${address}.${label}`,
      false,
      run.mapPlace(placeOf(v) ?? { file: file.index, offset: content.start }),
    );
    pushBlock(out, label, nested, address);
  }
}
