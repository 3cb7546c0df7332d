/**
 * @module report/html/client/nsg-eval
 * Report layer, page code: NSG evaluation for the HTML report's flow tester, over the embedded rules: the
 * three-valued match of engine/nsg/reference.ts, first match with "maybe" rules as engine/nsg/order.ts
 * decides, and the subnet and NIC layers with the platform bypass as engine/nsg/layers.ts. Embedded in the
 * page by its source text (nothing from outside its body; the address tools come as a parameter). One
 * evaluator reads one VNet's tables (client/types.ts ClientVnetFlow), or the service tags' sets.
 */
import type { AddressTools } from "./addresses.js";
import type { Addr, ClientEvalData, ClientLayer, ClientRule, PageLayer, PageVerdict } from "./types.js";

/** A flow as the layers take it. */
export interface PageFlow {
  direction: "Inbound" | "Outbound";
  protocol: string;
  source: Addr;
  destination: Addr;
  sourcePort?: number;
  destinationPort?: number;
}

/** NSG evaluation over `data` (rules, NSGs, sets). */
export function createNsgEvaluator(data: ClientEvalData, tools: AddressTools) {
  type Match = 0 | 1 | 2;
  type Decision = {
    access: PageVerdict;
    certain: boolean;
    rule?: ClientRule;
    candidates: ClientRule[];
    reason?: string;
  };
  const find = tools.find;
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
  function inSet(i: number, a: Addr): boolean {
    const s = set(i);
    return a.version === 4 ? find(s.v4, a.value) : find(s.v6, a.value);
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
  function matchRule(r: ClientRule, f: PageFlow): Match {
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
  function decideRules(nsgIndex: number, f: PageFlow): Decision {
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
  function evaluateLayers(f: PageFlow, place: { layer: ClientLayer; nic?: { layer: ClientLayer } }) {
    const inputs: { scope: "subnet" | "nic"; layer: ClientLayer }[] = [{ scope: "subnet", layer: place.layer }];
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
  return { set, evaluateLayers };
}

export type NsgEvaluator = ReturnType<typeof createNsgEvaluator>;
