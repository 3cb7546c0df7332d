/**
 * @module ingest/terraform/avm/pass-through
 * Ingest layer, Terraform: declarations of the module variables a built-in description accepts but does not
 * use (telemetry, locks, role assignments, diagnostics, timeouts): a caller may pass them, as the real module
 * allows, and an argument the module does not declare is still refused.
 */

/** `variable "x" { default = null }` for each name. */
export function passThrough(names: string[]): string {
  return names.map((n) => `variable "${n}" {\n  default = null\n}`).join("\n");
}
