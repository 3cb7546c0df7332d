/**
 * @module cli/commands/next-hop
 * CLI layer: `apim-netcheck next-hop <inputs...> --from <vnet>/<subnet>|<ip> --to <ip>`, the next hop of one
 * destination as Network Watcher's `show-next-hop` answers it (reference §4.2), plus the name and source of
 * the route that decided. JSON keeps Network Watcher's fields; what was assumed then goes to stderr.
 */
import type { Command } from "commander";
import { internetEgressText } from "../../checks/util/egress.js";
import { subnetHolding } from "../../engine/reach/endpoint.js";
import { type EffectiveRouteTable, effectiveRoutes, type NextHopResult, nextHop } from "../../engine/routes/index.js";
import { shortName } from "../../model/ids.js";
import { parseAddress } from "../../model/ip.js";
import { formatSource } from "../../model/source.js";
import type { Topology } from "../../model/topology.js";
import { inert } from "../../report/inert.js";
import {
  type Analysis,
  type CommonOptions,
  loadAnalysis,
  printDiagnostics,
  unitFor,
  withCommonOptions,
} from "../context.js";
import { type CliIo, type CommandRegistration, UsageError } from "../main.js";
import {
  assumptionLines,
  describeOrigin,
  outputFormat,
  reservedRoutesOption,
  subnetByAddress,
  subnetByName,
} from "./routes.js";

interface NextHopOptions extends CommonOptions {
  from: string;
  to: string;
  reservedRoutes?: string;
}

/**
 * Network Watcher's NextHopResult fields plus the deciding route's name and source, in that order. When routes
 * the inputs leave unresolved may cover the destination, the answer is `Unknown`, never a guess: `computed`
 * then holds what the known routes alone give and `unknowns` says why it may be wrong.
 */
export function nextHopJson(result: NextHopResult): Record<string, unknown> {
  const answer = {
    nextHopType: result.nextHopType,
    nextHopIpAddress: result.nextHopIpAddress,
    routeTableId: result.routeTableId,
    routeName: result.routeName,
    source: result.source,
  };
  if (result.unknowns.length === 0) return answer;
  return {
    nextHopType: "Unknown",
    nextHopIpAddress: "",
    routeTableId: answer.routeTableId,
    routeName: null,
    source: "Unknown",
    computed: answer,
    unknowns: result.unknowns,
  };
}

/** One readable, inert line: from, to, next hop, and the route that decided with its declaration. */
export function nextHopText(from: string, to: string, result: NextHopResult): string {
  const hop = result.nextHopIpAddress ? `${result.nextHopType} ${result.nextHopIpAddress}` : result.nextHopType;
  const row = result.row;
  let why: string;
  if (!row) why = "no route holds this address, so Azure drops the traffic";
  else if (row.origin.kind === "user") {
    why = `route ${result.routeName} of route table ${shortName(result.routeTableId)} (${row.route.addressPrefix.length === 1 ? row.route.addressPrefix[0] : row.origin.serviceTag}) at ${formatSource(row.origin.route.src)}`;
  } else {
    const prefix =
      row.route.addressPrefix.length === 1 ? row.route.addressPrefix[0] : `${row.route.addressPrefix.length} prefixes`;
    why = `${result.source} route ${prefix}, ${describeOrigin(row)}`;
  }
  const line =
    result.unknowns.length > 0
      ? `${from} -> ${to}: next hop Unknown: the known routes give ${hop} (${why}), but ${result.unknowns.join("; ")}`
      : `${from} -> ${to}: next hop ${hop} (${why})`;
  return `${inert(line)}\n`;
}

/**
 * The next hop from `from` (vnet/subnet or an address in a subnet) to the address `to`, on the deployment unit
 * that holds `from`, with the effective route table it was read from; UsageError when `from` names no subnet.
 */
export function answerNextHop(
  analysis: Analysis,
  from: string,
  to: string,
  reservedRoutes?: string,
): { table: EffectiveRouteTable; result: NextHopResult; topology: Topology } {
  const fromAddress = parseAddress(from) !== undefined;
  const { topology, catalog } = unitFor(analysis, from, (u) =>
    fromAddress ? subnetHolding(u.topology, from) !== undefined : u.topology.findSubnet(from) !== undefined,
  );
  const subnet = fromAddress ? subnetByAddress(topology, from) : subnetByName(topology, from);
  const table = effectiveRoutes(topology, subnet, catalog, { reservedRoutes });
  return { table, result: nextHop(table, to), topology };
}

function run(io: CliIo, inputs: string[], options: NextHopOptions): void {
  const format = outputFormat(options.format);
  const reservedRoutes = reservedRoutesOption(options.reservedRoutes);
  if (!parseAddress(options.to)) throw new UsageError(`--to must be an IP address, not ${options.to}`);
  const analysis = loadAnalysis(inputs, options);
  printDiagnostics(io, analysis.model.diagnostics);
  const fromAddress = parseAddress(options.from) !== undefined;
  const { table, result, topology } = answerNextHop(analysis, options.from, options.to, reservedRoutes);
  const notes = assumptionLines(table, result.unknowns);
  // Where Internet-bound traffic leaves (NAT gateway, default outbound access, none): not a Network Watcher field,
  // so a line of its own (stderr beside the JSON answer).
  const subnet = topology.subnets.get(table.subnet.id);
  if (result.nextHopType === "Internet" && result.unknowns.length === 0 && subnet)
    notes.unshift(inert(internetEgressText(topology, subnet)));
  if (format === "json") {
    io.out(`${JSON.stringify(nextHopJson(result), null, 2)}\n`);
    for (const line of notes) io.err(`${line}\n`);
    return;
  }
  const from = fromAddress
    ? `${options.from} (${table.vnet.name}/${table.subnet.name})`
    : `${table.vnet.name}/${table.subnet.name}`;
  io.out(nextHopText(from, options.to, result) + notes.map((l) => `${l}\n`).join(""));
}

/** Registers `next-hop`. */
export const nextHopCommand: CommandRegistration = (program: Command, io, setExit) => {
  withCommonOptions(
    program
      .command("next-hop")
      .description("the next hop from a subnet to an address, as az network watcher show-next-hop answers it")
      .argument("<inputs...>", "templates, exports or directories")
      .requiredOption("--from <vnet/subnet|ip>", "the source subnet, or an address in it")
      .requiredOption("--to <ip>", "the destination address")
      .option("--format <format>", "text or json", "text")
      .option("--reserved-routes <profile>", "reserved None routes profile (see routes --help)")
      .addHelpText(
        "after",
        "\nExample:\n  apim-netcheck next-hop examples/forced-tunnel --from vnet-apim/snet-apim --to 13.66.140.0\n",
      ),
  ).action((inputs: string[], options: NextHopOptions) => {
    run(io, inputs, options);
    setExit(0);
  });
};
