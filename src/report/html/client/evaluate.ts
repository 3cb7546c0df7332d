/**
 * @module report/html/client/evaluate
 * Report layer, page code: the flow tester of the HTML report. `createFlowTester` runs in the browser (the
 * report embeds its source text, so it must stay self-contained: no imports at run time, nothing from outside
 * its body; the address tools and the NSG evaluator come as parameters) and in Node (the tests run it beside
 * engine/reach checkFlow on the same flows and require the same answers).
 *
 * It reads the two ends as engine/reach/endpoint.ts does, resolves a set-valued end from the place of the
 * other (engine/servicetags/resolver.ts), and combines the two sides as engine/reach/flow.ts does; the NSG
 * layers are nsg-eval.ts. A set-valued end (a CIDR or a tag) is cut into pieces at every boundary of every
 * rule's sets, so one representative flow decides each piece exactly as the engine's set evaluation does.
 *
 * The ends are read from the index (every subnet's prefixes and NIC addresses); a side's NSG layers are in
 * its VNet's part, which `loadPart` gives (the page parses that VNet's script element) the first time a
 * flow needs it, each with an evaluator of its own from `evaluatorFor`.
 */
import type { AddressTools } from "./addresses.js";
import type { NsgEvaluator } from "./nsg-eval.js";
import type {
  Addr,
  ClientEvalData,
  ClientFlowData,
  ClientPlace,
  ClientSubnet,
  ClientTag,
  ClientVnetFlow,
  Ip,
  PageLayer,
  PageVerdict,
} from "./types.js";

export type { PageLayer, PageVerdict } from "./types.js";

export interface PagePart {
  verdict: PageVerdict;
  ruleName?: string;
  /** The remote end's addresses in this part (ranges as text). */
  addresses: string[];
}

export interface PageAnswer {
  verdict: PageVerdict;
  ruleName?: string;
  partial: boolean;
  layers: PageLayer[];
  parts?: PagePart[];
  notes: string[];
  /** The two ends as understood (`10.1.1.4 (vnet-apim/snet-apim)`). */
  from?: string;
  to?: string;
  /** Set when the question itself is wrong (unparseable end, unknown protocol). */
  problem?: string;
}

export interface FlowTester {
  check(q: { from: string; to: string; protocol: string; port?: string; sourcePort?: string }): PageAnswer;
}

/**
 * The flow tester over the report's embedded data; the page passes `createAddressTools()`, an evaluator
 * factory over `createNsgEvaluator` (embedded beside it) and a loader of VNet parts; Node callers use
 * `flowTesterFor` (flow-tester.ts).
 */
export function createFlowTester(
  data: ClientFlowData,
  tools: AddressTools,
  evaluatorFor: (tables: ClientEvalData) => NsgEvaluator,
  loadPart: (part: number) => ClientVnetFlow,
): FlowTester {
  type End =
    | {
        kind: "address";
        address: string;
        ip: Addr;
        subnet?: ClientSubnet;
        /** The NIC, by its position in the subnet's `nics`. */
        nic?: { name: string; at: number };
        label: string;
      }
    | { kind: "set"; text: string; label: string };
  const { parseAddress, parseCidr, format, cuts, pieces } = tools;
  const PLATFORM_V4 = [0xa83f8110, 0xa9fea9fe];
  const tagSets = evaluatorFor({
    protocols: data.protocols,
    portlessMask: data.portlessMask,
    sets: data.sets,
    rules: [],
    nsgs: [],
  });
  // Each VNet part, read and given its evaluator the first time a flow needs it.
  const loaded: { part: ClientVnetFlow; nsg: NsgEvaluator }[] = [];
  function partOf(s: ClientSubnet): { part: ClientVnetFlow; nsg: NsgEvaluator; place: ClientPlace } {
    let p = loaded[s.part];
    if (!p) {
      const part = loadPart(s.part);
      // A large set is written once for the page: the part refers to the index's.
      const sets = part.sets.map((x) => ("shared" in x ? data.sets[x.shared]! : x));
      p = { part, nsg: evaluatorFor({ ...part, sets, protocols: data.protocols, portlessMask: data.portlessMask }) };
      loaded[s.part] = p;
    }
    return { ...p, place: p.part.places[s.place]! };
  }

  // Ends, as engine/reach/endpoint.ts parseEndpoint.
  function holding(a: Addr): ClientSubnet | undefined {
    let best: { s: ClientSubnet; length: number } | undefined;
    for (const s of data.subnets)
      for (const p of s.prefixes) {
        const v = BigInt(a.value);
        if (p.version === a.version && v >= BigInt(p.first) && v <= BigInt(p.last) && (!best || p.length > best.length))
          best = { s, length: p.length };
      }
    return best?.s;
  }
  function parseEnd(text: string): End | string {
    const t = text.trim();
    const ip = parseAddress(t);
    if (ip) {
      for (const s of data.subnets)
        for (let at = 0; at < s.nics.length; at++) {
          const n = s.nics[at]!;
          if (n.address === t)
            return {
              kind: "address",
              address: t,
              ip,
              subnet: s,
              nic: { name: n.nic, at },
              label: `${t} (${n.nic}, ${s.label})`,
            };
        }
      const s = holding(ip);
      return { kind: "address", address: t, ip, subnet: s, label: s ? `${t} (${s.label})` : t };
    }
    if (parseCidr(t)) return { kind: "set", text: t, label: t };
    if (t.includes("/")) {
      const matches = data.subnets.filter(
        (s) => s.label.toLowerCase() === t.toLowerCase() || s.id.toLowerCase() === t.toLowerCase(),
      );
      if (matches.length !== 1)
        return `no subnet ${t} in the inputs (write vnet/subnet, an IP, a CIDR or a service tag)`;
      const s = matches[0]!;
      if (!s.first) return `subnet ${t} has no known address prefix`;
      return {
        kind: "address",
        address: s.first,
        ip: parseAddress(s.first)!,
        subnet: s,
        label: `${s.label} (${s.first})`,
      };
    }
    if (/^[A-Za-z][A-Za-z0-9.]*$/.test(t)) return { kind: "set", text: t, label: t };
    return `${t} is not an IP address, vnet/subnet, CIDR or service tag`;
  }
  // A set end's addresses from the place of the other end (engine/servicetags/resolver.ts).
  function resolveSet(
    text: string,
    place: ClientPlace,
    local: NsgEvaluator,
  ): { v4: [number, number][]; v6: [bigint, bigint][]; note?: string } | { unknown: string } {
    const all = { v4: [[0, 0xffffffff]] as [number, number][], v6: [[0n, (1n << 128n) - 1n]] as [bigint, bigint][] };
    if (text === "0.0.0.0/0") return all;
    const c = parseCidr(text);
    if (c)
      return c.version === 4
        ? { v4: [[Number(c.first), Number(c.last)]], v6: [] }
        : { v4: [], v6: [[c.first, c.last]] };
    const lower = text.toLowerCase();
    // A virtual tag's set is in the place's VNet part; a service tag's in the index.
    const virtual: ClientTag | undefined = place.virtualTags[lower];
    const tag: ClientTag | undefined = virtual ?? data.tags[lower];
    if (!tag) return { unknown: `${text}: this report does not include the tag (run apim-netcheck flow for it)` };
    if (tag.set === undefined) return { unknown: `${text}: ${tag.unknown ?? "unknown"}` };
    const s = (virtual ? local : tagSets).set(tag.set);
    const pairs = <T>(flat: T[]) => flat.flatMap((v, i) => (i % 2 === 0 ? [[v, flat[i + 1]!] as [T, T]] : []));
    return {
      v4: pairs(s.v4),
      v6: pairs(s.v6),
      ...(tag.maybe ? { note: `${text} may also hold more addresses (${tag.maybe})` } : {}),
    };
  }
  type Side = { verdict: PageVerdict; ruleName?: string; layers: PageLayer[]; partial: boolean; parts?: PagePart[] };
  type Placed = End & { kind: "address"; subnet: ClientSubnet };
  function side(direction: "Inbound" | "Outbound", place: Placed, remote: End, q: Query, notes: string[]): Side {
    // A subnet whose VNet's rules the page left out: its NSG side is not known here, never a pass.
    if (place.subnet.omitted) {
      notes.push(
        `${direction} NSGs of ${place.subnet.label} are not evaluated: ${data.omittedReason ?? "not in this page"}`,
      );
      return { verdict: "Unknown", layers: [], partial: false };
    }
    // Admin rules come before the NSGs (engine/nsg/admin-layers); the page does not carry them, so it does not guess.
    if (place.subnet.adminRules) {
      notes.push(
        `${direction}: Virtual Network Manager security admin rules apply at ${place.subnet.label}, which this page does not evaluate; apim-netcheck flow answers with them`,
      );
      return { verdict: "Unknown", layers: [], partial: false };
    }
    const { part, nsg, place: at } = partOf(place.subnet);
    const { set } = nsg;
    const nicLayer = place.nic ? at.nics[place.nic.at] : undefined;
    const layered = { layer: at.layer, ...(nicLayer ? { nic: { layer: nicLayer } } : {}) };
    const evaluateLayers = (f: Parameters<NsgEvaluator["evaluateLayers"]>[0]) => nsg.evaluateLayers(f, layered);
    if (remote.kind === "address") {
      const local = place.ip;
      const r = evaluateLayers({
        direction,
        protocol: q.protocol,
        source: direction === "Outbound" ? local : remote.ip,
        destination: direction === "Outbound" ? remote.ip : local,
        sourcePort: q.sourcePort,
        destinationPort: q.port,
      });
      return { verdict: r.verdict, ruleName: r.ruleName, layers: r.layers, partial: false };
    }
    const resolved = resolveSet(remote.text, at, nsg);
    if ("unknown" in resolved) {
      notes.push(
        `the ${direction === "Inbound" ? "source" : "destination"} could not be resolved: ${resolved.unknown}`,
      );
      return { verdict: "Unknown", layers: [], partial: false };
    }
    if (resolved.note) notes.push(resolved.note);
    const v4 = place.ip.version === 4;
    if ((v4 ? resolved.v4 : resolved.v6).length === 0) {
      notes.push(`${remote.label} has no address of the same IP version as ${place.address}`);
      return { verdict: "Unknown", layers: [], partial: false };
    }
    // Cut the remote addresses and the open ports at every boundary of every rule met on the way.
    const layerNsgs = [at.layer.nsg, nicLayer?.nsg].filter((n): n is number => n !== null && n !== undefined);
    const addrCuts = new Set<Ip>();
    const sportCuts = new Set<number>();
    const dportCuts = new Set<number>();
    for (const n of layerNsgs) {
      const ordered = direction === "Inbound" ? part.nsgs[n]!.inbound : part.nsgs[n]!.outbound;
      for (const ri of ordered.rules) {
        const r = part.rules[ri]!;
        for (const si of direction === "Inbound" ? r.source : r.destination) {
          cuts(addrCuts, v4 ? set(si).v4 : set(si).v6);
        }
        for (const p of r.sourcePorts) cuts(sportCuts as Set<Ip>, p);
        for (const p of r.destinationPorts) cuts(dportCuts as Set<Ip>, p);
      }
    }
    if (v4) for (const p of PLATFORM_V4) cuts(addrCuts, [p, p]);
    const addrPieces: [Ip, Ip][] = v4
      ? pieces(resolved.v4, addrCuts as Set<number>)
      : pieces(resolved.v6, addrCuts as Set<bigint>);
    const portless = (data.portlessMask & (1 << data.protocols.indexOf(q.protocol))) !== 0;
    const portPieces = (fixed: number | undefined, c: Set<number>) =>
      portless ? [undefined] : fixed !== undefined ? [fixed] : pieces([[0, 65535]], c).map((p) => p[0]);
    const sports = portPieces(q.sourcePort, sportCuts);
    const dports = portPieces(q.port, dportCuts);
    if (addrPieces.length * sports.length * dports.length > 400000) {
      notes.push("too many pieces to evaluate in the page; run apim-netcheck flow for this question");
      return { verdict: "Unknown", layers: [], partial: false };
    }
    const groups = new Map<
      string,
      { verdict: PageVerdict; ruleName?: string; layers: PageLayer[]; ranges: [Ip, Ip][] }
    >();
    for (const [lo, hi] of addrPieces) {
      const other: Addr = { version: place.ip.version, value: lo };
      for (const sp of sports)
        for (const dp of dports) {
          const r = evaluateLayers({
            direction,
            protocol: q.protocol,
            source: direction === "Outbound" ? place.ip : other,
            destination: direction === "Outbound" ? other : place.ip,
            sourcePort: sp,
            destinationPort: dp,
          });
          const key = JSON.stringify(r.layers);
          const g = groups.get(key) ?? { verdict: r.verdict, ruleName: r.ruleName, layers: r.layers, ranges: [] };
          const last = g.ranges[g.ranges.length - 1];
          if (last && last[0] === lo) continue;
          // Adjacent pieces of one part read as one range.
          if (last && BigInt(last[1]) + 1n === BigInt(lo)) last[1] = hi;
          else g.ranges.push([lo, hi]);
          groups.set(key, g);
        }
    }
    const parts = [...groups.values()];
    const kinds = new Set(parts.map((p) => p.verdict));
    const deciding = parts.find((p) => p.verdict === "Deny") ?? parts.find((p) => p.verdict === "Unknown") ?? parts[0]!;
    const text = (ranges: [Ip, Ip][]) =>
      ranges.map(([lo, hi]) => {
        const a = format({ version: place.ip.version, value: lo });
        return lo === hi ? a : `${a} - ${format({ version: place.ip.version, value: hi })}`;
      });
    return {
      verdict: kinds.has("Deny") ? "Deny" : kinds.has("Unknown") ? "Unknown" : "Allow",
      ruleName: deciding.ruleName,
      layers: deciding.layers,
      partial: kinds.size > 1,
      parts: parts.map((p) => ({
        verdict: p.verdict,
        ...(p.ruleName ? { ruleName: p.ruleName } : {}),
        addresses: text(p.ranges),
      })),
    };
  }
  type Query = { protocol: string; port?: number; sourcePort?: number };
  function port(text: string | undefined): number | undefined | string {
    const t = (text ?? "").trim();
    if (t === "" || t === "*") return undefined;
    if (!/^\d{1,5}$/.test(t) || Number(t) > 65535) return `${t} is not a port 0-65535`;
    return Number(t);
  }
  // Both sides of a flow, as engine/reach/flow.ts checkFlow.
  function check(input: {
    from: string;
    to: string;
    protocol: string;
    port?: string;
    sourcePort?: string;
  }): PageAnswer {
    const fail = (problem: string): PageAnswer => ({
      verdict: "Unknown",
      partial: false,
      layers: [],
      notes: [],
      problem,
    });
    const protocol = data.protocols.find((p) => p.toLowerCase() === input.protocol.trim().toLowerCase());
    if (!protocol) return fail(`protocol must be one of ${data.protocols.join(", ")}`);
    const dport = port(input.port);
    const sport = port(input.sourcePort);
    if (typeof dport === "string") return fail(`destination port: ${dport}`);
    if (typeof sport === "string") return fail(`source port: ${sport}`);
    const from = parseEnd(input.from);
    if (typeof from === "string") return fail(`from: ${from}`);
    const to = parseEnd(input.to);
    if (typeof to === "string") return fail(`to: ${to}`);
    const q: Query = { protocol, port: dport, sourcePort: sport };
    const notes: string[] = [];
    const sides: Side[] = [];
    const src = from.kind === "address" && from.subnet ? (from as Placed) : undefined;
    const dst = to.kind === "address" && to.subnet ? (to as Placed) : undefined;
    if (!src) notes.push(`the source ${from.label} is not in a subnet of the inputs: no outbound NSG applies`);
    if (!dst) notes.push(`the destination ${to.label} is not in a subnet of the inputs: no inbound NSG applies`);
    if (src) sides.push(side("Outbound", src, to, q, notes));
    if (dst) {
      if (sides[0]?.verdict === "Deny" && !sides[0].partial)
        notes.push("inbound NSGs at the destination were not evaluated: the flow is denied on its way out");
      else sides.push(side("Inbound", dst, from, q, notes));
    }
    const ends = { from: from.label, to: to.label };
    if (sides.length === 0)
      return {
        verdict: "Unknown",
        partial: false,
        layers: [],
        notes: [...notes, "neither end is inside the inputs' subnets"],
        ...ends,
      };
    const denied = sides.find((s) => s.verdict === "Deny");
    const unknown = sides.find((s) => s.verdict === "Unknown");
    const ruleName = denied?.ruleName ?? unknown?.ruleName ?? [...sides].reverse().find((s) => s.ruleName)?.ruleName;
    const parts = sides.flatMap((s) => s.parts ?? []);
    return {
      verdict: denied ? "Deny" : unknown ? "Unknown" : "Allow",
      ...(ruleName ? { ruleName } : {}),
      partial: sides.some((s) => s.partial),
      layers: sides.flatMap((s) => s.layers),
      ...(parts.length > 0 ? { parts } : {}),
      notes,
      ...ends,
    };
  }
  return { check };
}
