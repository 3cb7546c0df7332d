/**
 * @module checks/util/apim-fixes
 * Checks layer: the change to a property of the API Management service itself (its virtualNetworkType), for the
 * fix engine. It is a patch of the service (the model does not keep every property a restated service would
 * need), so the forms that restate resources (ARM) leave it out.
 */

import type { Change } from "../../model/change.js";
import type { ApiManagementService } from "../../model/resources.js";
import { setServiceProperties } from "../fix/build.js";

/** The change that sets `virtualNetworkType` of `service` to `value` (`External`, `Internal`, `None`). */
export function virtualNetworkTypeChanges(service: ApiManagementService, value: string): Change[] {
  return [setServiceProperties(service, { virtualNetworkType: value })];
}
