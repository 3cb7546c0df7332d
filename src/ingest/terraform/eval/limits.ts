/**
 * @module ingest/terraform/eval/limits
 * Ingest layer, Terraform: the bounds of static evaluation, so that hostile or broken input ends in a
 * diagnostic rather than a hang or an out-of-memory (issue 13, "bounded evaluation"). Terraform itself has no
 * such limits; real configurations stay far below them (the largest corpus root expands a few hundred
 * instances).
 */

export const LIMITS = {
  /** Elements of one `for_each`, `count`, `for` expression, `range()` or `flatten()` result. */
  maxElements: 10_000,
  /** Length of one string built by the evaluator (templates, `format`, `join`, `jsonencode`, ...). */
  maxString: 1_000_000,
  /** Depth of references followed (a local naming a local naming a local ...) and of nested calls. */
  maxReferenceDepth: 200,
  /** Module calls nested in module calls. */
  maxModuleDepth: 16,
  /** Module instances in one configuration. */
  maxModuleInstances: 2_000,
  /** Resource instances in one configuration. */
  maxResourceInstances: 50_000,
  /** Evaluation steps for one configuration (every expression node evaluated counts one). */
  maxSteps: 20_000_000,
  /** Input size of the regular-expression functions, and of their pattern. */
  maxRegexInput: 10_000,
  maxRegexPattern: 1_000,
} as const;

/** Thrown when a limit is passed: the evaluation of the configuration stops with one diagnostic. */
export class LimitExceeded extends Error {
  constructor(readonly what: string) {
    super(what);
    this.name = "LimitExceeded";
  }
}
