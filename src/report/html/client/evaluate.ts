/**
 * @module report/html/client/evaluate
 * Report layer, page code: the flow tester of the HTML report. `createFlowTester` runs in the browser (the
 * report embeds its source text, so it must stay self-contained: no imports at run time, nothing from outside
 * its body) and in Node (the tests run it beside engine/reach checkFlow on the same flows and require the
 * same answers).
 *
 * It is the engine's semantics over precomputed data: rules already normalized and ordered for each place
 * (tags resolved for that subnet), three-valued first match (engine/nsg/reference.ts, order.ts), the subnet
 * and NIC layers with the platform bypass (layers.ts, platform.ts), and the two sides of a flow
 * (reach/flow.ts). A set-valued end (a CIDR or a tag) is cut into pieces at every boundary of every rule's
 * sets, so one representative flow decides each piece exactly as the engine's set evaluation does.
 */
import type { ClientFlowData, ClientLayer, ClientRule, ClientSubnet, ClientTag } from "./types.js";

export type PageVerdict = "Allow" | "Deny" | "Unknown";

export interface PageLayer {
  scope: "subnet" | "nic";
  nsg?: string;
  direction: "Inbound" | "Outbound";
  evaluated: boolean;
  access?: PageVerdict;
  ruleName?: string;
  priority?: number | null;
  where?: string;
  candidates?: string[];
  note?: string;
  detail?: string;
}

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

/** The flow tester over the report's embedded data. */
export function createFlowTester(data: ClientFlowData): FlowTester {
  type Ip = number | bigint;
  type Addr = { version: 4 | 6; value: Ip };
  type End =
    | {
        kind: "address";
        address: string;
        ip: Addr;
        subnet?: ClientSubnet;
        nic?: { name: string; layer: ClientLayer };
        label: string;
      }
    | { kind: "set"; text: string; label: string };
  type Match = 0 | 1 | 2;
  type Decision = {
    access: PageVerdict;
    certain: boolean;
    rule?: ClientRule;
    candidates: ClientRule[];
    reason?: string;
  };
  const PLATFORM_V4 = [0xa83f8110, 0xa9fea9fe];

  const decoded: { v4: number[]; v6: bigint[] }[] = [];
  function set(i: number) {
    let s = decoded[i];
    if (!s) {
      const raw = data.sets[i]!;
      s = { v4: raw.v4, v6: raw.v6.map((h) => BigInt(h)) };
      decoded[i] = s;
    }
    return s;
  }
  function find(flat: readonly Ip[], v: Ip): boolean {
    let lo = 0;
    let hi = flat.length / 2 - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (flat[mid * 2 + 1]! < v) lo = mid + 1;
      else if (flat[mid * 2]! > v) hi = mid - 1;
      else return true;
    }
    return false;
  }
  function inSet(i: number, a: Addr): boolean {
    const s = set(i);
    return a.version === 4 ? find(s.v4, a.value) : find(s.v6, a.value);
  }
  function parseV4(text: string): number | undefined {
    if (!/^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/.test(text)) return undefined;
    const parts = text.split(".").map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
  }
  function parseV6(text: string): bigint | undefined {
    if (!text.includes(":") || !/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
    let rest = text;
    const tail: number[] = [];
    const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(rest);
    if (dotted) {
      const v4 = parseV4(dotted[1]!);
      if (v4 === undefined) return undefined;
      tail.push(v4 >>> 16, v4 & 0xffff);
      rest = rest.slice(0, -dotted[1]!.length);
      if (rest.endsWith(":") && !rest.endsWith("::")) rest = rest.slice(0, -1);
    }
    const halves = rest.split("::");
    if (halves.length > 2) return undefined;
    const group = (s: string) => (s === "" ? [] : s.split(":"));
    const head = group(halves[0]!);
    const back = halves.length === 2 ? group(halves[1]!) : [];
    if ([...head, ...back].some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
    const total = head.length + back.length + tail.length;
    if (halves.length === 1 ? total !== 8 : total > 7) return undefined;
    const words = [
      ...head.map((g) => parseInt(g, 16)),
      ...new Array<number>(8 - total).fill(0),
      ...back.map((g) => parseInt(g, 16)),
      ...tail,
    ];
    return words.reduce((acc, w) => (acc << 16n) | BigInt(w), 0n);
  }
  function parseAddress(text: string): Addr | undefined {
    const v4 = parseV4(text);
    if (v4 !== undefined) return { version: 4, value: v4 };
    const v6 = parseV6(text);
    return v6 === undefined ? undefined : { version: 6, value: v6 };
  }
  function parseCidr(text: string): { version: 4 | 6; first: bigint; last: bigint } | undefined {
    const slash = text.indexOf("/");
    const a = parseAddress(slash < 0 ? text : text.slice(0, slash));
    if (!a) return undefined;
    const bits = a.version === 4 ? 32 : 128;
    let length = bits;
    if (slash >= 0) {
      const l = text.slice(slash + 1);
      if (!/^\d{1,3}$/.test(l) || Number(l) > bits) return undefined;
      length = Number(l);
    }
    const mask = (1n << BigInt(bits - length)) - 1n;
    const first = BigInt(a.value) & ~mask;
    return { version: a.version, first, last: first | mask };
  }
  function format(a: Addr): string {
    if (a.version === 4) {
      const n = Number(a.value);
      return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
    }
    const words: string[] = [];
    for (let i = 7; i >= 0; i--) words.push(((BigInt(a.value) >> BigInt(i * 16)) & 0xffffn).toString(16));
    return words
      .join(":")
      .replace(/(^|:)0(:0)+(:|$)/, "::")
      .replace(/:{3,}/, "::");
  }

  // Three-valued match, as engine/nsg/reference.ts matchRule.
  function tri(def: boolean, poss: boolean): Match {
    return def ? 2 : poss ? 1 : 0;
  }
  function portHas(flat: number[], p: number): boolean {
    return find(flat, p);
  }
  function portMatch(t: [number[], number[]], port: number | undefined): Match {
    if (port === undefined) {
      const d = t[0];
      return d.length === 2 && d[0] === 0 && d[1] === 65535 ? 2 : t[1].length > 0 ? 1 : 0;
    }
    return tri(portHas(t[0], port), portHas(t[1], port));
  }
  type Flow = {
    direction: "Inbound" | "Outbound";
    protocol: string;
    source: Addr;
    destination: Addr;
    sourcePort?: number;
    destinationPort?: number;
  };
  function matchRule(r: ClientRule, f: Flow): Match {
    const bit = 1 << data.protocols.indexOf(f.protocol);
    const portless = (bit & data.portlessMask) !== 0;
    return Math.min(
      tri((r.protocols[0] & bit) !== 0, (r.protocols[1] & bit) !== 0),
      tri(inSet(r.source[0], f.source), inSet(r.source[1], f.source)),
      tri(inSet(r.destination[0], f.destination), inSet(r.destination[1], f.destination)),
      portMatch(r.sourcePorts, portless ? undefined : f.sourcePort),
      portMatch(r.destinationPorts, portless ? undefined : f.destinationPort),
    ) as Match;
  }
  // First match with "maybe" rules, as engine/nsg/order.ts decide().
  function decideRules(nsgIndex: number, f: Flow): Decision {
    const nsg = data.nsgs[nsgIndex]!;
    const ordered = f.direction === "Inbound" ? nsg.inbound : nsg.outbound;
    const maybes: { rule: ClientRule; note: string }[] = [];
    for (let i = 0; i < ordered.rules.length; i++) {
      const rule = data.rules[ordered.rules[i]!]!;
      const note = ordered.maybeOnly[i];
      let m = matchRule(rule, f);
      if (m === 2 && note !== undefined) m = 1;
      if (m === 0) continue;
      if (m === 2) {
        if (maybes.length === 0) {
          return {
            access: rule.access,
            certain: true,
            rule,
            candidates: [rule],
            ...(rule.access === "Unknown" ? { reason: `${rule.ruleName}: ${rule.unresolved.join("; ")}` } : {}),
          };
        }
        return combine(maybes, rule);
      }
      maybes.push({ rule, note: note ?? "" });
    }
    if (maybes.length === 0)
      return {
        access: "Unknown",
        certain: false,
        candidates: [],
        reason: "no rule matches the flow (the default rules could not be resolved)",
      };
    return combine(maybes, undefined);
  }
  function combine(maybes: { rule: ClientRule; note: string }[], decider: ClientRule | undefined): Decision {
    const candidates = [...maybes.map((m) => m.rule), ...(decider ? [decider] : [])];
    const first = candidates[0]!.access;
    const agree = decider !== undefined && first !== "Unknown" && candidates.every((c) => c.access === first);
    const reasons = maybes.map(({ rule, note }) => {
      const why = [...new Set([...rule.unresolved, note])].filter((s) => s !== "");
      const text = why.length > 0 ? why.join("; ") : "the flow has no port to compare with the rule's port ranges";
      return `${rule.ruleName} (${rule.access}) may match: ${text}`;
    });
    if (!decider) reasons.push("no rule definitely matches after them");
    return { access: agree ? first : "Unknown", certain: false, candidates, reason: reasons.join(". ") };
  }
  // The NSG layers of a place, as engine/nsg/layers.ts evaluateFlowLayers.
  function evaluateLayers(f: Flow, place: { subnet: ClientSubnet; nic?: { layer: ClientLayer } }) {
    const inputs: { scope: "subnet" | "nic"; layer: ClientLayer }[] = [{ scope: "subnet", layer: place.subnet.layer }];
    if (place.nic) inputs.push({ scope: "nic", layer: place.nic.layer });
    if (f.direction === "Outbound") inputs.reverse();
    const out: PageLayer[] = [];
    let denied = false;
    for (const { scope, layer } of inputs) {
      const nsg = layer.nsg === null ? undefined : data.nsgs[layer.nsg];
      const base: PageLayer = { scope, direction: f.direction, evaluated: true, ...(nsg ? { nsg: nsg.name } : {}) };
      if (denied) {
        out.push({
          ...base,
          evaluated: false,
          note: "not-evaluated",
          detail: "not evaluated: an earlier layer denied the flow (reference §1.3.5)",
        });
        continue;
      }
      let result: PageLayer;
      if (layer.unknown !== undefined)
        result = { ...base, access: "Unknown", note: "unknown-nsg", detail: layer.unknown };
      else if (!nsg)
        result = {
          ...base,
          access: "Allow",
          note: "no-nsg",
          detail: "no NSG is associated at this level, so it lets all traffic through (reference §1.3.6)",
        };
      else if (
        f.direction === "Outbound" &&
        f.destination.version === 4 &&
        nsg.bypass.includes(Number(f.destination.value))
      )
        result = { ...base, access: "Allow", note: "platform", detail: nsg.bypassText };
      else {
        const d = decideRules(layer.nsg!, f);
        result = { ...base, access: d.access };
        if (d.certain && d.rule)
          Object.assign(result, { ruleName: d.rule.ruleName, priority: d.rule.priority, where: d.rule.where });
        else result.candidates = d.candidates.map((c) => c.ruleName);
        if (d.reason) result.detail = d.reason;
      }
      out.push(result);
      denied = result.access === "Deny";
    }
    return combineLayers(out);
  }
  function combineLayers(layers: PageLayer[]): { verdict: PageVerdict; ruleName?: string; layers: PageLayer[] } {
    const evaluated = layers.filter((l) => l.evaluated);
    const deny = evaluated.find((l) => l.access === "Deny");
    if (deny) return { verdict: "Deny", ruleName: deny.ruleName, layers };
    if (evaluated.some((l) => l.access === "Unknown")) return { verdict: "Unknown", layers };
    const last = [...evaluated].reverse().find((l) => l.ruleName !== undefined);
    return { verdict: "Allow", ruleName: last?.ruleName, layers };
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
        for (const n of s.nics)
          if (n.address === t)
            return {
              kind: "address",
              address: t,
              ip,
              subnet: s,
              nic: { name: n.nic, layer: n.layer },
              label: `${t} (${n.nic}, ${s.label})`,
            };
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
    place: ClientSubnet,
  ): { v4: [number, number][]; v6: [bigint, bigint][]; note?: string } | { unknown: string } {
    const all = { v4: [[0, 0xffffffff]] as [number, number][], v6: [[0n, (1n << 128n) - 1n]] as [bigint, bigint][] };
    if (text === "0.0.0.0/0") return all;
    const c = parseCidr(text);
    if (c)
      return c.version === 4
        ? { v4: [[Number(c.first), Number(c.last)]], v6: [] }
        : { v4: [], v6: [[c.first, c.last]] };
    const lower = text.toLowerCase();
    const tag: ClientTag | undefined = place.virtualTags[lower] ?? data.tags[lower];
    if (!tag) return { unknown: `${text}: this report does not include the tag (run apim-netcheck flow for it)` };
    if (tag.set === undefined) return { unknown: `${text}: ${tag.unknown ?? "unknown"}` };
    const s = set(tag.set);
    const pairs = <T>(flat: T[]) => flat.flatMap((v, i) => (i % 2 === 0 ? [[v, flat[i + 1]!] as [T, T]] : []));
    return {
      v4: pairs(s.v4),
      v6: pairs(s.v6),
      ...(tag.maybe ? { note: `${text} may also hold more addresses (${tag.maybe})` } : {}),
    };
  }
  type Side = { verdict: PageVerdict; ruleName?: string; layers: PageLayer[]; partial: boolean; parts?: PagePart[] };
  function cuts(out: Set<Ip>, flat: readonly Ip[]) {
    for (let i = 0; i < flat.length; i += 2) {
      const hi = flat[i + 1]!;
      out.add(flat[i]!);
      out.add(typeof hi === "bigint" ? hi + 1n : hi + 1);
    }
  }
  function pieces<T extends Ip>(ranges: [T, T][], bounds: Set<T>): [T, T][] {
    const sorted = [...bounds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const out: [T, T][] = [];
    for (const [lo, hi] of ranges) {
      let start = lo;
      for (const b of sorted) {
        if (b <= start || b > hi) continue;
        out.push([start, (typeof b === "bigint" ? b - 1n : (b as number) - 1) as T]);
        start = b;
      }
      out.push([start, hi]);
    }
    return out;
  }
  type Placed = End & { kind: "address"; subnet: ClientSubnet };
  function side(direction: "Inbound" | "Outbound", place: Placed, remote: End, q: Query, notes: string[]): Side {
    const subnet = place.subnet;
    if (remote.kind === "address") {
      const local = place.ip;
      const r = evaluateLayers(
        {
          direction,
          protocol: q.protocol,
          source: direction === "Outbound" ? local : remote.ip,
          destination: direction === "Outbound" ? remote.ip : local,
          sourcePort: q.sourcePort,
          destinationPort: q.port,
        },
        place,
      );
      return { verdict: r.verdict, ruleName: r.ruleName, layers: r.layers, partial: false };
    }
    const resolved = resolveSet(remote.text, subnet);
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
    const layerNsgs = [subnet.layer.nsg, place.nic?.layer.nsg].filter(
      (n): n is number => n !== null && n !== undefined,
    );
    const addrCuts = new Set<Ip>();
    const sportCuts = new Set<number>();
    const dportCuts = new Set<number>();
    for (const n of layerNsgs) {
      const ordered = direction === "Inbound" ? data.nsgs[n]!.inbound : data.nsgs[n]!.outbound;
      for (const ri of ordered.rules) {
        const r = data.rules[ri]!;
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
          const r = evaluateLayers(
            {
              direction,
              protocol: q.protocol,
              source: direction === "Outbound" ? place.ip : other,
              destination: direction === "Outbound" ? other : place.ip,
              sourcePort: sp,
              destinationPort: dp,
            },
            place,
          );
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
