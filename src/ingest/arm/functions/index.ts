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

const ALL = {
  ...STRING_FUNCTIONS,
  ...COLLECTION_FUNCTIONS,
  ...LOGIC_FUNCTIONS,
  ...CIDR_FUNCTIONS,
  ...DEPLOYMENT_FUNCTIONS,
  ...LAMBDA_FUNCTIONS,
};

/** By lower-case name, and by the camel-case spelling templates use, so the usual look-up needs no copy. */
const TABLE = new Map<string, FunctionSpec>(Object.entries(ALL));
const SPELLINGS =
  "base64ToJson base64ToString cidrHost cidrSubnet copyIndex createArray createObject dataUri dataUriToString dateTimeAdd " +
  "dateTimeFromEpoch dateTimeToEpoch endsWith extensionResourceId greaterOrEquals indexOf lambdaVariables lastIndexOf " +
  "lessOrEquals listKeys managementGroup managementGroupResourceId mapValues newGuid objectKeys padLeft parseCidr " +
  "pickZones resourceGroup resourceId shallowMerge startsWith subscriptionResourceId tenantResourceId toLower toObject " +
  "toUpper tryGet uniqueString uriComponent uriComponentToString utcNow groupBy";
for (const spelling of SPELLINGS.split(" ")) {
  const spec = TABLE.get(spelling.toLowerCase());
  if (spec) TABLE.set(spelling, spec);
}

/** The function named `name` (any case), or undefined when ARM has no such function or we lack it. */
export function lookupFunction(name: string): FunctionSpec | undefined {
  return TABLE.get(name) ?? TABLE.get(name.toLowerCase());
}

/** The names we evaluate, for tests and documentation. */
export function functionNames(): string[] {
  return Object.keys(ALL).sort();
}
