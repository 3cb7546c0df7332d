/**
 * @module checks/util/reach
 * Checks layer, shared by APIM-BACKEND-UNREACHABLE and APIM-DNS: can the units of an instance reach one private
 * address on a port? Every object that decides is named: the effective route (and where it came from), the
 * peering halves between the instance's VNet and the target's (both must exist: reference §3.2), and the NSG
 * rules on the way out of the instance's subnet and into the target's (IP flow verify, §4.1). What the inputs
 * cannot tell (an appliance's own rules, what lies beyond a gateway) is reported as Unknown, never as a pass.
 */

import type { LayerResult } from "../../engine/nsg/index.js";
import { peeringStatusTo, peeringsOf, vnetAddressSet } from "../../engine/peering/state.js";
import { type Endpoint, firstUsableAddress, parseEndpoint, subnetHolding } from "../../engine/reach/endpoint.js";
import { checkFlow } from "../../engine/reach/flow.js";
import { nextHop } from "../../engine/routes/index.js";
import { subnetPrefixes } from "../../model/addresses.js";
import type { Change } from "../../model/change.js";
import { sameResource } from "../../model/ids.js";
import type { VirtualNetwork, VirtualNetworkPeering } from "../../model/resources.js";
import type { SourceRef } from "../../model/source.js";
import { type CheckContext, evidenceAt } from "../context.js";
import type { ApimPlacement } from "../placements.js";
import { type Evidence, SEVERITY_RANK, type Severity } from "../types.js";
import { mergeChanges, type PriorityBook } from "./fixes.js";
import { peeringHalfChanges } from "./network-fixes.js";
import { hopText, originPhrase, routeEvidence, TUNNEL_HOPS } from "./routing.js";
import { placedRuleChanges } from "./rule-placement.js";

/** One reason the target cannot (or may not) be reached. */
export interface ReachCause {
  severity: Severity;
  /** A sentence naming the deciding object. */
  text: string;
  resource: string;
  src?: SourceRef;
  evidence: Evidence[];
  changes: Change[];
}

export interface ReachTarget {
  address: string;
  port: number;
  protocols: ("Tcp" | "Udp")[];
  /** `backend orders (10.2.1.10:8080)`, `DNS server 10.0.2.4`. */
  label: string;
}

/**
 * The parts of one finding made of several causes: the most severe first in the sentence, the others after
 * "Also:", every cause's evidence, and one fix that applies all their fixes.
 */
export function combineCauses(causes: ReachCause[]): {
  main: ReachCause;
  sentence: string;
  evidence: Evidence[];
  changes: Change[];
} {
  const [main, ...rest] = orderCauses(causes);
  return {
    main: main!,
    sentence: `${main!.text}.${rest.length ? ` Also: ${rest.map((c) => c.text).join("; ")}.` : ""}`,
    evidence: causes.flatMap((c) => c.evidence),
    changes: mergeChanges(causes.map((c) => c.changes)),
  };
}

/** The most severe cause first; the rest after it. */
export function orderCauses(causes: ReachCause[]): ReachCause[] {
  return [...causes].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
}

function halfEvidence(vnet: VirtualNetwork, h: VirtualNetworkPeering): Evidence {
  const flags = `allowVirtualNetworkAccess ${h.allowVirtualNetworkAccess}, allowForwardedTraffic ${h.allowForwardedTraffic}, allowGatewayTransit ${h.allowGatewayTransit}, useRemoteGateways ${h.useRemoteGateways}`;
  return evidenceAt("peering", `peering ${h.name} of ${vnet.name}: ${flags}`, h.src, h.id, {
    name: h.name,
    allowVirtualNetworkAccess: h.allowVirtualNetworkAccess,
    allowForwardedTraffic: h.allowForwardedTraffic,
    allowGatewayTransit: h.allowGatewayTransit,
    useRemoteGateways: h.useRemoteGateways,
  });
}

/** The peering between the two VNets, when it is not Connected (the traffic then has no peering route). */
function peeringCause(ctx: CheckContext, local: VirtualNetwork, remote: VirtualNetwork): ReachCause | undefined {
  const mine = peeringsOf(ctx.topology, local).find(
    (s) => s.peering.remoteVirtualNetwork && sameResource(s.peering.remoteVirtualNetwork.id, remote.id),
  );
  const theirs = remote.virtualNetworkPeerings.find(
    (h) => h.remoteVirtualNetwork && sameResource(h.remoteVirtualNetwork.id, local.id),
  );
  if (!mine && !theirs) return undefined;
  const evidence = [
    ...(mine ? [halfEvidence(local, mine.peering)] : []),
    ...(theirs ? [halfEvidence(remote, theirs)] : []),
  ];
  if (mine?.state === "Connected") return undefined;
  const state = mine ? mine.state : "Initiated";
  const reason = mine
    ? mine.reason
    : `${local.name} has no peering to ${remote.name}; only ${remote.name}'s half exists`;
  const half = mine?.peering ?? theirs!;
  const fix =
    state === "Initiated" && !mine?.reason.includes("overlap")
      ? mine
        ? peeringHalfChanges(remote, local, `${remote.name}-to-${local.name}`)
        : peeringHalfChanges(local, remote, `${local.name}-to-${remote.name}`)
      : [];
  return {
    severity: state === "Unknown" ? "warning" : "error",
    text: `peering ${half.name} between ${local.name} and ${remote.name} is ${state}: ${reason}`,
    resource: half.id,
    src: half.src,
    evidence: [
      evidenceAt("peering-state", `peering state ${state}: ${reason}`, half.src, half.id, { peeringState: state }),
      ...evidence,
    ],
    changes: fix,
  };
}

/** The VNet that holds `address`, by subnet or by address space. */
function vnetHolding(ctx: CheckContext, endpoint: Endpoint, address: string): VirtualNetwork | undefined {
  if (endpoint.kind === "address" && endpoint.subnet) return ctx.topology.vnetOf(endpoint.subnet);
  return ctx.model.virtualNetworks.find((v) => vnetAddressSet(v).has(address));
}

/** NSG layers that deny or cannot decide, as causes with a fix (an allow rule ahead of the deciding deny). */
function nsgCauses(
  ctx: CheckContext,
  p: ApimPlacement,
  from: Endpoint,
  to: Endpoint,
  target: ReachTarget,
  book: PriorityBook,
  peeringBroken: boolean,
): ReachCause[] {
  const out: ReachCause[] = [];
  // The fix allows the subnet's own first prefix (or VirtualNetwork when it is not known).
  const [own] = p.subnet ? subnetPrefixes(p.subnet).values : [];
  const source = own?.kind === "prefix" ? own.prefix.canonical : "VirtualNetwork";
  for (const protocol of target.protocols) {
    const answer = checkFlow(ctx.engine, { from, to, protocol, destinationPort: target.port });
    if (answer.verdict === "Allow") continue;
    const layer: LayerResult | undefined = answer.layers.find((l) => l.access === answer.verdict);
    const rule = layer?.ruleName ? `${layer.nsg?.name ?? "NSG"} ${layer.ruleName} (priority ${layer.priority})` : "";
    // A default rule denying a peer that has no Connected peering is a consequence of the peering, not its cause.
    if (answer.verdict === "Deny" && peeringBroken && layer?.ruleName?.startsWith("default")) continue;
    const flow = `${protocol.toUpperCase()} ${target.port} from ${p.subnet?.name} to ${target.address}`;
    const evidence = [
      evidenceAt(
        "flow",
        `flow evaluated: ${flow} (${layer?.direction ?? "both"} NSGs): ${answer.verdict}`,
        undefined,
        undefined,
        {
          verdict: answer.verdict,
          ruleName: answer.ruleName,
        },
      ),
      ...(layer?.ruleName
        ? [
            evidenceAt(
              "nsg-rule",
              `${rule}: ${layer.access} (${layer.direction} at ${layer.scope})`,
              layer.src,
              layer.nsg?.id,
            ),
          ]
        : []),
      ...answer.notes.map((n) => evidenceAt("note", n, undefined)),
    ];
    if (answer.verdict === "Unknown") {
      out.push({
        severity: "warning",
        text: `cannot tell whether the NSGs allow ${flow}: ${layer?.detail ?? answer.notes.join("; ")}`,
        resource: layer?.nsg?.id ?? p.subnet!.id,
        src: layer?.src,
        evidence,
        changes: [],
      });
      continue;
    }
    const nsg = ctx.topology.nsgs.get(layer?.nsg?.id);
    // Placed where it hides no other rule or fix (checks/util/rule-placement), in the run's book.
    const fix =
      nsg && layer?.priority !== undefined
        ? placedRuleChanges(
            ctx,
            {
              nsg,
              name: `Allow-${target.address.replace(/[.:]/g, "-")}-${protocol}-${target.port}-${layer.direction}`,
              direction: layer.direction as "Inbound" | "Outbound",
              access: "Allow",
              protocol,
              sourceAddressPrefix: source,
              destinationAddressPrefix: target.address,
              destinationPorts: [String(target.port)],
              description: `${target.label} from the API Management subnet`.slice(0, 140),
            },
            layer.priority,
            book,
          )
        : [];
    out.push({
      severity: "error",
      text: `${flow} is denied by ${rule || "an NSG"}`,
      resource: layer?.nsg?.id ?? p.subnet!.id,
      src: layer?.src,
      evidence,
      changes: fix,
    });
  }
  return out;
}

/** Where an appliance next hop sits, and whether its VNet is peered with the target's (it must be, to forward there). */
function applianceFacts(
  ctx: CheckContext,
  ip: string,
  target: VirtualNetwork | undefined,
): { sentence: string; evidence: Evidence[] } {
  const subnet = ip ? subnetHolding(ctx.topology, ip) : undefined;
  const vnet = subnet ? ctx.topology.vnetOf(subnet) : undefined;
  if (!subnet || !vnet) return { sentence: "", evidence: [] };
  const evidence = [
    evidenceAt("appliance", `the next hop ${ip} is in ${vnet.name}/${subnet.name}`, subnet.src, subnet.id),
  ];
  if (!target || vnet.id === target.id) return { sentence: "", evidence };
  const link = peeringStatusTo(ctx.topology, vnet, target);
  if (link?.state === "Connected") return { sentence: "", evidence };
  const sentence = `; ${vnet.name}, where the appliance is, has no Connected peering with ${target.name} either`;
  return { sentence, evidence };
}

/**
 * Why `target` cannot, or may not, be reached from the placement's subnet (empty when every object on the way
 * allows it), with the route row as context evidence.
 */
export function reachFrom(
  ctx: CheckContext,
  p: ApimPlacement,
  target: ReachTarget,
  book: PriorityBook,
): { causes: ReachCause[]; context: Evidence[] } {
  const subnet = p.subnet!;
  const table = ctx.engine.routes(subnet);
  const hop = nextHop(table, target.address);
  const context: Evidence[] = hop.row
    ? routeEvidence(ctx, table, hop.row)
    : [evidenceAt("effective-route", `no route of ${subnet.name} covers ${target.address}: dropped`, undefined)];
  const parsed = parseEndpoint(ctx.topology, target.address);
  const to: Endpoint = parsed.ok ? parsed.endpoint : { kind: "set", text: target.address, label: target.address };
  const targetVnet = vnetHolding(ctx, to, target.address);
  const causes: ReachCause[] = [];
  const peering =
    p.vnet && targetVnet && targetVnet.id !== p.vnet.id ? peeringCause(ctx, p.vnet, targetVnet) : undefined;
  const routeText = hop.row
    ? `${target.address} is routed to ${hopText(hop.row)} by ${originPhrase(hop.row)}`
    : `${target.address} has no route`;
  const otherVnet = p.vnet && targetVnet && targetVnet.id !== p.vnet.id ? targetVnet : undefined;
  const appliance = TUNNEL_HOPS.has(hop.nextHopType) ? applianceFacts(ctx, hop.nextHopIpAddress, otherVnet) : undefined;
  if (peering) {
    if (hop.row && hop.nextHopType !== "VNetPeering" && hop.nextHopType !== "VNetGlobalPeering") {
      peering.text += `; with no peering route, ${routeText}${appliance?.sentence ?? ""}`;
      peering.evidence.push(...(appliance?.evidence ?? []));
    }
    causes.push(peering);
  } else if (hop.nextHopType === "None") {
    causes.push({
      severity: "error",
      text: `${routeText} (next hop None: dropped)${otherVnet ? `; ${p.vnet!.name} and ${otherVnet.name} are not peered` : ""}`,
      resource: hop.row?.origin.kind === "user" ? hop.row.origin.route.id : table.subnet.id,
      src: hop.row?.origin.kind === "user" ? hop.row.origin.route.src : subnet.src,
      evidence: [],
      changes: otherVnet
        ? [
            ...peeringHalfChanges(p.vnet!, otherVnet, `${p.vnet!.name}-to-${otherVnet.name}`),
            ...peeringHalfChanges(otherVnet, p.vnet!, `${otherVnet.name}-to-${p.vnet!.name}`),
          ]
        : [],
    });
  } else if (appliance && hop.row) {
    causes.push({
      severity: "warning",
      text: `${routeText}: Unknown whether the ${hop.nextHopType === "VirtualNetworkGateway" ? "network behind the gateway" : "appliance"} forwards it to ${target.address} (its own rules and routes are not modelled)${appliance.sentence}`,
      resource: hop.row.origin.kind === "user" ? hop.row.origin.route.id : table.subnet.id,
      src: hop.row.origin.kind === "user" ? hop.row.origin.route.src : subnet.src,
      evidence: appliance.evidence,
      changes: [],
    });
  }
  // Without a Connected peering the default rules see the target outside VirtualNetwork: a consequence, not a cause.
  const unpeered =
    !!otherVnet &&
    !peeringsOf(ctx.topology, p.vnet!).some(
      (s) => s.state === "Connected" && s.remote && sameResource(s.remote.id, otherVnet.id),
    );
  const from: Endpoint = { kind: "address", address: firstUsableAddress(subnet) ?? "", subnet, label: subnet.name };
  if (from.kind === "address" && from.address) causes.push(...nsgCauses(ctx, p, from, to, target, book, unpeered));
  if (causes.length === 0 && hop.unknowns.length > 0) {
    causes.push({
      severity: "warning",
      text: `the route to ${target.address} is uncertain: ${hop.unknowns.join("; ")}`,
      resource: subnet.id,
      src: subnet.src,
      evidence: [],
      changes: [],
    });
  }
  if (from.kind === "address" && from.address) {
    context.push(
      evidenceAt(
        "assumption",
        `NSGs evaluated from ${from.address}, the first address Azure assigns in ${subnet.name} (the units' addresses are dynamic)`,
        undefined,
      ),
    );
  }
  return { causes: orderCauses(causes), context };
}
