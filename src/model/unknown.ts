/**
 * @module model/unknown
 * Values we could not resolve (a template parameter with no value, an unsupported function, a Terraform
 * value known only after apply). They travel through the model as marked strings so that the engine
 * can answer "Unknown" for anything that depends on them, instead of guessing.
 */

const MARK = "<unknown:";

/** A placeholder string standing for a value we could not compute; `why` names the expression. */
export function unknownValue(why: string): string {
  return `${MARK} ${why}>`;
}

/** True when `value` is (or contains) an unknown placeholder. */
export function isUnknown(value: unknown): boolean {
  return typeof value === "string" && value.includes(MARK);
}

/** The explanation inside an unknown placeholder, for messages. */
export function unknownReason(value: string): string {
  const start = value.indexOf(MARK);
  if (start < 0) return value;
  const end = value.indexOf(">", start);
  return value.slice(start + MARK.length, end < 0 ? undefined : end).trim();
}

/**
 * What the user can give to make an unknown value known, for the placeholders that name an input: an ARM
 * parameter (`parameters('vnetPrefix')`) is given with `-p vnetPrefix=<value>`. Undefined for values no option
 * can give (set by Azure at deployment, read from Azure).
 */
export function howToGive(reason: string): string | undefined {
  const parameter = /parameters\('([^']+)'\)/.exec(reason);
  if (parameter && !/Key Vault secret/.test(reason)) return `-p ${parameter[1]}=<value>`;
  // A Terraform variable with no value (`var.name`, the reason the Terraform reader gives it).
  const variable = /(?:^|[^\w.])var\.([A-Za-z_][\w-]*)/.exec(reason);
  if (variable) return `--var ${variable[1]}=<value>`;
  return undefined;
}
