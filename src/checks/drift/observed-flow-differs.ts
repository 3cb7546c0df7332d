/**
 * @module checks/drift/observed-flow-differs
 * DRIFT-FLOW: an IP flow verify answer (`az network watcher test-ip-flow`, REST `ipFlowVerify`) against the
 * verdict the inputs' NSGs give for the same 5-tuple at the same NIC (engine/nsg evaluateFlowLayers: the subnet
 * and NIC NSGs in Azure's order, reference §4.1, §1.3.5). Only `access` is compared: which rule IP flow verify
 * names when both NSGs allow is UNCERTAIN (§4.1), so a rule name alone is not a difference; both names are
 * shown. Where the export names no NIC the inputs hold, the NIC's NSG is Unknown, and only a subnet Deny decides.
 */
import { evaluateFlowLayers, formatFlow, type LayerResult, parseIpFlowVerify } from "../../engine/nsg/index.js";
import { formatSource } from "../../model/source.js";
import { defineCheck, evidenceAt, finding } from "../context.js";
import type { CheckMeta, Finding } from "../types.js";
import { notCompared, placeOf } from "../util/observed.js";

const meta: CheckMeta = {
  id: "DRIFT-FLOW",
  name: "observed-flow-differs",
  title: "IP flow verify observed a different verdict than the inputs give",
  severity: "warning",
  category: "nsg",
  summary: "An IP flow verify answer must equal the verdict the templates' NSGs give for that 5-tuple.",
  references: [
    "https://learn.microsoft.com/azure/network-watcher/ip-flow-verify-overview",
    "https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works",
  ],
  messages: {
    differs:
      "IP flow verify observed in {{export}} answers {{access}} for {{flow}} ({{observedRule}}); the inputs' NSGs " +
      "give {{verdict}} ({{computedRule}}). Network Watcher's answer is what Azure runs: checks that follow the " +
      "inputs may not hold for this traffic.",
    computedUnknown:
      "IP flow verify observed in {{export}} answers {{access}} for {{flow}}; the inputs leave the verdict Unknown " +
      "({{why}}), so the two cannot be compared.",
    unasked:
      "IP flow verify observed in {{export}} is not compared: it does not hold the 5-tuple it was asked about " +
      "(give the REST request and response together).",
    unplaced: "IP flow verify observed in {{export}} is not compared: {{why}}.",
  },
};

function layerText(l: LayerResult): string {
  const nsg = l.nsg ? `NSG ${l.nsg.name}` : "no NSG";
  if (!l.evaluated) return `${l.scope} level (${nsg}): not evaluated`;
  const rule = l.ruleName ? ` by ${l.ruleName}` : l.detail ? ` (${l.detail})` : "";
  return `${l.scope} level (${nsg}): ${l.access}${rule}`;
}

export default defineCheck({
  meta,
  run(ctx) {
    const out: Finding[] = [];
    for (const o of ctx.model.observed.ipFlowVerify) {
      const where = formatSource(o.src);
      const cannot = (messageId: string, why: string, data: Record<string, string> = {}) =>
        notCompared(meta, o, `IP flow verify observed in ${where}`, messageId, why, data);
      const parsed = o.request ? parseIpFlowVerify(o.request) : undefined;
      if (!parsed?.ok) {
        out.push(cannot("unasked", parsed ? parsed.problem : "the answer holds no request"));
        continue;
      }
      const place = placeOf(ctx.topology, o.scope);
      if ("unknown" in place) {
        out.push(cannot("unplaced", place.unknown, { why: place.unknown }));
        continue;
      }
      const layers = ctx.engine.layersAt({ subnet: place.subnet, nic: place.nic });
      // Without the NIC its NSG is not known: Unknown, never taken as none (a subnet Deny still decides).
      if (!place.nic)
        layers.nic = { nsg: null, unknownReason: `the NIC behind ${o.scope.address ?? "the VM"} is not in the inputs` };
      const verdict = evaluateFlowLayers(parsed.flow, layers);
      const flow = formatFlow(parsed.flow);
      const access = o.access;
      if (verdict.verdict !== "Allow" && verdict.verdict !== "Deny") {
        const why = verdict.reason ?? verdict.layers.map(layerText).join("; ");
        out.push(cannot("computedUnknown", why, { access, flow, why }));
        continue;
      }
      if (access.toLowerCase() === verdict.verdict.toLowerCase()) continue;
      const observedRule = o.ruleName ? `rule ${o.ruleName}` : "no rule named";
      const computedRule = verdict.ruleName ? `rule ${verdict.ruleName}` : "no rule decides";
      out.push(
        finding(meta, {
          messageId: "differs",
          data: { export: where, access, flow, observedRule, verdict: verdict.verdict, computedRule },
          resource: place.nic?.id ?? place.subnet.id,
          src: o.src,
          evidence: [
            evidenceAt(
              "observed",
              `observed in ${where} (${place.how}): ${access}, ${observedRule}`,
              o.src,
              undefined,
              {
                access,
                ruleName: o.ruleName ?? null,
                ...(o.ruleId ? { ruleId: o.ruleId } : {}),
              },
            ),
            ...verdict.layers.map((l) => evidenceAt("flow", `computed: ${layerText(l)}`, l.src, l.nsg?.id)),
          ],
        }),
      );
    }
    return out;
  },
});
