/**
 * @module checks/apim/apim-setting-invalid
 * APIM-SETTING-INVALID: an API Management network setting Azure refuses: a `virtualNetworkType` or SKU name
 * that is no member of its enum (compared without regard to case, as ARM does; the nearest member is
 * suggested), or a subnet resource id that does not have a subnet id's pattern. The rules are engine/network
 * `validateApimService`'s. A misspelt mode has a fix when the nearest member is certain enough to suggest.
 */

import { validateApimService } from "../../engine/network/apim.js";
import type { Change } from "../../model/change.js";
import { nearestMember, VIRTUAL_NETWORK_TYPES } from "../../model/enums.js";
import { defineCheck } from "../context.js";
import type { CheckMeta } from "../types.js";
import { virtualNetworkTypeChanges } from "../util/apim-fixes.js";
import { REFUSAL_MESSAGES, refusalFindings } from "../util/refusals.js";

const meta: CheckMeta = {
  id: "APIM-SETTING-INVALID",
  name: "apim-setting-invalid",
  title: "An API Management network setting is one Azure refuses",
  severity: "error",
  category: "input",
  summary:
    "virtualNetworkType, the SKU name or a subnet resource id of an API Management service is not a value Azure accepts.",
  references: [
    "https://learn.microsoft.com/rest/api/apimanagement/api-management-service/create-or-update",
    "https://learn.microsoft.com/azure/api-management/virtual-network-concepts",
  ],
  messages: { ...REFUSAL_MESSAGES },
};

export default defineCheck({
  meta,
  run(ctx) {
    const out = [];
    for (const service of ctx.model.apiManagementServices) {
      const fixOf = (d: { code: string }): Change[] => {
        if (d.code !== "apim/invalid-virtual-network-type") return [];
        const near = nearestMember(VIRTUAL_NETWORK_TYPES, service.virtualNetworkType);
        return near ? virtualNetworkTypeChanges(service, near) : [];
      };
      out.push(...refusalFindings(meta, validateApimService(service), fixOf));
    }
    return out;
  },
});
