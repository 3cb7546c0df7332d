/**
 * @module ingest/export/learned-routes
 * Ingester for what a virtual network gateway says it learned: `az network vnet-gateway list-learned-routes`
 * (REST `getLearnedRoutes`), `{ "value": [ { "localAddress", "network", "nextHop", "sourcePeer", "origin",
 * "asPath", "weight" } ] }` (GatewayRoute, all read-only). It states the prefixes the gateway learned over BGP,
 * the fact `--assume gatewayRoutes` otherwise declares, so it becomes one AssumedGatewayRoutes marked as an
 * export: the engine finds the gateway by the rows' `localAddress` (the export names no gateway) and programs
 * the prefixes as that gateway's routes.
 *
 * Only rows learned from a peer (`origin` EBgp or IBgp) are taken. `Network` rows are the gateway's own
 * networks (its VNet, peered ranges, static local network gateway prefixes), which the templates already
 * give. The row's `nextHop` is the BGP next hop (the on-premises router, the MSEE peer), not what effective
 * routes show: those are the gateway's own addresses (reference part 2 §8.2, §8.3), so it is not used. An
 * active-active gateway lists both instances' tables one after the other; a prefix is taken once.
 */
import { parsePrefix } from "../../model/ip.js";
import type { SourceRef } from "../../model/source.js";
import { unknownValue } from "../../model/unknown.js";
import { isObject, type Json } from "../resources/fields.js";
import type { IngestContext, Ingester, InputDocument } from "../types.js";
import { listItems, unwrapRestExample } from "./shapes.js";

/** A GatewayRoute row: `network` and `localAddress` strings, an `origin`, and no resource fields. */
function isGatewayRoute(value: unknown): value is Json {
  return (
    isObject(value) &&
    typeof value.network === "string" &&
    typeof value.localAddress === "string" &&
    "origin" in value &&
    !("id" in value) &&
    !("addressPrefix" in value)
  );
}

function rowsOf(input: InputDocument): Json[] | undefined {
  const items = listItems(input.json ? unwrapRestExample(input.json.value) : undefined);
  return items && items.length > 0 && items.every(isGatewayRoute) ? (items as Json[]) : undefined;
}

/** True for a row the gateway learned from a BGP peer (not one of its own networks). */
function learnedFromPeer(row: Json): boolean {
  const origin = String(row.origin ?? "").toLowerCase();
  return origin === "ebgp" || origin === "ibgp";
}

export const learnedRoutesExport: Ingester = {
  format: "gateway-learned-routes",
  detect(input) {
    return rowsOf(input) !== undefined;
  },
  load(input, ctx: IngestContext) {
    const rows = rowsOf(input) ?? [];
    const fileSrc = { file: input.file, pointer: "", line: 1, column: 1 };
    const where = (row: Json) => ctx.sources.lazy(row, fileSrc);
    const prefixes: string[] = [];
    const sources: SourceRef[] = [];
    let own = 0;
    for (const row of rows) {
      if (!learnedFromPeer(row)) {
        own++;
        continue;
      }
      const text = String(row.network).trim();
      const parsed = text.includes("/") ? parsePrefix(text) : undefined;
      // An Unknown in its place when unreadable: the engine then says the route may cover any destination.
      if (!parsed)
        ctx.diags.warning(
          "input/invalid-learned-route",
          `learned route network ${text} is not a CIDR prefix; which destinations it covers is unknown`,
          where(row),
        );
      const prefix = parsed?.canonical ?? unknownValue(`learned route network ${text}`);
      if (prefixes.includes(prefix)) continue;
      prefixes.push(prefix);
      sources.push(where(row));
    }
    const localAddresses = [...new Set(rows.map((r) => String(r.localAddress).trim()).filter(Boolean))];
    const src = where(rows[0]!);
    ctx.model.assumptions.gatewayRoutes.push({
      gateway: "",
      prefixes,
      src,
      learnedRoutesExport: { localAddresses, sources },
    });
    ctx.diags.info(
      "input/learned-routes",
      `routes a virtual network gateway learned (instance ${localAddresses.join(", ")}): ${prefixes.length} prefixes learned from BGP peers, programmed as that gateway's routes with its own next hops; ${own} rows of origin Network (its own networks, which the templates give) not used`,
      src,
    );
    return 0;
  },
};
