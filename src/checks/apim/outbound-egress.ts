/**
 * @module checks/apim/outbound-egress
 * APIM-OUTBOUND-EGRESS: how the instance's Internet-bound dependency traffic leaves its subnet once the route is
 * `Internet` (reference part 2 §11.2): a NAT gateway, else an instance public IP, else default outbound access,
 * which a private subnet (`defaultOutboundAccess: false`, §11.3) does not have. A private APIM subnet with no NAT
 * gateway, no route to an appliance and no public IP that carries the traffic has no path for those dependencies
 * (§11.4: a warning, inferred; the APIM docs say nothing of private subnets). A NAT gateway that does carry it is
 * named (an info titled Unknown: stv2 support is not stated by Microsoft; stv1 is incompatible, an error). Traffic
 * that a route sends to an appliance or a gateway bypasses the NAT gateway and is APIM-DEPENDENCY-TUNNELED's (which
 * says so); a
 * service endpoint's traffic is taken as reachable (§11.4); a route to None is APIM-OUTBOUND-DEPENDENCY's.
 */
import type { RoutedPart } from "../../engine/reach/route-set.js";
import { routesForSet } from "../../engine/reach/route-set.js";
import type { ComputedRoute, EffectiveRouteTable } from "../../engine/routes/index.js";
import type { Subnet } from "../../model/resources.js";
import { valueSource } from "../../model/source.js";
import { type CheckContext, defineCheck, evidenceAt, finding } from "../context.js";
import { restateSubnet } from "../fix/build.js";
import type { ApimPlacement } from "../placements.js";
import { platformNote } from "../placements.js";
import type { CheckMeta, Evidence, Finding } from "../types.js";
import { dependencyRows } from "../util/dependency-rows.js";
import { defaultOutboundOf, natOf, natText, type SubnetNat } from "../util/egress.js";
import { evaluateRequirement } from "../util/nsg-flows.js";
import { farAddresses, subnetLabel } from "../util/requirement-findings.js";
import { isCertain, routeEvidence } from "../util/routing.js";

const meta: CheckMeta = {
  id: "APIM-OUTBOUND-EGRESS",
  name: "outbound-egress",
  title: "API Management's Internet-bound dependencies have no way out of its subnet",
  // A warning: that a private subnet cuts the instance off is inferred (reference part 2 §11.4).
  severity: "warning",
  category: "routing",
  summary:
    "A private API Management subnet (defaultOutboundAccess false) needs a NAT gateway, a route to a firewall, or a public IP that carries its outbound traffic.",
  references: [
    "https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access",
    "https://learn.microsoft.com/azure/nat-gateway/nat-gateway-resource",
    "https://learn.microsoft.com/azure/api-management/virtual-network-reference",
  ],
  messages: {
    noPath:
      "{{instance}} has no outbound Internet path from subnet {{subnet}} for {{dependencies}}: {{why}}, it has no NAT " +
      "gateway, no route sends that traffic to a firewall or an appliance, and {{publicIp}}. Attach a NAT gateway " +
      "(Microsoft's recommended explicit method), or give the subnet default outbound access again (the fix).",
    defaultUnknown:
      "Cannot tell whether {{instance}} has an outbound Internet path from subnet {{subnet}} for {{dependencies}}: " +
      "{{why}}; the subnet has no NAT gateway and no route to a firewall or an appliance, and {{publicIp}}. State " +
      "defaultOutboundAccess on the subnet.",
    natEgress:
      "Internet-bound traffic of {{instance}} from subnet {{subnet}} ({{dependencies}}) leaves through NAT gateway " +
      "{{nat}}. No Microsoft page states that stv2 supports a NAT gateway on its subnet (Unknown); assumed workable: " +
      "stv2 uses Standard public IPs, and replies to inbound 3443 do not use the NAT gateway.",
    natStv1:
      "Subnet {{subnet}} of {{instance}} uses NAT gateway {{nat}}, and stv1 does not work with one: a NAT gateway " +
      "requires Standard public IPs, and stv1's management traffic then fails. Remove the NAT gateway from the " +
      "subnet, or migrate the instance to stv2.",
    natUnknown: "Cannot tell how Internet-bound traffic of {{instance}} leaves subnet {{subnet}}: {{why}}.",
    v2Nat:
      "Cannot tell whether NAT gateway {{nat}} on subnet {{subnet}} gives {{instance}} ({{tier}}) its outbound " +
      "address: API Management does not document a NAT gateway on a v2 subnet (App Service documents it for its " +
      "own VNet integration).",
    v2Private:
      "Cannot tell whether {{instance}} ({{tier}}) reaches {{dependencies}} from subnet {{subnet}}: {{why}} and it " +
      "has no NAT gateway, and API Management does not document private subnets for the v2 tiers.",
  },
};

/** Where a dependency's addresses go from the subnet, sorted by what decides their way out. */
interface Routed {
  /** Parts whose route is `Internet` and not a service endpoint's: they need an egress identity (§11.2). */
  internet: { label: string; part: RoutedPart }[];
  /** Parts a service endpoint takes: reachable, as §11.4 says to treat them. */
  endpoint: { label: string; part: RoutedPart }[];
  unknowns: string[];
}

function routeDependencies(ctx: CheckContext, p: ApimPlacement, table: EffectiveRouteTable): Routed {
  const out: Routed = { internet: [], endpoint: [], unknowns: [] };
  for (const r of dependencyRows(p)) {
    const outcome = evaluateRequirement(ctx, p, r);
    if (!outcome) continue;
    const label = outcome.tagLabel || r.destination;
    for (const part of routesForSet(table, farAddresses(outcome))) {
      if (!isCertain(part)) {
        for (const u of part.hop.unknowns) if (!out.unknowns.includes(u)) out.unknowns.push(u);
        continue;
      }
      const hop = part.hop.nextHopType;
      const origin = part.row?.origin;
      // The control-plane return route (`ApiManagement` → Internet, apim-requirements §2.2) carries replies to
      // inbound 3443, which leave the way they came in (§11.2), not connections the instance opens.
      if (hop === "Internet" && origin?.kind === "user" && origin.serviceTag?.toLowerCase().startsWith("apimanagement"))
        continue;
      // A service endpoint's row has next hop VirtualNetworkServiceEndpoint (reference §2.1).
      if (origin?.kind === "serviceEndpoint") out.endpoint.push({ label, part });
      else if (hop === "Internet") out.internet.push({ label, part });
      // Other next hops (an appliance, a gateway, None) bypass the NAT gateway: other checks' subjects.
    }
  }
  return out;
}

function labels(items: { label: string }[]): string {
  return [...new Set(items.map((i) => i.label))].join(", ");
}

/** The deciding rows of `items`, once each, as evidence. */
function rowsEvidence(ctx: CheckContext, table: EffectiveRouteTable, items: { part: RoutedPart }[]): Evidence[] {
  const rows = [...new Set(items.map((i) => i.part.row).filter((r): r is ComputedRoute => r !== undefined))];
  return rows.flatMap((row) => routeEvidence(ctx, table, row));
}

/** The subnet's outbound settings, at the line that sets them. */
function subnetEvidence(subnet: Subnet, why: string): Evidence {
  const at =
    subnet.defaultOutboundAccess === undefined ? subnet.src : valueSource(subnet.src, ["defaultOutboundAccess"]);
  return evidenceAt("subnet", why, at, subnet.id, {
    defaultOutboundAccess: subnet.defaultOutboundAccess ?? null,
    natGateway: subnet.natGateway ?? null,
  });
}

function natEvidence(nat: Extract<SubnetNat, { kind: "nat" | "outside" }>, subnet: Subnet): Evidence {
  return nat.kind === "nat"
    ? evidenceAt("nat-gateway", `NAT gateway ${natText(nat)}`, nat.nat.src, nat.nat.id, {
        sku: nat.nat.sku ?? null,
        zones: nat.nat.zones ?? [],
        idleTimeoutInMinutes: nat.nat.idleTimeoutInMinutes ?? 4,
        publicIpAddresses: nat.nat.publicIpAddresses,
        publicIpPrefixes: nat.nat.publicIpPrefixes,
      })
    : evidenceAt("nat-gateway", `NAT gateway ${natText(nat)}`, valueSource(subnet.src, ["natGateway"]), nat.id);
}

/** What the instance's public IP does for outbound traffic, in its mode (apim-requirements §3.2, §3.8). */
function publicIpClause(p: ApimPlacement): string {
  const id = p.isPrimary
    ? p.service.publicIpAddressId
    : p.service.additionalLocations.find((l) => l.src === p.src)?.publicIpAddressId;
  return id
    ? "the instance's public IP does not carry it: in Internal mode that address carries only control-plane traffic on 3443 (apim-requirements §3.2)"
    : "the instance has no public IP (Internal mode)";
}

function endpointEvidence(routed: Routed): Evidence[] {
  const byService = new Map<string, string[]>();
  for (const { label, part } of routed.endpoint) {
    const o = part.row?.origin;
    const service = o?.kind === "serviceEndpoint" ? o.service : "a service endpoint";
    const list = byService.get(service) ?? [];
    if (!list.includes(label)) list.push(label);
    byService.set(service, list);
  }
  return [...byService].map(([service, tags]) =>
    evidenceAt(
      "assumption",
      `the ${service} service endpoint's addresses (of ${tags.join(", ")}): taken as reachable through the service endpoint; Unknown whether service-endpoint traffic needs a public egress address (reference part 2 §11.4)`,
      undefined,
    ),
  );
}

export default defineCheck({
  meta,
  run(ctx) {
    const out: Finding[] = [];
    for (const p of ctx.placements) {
      if (p.kind === "none" || !p.subnet || !p.vnet) continue;
      const subnet = p.subnet;
      const table = ctx.engine.routes(subnet);
      const routed = routeDependencies(ctx, p, table);
      const nat = natOf(ctx.topology, subnet);
      const base = { resource: subnet.id, instance: p.label };
      const common = { instance: p.label, subnet: subnetLabel(p) };
      if (nat.kind === "unknown") {
        if (routed.internet.length === 0) continue;
        out.push(
          finding(meta, {
            ...base,
            severity: "info",
            cannotTell: `how Internet-bound traffic leaves subnet ${subnet.name}`,
            messageId: "natUnknown",
            data: { ...common, why: nat.why },
            src: valueSource(subnet.src, ["natGateway"]),
            evidence: [subnetEvidence(subnet, nat.why), ...rowsEvidence(ctx, table, routed.internet)],
          }),
        );
        continue;
      }
      if (nat.kind !== "none") {
        const natName = natText(nat);
        const at = valueSource(subnet.src, ["natGateway"]);
        if (p.kind !== "classic-injection") {
          out.push(
            finding(meta, {
              ...base,
              severity: "info",
              cannotTell: `whether NAT gateway ${nat.kind === "nat" ? nat.nat.name : nat.id} gives ${p.label} its outbound address`,
              messageId: "v2Nat",
              data: { ...common, nat: natName, tier: p.tier },
              src: at,
              evidence: [
                natEvidence(nat, subnet),
                evidenceAt("assumption", "UNKNOWN for APIM v2 (reference part 2 §11.4); not guessed", undefined),
              ],
            }),
          );
          continue;
        }
        if (p.platform === "stv1") {
          out.push(
            finding(meta, {
              ...base,
              severity: "error",
              messageId: "natStv1",
              data: { ...common, nat: natName },
              src: at,
              evidence: [
                natEvidence(nat, subnet),
                evidenceAt(
                  "requirement",
                  "stv1 and a NAT gateway on its subnet are incompatible (Microsoft support blog, reference part 2 §11.4)",
                  undefined,
                ),
                evidenceAt("assumption", platformNote(p), undefined),
              ],
            }),
          );
          continue;
        }
        if (routed.internet.length > 0)
          out.push(
            finding(meta, {
              ...base,
              severity: "info",
              // The path is known; whether stv2 works with it is not (§11.4): the title says so.
              cannotTell: `whether ${p.label} (stv2) works with NAT gateway ${nat.kind === "nat" ? nat.nat.name : nat.id} on subnet ${subnet.name}`,
              messageId: "natEgress",
              data: { ...common, dependencies: labels(routed.internet), nat: natName },
              src: at,
              evidence: [
                natEvidence(nat, subnet),
                ...rowsEvidence(ctx, table, routed.internet),
                evidenceAt(
                  "assumption",
                  "a NAT gateway takes over the subnet's Internet-bound traffic with no route change: the effective route stays Internet (reference part 2 §11.1, §11.2)",
                  undefined,
                ),
                evidenceAt(
                  "assumption",
                  "UNKNOWN whether stv2 supports a customer NAT gateway (no Learn statement); inferred workable (reference part 2 §11.4)",
                  undefined,
                ),
                ...endpointEvidence(routed),
                evidenceAt("assumption", platformNote(p), undefined),
              ],
            }),
          );
        continue;
      }
      // No NAT gateway: the instance public IP (External mode), else default outbound access.
      if (routed.internet.length === 0) continue;
      const dflt = defaultOutboundOf(subnet);
      if (dflt.state === "available") continue;
      if (p.kind !== "classic-injection") {
        if (dflt.state === "unavailable")
          out.push(
            finding(meta, {
              ...base,
              severity: "info",
              cannotTell: `whether ${p.label} reaches its dependencies from private subnet ${subnet.name}`,
              messageId: "v2Private",
              data: { ...common, tier: p.tier, dependencies: labels(routed.internet), why: dflt.why },
              src: valueSource(subnet.src, ["defaultOutboundAccess"]),
              evidence: [
                subnetEvidence(subnet, dflt.why),
                ...rowsEvidence(ctx, table, routed.internet),
                evidenceAt("assumption", "UNKNOWN for APIM v2 (reference part 2 §11.4, §13.3); not guessed", undefined),
              ],
            }),
          );
        continue;
      }
      // External mode: the public VIP is used for calls to public backends (apim-requirements §3.8), inferred
      // for its dependencies too, so there is a way out whatever the subnet's default outbound access.
      if (p.mode !== "Internal") continue;
      const publicIp = publicIpClause(p);
      const evidence = [
        subnetEvidence(subnet, dflt.why),
        ...rowsEvidence(ctx, table, routed.internet),
        evidenceAt(
          "assumption",
          "Internet-bound traffic leaves by, in order: a route to an appliance or a gateway, the subnet's NAT gateway, an instance public IP, default outbound access; a private subnet has no default outbound access (reference part 2 §11.2, §11.3)",
          undefined,
        ),
        evidenceAt("assumption", publicIp, p.src, p.service.id),
        ...endpointEvidence(routed),
        evidenceAt("assumption", platformNote(p), undefined),
      ];
      const data = { ...common, dependencies: labels(routed.internet), why: dflt.why, publicIp };
      if (dflt.state === "unknown") {
        out.push(
          finding(meta, {
            ...base,
            severity: "info",
            cannotTell: `whether ${p.label} has an outbound Internet path from subnet ${subnet.name}`,
            messageId: "defaultUnknown",
            data,
            src: subnet.src,
            evidence,
          }),
        );
        continue;
      }
      // Azure takes sharingScope only on a private subnet (§11.3): there the way out is a NAT gateway, not this fix.
      const shared = subnet.sharingScope
        ? [
            evidenceAt(
              "subnet",
              `subnet ${subnet.name} has sharingScope ${subnet.sharingScope}, which Azure allows only with defaultOutboundAccess false: no fix is written, attach a NAT gateway (reference part 2 §11.3)`,
              valueSource(subnet.src, ["sharingScope"]),
              subnet.id,
            ),
          ]
        : [];
      out.push(
        finding(meta, {
          ...base,
          messageId: "noPath",
          data,
          src: valueSource(subnet.src, ["defaultOutboundAccess"]),
          evidence: [...evidence, ...shared],
          changes: shared.length ? [] : [restateSubnet(p.vnet, subnet, { defaultOutboundAccess: true })],
        }),
      );
    }
    return out;
  },
});
