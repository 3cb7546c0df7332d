/**
 * @module engine/reach/flow
 * Engine layer: the IP flow verify / NSG diagnostics question between two endpoints (reference §4.1, §4.5).
 * Outbound NSG layers apply at a source inside the topology, inbound layers at a destination inside it; a
 * Deny on the way out means the inbound side is never reached. The answer names the deciding rule as Network
 * Watcher does: for a Deny the denying rule, for an Allow the rule of the last layer evaluated.
 * This is NSG filtering only; routing is the next-hop and path questions.
 */
import { AddressSet } from "../ip/address-set.js";
import {
  ALL_PORTS,
  type Direction,
  evaluateFlowLayers,
  evaluateFlowSetLayers,
  type FlowProtocol,
  flowBox,
  type LayerResult,
  parseIpValue,
  portSet,
  type Verdict,
} from "../nsg/index.js";
import type { EngineContext } from "./context.js";
import { type Endpoint, endpointAddresses } from "./endpoint.js";

export interface FlowQuery {
  from: Endpoint;
  to: Endpoint;
  protocol: FlowProtocol;
  destinationPort?: number;
  sourcePort?: number;
}

/** One group of flows (for set-valued ends) that the same rules decide. */
export interface FlowPart {
  verdict: Verdict;
  ruleName?: string;
  source: string[];
  destination: string[];
}

export interface FlowAnswer {
  verdict: Verdict;
  /** Network Watcher form: `securityRules/<name>` or `defaultSecurityRules/<name>`. */
  ruleName?: string;
  /** Every layer crossed, outbound (at the source) first, then inbound (at the destination). */
  layers: LayerResult[];
  /** True when a set-valued end is partly allowed and partly not. */
  partial: boolean;
  /** For set-valued ends: each group of addresses with its verdict. */
  parts?: FlowPart[];
  /** What the answer could not take into account, in sentences. */
  notes: string[];
}

interface SideAnswer {
  verdict: Verdict;
  ruleName?: string;
  layers: LayerResult[];
  partial: boolean;
  parts?: FlowPart[];
}

const MAX_PART_PREFIXES = 8;

function cidrs(set: AddressSet): string[] {
  const all = set.toCidrs();
  return all.length > MAX_PART_PREFIXES
    ? [...all.slice(0, MAX_PART_PREFIXES), `… ${all.length - MAX_PART_PREFIXES} more`]
    : all;
}

/** Evaluates one direction at the end that is inside the topology. */
function evaluateSide(
  ctx: EngineContext,
  direction: Direction,
  place: Extract<Endpoint, { kind: "address" }>,
  remote: Endpoint,
  query: FlowQuery,
  notes: string[],
): SideAnswer {
  const layers = ctx.layersAt({ subnet: place.subnet, nic: place.nic });
  const resolved = endpointAddresses(remote, ctx.resolver(place.subnet));
  if ("unknown" in resolved) {
    notes.push(`the ${direction === "Inbound" ? "source" : "destination"} could not be resolved: ${resolved.unknown}`);
    return { verdict: "Unknown", layers: [], partial: false };
  }
  if (resolved.note) notes.push(resolved.note);
  const here = place.address;
  if (remote.kind === "address") {
    const local = parseIpValue(here)!;
    const other = parseIpValue(remote.address)!;
    const answer = evaluateFlowLayers(
      {
        direction,
        protocol: query.protocol,
        source: direction === "Outbound" ? local : other,
        destination: direction === "Outbound" ? other : local,
        sourcePort: query.sourcePort,
        destinationPort: query.destinationPort,
      },
      layers,
    );
    return { verdict: answer.verdict, ruleName: answer.ruleName, layers: answer.layers, partial: false };
  }
  const hereSet = endpointAddresses(place, ctx.resolver(place.subnet)) as { set: AddressSet };
  // A flow keeps one address family: from an IPv4 address only the IPv4 part of a tag can be reached.
  const family = hereSet.set.v4.length > 0 ? AddressSet.ALL_V4 : AddressSet.ALL.subtract(AddressSet.ALL_V4);
  const remoteSet = resolved.set.intersect(family);
  if (remoteSet.isEmpty()) {
    notes.push(`${remote.label} has no address of the same IP version as ${here}`);
    return { verdict: "Unknown", layers: [], partial: false };
  }
  const box = flowBox({
    protocols: [query.protocol],
    sourceAddresses: direction === "Outbound" ? hereSet.set : remoteSet,
    destinationAddresses: direction === "Outbound" ? remoteSet : hereSet.set,
    sourcePorts: query.sourcePort === undefined ? ALL_PORTS : portSet([[query.sourcePort, query.sourcePort]]),
    destinationPorts:
      query.destinationPort === undefined ? ALL_PORTS : portSet([[query.destinationPort, query.destinationPort]]),
  });
  const answer = evaluateFlowSetLayers({ direction, ...box }, layers);
  const deciding =
    answer.parts.find((p) => p.verdict === "Deny") ??
    answer.parts.find((p) => p.verdict === "Unknown") ??
    answer.parts[0];
  const parts: FlowPart[] = answer.parts.map((p) => {
    const source = p.boxes.reduce((s, b) => s.union(b.sourceAddresses), AddressSet.EMPTY);
    const destination = p.boxes.reduce((s, b) => s.union(b.destinationAddresses), AddressSet.EMPTY);
    return { verdict: p.verdict, ruleName: p.ruleName, source: cidrs(source), destination: cidrs(destination) };
  });
  if (answer.reason) notes.push(answer.reason);
  return {
    verdict: answer.verdict,
    ruleName: deciding?.ruleName,
    layers: deciding?.layers ?? [],
    partial: answer.partial,
    parts,
  };
}

/** Answers whether `query`'s flow passes the NSGs on its way, with every layer's deciding rule. */
export function checkFlow(ctx: EngineContext, query: FlowQuery): FlowAnswer {
  const notes: string[] = [];
  const sides: SideAnswer[] = [];
  const from = query.from.kind === "address" && query.from.subnet ? query.from : undefined;
  const to = query.to.kind === "address" && query.to.subnet ? query.to : undefined;
  if (!from) notes.push(`the source ${query.from.label} is not in a subnet of the inputs: no outbound NSG applies`);
  if (!to) notes.push(`the destination ${query.to.label} is not in a subnet of the inputs: no inbound NSG applies`);
  if (from) sides.push(evaluateSide(ctx, "Outbound", from, query.to, query, notes));
  if (to) {
    if (sides[0]?.verdict === "Deny" && !sides[0].partial) {
      notes.push("inbound NSGs at the destination were not evaluated: the flow is denied on its way out");
    } else {
      sides.push(evaluateSide(ctx, "Inbound", to, query.from, query, notes));
    }
  }
  if (sides.length === 0) {
    return {
      verdict: "Unknown",
      layers: [],
      partial: false,
      notes: [...notes, "neither end is inside the inputs' subnets"],
    };
  }
  const denied = sides.find((s) => s.verdict === "Deny");
  const unknown = sides.find((s) => s.verdict === "Unknown");
  const verdict: Verdict = denied ? "Deny" : unknown ? "Unknown" : "Allow";
  // For an Allow, Network Watcher names the rule of the last layer evaluated (one with a rule: a level
  // without an NSG has none).
  const ruleName = denied?.ruleName ?? unknown?.ruleName ?? [...sides].reverse().find((s) => s.ruleName)?.ruleName;
  const parts = sides.flatMap((s) => s.parts ?? []);
  return {
    verdict,
    ruleName,
    layers: sides.flatMap((s) => s.layers),
    partial: sides.some((s) => s.partial),
    ...(parts.length > 0 ? { parts } : {}),
    notes,
  };
}
