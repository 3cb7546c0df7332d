/**
 * @module checks/util/refusals
 * Checks layer, shared by the checks that report what Azure would refuse (VNET-INVALID, ROUTE-INVALID,
 * NIC-INVALID, APIM-SETTING-INVALID, TEMPLATE-INVALID; NSG-RULE-INVALID has its own, with rule fixes): a
 * validator's diagnostic as a finding, located at the offending value, with the wire code as evidence and, for
 * a refusal, the sentence that says the deployment fails and that what the value decides is analysed as Unknown
 * (issue "Never a silent pass (I)": refusals are findings, and the analysis goes on).
 */

import type { Change } from "../../model/change.js";
import type { Diagnostic } from "../../model/diagnostics.js";
import { evidenceAt, finding } from "../context.js";
import type { MessageData } from "../messages.js";
import type { CheckMeta, Finding } from "../types.js";
import { displayId } from "./network-fixes.js";

/** The areas (diagnostic code prefixes) each refusal check reports, so that each diagnostic is one finding. */
export const REFUSAL_AREAS: Record<string, readonly string[]> = {
  "NSG-RULE-INVALID": ["nsg/"],
  "ROUTE-INVALID": ["route/"],
  "VNET-INVALID": ["vnet/", "subnet/", "peering/"],
  "NIC-INVALID": ["nic/"],
  "APIM-SETTING-INVALID": ["apim/"],
};

/** The checks that report refusals: they judge the inputs as written, so they run once, on the inputs. */
export const REFUSAL_CHECKS: readonly string[] = [...Object.keys(REFUSAL_AREAS), "TEMPLATE-INVALID"];

/** The check that reports `d` as a finding, when one does (info diagnostics never are findings). */
export function findingCheckOf(d: Diagnostic): string | undefined {
  if (d.severity === "info") return undefined;
  for (const [id, areas] of Object.entries(REFUSAL_AREAS)) if (areas.some((a) => d.code.startsWith(a))) return id;
  // What the readers refuse (a template Azure would not deploy, a file that is not valid JSON).
  return d.severity === "error" ? "TEMPLATE-INVALID" : undefined;
}

/** True when `d` belongs to the check `id`. */
export function reportedBy(id: string, d: Diagnostic): boolean {
  return findingCheckOf(d) === id;
}

/** Who refuses what a reader refuses: the tool that would stop before Azure sees it, when there is one. */
function refuser(d: Diagnostic): string {
  // A limit of this tool's own (collection size, depth, steps) is not a refusal of Azure's or the compiler's.
  if (/\/(limit|too-deep)$/.test(d.code)) return "the reader stops at this limit";
  if (d.code.startsWith("terraform/")) return "Terraform refuses to plan it";
  // Some Bicep refusals are the compiler's (syntax, an undeclared name), others Azure's (a parameter outside its range).
  if (d.code.startsWith("bicep/")) return "Bicep or Azure refuses it";
  return "Azure refuses to deploy it";
}

/**
 * The messages of the refusal checks: a refusal (the diagnostic's sentence, who refuses it, and that the
 * analysis goes on with Unknown) or a value Azure accepts but may read otherwise (the sentence alone).
 */
export const REFUSAL_MESSAGES = {
  refused: "{{diagnostic}} {{refuser}}; what it decides is analysed as Unknown.",
  questionable: "{{diagnostic}}",
};

/** The diagnostic's message as a finding's message id and values. */
export function refusalMessage(d: Diagnostic): { messageId: keyof typeof REFUSAL_MESSAGES; data: MessageData } {
  const text = displayId(d.message.trim());
  const diagnostic = /[.)]$/.test(text) ? text : `${text}.`;
  return d.severity === "error"
    ? { messageId: "refused", data: { diagnostic, refuser: refuser(d) } }
    : { messageId: "questionable", data: { diagnostic } };
}

/** One finding per diagnostic of `diagnostics` that belongs to `meta`'s check; `fixOf` gives certain fixes. */
export function refusalFindings(
  meta: CheckMeta,
  diagnostics: readonly Diagnostic[],
  fixOf: (d: Diagnostic) => Change[] = () => [],
): Finding[] {
  return diagnostics
    .filter((d) => reportedBy(meta.id, d))
    .map((d) =>
      finding(meta, {
        severity: d.severity === "error" ? "error" : "warning",
        ...refusalMessage(d),
        resource: d.resourceId ?? d.src?.file ?? "",
        src: d.src,
        evidence: [evidenceAt("diagnostic", `${d.code}: ${d.message}`, d.src, d.resourceId, { code: d.code })],
        changes: fixOf(d),
      }),
    );
}
