/**
 * @module engine/network/apim
 * Engine layer: the network settings of an API Management service checked as the resource provider checks
 * them: `virtualNetworkType` and the SKU name are members of their enums (compared without regard to case, as
 * ARM does; reference part 2 §12), and a subnet resource id has the pattern the SDK enforces. A value Azure
 * refuses is an `error`; a member written in another case is an `info` (Azure accepts it; the output uses
 * Azure's spelling). Unknown values are left to the verdicts, which say Unknown.
 */
import type { Diagnostic } from "../../model/diagnostics.js";
import { APIM_SKUS, canonicalMember, notAMember, VIRTUAL_NETWORK_TYPES } from "../../model/enums.js";
import type { ApiManagementService } from "../../model/resources.js";
import { type SourceRef, valueSource } from "../../model/source.js";
import { isUnknown } from "../../model/unknown.js";

/** The SDK's pattern for `virtualNetworkConfiguration.subnetResourceId` [SDK-APIM mappers]. */
const SUBNET_ID =
  /^\/subscriptions\/[^/]*\/resourceGroups\/[^/]*\/providers\/Microsoft\.(ClassicNetwork|Network)\/virtualNetworks\/[^/]*\/subnets\/[^/]*$/i;

function enumCheck(
  out: Diagnostic[],
  what: { code: string; field: string; service: ApiManagementService; members: readonly string[] },
  value: string | undefined,
  src: SourceRef,
): void {
  if (value === undefined || value === "" || isUnknown(value)) return;
  const member = canonicalMember(what.members, value);
  if (!member) {
    out.push({
      severity: "error",
      code: `apim/invalid-${what.code}`,
      message: `API Management service ${what.service.name}: ${what.field} ${notAMember(what.members, value)}.`,
      src,
      resourceId: what.service.id,
    });
  } else if (member !== value) {
    out.push({
      severity: "info",
      code: "apim/non-canonical-case",
      message: `API Management service ${what.service.name}: ${what.field} '${value}' is read as ${member} (Azure compares it without regard to case).`,
      src,
      resourceId: what.service.id,
    });
  }
}

function subnetIdCheck(out: Diagnostic[], service: ApiManagementService, id: string | undefined, src: SourceRef): void {
  if (id === undefined || isUnknown(id) || SUBNET_ID.test(id.trim())) return;
  out.push({
    severity: "error",
    code: "apim/invalid-subnet-resource-id",
    message: `API Management service ${service.name}: 'SubnetResourceId' does not match expected pattern '^/subscriptions/[^/]*/resourceGroups/[^/]*/providers/Microsoft.(ClassicNetwork|Network)/virtualNetworks/[^/]*/subnets/[^/]*$' (value '${id}').`,
    src,
    resourceId: service.id,
  });
}

/** Diagnostics for one API Management service and its additional locations. */
export function validateApimService(service: ApiManagementService): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (path: (string | number)[]) => valueSource(service.src, path);
  enumCheck(
    out,
    { code: "virtual-network-type", field: "virtualNetworkType", service, members: VIRTUAL_NETWORK_TYPES },
    service.virtualNetworkType,
    at(["virtualNetworkType"]),
  );
  enumCheck(
    out,
    { code: "sku", field: "sku name", service, members: APIM_SKUS },
    service.sku.name,
    at(["sku", "name"]),
  );
  subnetIdCheck(
    out,
    service,
    service.virtualNetworkConfiguration?.subnetResourceId,
    at(["virtualNetworkConfiguration", "subnetResourceId"]),
  );
  service.additionalLocations.forEach((location, i) => {
    const src = valueSource(location.src, ["virtualNetworkConfiguration", "subnetResourceId"]);
    subnetIdCheck(out, service, location.virtualNetworkConfiguration?.subnetResourceId, src);
    enumCheck(
      out,
      { code: "sku", field: `additionalLocations[${i}] sku name`, service, members: APIM_SKUS },
      location.sku?.name,
      valueSource(location.src, ["sku", "name"]),
    );
  });
  return out;
}
