/**
 * @module checks/apim/internal-over-global-peering
 * APIM-PEERING-GLOBAL-ILB: an Internal-mode instance on the stv1 platform sits behind a Basic internal load
 * balancer, and resources in a globally peered VNet (another region) cannot reach a Basic load balancer's
 * frontend (apim-requirements §3.7; reference §3.2 "Global peering limitation"). On stv2 (a Standard load
 * balancer) the docs list no such limitation, so the check is silent there (inferred, see the doc).
 */
import { peeringsOf } from "../../engine/peering/state.js";
import { defineCheck, evidenceAt, finding } from "../context.js";
import { platformNote } from "../placements.js";
import type { CheckMeta, Finding } from "../types.js";

const meta: CheckMeta = {
  id: "APIM-PEERING-GLOBAL-ILB",
  name: "internal-over-global-peering",
  title: "An Internal-mode stv1 instance cannot be reached over global VNet peering",
  severity: "warning",
  category: "peering",
  summary: "Resources in a globally peered VNet cannot reach an Internal-mode API Management instance on stv1.",
  references: [
    "https://learn.microsoft.com/azure/api-management/virtual-network-concepts",
    "https://learn.microsoft.com/azure/virtual-network/virtual-network-troubleshoot-peering-issues",
    "https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering#requirements-and-constraints",
  ],
  messages: {
    globalPeering:
      "{{service}} is Internal mode on stv1, behind a Basic internal load balancer; {{vnet}} is globally peered with " +
      "{{remote}} ({{remoteLocation}}) through {{peering}}, and resources there cannot reach a Basic load balancer's " +
      "frontend over global peering. Use a VNet in the same region, or move the instance to stv2 (its Standard load " +
      "balancer does not have this limitation).",
    remoteUnknown:
      "{{service}} is Internal mode on stv1; the region of {{remote}}, peered through {{peering}}, is unknown (not in " +
      "the inputs), so it cannot be told whether this is global peering, which a Basic internal load balancer does not " +
      "support.",
  },
};

export default defineCheck({
  meta,
  run(ctx) {
    const out: Finding[] = [];
    for (const p of ctx.placements) {
      if (p.kind !== "classic-injection" || p.mode !== "Internal" || p.platform !== "stv1" || !p.vnet) continue;
      for (const status of peeringsOf(ctx.topology, p.vnet)) {
        const half = status.peering;
        const remoteName = status.remote?.name ?? half.remoteVirtualNetwork?.id ?? "the remote VNet";
        const evidence = [
          evidenceAt(
            "peering",
            `peering ${half.name} of ${p.vnet.name} to ${remoteName}: ${status.state}${status.reason ? ` (${status.reason})` : ""}`,
            half.src,
            half.id,
            { peeringState: status.state, global: status.global },
          ),
          evidenceAt("assumption", platformNote(p), undefined),
        ];
        if (status.remote && status.global) {
          evidence.splice(
            1,
            0,
            evidenceAt(
              "vnet",
              `${p.vnet.name} is in ${p.vnet.location}, ${status.remote.name} in ${status.remote.location}: global peering (VNetGlobalPeering)`,
              status.remote.src,
              status.remote.id,
            ),
          );
          if (status.remoteHalf)
            evidence.splice(
              2,
              0,
              evidenceAt(
                "peering",
                `peering ${status.remoteHalf.name} of ${status.remote.name}`,
                status.remoteHalf.src,
                status.remoteHalf.id,
              ),
            );
          out.push(
            finding(meta, {
              messageId: "globalPeering",
              data: {
                service: p.service.name,
                vnet: p.vnet.name,
                remote: status.remote.name,
                remoteLocation: String(status.remote.location),
                peering: half.name,
              },
              resource: half.id,
              src: half.src,
              evidence,
              instance: p.label,
            }),
          );
        } else if (!status.remote) {
          out.push(
            finding(meta, {
              severity: "info",
              messageId: "remoteUnknown",
              data: { service: p.service.name, remote: remoteName, peering: half.name },
              resource: half.id,
              src: half.src,
              evidence,
              instance: p.label,
            }),
          );
        }
      }
    }
    return out;
  },
});
