/**
 * @module checks/util/unknowns
 * Checks layer: how a finding names a value it could not use: what the value is, why it is not known (a
 * parameter with no value, a text Azure would refuse) and where it is written, and what to give to make it known
 * (`-p subnetPrefix=<value>`). One wording for every check, so that a user learns it once.
 */
import type { AddressList, AddressValue } from "../../model/addresses.js";
import { formatSource } from "../../model/source.js";
import { howToGive } from "../../model/unknown.js";

/**
 * One unreadable address value as a clause: `'10.1.1.0/33' (file:12:11) cannot be read: ...`, or
 * `Unknown (parameters('subnetPrefix')) (file:40:13); give it with -p subnetPrefix=<value>`.
 */
export function valueClause(value: Exclude<AddressValue, { kind: "prefix" }>): string {
  const where = value.src.line ? ` (${formatSource(value.src)})` : "";
  if (value.kind === "invalid") return `'${value.text}'${where} cannot be read: ${value.problem}`;
  const give = howToGive(value.reason);
  return `Unknown (${value.reason})${where}${give ? `; give it with ${give}` : ""}`;
}

/**
 * Why `list` is not wholly known, as a clause that starts with `what` (`the address prefix of subnet
 * snet-apim is Unknown (parameters('subnetPrefix')) (main.json:40:13); give it with -p subnetPrefix=<value>`).
 */
export function unknownValueClause(list: AddressList, what: string): string {
  if (list.missing !== undefined) return `${what} is not known: ${list.missing}`;
  const [first] = list.unreadable;
  if (!first) return `${what} is known`;
  const more = list.unreadable.length > 1 ? ` (and ${list.unreadable.length - 1} more)` : "";
  return `${what} ${first.kind === "invalid" ? "is invalid:" : "is"} ${valueClause(first)}${more}`;
}
