/**
 * @module engine/nsg/asg
 * Engine layer: application security group membership from the model. A rule naming an ASG matches the
 * addresses of the NIC IP configurations that are members of it (reference §1.6); membership is declared on
 * the NIC side (`ipConfigurations[].applicationSecurityGroups`).
 *
 * Assumption (named, not silent): the inputs hold every member NIC of a declared ASG. An ASG the inputs do not
 * declare, or a member whose private IP is not known (dynamic allocation not yet resolved), makes the ASG's
 * addresses unknown, so rules naming it "maybe" match.
 */

import { providerKey } from "../../model/ids.js";
import { parsePrefix } from "../../model/ip.js";
import type { ApplicationSecurityGroup, NetworkInterface } from "../../model/resources.js";
import { isUnknown } from "../../model/unknown.js";
import { AddressSet } from "../ip/address-set.js";
import type { AsgLookup } from "./compile.js";

/** Builds the `asgAddresses` look-up of RuleContext from the model's ASGs and NICs. */
export function asgMembership(model: {
  applicationSecurityGroups: readonly ApplicationSecurityGroup[];
  networkInterfaces: readonly NetworkInterface[];
}): (asgId: string) => AsgLookup {
  const declared = new Set(model.applicationSecurityGroups.map((a) => providerKey(a.id)));
  const members = new Map<string, { addresses: string[]; missing: string[] }>();
  for (const nic of model.networkInterfaces) {
    for (const config of nic.ipConfigurations) {
      for (const ref of config.applicationSecurityGroups) {
        const key = providerKey(ref.id);
        const entry = members.get(key) ?? { addresses: [], missing: [] };
        const ip = config.privateIPAddress;
        if (ip && !isUnknown(ip) && parsePrefix(ip)) entry.addresses.push(ip);
        else entry.missing.push(`${nic.name}/${config.name}`);
        members.set(key, entry);
      }
    }
  }
  return (asgId) => {
    const key = providerKey(asgId);
    if (!declared.has(key)) return { unknown: "the application security group is not declared in the inputs" };
    const entry = members.get(key);
    if (!entry) return AddressSet.EMPTY;
    if (entry.missing.length > 0) {
      return { unknown: `member IP configurations without a known private IP: ${entry.missing.join(", ")}` };
    }
    return AddressSet.parse(...entry.addresses);
  };
}
