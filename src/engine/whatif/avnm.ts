/**
 * @module engine/whatif/avnm
 * Engine layer: `check --with` for Virtual Network Manager resources. A file that declares only children (a
 * security admin rule, a rule collection, a static member) has its parents made up by the ingest to hold them;
 * those children go into the inputs' manager, configuration, collection or group instead of replacing them, as
 * overlay.ts does for subnets and security rules. A child the file declares whole replaces the one of its name.
 */
import type { NetworkManager } from "../../model/avnm.js";
import { displayName } from "../../model/ids.js";
import type { ResourceBase } from "../../model/resources.js";

/** Replaces the item named like `item` (case-insensitive) or appends it; true when replaced. */
function put<T extends { name: string }>(list: T[], item: T): boolean {
  const at = list.findIndex((x) => x.name.toLowerCase() === item.name.toLowerCase());
  if (at >= 0) list[at] = item;
  else list.push(item);
  return at >= 0;
}

/**
 * Moves the children of `from` (a made-up manager) into `into`, one level at a time: a made-up child merges its
 * own children, a declared one replaces. Returns one note per resource added or replaced.
 */
export function mergeManager(into: NetworkManager, from: NetworkManager, label: string): string[] {
  const notes: string[] = [];
  const note = (what: string, r: ResourceBase, replaced: boolean) =>
    notes.push(`what-if: ${what} ${displayName(r.id)} ${replaced ? "replaced" : "added"} (--with ${label})`);
  const find = <T extends { name: string }>(list: T[], name: string) =>
    list.find((x) => x.name.toLowerCase() === name.toLowerCase());
  for (const g of from.networkGroups) {
    const old = find(into.networkGroups, g.name);
    if (g.madeUp && old) {
      for (const m of g.staticMembers) {
        const replaced = put(old.staticMembers, m);
        notes.push(
          `what-if: static member ${displayName(old.id)}/${m.name} ${replaced ? "replaced" : "added"} (--with ${label})`,
        );
      }
      old.conditionalMembership.push(...g.conditionalMembership);
    } else note("network group", g, put(into.networkGroups, { ...g, networkManagerId: into.id }));
  }
  for (const c of from.securityAdminConfigurations) {
    const old = find(into.securityAdminConfigurations, c.name);
    if (!(c.madeUp && old)) {
      note(
        "security admin configuration",
        c,
        put(into.securityAdminConfigurations, { ...c, networkManagerId: into.id }),
      );
      continue;
    }
    for (const rc of c.ruleCollections) {
      const oldRc = find(old.ruleCollections, rc.name);
      if (!(rc.madeUp && oldRc)) {
        note("rule collection", rc, put(old.ruleCollections, rc));
        continue;
      }
      for (const r of rc.rules) note("security admin rule", r, put(oldRc.rules, r));
    }
  }
  return notes;
}
