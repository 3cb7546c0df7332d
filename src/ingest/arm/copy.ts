/**
 * @module ingest/arm/copy
 * ARM `copy` loops for properties and variables (`{ name, count, input }`): the count is an integer from 0
 * to 800 as ARM requires, and counts together against the template's budget (templates are untrusted); an
 * Unknown count makes no items, with a warning. Each item is evaluated with its `copyIndex(name)` and
 * located at the loop's `input`. Resource copies use the same count rules (resources.ts).
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/copy-properties
 */
import type { TemplateEvaluator } from "./evaluator.js";
import { isPlainObject, isUnknownValue, type Json } from "./expression/values.js";
import { AZURE_LIMITS, BUDGET_LIMITS } from "./limits.js";

/** ARM refuses a copy count above 800. https://learn.microsoft.com/azure/azure-resource-manager/templates/copy-resources */
export const MAX_COPY_COUNT = AZURE_LIMITS.copyCount;

/** True for the value of a `copy` key that is a list of property or variable loops. */
export function isCopyList(value: unknown): value is Json[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => isPlainObject(v) && typeof v.name === "string" && "count" in v && "input" in v)
  );
}

/** The array a copy spec builds; an unknown placeholder when its count is Unknown. */
export function buildCopy(ev: TemplateEvaluator, spec: Json, site: object): unknown[] | string {
  const count = countCopies(ev, spec, site);
  if (typeof count === "string") return count;
  const out: unknown[] = [];
  const input = spec.input;
  for (let index = 0; index < count && !ev.spent; index++) {
    const item = ev.inLoop(String(spec.name), index, () => ev.resolve(input, spec, "input"));
    if (typeof item === "object" && item !== null && item === input) {
      // Same node for every iteration: give each its own object so that they stay distinct.
      const copy = Array.isArray(item) ? [...item] : { ...(item as Json) };
      ev.sink.alias(copy, item);
      out.push(copy);
    } else {
      if (typeof item === "object" && item !== null && typeof input === "object" && input !== null)
        ev.sink.alias(item, input);
      out.push(item);
    }
  }
  return out;
}

/** The iteration count of a copy spec: 0..800, checked against the budget; a string when Unknown. */
export function countCopies(ev: TemplateEvaluator, spec: Json, site: object): number | string {
  if (ev.spent) return 0;
  const count = ev.resolve(spec.count, spec, "count");
  if (isUnknownValue(count)) {
    ev.sink.report(
      "warning",
      "arm/unknown-copy-count",
      `the copy loop '${String(spec.name)}' has an Unknown count (${count}); it makes no items`,
      { node: site, key: "count" },
    );
    return count;
  }
  if (typeof count !== "number" || !Number.isInteger(count) || count < 0 || count > MAX_COPY_COUNT) {
    ev.sink.report(
      "error",
      "arm/copy-count",
      `the copy count must be an integer from 0 to ${MAX_COPY_COUNT}, found ${JSON.stringify(count)}`,
      { node: spec, key: "count" },
    );
    return 0;
  }
  if (ev.budget.copies < count) {
    ev.sink.report(
      "error",
      "arm/limit",
      `the template expands to more than ${BUDGET_LIMITS.copies.toLocaleString("en-US")} copies (a limit of this reader); the rest are dropped`,
      {
        node: spec,
        key: "count",
      },
    );
    return 0;
  }
  ev.budget.copies -= count;
  return count;
}
