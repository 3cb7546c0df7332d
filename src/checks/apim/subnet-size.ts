/**
 * @module checks/apim/subnet-size
 * APIM-SUBNET-SIZE: the subnet must hold the instance's units (util/apim-addresses: the sizing rules of
 * apim-requirements §3.1 and §1.5 as data). Azure reserves 5 addresses of every subnet. Every instance (and
 * region) placed in the same subnet and every NIC address in it counts. An instance that could not add one more
 * unit gets an info: scaling out would fail, and the docs advise erring on the large side because moving an
 * instance to another subnet later is disruptive. A v2 subnet smaller than the recommended /24 gets an info.
 */
import { subnetPrefixes } from "../../model/addresses.js";
import { defineCheck, evidenceAt, finding } from "../context.js";
import { restateSubnet } from "../fix/build.js";
import type { MessageData, Messages } from "../messages.js";
import type { ApimPlacement } from "../placements.js";
import { REQUIREMENTS } from "../requirements.js";
import type { CheckMeta, Evidence, Finding, Severity } from "../types.js";
import { type AddressDemand, addressDemand } from "../util/apim-addresses.js";
import { growTarget, prefixLengthFor, subnetCapacity } from "../util/subnet.js";
import { unknownValueClause } from "../util/unknowns.js";

/** Each message, and its twin `<id>Grow` that adds where the subnet can grow to (the fix). */
function withGrowAdvice(messages: Messages): Messages {
  const out: Messages = { ...messages };
  for (const [id, text] of Object.entries(messages))
    out[`${id}Grow`] =
      `${text} Grow it to a /{{growLength}}: {{growPrefix}} is free in {{vnet}} (the fix, for a template not ` +
      "deployed yet; a subnet in use cannot be resized, so move a deployed instance to a new subnet of that size).";
  return out;
}

const meta: CheckMeta = {
  id: "APIM-SUBNET-SIZE",
  name: "subnet-size",
  title: "The API Management subnet is too small",
  severity: "error",
  category: "config",
  summary:
    "The subnet must hold every unit of the instance (and its internal load balancer) after Azure's five reserved addresses.",
  references: [
    "https://learn.microsoft.com/azure/api-management/virtual-network-injection-resources",
    "https://learn.microsoft.com/azure/api-management/inject-vnet-v2",
    "https://learn.microsoft.com/azure/api-management/integrate-vnet-outbound",
    "https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq",
  ],
  // An Unknown size has no fix, so no twin that grows it.
  messages: {
    unknown:
      "Cannot tell whether subnet {{subnet}} is large enough for {{instances}}: {{why}}. It needs a /{{wanted}} or " +
      "larger ({{needed}} usable addresses).",
    ...withGrowAdvice({
      belowMinimum:
        "Subnet {{subnet}} is a /{{prefixLength}}, smaller than the /{{minimum}} minimum for {{instances}}.",
      tooFewAddresses:
        "Subnet {{subnet}} has {{usable}} usable addresses but needs {{needed}} for {{instances}}; deployment or scale-out fails.",
      noRoomToScale:
        "Subnet {{subnet}} has no room for one more unit of {{instances}} ({{needed}} of {{usable}} usable addresses taken).",
      belowRecommended:
        "Subnet {{subnet}} is a /{{prefixLength}}; a /{{recommended}} is recommended for the v2 tiers, to leave room for scaling.",
    }),
  },
};

export default defineCheck({
  meta,
  run(ctx) {
    const out: Finding[] = [];
    const bySubnet = new Map<string, { p: ApimPlacement; d: AddressDemand }[]>();
    for (const p of ctx.placements) {
      const d = addressDemand(p);
      if (!p.subnet || !d) continue;
      const key = p.subnet.id.toLowerCase();
      bySubnet.set(key, [...(bySubnet.get(key) ?? []), { p, d }]);
    }
    for (const group of bySubnet.values()) {
      const first = group[0]!.p;
      const subnet = first.subnet!;
      const vnet = first.vnet;
      const cap = subnetCapacity(subnet);
      const nics = ctx.topology.nicConfigsIn(subnet).length;
      const needed = group.reduce((n, x) => n + x.d.base, nics);
      const minimum = Math.min(...group.map((x) => x.d.minimumPrefixLength));
      const names = group.map((x) => x.p.label).join(", ");
      const evidence: Evidence[] = [
        evidenceAt(
          "subnet",
          `subnet ${subnet.name}: ${cap.prefixes.join(", ") || "no known prefix"} (${cap.total} addresses, ${cap.usable} after the 5 Azure reserves)`,
          subnet.src,
          subnet.id,
        ),
        ...group
          .filter((x) => x.d.text)
          .map((x) => evidenceAt("resource", `${x.p.label} takes ${x.d.base}: ${x.d.text}`, x.p.src, x.p.service.id)),
        ...(nics
          ? [evidenceAt("resource", `${nics} NIC IP configuration(s) of other resources are in the subnet`, undefined)]
          : []),
        ...group
          .filter((x) => !Number.isFinite(x.p.service.sku.capacity))
          .map((x) =>
            evidenceAt("assumption", `${x.p.service.name}: sku capacity unresolved, 1 unit assumed`, x.p.src),
          ),
      ];
      // v2 subnets are grown to the recommended /24 when it is free (so the fix leaves no info behind).
      const v2 = first.kind !== "classic-injection";
      const report = (
        severity: Severity,
        messageId: string,
        data: MessageData,
        wantedLength?: number,
        cannotTell?: string,
      ) => {
        const lengths = wantedLength ? [...(v2 ? [REQUIREMENTS.v2.recommendedPrefixLength] : []), wantedLength] : [];
        const grow = growTarget(subnet, vnet, lengths, cap.prefixLength);
        out.push(
          finding(meta, {
            severity,
            ...(cannotTell ? { cannotTell } : {}),
            ...(grow
              ? {
                  messageId: `${messageId}Grow`,
                  data: { ...data, growLength: grow.length, growPrefix: grow.prefix, vnet: vnet!.name },
                }
              : { messageId, data }),
            resource: subnet.id,
            src: subnet.src,
            evidence,
            changes: grow ? [restateSubnet(vnet!, subnet, { addressPrefix: grow.prefix })] : [],
            instance: first.label,
          }),
        );
      };
      const wanted = Math.min(minimum, prefixLengthFor(needed));
      if (cap.unknown) {
        // Unknown, never a pass: the size the instances need is said, so the user can check the value given.
        const why = unknownValueClause(subnetPrefixes(subnet), `the address prefix of subnet ${subnet.name}`);
        report(
          "warning",
          "unknown",
          { subnet: subnet.name, instances: names, why, wanted, needed },
          undefined,
          `whether subnet ${subnet.name} is large enough for ${names}`,
        );
      } else if (cap.prefixLength > minimum) {
        report(
          "error",
          "belowMinimum",
          { subnet: subnet.name, prefixLength: cap.prefixLength, minimum, instances: names },
          wanted,
        );
      } else if (needed > cap.usable) {
        report(
          "error",
          "tooFewAddresses",
          { subnet: subnet.name, usable: cap.usable, needed, instances: names },
          wanted,
        );
      } else if (group.some((x) => x.d.perUnit > 0 && needed + x.d.perUnit > cap.usable)) {
        const more = Math.max(...group.map((x) => x.d.perUnit));
        report(
          "info",
          "noRoomToScale",
          { subnet: subnet.name, instances: names, needed, usable: cap.usable },
          Math.min(minimum, prefixLengthFor(needed + more)),
        );
      } else if (v2 && cap.prefixLength > REQUIREMENTS.v2.recommendedPrefixLength) {
        report(
          "info",
          "belowRecommended",
          { subnet: subnet.name, prefixLength: cap.prefixLength, recommended: REQUIREMENTS.v2.recommendedPrefixLength },
          REQUIREMENTS.v2.recommendedPrefixLength,
        );
      }
    }
    return out;
  },
});
