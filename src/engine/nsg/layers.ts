/**
 * @module engine/nsg/layers
 * Engine layer: a flow through the NSGs of its subnet and NIC, as IP flow verify and NSG diagnostics report it
 * (reference §4.1, §4.5). Inbound runs the subnet NSG and then the NIC NSG; outbound the NIC NSG and then the
 * subnet NSG (§1.3.5). A level without an NSG lets everything through (§1.3.6). A Deny stops the walk; the
 * layers after it are listed as not evaluated. Outbound traffic to the platform addresses bypasses an NSG
 * (§1.5, platform.ts) and the layer says so with the note "platform".
 *
 * The overall `ruleName` (Network Watcher form) is the denying rule for a Deny and, for an Allow, the rule of
 * the last layer evaluated that has one (reference §4.1 marks this UNCERTAIN: "probably the NIC NSG's allow
 * rule, the last one evaluated"). Layers that cannot be decided make the verdict Unknown unless a later layer
 * denies.
 */

import type { SourceRef } from "../../model/source.js";
import type { AddressSet } from "../ip/address-set.js";
import type { AdminLayer, AdminRuleRef } from "./admin.js";
import { evaluateFlowSetWithAdmin, evaluateFlowWithAdmin, type NsgEvaluators } from "./admin-layers.js";
import type { CompiledNsg } from "./compiled.js";
import { bypassDetail, bypassedAddresses, platformBypass } from "./platform.js";
import { evaluateSet } from "./sets.js";
import type { Decision, Direction, Flow, FlowBox, FlowSet, NormalizedRule, Verdict } from "./types.js";

/** `admin`: Virtual Network Manager security admin rules, evaluated before the NSGs (admin-layers.ts). */
export type LayerScope = "subnet" | "nic" | "admin";
/** The levels that hold an NSG. */
export type NsgScope = Exclude<LayerScope, "admin">;

/** One level a flow crosses. */
export interface NsgLayerInput {
  /** Id of the subnet or NIC, for messages. */
  scopeId?: string;
  /** The NSG associated at this level, compiled for this place; null when none is associated. */
  nsg: CompiledNsg | null;
  /** Set (with nsg null) when the level names an NSG the inputs do not declare: the layer is Unknown. */
  unknownReason?: string;
}

/** The levels of one place; a level left out is not part of the path (not the same as "no NSG"). */
export interface NsgLayers {
  subnet?: NsgLayerInput;
  nic?: NsgLayerInput;
  /** Security admin rules that apply (or may apply) at the place; absent when none do. */
  admin?: AdminLayer;
}

/** A rule as answers cite it. */
export interface RuleRef {
  ruleName: string;
  access: Verdict;
  priority: number;
  src: SourceRef;
  id: string;
}

/** Why a layer has no deciding rule. */
export type LayerNote =
  | "no-nsg"
  | "platform"
  | "not-evaluated"
  | "unknown-nsg"
  | "no-admin-rule"
  | "admin-not-applied"
  | "skipped";

export interface LayerResult {
  scope: LayerScope;
  scopeId?: string;
  nsg?: { name: string; id: string };
  direction: Direction;
  evaluated: boolean;
  /** Undefined when not evaluated. */
  access?: Verdict;
  /** The deciding rule, when one rule certainly decides. */
  ruleName?: string;
  priority?: number;
  src?: SourceRef;
  /** Every rule that may decide, when the decision is uncertain. */
  candidates?: RuleRef[];
  note?: LayerNote;
  /** A sentence: why the layer answered as it did when no single rule did. */
  detail?: string;
  /** The admin layer's deciding rule with its manager, configuration and collection. */
  adminRule?: AdminRuleRef;
  /** The admin rules that may decide, when the admin layer is uncertain. */
  adminCandidates?: AdminRuleRef[];
}

/** The answer for one flow: IP flow verify's `access` and `ruleName`, plus every layer. */
export interface FlowVerdict {
  verdict: Verdict;
  ruleName?: string;
  /** The layer `ruleName` comes from. */
  decidingLayer?: LayerScope;
  layers: LayerResult[];
  reason?: string;
}

/** Inbound: subnet then NIC; outbound: NIC then subnet (reference §1.3.5). */
export function layerOrder(direction: Direction): NsgScope[] {
  return direction === "Inbound" ? ["subnet", "nic"] : ["nic", "subnet"];
}

function ruleRef(rule: NormalizedRule): RuleRef {
  return { ruleName: rule.ruleName, access: rule.access, priority: rule.priority, src: rule.src, id: rule.rule.id };
}

function base(scope: LayerScope, input: NsgLayerInput, direction: Direction): LayerResult {
  return {
    scope,
    ...(input.scopeId !== undefined ? { scopeId: input.scopeId } : {}),
    ...(input.nsg ? { nsg: { name: input.nsg.name, id: input.nsg.id } } : {}),
    direction,
    evaluated: true,
  };
}

/** The layer answer when `input` has no NSG to run (none associated, or an undeclared one). */
function fixedLayer(scope: LayerScope, input: NsgLayerInput, direction: Direction): LayerResult | undefined {
  if (input.unknownReason !== undefined) {
    return { ...base(scope, input, direction), access: "Unknown", note: "unknown-nsg", detail: input.unknownReason };
  }
  if (!input.nsg) {
    const detail = "no NSG is associated at this level, so it lets all traffic through (reference §1.3.6)";
    return { ...base(scope, input, direction), access: "Allow", note: "no-nsg", detail };
  }
  return undefined;
}

/** The layer answer from an NSG's Decision. */
export function layerFromDecision(
  scope: LayerScope,
  input: NsgLayerInput,
  direction: Direction,
  decision: Decision,
): LayerResult {
  const out: LayerResult = { ...base(scope, input, direction), access: decision.access };
  if (decision.certain && decision.rule) {
    out.ruleName = decision.rule.ruleName;
    out.priority = decision.rule.priority;
    out.src = decision.rule.src;
  } else {
    out.candidates = decision.candidates.map(ruleRef);
  }
  if (decision.reason) out.detail = decision.reason;
  return out;
}

function notEvaluated(scope: LayerScope, input: NsgLayerInput, direction: Direction): LayerResult {
  const detail = "not evaluated: an earlier layer denied the flow (reference §1.3.5)";
  return { ...base(scope, input, direction), evaluated: false, note: "not-evaluated", detail };
}

/** Overall verdict and rule name from the layers (see the module note). */
export function combineLayers(layers: LayerResult[]): FlowVerdict {
  const evaluated = layers.filter((l) => l.evaluated);
  const deny = evaluated.find((l) => l.access === "Deny");
  if (deny) return withRule("Deny", deny, layers);
  const unknown = evaluated.filter((l) => l.access === "Unknown");
  if (unknown.length > 0) {
    const reason = unknown.map((l) => `${l.scope} layer: ${l.detail ?? "undecided"}`).join(". ");
    return { verdict: "Unknown", layers, reason };
  }
  const last = [...evaluated].reverse().find((l) => l.ruleName !== undefined);
  if (last) return withRule("Allow", last, layers);
  const reason =
    evaluated.length === 0
      ? "no NSG applies to this path (reference §1.3.6)"
      : evaluated.map((l) => l.detail).join(". ");
  return { verdict: "Allow", layers, reason };
}

function withRule(verdict: Verdict, layer: LayerResult, layers: LayerResult[]): FlowVerdict {
  const out: FlowVerdict = { verdict, layers, decidingLayer: layer.scope };
  if (layer.ruleName !== undefined) out.ruleName = layer.ruleName;
  else if (layer.detail) out.reason = layer.detail;
  return out;
}

/** Evaluates one flow through the NSG layers of its place (reference §1.3.5, §1.3.6, §1.5). */
export function evaluateFlowLayers(flow: Flow, layers: NsgLayers): FlowVerdict {
  if (layers.admin) return evaluateFlowWithAdmin(flow, layers, nsgEvaluators());
  const results: LayerResult[] = [];
  let denied = false;
  for (const scope of layerOrder(flow.direction)) {
    const input = layers[scope];
    if (!input) continue;
    if (denied) {
      results.push(notEvaluated(scope, input, flow.direction));
      continue;
    }
    let result = fixedLayer(scope, input, flow.direction);
    if (!result) {
      const nsg = input.nsg!;
      const bypass = platformBypass(nsg, flow.direction, flow.destination);
      result = bypass
        ? { ...base(scope, input, flow.direction), access: "Allow", note: "platform", detail: bypassDetail([bypass]) }
        : layerFromDecision(scope, input, flow.direction, nsg.evaluate(flow));
    }
    results.push(result);
    denied = result.access === "Deny";
  }
  return combineLayers(results);
}

/** Flows of a set-valued question that take the same path through the layers. */
export interface LayeredSetPart {
  verdict: Verdict;
  ruleName?: string;
  boxes: FlowBox[];
  layers: LayerResult[];
}

/** Set-valued answer through the layers; verdict rule as in sets.ts (Deny when any part is denied). */
export interface LayeredSetDecision {
  verdict: Verdict;
  partial: boolean;
  parts: LayeredSetPart[];
  reason?: string;
}

interface Path {
  boxes: FlowBox[];
  layers: LayerResult[];
  denied: boolean;
}

function splitDestinations(boxes: FlowBox[], set: AddressSet): { inside: FlowBox[]; outside: FlowBox[] } {
  const inside: FlowBox[] = [];
  const outside: FlowBox[] = [];
  for (const box of boxes) {
    const hit = box.destinationAddresses.intersect(set);
    if (!hit.isEmpty()) inside.push({ ...box, destinationAddresses: hit });
    const rest = box.destinationAddresses.subtract(set);
    if (!rest.isEmpty()) outside.push({ ...box, destinationAddresses: rest });
  }
  return { inside, outside };
}

function stepLayer(path: Path, scope: LayerScope, input: NsgLayerInput, direction: Direction): Path[] {
  if (path.denied) return [{ ...path, layers: [...path.layers, notEvaluated(scope, input, direction)] }];
  const fixed = fixedLayer(scope, input, direction);
  if (fixed) return [{ ...path, layers: [...path.layers, fixed], denied: false }];
  const nsg = input.nsg!;
  const out: Path[] = [];
  const bypass = bypassedAddresses(nsg, direction);
  const { inside, outside } = splitDestinations(path.boxes, bypass.set);
  if (inside.length > 0) {
    const layer: LayerResult = {
      ...base(scope, input, direction),
      access: "Allow",
      note: "platform",
      detail: bypassDetail(bypass.which),
    };
    out.push({ boxes: inside, layers: [...path.layers, layer], denied: false });
  }
  if (outside.length > 0) {
    for (const part of evaluateSet(nsg, direction, outside).parts) {
      const layer = layerFromDecision(scope, input, direction, part.decision);
      out.push({ boxes: part.boxes, layers: [...path.layers, layer], denied: layer.access === "Deny" });
    }
  }
  return out;
}

/** Evaluates a set of flows through the NSG layers of its place, partitioned by the path they take. */
export function evaluateFlowSetLayers(flows: FlowSet, layers: NsgLayers): LayeredSetDecision {
  if (layers.admin) return evaluateFlowSetWithAdmin(flows, layers, nsgEvaluators());
  const { direction, ...box } = flows;
  let paths: Path[] = [{ boxes: [box], layers: [], denied: false }];
  for (const scope of layerOrder(direction)) {
    const input = layers[scope];
    if (!input) continue;
    paths = paths.flatMap((p) => stepLayer(p, scope, input, direction));
  }
  const parts: LayeredSetPart[] = paths.map((p) => {
    const combined = combineLayers(p.layers);
    return {
      verdict: combined.verdict,
      ...(combined.ruleName !== undefined ? { ruleName: combined.ruleName } : {}),
      boxes: p.boxes,
      layers: p.layers,
    };
  });
  return layeredDecision(parts);
}

/** The set answer from its parts: Deny when any part is denied, else Unknown when any is undecided. */
export function layeredDecision(parts: LayeredSetPart[]): LayeredSetDecision {
  if (parts.length === 0) return { verdict: "Unknown", partial: false, parts, reason: "the flow set is empty" };
  const kinds = new Set(parts.map((p) => p.verdict));
  const verdict: Verdict = kinds.has("Deny") ? "Deny" : kinds.has("Unknown") ? "Unknown" : "Allow";
  return { verdict, partial: kinds.size > 1, parts };
}

/** The NSG-only evaluators, for the admin layer to call after it (it strips `admin` before calling them). */
function nsgEvaluators(): NsgEvaluators {
  return { flow: evaluateFlowLayers, set: evaluateFlowSetLayers, order: layerOrder, summarize: layeredDecision };
}
