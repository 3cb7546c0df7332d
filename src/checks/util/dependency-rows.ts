/**
 * @module checks/util/dependency-rows
 * Checks layer: which rows of the requirements table (data/apim/requirements.json) are an instance's outbound
 * dependencies, and how serious each one's blocking is. Shared by APIM-OUTBOUND-DEPENDENCY (which evaluates them)
 * and APIM-SUBNET-NSG-MISSING (whose new NSG allows the required ones).
 *
 * Severity (documented in docs/checks/APIM-OUTBOUND-DEPENDENCY.md): required rows are errors; Entra ID is a warning
 * on stv2, where Key Vault (required there) depends on it (apim-requirements §1.1 row 11, §5); the rows between
 * units (internal cache sync, rate-limit sync) are warnings with more than one unit and info with one; the other
 * optional rows are info; the v2 tiers' Storage 443 is a warning because the v2 pages disagree on it (§1.5).
 */
import type { ApimPlacement } from "../placements.js";
import { type NsgRequirement, REQUIREMENTS, requirementsFor } from "../requirements.js";
import type { Severity } from "../types.js";

const V2_ROW_PREFIX = "v2-outbound";

/** The v2 tiers' outbound rules (§1.5: S16 asks for Storage 443, S15 says no rule is needed), as rows. */
export function v2OutboundRows(check = "APIM-OUTBOUND-DEPENDENCY"): NsgRequirement[] {
  const outbound = (REQUIREMENTS.v2 as { outbound?: Pick<NsgRequirement, "destination" | "ports" | "protocol">[] })
    .outbound ?? [{ destination: "Storage", ports: ["443"], protocol: "Tcp" }];
  return outbound.map((o, i) => ({
    ...o,
    id: `${V2_ROW_PREFIX}-${i}`,
    direction: "Outbound",
    source: "VirtualNetwork",
    purpose: `${o.destination} (v2 tiers)`,
    modes: ["External", "Internal"],
    need: { stv2: "required", stv1: "required" },
    check,
    sources: REQUIREMENTS.v2.sources,
  }));
}

/** The outbound dependency rows that apply to a placement (its kind, platform and mode). */
export function dependencyRows(p: ApimPlacement): NsgRequirement[] {
  if (p.kind === "v2-injection" || p.kind === "v2-integration") return v2OutboundRows();
  if (p.kind !== "classic-injection") return [];
  return requirementsFor("APIM-OUTBOUND-DEPENDENCY").filter(
    (r) => r.need[p.platform] && r.modes.includes(p.mode as "External" | "Internal"),
  );
}

/** How serious a blocked dependency row is at a placement, with the reason (see the module note). */
export function dependencySeverity(r: NsgRequirement, p: ApimPlacement): { severity: Severity; why: string } {
  if (r.id.startsWith(V2_ROW_PREFIX))
    return { severity: "warning", why: "the v2 docs disagree: S16 asks for Storage 443, S15 says no rule is needed" };
  if (r.need[p.platform] === "required") return { severity: "error", why: `required on ${p.platform}` };
  if (r.id === "entra-id" && p.platform === "stv2")
    return { severity: "warning", why: "optional, but Key Vault (required on stv2) depends on Entra ID" };
  if (r.multiUnitOnly)
    return p.units > 1
      ? { severity: "warning", why: `optional, but used between the ${p.units} units of this region` }
      : { severity: "info", why: "optional, and used only between units (this region has one)" };
  return { severity: "info", why: `optional on ${p.platform}: only the feature it serves breaks` };
}
