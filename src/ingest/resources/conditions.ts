/**
 * @module ingest/resources/conditions
 * Resources whose deployment depends on a condition no input decides (an ARM `condition`, a Bicep `if`, on a
 * parameter with no value). A template evaluator marks the resource node it hands over; the conversion to the
 * model copies the mark to the model resource (`ResourceBase.deployedIf`), so that the checks can evaluate the
 * network both with and without it (issue "Never a silent pass (I)": an undecided condition is evaluated both
 * ways, never assumed).
 */
import type { SourceRef } from "../../model/source.js";

export interface UndecidedCondition {
  /** The condition as the placeholder names it (`parameters('deployHub')`, `equals(...)`). */
  reason: string;
  /** Where the condition is written. */
  src: SourceRef;
}

const marks = new WeakMap<object, UndecidedCondition>();

/** Marks `node` (a resource node about to be added) as deployed only if `condition` holds. */
export function markUndecided(node: object, condition: UndecidedCondition): void {
  marks.set(node, condition);
}

/** The undecided condition of a resource node, when it has one. */
export function undecidedConditionOf(node: object): UndecidedCondition | undefined {
  return marks.get(node);
}
