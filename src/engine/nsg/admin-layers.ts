/**
 * @module engine/nsg/admin-layers
 * Engine layer: the security admin layer in front of a place's NSG layers (reference part 2 §10.2; part 1 §1.3
 * item 7, §4.5: NSG diagnostics lists the admin rules first). The admin outcome decides what the NSGs are asked:
 * - Deny: the flow is dropped and the NSG layers are listed as not evaluated;
 * - AlwaysAllow: the flow is delivered and the NSG layers are listed as skipped;
 * - Continue (an Allow rule, or no admin rule matches): the NSG layers decide, as without admin rules.
 * When the admin layer is uncertain, every outcome it may take is followed (the NSGs are evaluated when Continue
 * is one of them) and the verdict is known only when all of them give the same verdict. layers.ts calls in here
 * only when a place has admin rules, so places without them answer exactly as before.
 */
import {
  type AdminDecision,
  type AdminLayer,
  type AdminOutcome,
  evaluateAdminFlow,
  evaluateAdminSet,
} from "./admin.js";
import type {
  FlowVerdict,
  LayeredSetDecision,
  LayeredSetPart,
  LayerResult,
  LayerScope,
  NsgLayerInput,
  NsgLayers,
  RuleRef,
} from "./layers.js";
import type { Direction, Flow, FlowBox, FlowSet, Verdict } from "./types.js";

/** The NSG-only evaluators of layers.ts, its layer order and its set summary, passed in (layers.ts calls this module). */
export interface NsgEvaluators {
  flow(flow: Flow, layers: NsgLayers): FlowVerdict;
  set(flows: FlowSet, layers: NsgLayers): LayeredSetDecision;
  order(direction: Direction): LayerScope[];
  summarize(parts: LayeredSetPart[]): LayeredSetDecision;
}

const REF = "reference part 2 §10.2";

function adminRuleText(d: AdminDecision): string {
  const r = d.rule?.ref;
  return r ? `security admin rule ${r.ruleName} (${r.access}, priority ${r.priority})` : "a security admin rule";
}

/** The admin layer's result for a decision. */
export function adminLayerResult(layer: AdminLayer, d: AdminDecision, direction: Direction): LayerResult {
  const base: LayerResult = { scope: "admin", direction, evaluated: true };
  if (layer.notApplied) return { ...base, access: "Allow", note: "admin-not-applied", detail: layer.notApplied };
  if (d.certain && d.rule) {
    const r = d.rule.ref;
    const assumed = d.rule.entry.assumptions;
    const what =
      d.rule.access === "AlwaysAllow"
        ? "AlwaysAllow: delivered without NSG evaluation"
        : d.rule.access === "Deny"
          ? "Deny: dropped before any NSG"
          : "Allow: the NSGs decide next";
    return {
      ...base,
      access: d.rule.access === "Deny" ? "Deny" : "Allow",
      ruleName: r.ruleName,
      priority: r.priority,
      src: r.src,
      adminRule: r,
      detail: `${what} (${REF})${assumed.length > 0 ? `; ${assumed.join("; ")}` : ""}`,
    };
  }
  if (d.certain) {
    return {
      ...base,
      access: "Allow",
      note: "no-admin-rule",
      detail: "no security admin rule matches; the NSGs decide",
    };
  }
  const candidates: RuleRef[] = d.candidates.map((c) => ({
    ruleName: c.ref.ruleName,
    access: c.access === "Deny" ? "Deny" : c.access === "Unknown" ? "Unknown" : "Allow",
    priority: c.ref.priority,
    src: c.ref.src,
    id: c.ref.id,
  }));
  return {
    ...base,
    access: "Unknown",
    candidates,
    adminCandidates: d.candidates.map((c) => c.ref),
    detail: d.reason ?? "undecided",
  };
}

/** The NSG layers of the place, listed as not asked (after a Deny) or skipped (after an AlwaysAllow). */
function unaskedLayers(layers: NsgLayers, direction: Direction, d: AdminDecision, order: NsgEvaluators["order"]) {
  const out: LayerResult[] = [];
  for (const scope of order(direction)) {
    const input: NsgLayerInput | undefined = scope === "subnet" ? layers.subnet : layers.nic;
    if (!input) continue;
    const always = d.outcomes.length === 1 && d.outcomes[0] === "AlwaysAllow";
    const deny = d.outcomes.length === 1 && d.outcomes[0] === "Deny";
    const detail = always
      ? `skipped: ${adminRuleText(d)} delivers the flow without NSG evaluation (${REF})`
      : deny
        ? `not evaluated: ${adminRuleText(d)} denied the flow (${REF})`
        : `not evaluated: the security admin rules either deny or always allow this flow (${REF})`;
    out.push({
      scope,
      ...(input.scopeId !== undefined ? { scopeId: input.scopeId } : {}),
      ...(input.nsg ? { nsg: { name: input.nsg.name, id: input.nsg.id } } : {}),
      direction,
      evaluated: false,
      note: always ? "skipped" : "not-evaluated",
      detail,
    });
  }
  return out;
}

/** The verdict when the admin layer takes `outcomes` and the NSGs answer `nsg` (for Continue). */
export function combineOutcomes(outcomes: readonly AdminOutcome[], nsg: Verdict | undefined): Verdict {
  const verdicts = new Set<Verdict>(
    outcomes.map((o) => (o === "Deny" ? "Deny" : o === "AlwaysAllow" ? "Allow" : (nsg ?? "Unknown"))),
  );
  return verdicts.size === 1 ? [...verdicts][0]! : "Unknown";
}

function nsgOnly(layers: NsgLayers): NsgLayers {
  return {
    ...(layers.subnet ? { subnet: layers.subnet } : {}),
    ...(layers.nic ? { nic: layers.nic } : {}),
  };
}

/** The answer for one part: the admin decision, and the NSGs' answer when Continue is possible. */
function partAnswer(
  d: AdminDecision,
  admin: LayerResult,
  nsg:
    | { verdict: Verdict; ruleName?: string; layers: LayerResult[]; reason?: string; decidingLayer?: LayerScope }
    | undefined,
  unasked: () => LayerResult[],
): FlowVerdict {
  const verdict = combineOutcomes(d.outcomes, nsg?.verdict);
  const layers = [admin, ...(nsg ? nsg.layers : unasked())];
  const continues = d.certain && d.outcomes[0] === "Continue";
  if (continues && nsg) {
    // The NSGs decide; an admin Allow rule is named only when no NSG rule is.
    const ruleName = nsg.ruleName ?? admin.ruleName;
    return {
      verdict,
      layers,
      ...(ruleName !== undefined ? { ruleName } : {}),
      ...(nsg.ruleName === undefined && admin.ruleName !== undefined
        ? { decidingLayer: "admin" as const }
        : nsg.decidingLayer
          ? { decidingLayer: nsg.decidingLayer }
          : {}),
      ...(nsg.reason && nsg.ruleName === undefined ? { reason: nsg.reason } : {}),
    };
  }
  if (d.certain)
    return { verdict, layers, decidingLayer: "admin", ...(admin.ruleName ? { ruleName: admin.ruleName } : {}) };
  const reasons = [`admin layer: ${admin.detail ?? "undecided"}`];
  if (nsg && verdict === "Unknown" && nsg.reason) reasons.push(nsg.reason);
  return { verdict, layers, ...(verdict === "Unknown" ? { reason: reasons.join(". ") } : {}) };
}

/** One flow through the admin layer and then, where it lets the flow on, the NSG layers. */
export function evaluateFlowWithAdmin(flow: Flow, layers: NsgLayers, nsg: NsgEvaluators): FlowVerdict {
  const admin = layers.admin!;
  const d = evaluateAdminFlow(admin, flow);
  const result = adminLayerResult(admin, d, flow.direction);
  const rest = nsgOnly(layers);
  const answer = d.outcomes.includes("Continue") ? nsg.flow(flow, rest) : undefined;
  return partAnswer(d, result, answer, () => unaskedLayers(rest, flow.direction, d, nsg.order));
}

/** A set of flows through the admin layer and the NSG layers, partitioned by the path they take. */
export function evaluateFlowSetWithAdmin(flows: FlowSet, layers: NsgLayers, nsg: NsgEvaluators): LayeredSetDecision {
  const admin = layers.admin!;
  const { direction, ...box } = flows;
  const rest = nsgOnly(layers);
  const parts: LayeredSetPart[] = [];
  const add = (answer: FlowVerdict, boxes: FlowBox[]) =>
    parts.push({
      verdict: answer.verdict,
      ...(answer.ruleName ? { ruleName: answer.ruleName } : {}),
      boxes,
      layers: answer.layers,
    });
  for (const adminPart of evaluateAdminSet(admin, direction, [box])) {
    const d = adminPart.decision;
    const result = adminLayerResult(admin, d, direction);
    const unasked = () => unaskedLayers(rest, direction, d, nsg.order);
    if (!d.outcomes.includes("Continue")) {
      add(partAnswer(d, result, undefined, unasked), adminPart.boxes);
      continue;
    }
    for (const b of adminPart.boxes)
      for (const nsgPart of nsg.set({ direction, ...b }, rest).parts)
        add(partAnswer(d, result, nsgPart, unasked), nsgPart.boxes);
  }
  return nsg.summarize(parts);
}
