/**
 * @module cli/commands/routes
 * CLI layer: `apim-netcheck routes <inputs...> --subnet <vnet>/<subnet>` (or `--nic <name>`), the effective
 * routes of a subnet, or of a NIC: those of its subnet, since Azure programs routes per subnet.
 * JSON is exactly what `az network nic show-effective-route-table` prints (`{ "value": [...] }`), so it can be
 * diffed against the real thing; what was assumed then goes to stderr. Text is an aligned table like the
 * portal's, each row with where it came from (a user route's file:line), then what was assumed and what
 * stayed unknown.
 */

import type { Command } from "commander";
import { routesEgressLines } from "../../checks/util/egress.js";
import { placeOf } from "../../checks/util/observed.js";
import {
  type BranchExchange,
  branchToBranch,
  branchToBranchLines,
  type ComputedRoute,
  compareObserved,
  type EffectiveRouteTable,
  effectiveRoutes,
  effectiveRoutesForNic,
  effectiveRouteText,
  findReservedProfile,
  type ObservedComparison,
  reservedProfileNames,
  statedBy,
  toEffectiveRouteJson,
} from "../../engine/routes/index.js";
import { subnetPrefixes } from "../../model/addresses.js";
import { maxOf } from "../../model/arrays.js";
import { nearestMember } from "../../model/enums.js";
import { parsePrefix } from "../../model/ip.js";
import type { NetworkInterface, Subnet } from "../../model/resources.js";
import { formatSource } from "../../model/source.js";
import type { Topology } from "../../model/topology.js";
import { inert } from "../../report/inert.js";
import {
  type Analysis,
  type CommonOptions,
  loadAnalysis,
  type Network,
  printDiagnostics,
  unitFor,
  withCommonOptions,
} from "../context.js";
import { type CliIo, type CommandRegistration, UsageError } from "../main.js";

/** `text` or `json`; anything else is a usage error. */
export function outputFormat(value: string | undefined): "text" | "json" {
  const format = (value ?? "text").toLowerCase();
  if (format !== "text" && format !== "json") throw new UsageError(`--format must be text or json, not ${value}`);
  return format;
}

/** Checks --reserved-routes before any input is read. */
export function reservedRoutesOption(value: string | undefined): string | undefined {
  if (value !== undefined && !findReservedProfile(value)) {
    throw new UsageError(`unknown --reserved-routes profile ${value} (known: ${reservedProfileNames().join(", ")})`);
  }
  return value;
}

/** The subnet a user names as `vnet/subnet` (or by id, or by a name only one subnet has); usage error otherwise. */
export function subnetByName(topology: Topology, text: string): Subnet {
  const subnet = topology.findSubnet(text);
  if (subnet) return subnet;
  const known = [...topology.subnets.values()].map((s) => `${topology.vnetOf(s)?.name ?? "?"}/${s.name}`);
  const same = known.filter((k) => k.toLowerCase().endsWith(`/${text.toLowerCase()}`));
  if (same.length > 1) throw new UsageError(`subnet ${text} is ambiguous (${same.join(", ")}); write <vnet>/<subnet>`);
  // A slip gets the subnet meant, written as vnet/subnet or by its name alone.
  const bare = (k: string) => k.slice(k.indexOf("/") + 1);
  const near =
    nearestMember(known, text) ??
    known.find((k) => bare(k) === nearestMember(known.map(bare), text) && !text.includes("/"));
  if (near) throw new UsageError(`unknown subnet ${text} (did you mean ${near}?)`);
  const list = known.length > 8 ? `${known.slice(0, 8).join(", ")}, …` : known.join(", ") || "none";
  throw new UsageError(`unknown subnet ${text} (known: ${list})`);
}

/** The subnet whose address prefix holds an IP address; usage error when none or several do. */
export function subnetByAddress(topology: Topology, address: string): Subnet {
  const a = parsePrefix(address);
  const holders = [...topology.subnets.values()].filter((s) =>
    subnetPrefixes(s).prefixes.some((p) => a && p.version === a.version && p.first <= a.first && a.first <= p.last),
  );
  if (holders.length === 1) return holders[0]!;
  if (holders.length === 0)
    throw new UsageError(`no subnet in the inputs holds ${address}; name it with <vnet>/<subnet>`);
  throw new UsageError(`several subnets hold ${address}; name one with <vnet>/<subnet>`);
}

/** The lines every output ends with: what was assumed, what stayed unknown (inert: names stay in their line). */
export function assumptionLines(table: EffectiveRouteTable, unknowns: string[] = table.unknowns): string[] {
  const lines = [`Assumed: ${table.assumptions.join("; ")}`];
  for (const u of unknowns) lines.push(`Unknown: ${u}`);
  return lines.map(inert);
}

/** Where a row came from, for the text table. */
export function describeOrigin(row: ComputedRoute): string {
  const o = row.origin;
  switch (o.kind) {
    case "user":
      return `${o.routeTable.name}/${o.route.name} ${formatSource(o.route.src)}`;
    case "gateway":
      return [
        `gateway ${o.gateway.name}`,
        o.connection ? `connection ${o.connection.name}` : "",
        o.transit ? `via peering ${o.transit.name}` : "",
      ]
        .filter(Boolean)
        .join(", ");
    case "assumption":
      return `${o.assumption.learnedRoutesExport ? `gateway ${o.gateway.name}, ` : ""}${statedBy(o.assumption)}${o.transit ? `, via peering ${o.transit.name}` : ""}`;
    case "peering":
      return `peering ${o.peering.name} (${o.remoteVnet.name})`;
    case "serviceEndpoint":
      return `service endpoint ${o.service} (${o.tags.join(", ")})`;
    case "reserved":
      return `reserved (${o.profile})`;
    case "vnet":
      return `address space of ${o.vnet.name}`;
    case "routeServer":
      return `Route Server ${o.routeServer.name}, BGP connection ${o.bgpConnection.name}, --assume ${formatSource(o.assumption.src)}${o.transit ? `, via peering ${o.transit.name}` : ""}`;
    case "privateEndpoint":
      return `private endpoint ${o.endpoint.name} (${o.vnet.name}/${o.subnet.name}${o.peering ? `, via peering ${o.peering.name}` : ""})`;
    default:
      return "system route";
  }
}

function shortList(items: string[], max = 3): string {
  return items.length > max ? `${items.slice(0, max).join(", ")} (+${items.length - max} more)` : items.join(", ");
}

/** The table as text: a header line, aligned columns like the portal's, then assumptions and unknowns. */
export function routesText(table: EffectiveRouteTable, nic?: string): string {
  const propagation = table.routes[0]?.route.disableBgpRoutePropagation ? "off" : "on";
  const header = inert(
    `Effective routes of ${nic ? `NIC ${nic}, in ` : ""}${table.vnet.name}/${table.subnet.name} (${
      table.routeTable ? `route table ${table.routeTable.name}` : "no route table"
    }, gateway route propagation ${propagation})`,
  );
  const rows = [
    ["Source", "State", "Address Prefixes", "Next Hop Type", "Next Hop IP", "From"],
    ...table.routes.map((r) =>
      [
        r.route.source,
        r.route.state,
        shortList(r.route.addressPrefix),
        r.route.nextHopType,
        r.route.nextHopIpAddress.join(", "),
        describeOrigin(r),
      ].map(inert),
    ),
  ];
  // Not a spread into Math.max: a table of many peered prefixes has more rows than a call has room for arguments.
  const widths = rows[0]!.map((_, c) => maxOf(rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join("  ")
      .trimEnd(),
  );
  return [header, ...lines, ...assumptionLines(table)].join("\n") + "\n";
}

/**
 * The inert lines for each export: whether it equals the computed table, and if not, the rows on each side and
 * which reserved profile would make it equal.
 */
export function observedLines(comparisons: ObservedComparison[]): string[] {
  return comparisons.flatMap((c) => {
    const where = inert(c.export);
    if (c.equal) return [`Observed: ${where} equals the computed table`];
    const hint =
      c.equalWithReservedRoutes.length > 0
        ? `; it equals the table with --reserved-routes ${c.equalWithReservedRoutes.join(" or ")}`
        : "";
    return [
      `Observed: ${where} differs: ${c.onlyComputed.length} rows only computed, ${c.onlyObserved.length} only in the export${hint}`,
      ...c.onlyComputed.map((r) => `  only computed:      ${inert(effectiveRouteText(r))}`),
      ...c.onlyObserved.map((r) => `  only in the export: ${inert(effectiveRouteText(r))}`),
    ];
  });
}

interface RoutesOptions extends CommonOptions {
  subnet?: string;
  nic?: string;
  reservedRoutes?: string;
}

/** The effective routes of the subnet `name` (vnet/subnet), on the deployment unit that holds it. */
export function answerRoutes(
  analysis: Analysis,
  name: string,
  reservedRoutes?: string,
): { unit: Network; subnet: Subnet; table: EffectiveRouteTable } {
  const unit = unitFor(analysis, `subnet ${name}`, (u) => u.topology.findSubnet(name) !== undefined);
  const subnet = subnetByName(unit.topology, name);
  return { unit, subnet, table: effectiveRoutes(unit.topology, subnet, unit.catalog, { reservedRoutes }) };
}

/** The NIC a user names (its name, case-insensitive, or its id); usage error when none or several match. */
export function nicByName(topology: Topology, text: string): NetworkInterface {
  const wanted = text.trim().toLowerCase();
  const nics = [...topology.nics.values()];
  const found = nics.filter((n) =>
    wanted.includes("/") ? n.id.toLowerCase() === wanted : n.name.toLowerCase() === wanted,
  );
  if (found.length === 1) return found[0]!;
  if (found.length > 1)
    throw new UsageError(`NIC ${text} is ambiguous (${found.map((n) => n.id).join(", ")}); give its id`);
  const near = nearestMember(
    nics.map((n) => n.name),
    text,
  );
  if (near) throw new UsageError(`unknown NIC ${text} (did you mean ${near}?)`);
  throw new UsageError(
    `unknown NIC ${text} (the inputs hold ${
      nics.length === 0
        ? "no NICs"
        : shortList(
            nics.map((n) => n.name),
            8,
          )
    })`,
  );
}

/**
 * The effective routes of the NIC `name`: those of the subnet of its primary IP configuration (reference
 * §2.1: Azure creates no routes per NIC or per subnet; IP forwarding, the NIC's NSG and accelerated
 * networking change no route). An IP configuration in another subnet is said Unknown: which subnet's table
 * Azure shows for such a NIC is not documented.
 */
export function answerNicRoutes(
  analysis: Analysis,
  name: string,
  reservedRoutes?: string,
): { unit: Network; subnet: Subnet; table: EffectiveRouteTable; nic: NetworkInterface } {
  const unit = unitFor(analysis, `NIC ${name}`, (u) =>
    [...u.topology.nics.values()].some(
      (n) => n.name.toLowerCase() === name.toLowerCase() || n.id.toLowerCase() === name.toLowerCase(),
    ),
  );
  const nic = nicByName(unit.topology, name);
  const table = effectiveRoutesForNic(unit.topology, nic, unit.catalog, { reservedRoutes });
  if (!table) {
    throw new UsageError(
      `the subnet of NIC ${nic.name}'s primary IP configuration is not in the inputs, so its routes cannot be computed`,
    );
  }
  const subnet = unit.topology.subnets.get(table.subnet.id)!;
  table.assumptions.push(
    `NIC ${nic.name} has the routes of its subnet ${table.vnet.name}/${table.subnet.name}: Azure programs routes per subnet, and IP forwarding (${nic.enableIPForwarding ? "enabled" : "disabled"} on this NIC) lets a NIC forward traffic without changing its routes`,
  );
  const others = nic.ipConfigurations.filter(
    (c) => c.subnet && c.subnet.id.toLowerCase() !== table.subnet.id.toLowerCase(),
  );
  for (const c of others) {
    table.unknowns.push(
      `IP configuration ${c.name} of NIC ${nic.name} is in another subnet (${c.subnet!.id}); which subnet's routes Azure shows for such a NIC is not documented: the table is its primary configuration's`,
    );
  }
  return { unit, subnet, table, nic };
}

function run(io: CliIo, inputs: string[], options: RoutesOptions): void {
  const format = outputFormat(options.format);
  const reservedRoutes = reservedRoutesOption(options.reservedRoutes);
  if ((options.subnet === undefined) === (options.nic === undefined)) {
    throw new UsageError("give one of --subnet <vnet/subnet> or --nic <name>");
  }
  const analysis = loadAnalysis(inputs, options);
  printDiagnostics(io, analysis.model.diagnostics);
  const { unit, subnet, table, nic } =
    options.nic !== undefined
      ? answerNicRoutes(analysis, options.nic, reservedRoutes)
      : { ...answerRoutes(analysis, options.subnet!, reservedRoutes), nic: undefined };
  const { model, topology, catalog } = unit;
  // An export that names its NIC is compared only on that NIC's subnet; one that names none, on the subnet asked.
  const exports = model.observed.effectiveRoutes.filter((o) => {
    const place = placeOf(topology, o.scope);
    return "unknown" in place || place.subnet === subnet;
  });
  const comparisons = compareObserved(topology, subnet, catalog, table, exports);
  const observed = observedLines(comparisons);
  // What a Route Server in this VNet passes to and from its gateways (it changes no row above: semantics-2 §7.6).
  const vnet = topology.vnets.get(table.vnet.id);
  const exchanges = vnet ? branchToBranch(topology, vnet) : [];
  const branch = [
    ...exchanges.flatMap(branchToBranchLines).map((l) => inert(`Branch-to-branch: ${l}`)),
    // Where the Internet rows' traffic leaves when a NAT gateway or a private subnet decides it (semantics-2 §11.2).
    ...routesEgressLines(topology, subnet, table.routes).map(inert),
  ];
  if (format === "json") {
    // Azure's shape (`value`), with the comparison and the branch-to-branch exchange beside it when there are any.
    const json = {
      ...toEffectiveRouteJson(table),
      ...(comparisons.length > 0 ? { observed: comparisons } : {}),
      ...(exchanges.length > 0 ? { branchToBranch: exchanges.map(branchToBranchJson) } : {}),
    };
    io.out(`${JSON.stringify(json, null, 2)}\n`);
    for (const line of [...assumptionLines(table), ...observed, ...branch]) io.err(`${line}\n`);
  } else {
    io.out(routesText(table, nic?.name) + [...branch, ...observed].map((l) => `${l}\n`).join(""));
  }
}

/** The exchange in JSON: names and ids, Azure's field names where Azure has them. */
function branchToBranchJson(x: BranchExchange) {
  const ref = (r: { id: string; name: string }) => ({ id: r.id, name: r.name });
  const passed = (list: BranchExchange["toGateways"]) =>
    list.map((r) => ({
      prefix: r.prefix,
      from: ref(r.from),
      to: ref(r.to),
      stated: r.stated,
      ...(r.advertisedOnPremises === undefined ? {} : { advertisedOnPremises: r.advertisedOnPremises }),
    }));
  return {
    routeServer: ref(x.routeServer),
    allowBranchToBranchTraffic: x.allowBranchToBranchTraffic,
    gateways: x.gateways.map(ref),
    toGateways: passed(x.toGateways),
    toNvas: passed(x.toNvas),
    assumptions: x.assumptions,
    unknowns: x.unknowns,
  };
}

/** Registers `routes`. */
export const routesCommand: CommandRegistration = (program: Command, io, setExit) => {
  withCommonOptions(
    program
      .command("routes")
      .description("effective routes of a subnet, as az network nic show-effective-route-table prints them")
      .argument("<inputs...>", "templates, exports or directories")
      .option("--subnet <vnet/subnet>", "the subnet (any NIC in it has the same routes)")
      .option("--nic <name>", "a NIC (name or id): the routes of its primary IP configuration's subnet")
      .option("--format <format>", "text or json", "text")
      .option(
        "--reserved-routes <profile>",
        `reserved None routes: ${reservedProfileNames().join(", ")} (default newest)`,
      )
      .addHelpText("after", "\nExample:\n  apim-netcheck routes examples/forced-tunnel --subnet vnet-apim/snet-apim\n"),
  ).action((inputs: string[], options: RoutesOptions) => {
    run(io, inputs, options);
    setExit(0);
  });
};
