/**
 * @module checks/network/nic-invalid
 * NIC-INVALID: a network interface whose IP configuration names a subnet that its virtual network (declared in
 * the inputs) does not have, which Azure refuses; and, as warnings, a subnet or application security group that
 * is not in the inputs at all (it may exist in Azure, so every flow through it is Unknown). The rules are
 * engine/network `validateNetwork`'s.
 */
import { validateNetwork } from "../../engine/network/validate.js";
import { defineCheck } from "../context.js";
import type { CheckMeta } from "../types.js";
import { REFUSAL_MESSAGES, refusalFindings } from "../util/refusals.js";

const meta: CheckMeta = {
  id: "NIC-INVALID",
  name: "nic-invalid",
  title: "A network interface names a subnet or group that is not there",
  severity: "error",
  category: "input",
  summary: "A NIC IP configuration refers to a subnet or application security group the inputs do not have.",
  references: ["https://learn.microsoft.com/azure/virtual-network/virtual-network-network-interface-addresses"],
  messages: { ...REFUSAL_MESSAGES },
};

export default defineCheck({
  meta,
  run(ctx) {
    return refusalFindings(meta, validateNetwork(ctx.topology));
  },
});
