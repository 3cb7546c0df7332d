/**
 * @module engine/whatif/without
 * Engine layer: `check --without <name or id>`, a resource taken out of the model before checking, without
 * touching Azure. It is the networking FAQ's test "remove the NSG and apply network configuration": taking out an
 * NSG also takes out its associations with subnets and NICs (as Azure requires before an NSG can be deleted), a
 * route table its subnet associations, a peering just that half of the peering. Pure: the model given is not
 * changed; a copy without the resource is returned with one sentence per thing removed.
 */
import { displayName, idKey, providerKey } from "../../model/ids.js";
import { modelResources, type NetworkModel } from "../../model/network.js";
import type { ResourceBase } from "../../model/resources.js";
import { copyModel } from "./copy.js";

/** A resource a `--without` text can name. */
export interface WhatIfTarget {
  id: string;
  type: string;
  /** `nsg-apim`, or `vnet-apim/snet-apim` for a child. */
  display: string;
}

/**
 * The resources `text` names: an id (exact, or by type and names when subscription and resource group differ),
 * a `parent/child` name, or a bare name. Several when the name is ambiguous; none when nothing matches.
 */
export function findTargets(model: NetworkModel, text: string): WhatIfTarget[] {
  const wanted = text.trim().toLowerCase();
  const isId = wanted.startsWith("/subscriptions/") || wanted.includes("/providers/");
  const seen = new Set<string>();
  const out: WhatIfTarget[] = [];
  for (const r of modelResources(model)) {
    const display = displayName(r.id);
    const hit = isId
      ? idKey(r.id) === idKey(wanted) || providerKey(r.id) === providerKey(wanted)
      : r.name.toLowerCase() === wanted || display.toLowerCase() === wanted;
    if (hit && !seen.has(idKey(r.id))) {
      seen.add(idKey(r.id));
      out.push({ id: r.id, type: r.type, display });
    }
  }
  // An exact id beats a match on type and names alone.
  const exact = out.filter((t) => idKey(t.id) === idKey(wanted));
  return exact.length > 0 ? exact : out;
}

const same = (a: string | undefined, b: string) =>
  a !== undefined && (idKey(a) === idKey(b) || providerKey(a) === providerKey(b));

/** A copy of `model` without `target` and what refers to it as an association; `notes` says what went. */
export function withoutResource(model: NetworkModel, target: WhatIfTarget): { model: NetworkModel; notes: string[] } {
  const m = copyModel(model);
  const id = target.id;
  const notes: string[] = [`what-if: ${target.type} ${target.display} removed (--without)`];
  const drop = <T extends ResourceBase>(list: T[]) => list.filter((r) => !same(r.id, id));
  const type = target.type.toLowerCase();
  if (type === "microsoft.network/networksecuritygroups") {
    for (const v of m.virtualNetworks)
      for (const s of v.subnets)
        if (same(s.networkSecurityGroup?.id, id)) {
          s.networkSecurityGroup = undefined;
          notes.push(`what-if: subnet ${v.name}/${s.name} has no NSG (its association with ${target.display} removed)`);
        }
    for (const nic of m.networkInterfaces)
      if (same(nic.networkSecurityGroup?.id, id)) {
        nic.networkSecurityGroup = undefined;
        notes.push(`what-if: NIC ${nic.name} has no NSG (its association with ${target.display} removed)`);
      }
  }
  if (type === "microsoft.network/routetables") {
    for (const v of m.virtualNetworks)
      for (const s of v.subnets)
        if (same(s.routeTable?.id, id)) {
          s.routeTable = undefined;
          notes.push(
            `what-if: subnet ${v.name}/${s.name} has no route table (its association with ${target.display} removed)`,
          );
        }
  }
  m.virtualNetworks = drop(m.virtualNetworks);
  for (const v of m.virtualNetworks) {
    v.subnets = drop(v.subnets);
    v.virtualNetworkPeerings = drop(v.virtualNetworkPeerings);
  }
  m.networkSecurityGroups = drop(m.networkSecurityGroups);
  for (const n of m.networkSecurityGroups) n.securityRules = drop(n.securityRules);
  m.routeTables = drop(m.routeTables);
  for (const t of m.routeTables) t.routes = drop(t.routes);
  m.applicationSecurityGroups = drop(m.applicationSecurityGroups);
  m.networkInterfaces = drop(m.networkInterfaces);
  m.virtualNetworkGateways = drop(m.virtualNetworkGateways);
  m.localNetworkGateways = drop(m.localNetworkGateways);
  m.connections = drop(m.connections);
  m.publicIPAddresses = drop(m.publicIPAddresses);
  m.apiManagementServices = drop(m.apiManagementServices);
  m.apimBackends = drop(m.apimBackends);
  m.apimApis = drop(m.apimApis);
  m.privateDnsZones = drop(m.privateDnsZones);
  return { model: m, notes };
}
