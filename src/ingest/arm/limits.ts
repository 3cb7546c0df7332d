/**
 * @module ingest/arm/limits
 * The bounds of ARM template evaluation (issue 11, "bounded evaluation"): Azure's own documented template
 * limits, which are refusals (Azure would not deploy the template), and the budget of our own that keeps a
 * hostile template from hanging the run or exhausting memory (evaluation steps, values built, lambda calls).
 * Exceeding any of them is one error diagnostic at the expression or declaration that crossed it; what could
 * not be evaluated is Unknown. docs/limits.md lists every limit with its source.
 * The Bicep evaluator calls the same function library (functions/), so the per-call bounds there (string
 * length, array size, `range()`, `format()`, `json()` depth) hold for Bicep too; Bicep's own evaluator has
 * its own step and depth budget (ingest/bicep/run.ts).
 */
import { ArmEvalError } from "./expression/values.js";

/**
 * Azure's documented limits of one template (each nested template has its own).
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices#template-limits
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/error-job-size-exceeded
 */
export const AZURE_LIMITS = {
  /** Resources, counting every copy. */
  resources: 800,
  parameters: 256,
  /**
   * Variables: the best-practices page says 512, the job-size page 256. The larger is used, so that no
   * template Azure accepts is refused here.
   */
  variables: 512,
  outputs: 64,
  /** Characters of one template expression. */
  expressionLength: 24_576,
  /**
   * The template after expansion may not exceed 4 MB, but Azure measures it compressed (compression not
   * documented): not checked, a file of any size up to the input limit is read (see docs/limits.md).
   */
  templateBytes: 4 * 1024 * 1024,
  /** Iterations of one copy loop. https://learn.microsoft.com/azure/azure-resource-manager/templates/copy-resources */
  copyCount: 800,
} as const;

/**
 * Our own bounds, shared by a template and all its nested deployments. Azure has none of these. Each is
 * thousands of times what real templates use (the templates of the corpus take at most 465 steps, 49 items,
 * 8,256 characters, 3 lambda calls and 11 resources) and low enough that reaching it takes about a second.
 */
export const BUDGET_LIMITS = {
  /** Expression nodes evaluated plus template values walked (about half a microsecond each). */
  steps: 2_000_000,
  /** Array items and object members built by function calls, all together. */
  items: 10_000_000,
  /** Characters of the strings built by function calls, all together. */
  characters: 100_000_000,
  /**
   * Calls of `lambda()` values (`map`, `filter`, `reduce`, `sort`, `toObject`, `mapValues`, `groupBy`): a
   * call costs at least three steps, so this is what stops nested loops of trivial lambdas first.
   */
  lambdaCalls: 250_000,
  /** Copy iterations of resources, properties and variables together (800 each in Azure, loops nest). */
  copies: 200_000,
  /**
   * Resources of a template and its nested deployments together (800 each in Azure, deployments nest):
   * 12 full nested templates, more than any network estate deploys at once, and what the model builds from
   * them stays quick.
   */
  resources: 10_000,
} as const;

/**
 * A budget: the counters left. Passed to nested deployments, so one template's budget covers them all.
 * Fields other than `copies` are filled with BUDGET_LIMITS on first use (`fillBudget`), so that callers
 * may give only the copy budget.
 */
export interface Budget {
  copies: number;
  steps?: number;
  items?: number;
  characters?: number;
  lambdaCalls?: number;
  resources?: number;
  /** Set once a limit is passed (the one diagnostic has been given): evaluation stops, quietly. */
  spent?: string;
  /** What the counters started at (for the message: a caller may give less than BUDGET_LIMITS). */
  initial?: Record<Kind, number>;
}

type Kind = "steps" | "items" | "characters" | "lambdaCalls" | "resources";

export type FullBudget = Required<Omit<Budget, "spent">> & { spent?: string };

/** `budget` with its missing counters filled in (the same object, so it stays shared). */
export function fillBudget(budget: Budget): FullBudget {
  budget.steps ??= BUDGET_LIMITS.steps;
  budget.items ??= BUDGET_LIMITS.items;
  budget.characters ??= BUDGET_LIMITS.characters;
  budget.lambdaCalls ??= BUDGET_LIMITS.lambdaCalls;
  budget.resources ??= BUDGET_LIMITS.resources;
  budget.initial ??= {
    steps: budget.steps,
    items: budget.items,
    characters: budget.characters,
    lambdaCalls: budget.lambdaCalls,
    resources: budget.resources,
  };
  return budget as FullBudget;
}

/**
 * Thrown once the budget is spent and its diagnostic given: every evaluation still running unwinds without
 * a diagnostic of its own (the one line is at the expression that crossed the limit).
 */
export class BudgetSpent extends ArmEvalError {
  constructor(readonly why: string) {
    super(why, "arm/limit");
  }
}

const KIND_TEXT: Record<Kind, string> = {
  steps: "evaluation steps",
  resources: "resources (its nested deployments' counted)",
  items: "array items and object members built",
  characters: "characters of text built",
  lambdaCalls: "lambda calls",
};

/**
 * Takes `n` from the counter `kind`; past zero the budget is spent: the first time an ArmEvalError (one
 * diagnostic where it is caught), afterwards a BudgetSpent (none).
 */
export function charge(budget: FullBudget, kind: keyof typeof KIND_TEXT, n = 1): void {
  if (budget.spent !== undefined) throw new BudgetSpent(budget.spent);
  budget[kind] -= n;
  if (budget[kind] >= 0) return;
  const limit = budget.initial[kind].toLocaleString("en-US");
  budget.spent = `the template needs more than ${limit} ${KIND_TEXT[kind]} (a limit of this reader); evaluation stops here and what is not evaluated is left out`;
  throw new ArmEvalError(budget.spent, "arm/limit");
}

/** An expression's text for a message: long ones are cut (the place is given by file:line:col). */
export function quoteExpression(text: string): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length <= 120 ? flat : `${flat.slice(0, 100)}… (${flat.length} characters)`;
}
