/**
 * @module ingest/bicep/containers
 * Ingest layer, Bicep: the one place where an Unknown value stands where the model needs a list or an object (the
 * rules of an NSG built from `isV2 ? [...] : [...]` on a parameter with no value). The converter
 * (src/ingest/resources) reads such fields as lists and objects and would refuse a placeholder as a wrong type,
 * an error for a template Azure accepts once its parameters are given. Such a field is left out of the node
 * before conversion, with a warning at its place naming the Unknown and how to give it: what it holds is not
 * modelled (never guessed, and never silently).
 */
import type { DiagnosticBag } from "../../model/diagnostics.js";
import type { SourceRef } from "../../model/source.js";
import { howToGive, isUnknown, unknownReason } from "../../model/unknown.js";
import type { Locator } from "../locator.js";
import { oneLine } from "./run.js";

/** Fields the converter reads as lists or objects (to-model.ts's objectArray/object reads). */
const CONTAINER_FIELDS = new Set(
  "aRecords aaaaRecords additionalLocations addressSpace applicationSecurityGroups bgpSettings cnameRecord defaultSecurityRules delegations destinationApplicationSecurityGroups dhcpOptions dnsSettings hostnameConfigurations ipConfigurations localNetworkAddressSpace remoteAddressSpace routes securityRules serviceEndpoints sku sourceApplicationSecurityGroups subnets virtualNetworkConfiguration virtualNetworkPeerings".split(
    " ",
  ),
);

/** Drops Unknown placeholders found in container fields of `nodes`, warning at each. */
export function dropUnknownContainers(
  nodes: unknown[],
  locator: Locator,
  diags: DiagnosticBag,
  fallback: SourceRef,
): void {
  const seen = new WeakSet<object>();
  let budget = 1_000_000;
  const visit = (value: unknown, holder: string) => {
    if (typeof value !== "object" || value === null || seen.has(value) || --budget < 0) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) visit(item, holder);
      return;
    }
    const obj = value as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      const field = obj[key];
      if (typeof field === "string" && CONTAINER_FIELDS.has(key) && isUnknown(field)) {
        const reason = unknownReason(field);
        const give = howToGive(reason);
        diags.warning(
          "bicep/unknown-value",
          oneLine(
            `${key} of ${holder} is Unknown (${reason}); what it holds is not modelled${give ? ` (give it with ${give})` : ""}`,
          ),
          locator.locateMember?.(obj, key) ?? locator.locate(obj) ?? fallback,
        );
        delete obj[key];
      } else {
        visit(field, holder);
      }
    }
  };
  for (const node of nodes) {
    const name = (node as { name?: unknown }).name;
    visit(node, typeof name === "string" ? name : "a resource");
  }
}
