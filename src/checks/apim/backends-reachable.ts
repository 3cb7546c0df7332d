/**
 * @module checks/apim/backends-reachable
 * APIM-BACKEND-UNREACHABLE: a backend at a private address (named in the inputs or with `--backend`) must be
 * reachable from the instance's subnet: a route that delivers it (VnetLocal or a Connected peering), and NSGs that
 * allow it on the way out of the API Management subnet and into the backend's (FAQ "VNet peering 2 and 3"; reference
 * §2.5, §3.2, §4.1). The units call backends from their own subnet addresses (apim-requirements §3.8).
 */
import { sameResource } from "../../model/ids.js";
import type { PrivateDnsZone } from "../../model/resources.js";
import { type CheckContext, defineCheck, evidenceAt, finding } from "../context.js";
import type { MessageData } from "../messages.js";
import type { ApimPlacement } from "../placements.js";
import type { CheckMeta, Evidence, Finding } from "../types.js";
import { type BackendRef, backendsOf, resolveBackend } from "../util/backends.js";
import { unlinkedZoneCause } from "../util/dns.js";
import type { PriorityBook } from "../util/fixes.js";
import { combineCauses, reachFrom } from "../util/reach.js";

const meta: CheckMeta = {
  id: "APIM-BACKEND-UNREACHABLE",
  name: "backends-reachable",
  title: "A private backend cannot be reached from the API Management subnet",
  severity: "error",
  category: "peering",
  summary:
    "Every backend at a private address needs a route and NSG rules that let the API Management subnet reach it.",
  references: [
    "https://learn.microsoft.com/azure/api-management/virtual-network-concepts",
    "https://learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview",
    "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview",
    "https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering",
  ],
  messages: {
    notChecked: "{{backend}} ({{text}}) was not checked: {{why}}.",
    publicAddress:
      "{{backend}} ({{text}}) is at the public address {{address}}; reaching it over the Internet (outbound NSG rules, " +
      "routes to the Internet, the service's own firewall) is not checked here.",
    notConnected:
      "{{backend}} ({{text}}) is at the private address {{address}}, but {{service}} is not connected to a VNet: the " +
      "gateway cannot reach private addresses (a self-hosted gateway could).",
    subnetNotInInputs:
      "{{backend}} ({{text}}) is at the private address {{address}}, but its subnet {{subnet}} is not in the inputs: its " +
      "reachability is unknown.",
    unreachable: "{{target}} cannot be reached from subnet {{subnet}}: {{causes}}",
    mayBeUnreachable: "{{target}} may not be reachable from subnet {{subnet}}: {{causes}}",
  },
};

export default defineCheck({
  meta,
  run(ctx) {
    const out: Finding[] = [];
    const book = ctx.priorities;
    for (const b of backendsOf(ctx)) {
      const placements = ctx.placements.filter((p) => !b.serviceId || sameResource(p.service.id, b.serviceId));
      const first = placements[0];
      if (!first) continue;
      const where = evidenceAt("backend", `${b.label}: ${b.text}`, b.src, b.resource);
      // A backend that cannot be followed: Unknown (a warning) when its address is unresolved, a note (info) when
      // it is public, since the Internet path is outside what this check models.
      const unchecked = (
        message: { messageId: string; data: MessageData },
        severity: "info" | "warning",
        evidence: Evidence[] = [],
      ) =>
        out.push(
          finding(meta, {
            severity,
            cannotTell: `whether ${b.label} can be reached`,
            ...message,
            resource: b.resource ?? first.service.id,
            src: b.src ?? first.src,
            evidence: [where, ...evidence],
            instance: first.label,
          }),
        );
      if (!b.host || !b.port) {
        unchecked(
          { messageId: "notChecked", data: { backend: b.label, text: b.text, why: b.unreadable ?? "" } },
          "warning",
        );
        continue;
      }
      const resolved = resolveBackend(ctx, b.host);
      if ("unresolved" in resolved) {
        unchecked(
          { messageId: "notChecked", data: { backend: b.label, text: b.text, why: resolved.unresolved } },
          "warning",
          resolved.evidence,
        );
        continue;
      }
      if (!resolved.private) {
        unchecked(
          { messageId: "publicAddress", data: { backend: b.label, text: b.text, address: resolved.address } },
          "info",
          resolved.evidence,
        );
        continue;
      }
      const evidence = [where, ...resolved.evidence];
      for (const p of placements) {
        const f = reachFinding(ctx, p, b, resolved.address, evidence, book, resolved.zone);
        if (f) out.push(f);
      }
    }
    return out;
  },
});

/** The finding for one backend from one region of its instance; undefined when nothing stands in the way. */
function reachFinding(
  ctx: CheckContext,
  p: ApimPlacement,
  { label, text, port }: BackendRef,
  address: string,
  evidence: Evidence[],
  book: PriorityBook,
  zone?: PrivateDnsZone,
): Finding | undefined {
  if (!p.subnet) {
    const backend = { backend: label, text, address };
    return finding(meta, {
      severity: "warning",
      ...(p.kind === "none" ? {} : { cannotTell: `whether ${label} can be reached from ${p.label}` }),
      ...(p.kind === "none"
        ? { messageId: "notConnected", data: { ...backend, service: p.service.name } }
        : { messageId: "subnetNotInInputs", data: { ...backend, subnet: String(p.subnetId ?? "") } }),
      resource: p.service.id,
      src: p.src,
      evidence,
      instance: p.label,
    });
  }
  const target = { address, port: port!, protocols: ["Tcp" as const], label: `${label} (${address}:${port})` };
  const { causes, context } = reachFrom(ctx, p, target, book);
  const unlinked = zone && p.vnet ? unlinkedZoneCause(zone, p.vnet, text) : undefined;
  if (unlinked) causes.push(unlinked);
  if (causes.length === 0) return undefined;
  const { main, sentence, evidence: found, changes } = combineCauses(causes);
  return finding(meta, {
    severity: main.severity,
    ...(main.severity === "error"
      ? {}
      : { cannotTell: `whether ${label} can be reached from subnet ${p.subnet.name}` }),
    messageId: main.severity === "error" ? "unreachable" : "mayBeUnreachable",
    data: {
      target: `${label}${label.includes(`${address}:${port}`) ? "" : ` (${address}:${port})`}`,
      subnet: p.subnet.name,
      causes: sentence,
    },
    resource: main.resource,
    src: main.src ?? p.subnet.src,
    evidence: [...evidence, ...found, ...context],
    changes,
    instance: p.label,
  });
}
