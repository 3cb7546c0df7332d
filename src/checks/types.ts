/**
 * @module checks/types
 * What a check produces: findings in one fixed shape (issue "APIM check pack"), each with the evidence that
 * decided it (the NSG rule, route, peering or setting, with file and line) and fixes a user can paste.
 */

import type { Change } from "../model/change.js";
import type { SourceRef } from "../model/source.js";
import type { MessageData, Messages } from "./messages.js";

export type Severity = "error" | "warning" | "info";

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export interface FindingLocation {
  file: string;
  line: number;
  column?: number;
  /** Where the value here was passed from (a Bicep module's callers), nearest first: SourceRef.via. */
  via?: FindingLocation[];
}

/** One fact behind a finding: what decided, and where it is written. */
export interface Evidence {
  /** `nsg-rule`, `route`, `effective-route`, `peering`, `subnet`, `resource`, `flow`, `assumption`, `observed`. */
  kind: string;
  /** A sentence a user can read without the rest of the finding. */
  text: string;
  /** Resource id (or name) of the object the evidence is about. */
  resource?: string;
  location?: FindingLocation;
  /** Machine-readable detail in Azure's vocabulary (a rule, an effective route row, ...). */
  data?: unknown;
}

export type FixKind = "az-cli" | "bicep" | "terraform" | "arm";

export interface Fix {
  kind: FixKind;
  /** Text to paste. For `arm`, a JSON array of resources to add to the template's `resources`. */
  text: string;
}

export interface Finding {
  id: string;
  severity: Severity;
  title: string;
  /** The rendered sentence: the check's `messages[messageId]` filled with `data`. */
  message: string;
  /**
   * Which of the check's messages this is (CheckMeta.messages) and the values of its placeholders: what tests
   * and machine readers compare, since wording may improve. Always set by checks/context `finding`.
   */
  messageId?: string;
  data?: MessageData;
  /** Id of the resource the finding is about. */
  resource: string;
  location: FindingLocation;
  evidence: Evidence[];
  /** The fix in every form that can express it, rendered from `changes`. */
  fix: Fix[];
  /** The fix as data (checks/fix/changes): what `apim-netcheck fix` applies and the proofs re-check. */
  changes?: Change[];
  /** Name of the API Management instance (and region) the finding concerns, for grouping. */
  instance?: string;
}

/** The stable description of a check (what SARIF and the docs show). */
export interface CheckMeta {
  id: string;
  /** kebab-case, equal to the file stem. */
  name: string;
  title: string;
  /** Default severity; a check may report lower or higher per instance (e.g. Developer vs Premium). */
  severity: Severity;
  category: "nsg" | "routing" | "peering" | "dns" | "config" | "input";
  summary: string;
  /** Azure documentation the check follows; the doc page's references are tested against these. */
  references: string[];
  /**
   * Every sentence the check can say, by id, with `{{name}}` placeholders (checks/messages; typescript-eslint's
   * `meta.messages`). defineCheck adds the COMMON_MESSAGES every check shares.
   */
  messages: Messages;
}

export function toLocation(src: SourceRef | undefined): FindingLocation {
  const at: FindingLocation = {
    file: src?.file ?? "<unknown>",
    line: src?.line ?? 0,
    column: src?.column || undefined,
  };
  const via = src?.via;
  if (via && via.length > 0) at.via = via.map(toLocation);
  return at;
}
