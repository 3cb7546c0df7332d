/**
 * @module engine/whatif/conditions
 * Engine layer: a network whose resources hang on conditions no input decides (ARM `condition`, Bicep `if`, on a
 * parameter with no value), seen one way at a time. A condition taken as false leaves its resources out of the
 * inputs — not out of Azure: what refers to them keeps the reference, which then names something the inputs do
 * not show (an NSG of a subnet, say), and the engine answers Unknown for what depends on it rather than "no NSG".
 * Pure: the model given is not changed.
 */
import { type NetworkModel, RESOURCE_LISTS } from "../../model/network.js";
import type { ResourceBase } from "../../model/resources.js";
import type { SourceRef } from "../../model/source.js";
import { copyModel } from "./copy.js";

/** One condition no input decides, and the resources that hang on it. */
export interface UndecidedCondition {
  condition: string;
  src: SourceRef;
  resources: ResourceBase[];
}

/** The undecided conditions of `model`, in the order their first resource appears. */
export function undecidedConditions(model: NetworkModel): UndecidedCondition[] {
  const byCondition = new Map<string, UndecidedCondition>();
  const visit = (r: ResourceBase) => {
    if (!r.deployedIf) return;
    const entry = byCondition.get(r.deployedIf.condition);
    if (entry) entry.resources.push(r);
    else byCondition.set(r.deployedIf.condition, { ...r.deployedIf, resources: [r] });
  };
  for (const key of RESOURCE_LISTS) for (const r of model[key] as ResourceBase[]) visit(r);
  for (const v of model.virtualNetworks) for (const child of [...v.subnets, ...v.virtualNetworkPeerings]) visit(child);
  for (const n of model.networkSecurityGroups) for (const rule of n.securityRules) visit(rule);
  for (const t of model.routeTables) for (const route of t.routes) visit(route);
  return [...byCondition.values()];
}

/** A copy of `model` without the resources whose condition is in `absent` (their references stay). */
export function withConditionsFalse(model: NetworkModel, absent: ReadonlySet<string>): NetworkModel {
  if (absent.size === 0) return model;
  const m = copyModel(model);
  const kept = <T extends ResourceBase>(list: T[]) =>
    list.filter((r) => !r.deployedIf || !absent.has(r.deployedIf.condition));
  for (const key of RESOURCE_LISTS) (m[key] as ResourceBase[]) = kept(m[key] as ResourceBase[]);
  for (const v of m.virtualNetworks) {
    v.subnets = kept(v.subnets);
    v.virtualNetworkPeerings = kept(v.virtualNetworkPeerings);
  }
  for (const n of m.networkSecurityGroups) n.securityRules = kept(n.securityRules);
  for (const t of m.routeTables) t.routes = kept(t.routes);
  return m;
}
