/**
 * @module ingest/arm/functions
 * The table of ARM template functions we evaluate, keyed by lower-case name (ARM function names are
 * case-insensitive).
 */
import { CIDR_FUNCTIONS } from "./cidr.js";
import { COLLECTION_FUNCTIONS } from "./collections.js";
import { DEPLOYMENT_FUNCTIONS } from "./deployment.js";
import { LAMBDA_FUNCTIONS } from "./lambda.js";
import { LOGIC_FUNCTIONS } from "./logic.js";
import { STRING_FUNCTIONS } from "./strings.js";
import type { FunctionSpec } from "./types.js";

const TABLE = new Map<string, FunctionSpec>(
  Object.entries({
    ...STRING_FUNCTIONS,
    ...COLLECTION_FUNCTIONS,
    ...LOGIC_FUNCTIONS,
    ...CIDR_FUNCTIONS,
    ...DEPLOYMENT_FUNCTIONS,
    ...LAMBDA_FUNCTIONS,
  }),
);

/** The function named `name` (any case), or undefined when ARM has no such function or we lack it. */
export function lookupFunction(name: string): FunctionSpec | undefined {
  return TABLE.get(name.toLowerCase());
}

/** The names we evaluate, for tests and documentation. */
export function functionNames(): string[] {
  return [...TABLE.keys()].sort();
}
