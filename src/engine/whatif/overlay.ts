/**
 * @module engine/whatif/overlay
 * Engine layer: `check --with <file>`, resources added to or replacing those of the model before checking. The
 * file is loaded through the same ingest as the inputs, into a model of its own; this module lays that model over
 * the inputs' model. A top-level resource replaces the one of the same type and name (compared by type and names,
 * so a template's resource replaces the same resource of an export whatever the subscription), or is added. A
 * child declared on its own (a security rule, a route, a subnet, a peering, a DNS record) goes into its parent:
 * its parent in the file's model was made up by the ingest only to hold it (the caller says which resources were
 * made up), so the parent in the inputs keeps everything else. Pure: both models are left as they are.
 */

import { appendAll } from "../../model/arrays.js";
import type { NetworkManager } from "../../model/avnm.js";
import { displayName, idKey, providerKey } from "../../model/ids.js";
import { type NetworkModel, RESOURCE_LISTS, type ResourceList } from "../../model/network.js";
import type {
  NetworkSecurityGroup,
  PrivateDnsZone,
  ResourceBase,
  RouteTable,
  VirtualNetwork,
} from "../../model/resources.js";
import { mergeManager } from "./avnm.js";
import { copyModel } from "./copy.js";

/** Tells whether a resource of the overlay was only made up to hold children declared on their own. */
export type MadeUpParent = (resource: object) => boolean;

type Collection = ResourceList;

const COLLECTIONS = RESOURCE_LISTS;

const sameResource = (a: ResourceBase, b: ResourceBase) =>
  idKey(a.id) === idKey(b.id) || providerKey(a.id) === providerKey(b.id);

/** Replaces the item of `list` named like `item` (by name, case-insensitive) or appends it; true when replaced. */
function put<T extends { name: string }>(list: T[], item: T): boolean {
  const at = list.findIndex((x) => x.name.toLowerCase() === item.name.toLowerCase());
  if (at >= 0) list[at] = item;
  else list.push(item);
  return at >= 0;
}

/** Moves the children of a made-up parent into the real one; one note per child. */
function mergeChildren(kind: Collection, into: ResourceBase, from: ResourceBase, label: string): string[] {
  const notes: string[] = [];
  const note = (what: string, name: string, replaced: boolean) =>
    notes.push(`what-if: ${what} ${displayName(into.id)}/${name} ${replaced ? "replaced" : "added"} (--with ${label})`);
  if (kind === "virtualNetworks") {
    const [a, b] = [into as VirtualNetwork, from as VirtualNetwork];
    for (const s of b.subnets) note("subnet", s.name, put(a.subnets, { ...s, virtualNetworkId: a.id }));
    for (const p of b.virtualNetworkPeerings)
      note("peering", p.name, put(a.virtualNetworkPeerings, { ...p, virtualNetworkId: a.id }));
  } else if (kind === "networkSecurityGroups") {
    for (const r of (from as NetworkSecurityGroup).securityRules)
      note("security rule", r.name, put((into as NetworkSecurityGroup).securityRules, r));
  } else if (kind === "routeTables") {
    for (const r of (from as RouteTable).routes) note("route", r.name, put((into as RouteTable).routes, r));
  } else if (kind === "privateDnsZones") {
    const [a, b] = [into as PrivateDnsZone, from as PrivateDnsZone];
    for (const r of b.records) {
      const at = a.records.findIndex((x) => x.name === r.name && x.recordType === r.recordType);
      if (at >= 0) a.records[at] = r;
      else a.records.push(r);
      note(`${r.recordType} record`, r.name, at >= 0);
    }
    for (const l of b.virtualNetworkLinks) note("VNet link", l.name, put(a.virtualNetworkLinks, l));
  } else if (kind === "networkManagers") {
    appendAll(notes, mergeManager(into as NetworkManager, from as NetworkManager, label));
  }
  return notes;
}

/**
 * `base` with the resources of `extra` laid over it. `label` names the file in the notes; `madeUp` tells the
 * parents the ingest made up for children declared on their own.
 */
export function overlay(
  base: NetworkModel,
  extra: NetworkModel,
  madeUp: MadeUpParent,
  label: string,
): { model: NetworkModel; notes: string[] } {
  const m = copyModel(base);
  const notes: string[] = [];
  for (const kind of COLLECTIONS) {
    const list = m[kind] as ResourceBase[];
    for (const item of extra[kind] as ResourceBase[]) {
      const copy = copyModel(item);
      const at = list.findIndex((x) => sameResource(x, copy));
      if (madeUp(item) && at >= 0) appendAll(notes, mergeChildren(kind, list[at]!, copy, label));
      else if (at >= 0) {
        list[at] = copy;
        notes.push(`what-if: ${copy.type} ${displayName(copy.id)} replaced (--with ${label})`);
      } else {
        list.push(copy);
        notes.push(`what-if: ${copy.type} ${displayName(copy.id)} added (--with ${label})`);
      }
    }
  }
  appendAll(m.unmodeled, copyModel(extra.unmodeled));
  appendAll(m.observed.effectiveRoutes, copyModel(extra.observed.effectiveRoutes));
  appendAll(m.observed.effectiveNsgs, copyModel(extra.observed.effectiveNsgs));
  appendAll(m.observed.networkStatus, copyModel(extra.observed.networkStatus));
  appendAll(m.observed.ipFlowVerify, copyModel(extra.observed.ipFlowVerify));
  appendAll(m.observed.nextHop, copyModel(extra.observed.nextHop));
  if (extra.observed.networkManagerCommits)
    m.observed.networkManagerCommits = [
      ...(m.observed.networkManagerCommits ?? []),
      ...copyModel(extra.observed.networkManagerCommits),
    ];
  appendAll(m.inputs, extra.inputs);
  appendAll(m.diagnostics, extra.diagnostics);
  return { model: m, notes };
}
