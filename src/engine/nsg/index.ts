/**
 * @module engine/nsg
 * Engine layer: exact NSG evaluation, the public surface. Typical use:
 * `const nsg = prepareNsg(model.networkSecurityGroups[0], { resolver, asgAddresses: asgMembership(model) })`,
 * then `nsg.evaluate(flow)` for one flow, `evaluateFlowSet(nsg, set)` for a set of flows, and
 * `evaluateFlowLayers(flow, { subnet, nic })` for the subnet and NIC NSGs together (IP flow verify's answer).
 * `validateNsg` reports what Azure would refuse.
 */
import type { NetworkSecurityGroup } from "../../model/resources.js";
import { normalizeNsg, type RuleContext } from "./compile.js";
import { CompiledNsg } from "./compiled.js";

export { asgMembership } from "./asg.js";
export {
  type AsgLookup,
  compileSecurityRule,
  networkWatcherRuleName,
  normalizeNsg,
  parseAccess,
  parseDirection,
  parseRuleProtocol,
  type RuleContext,
} from "./compile.js";
export { CompiledNsg, compileNsg } from "./compiled.js";
export {
  type FlowParse,
  type FlowText,
  formatBox,
  formatFlow,
  formatIpValue,
  formatProtocols,
  parseFlow,
  parseFlowProtocol,
  parseIpFlowVerify,
  parseIpValue,
} from "./flow.js";
export {
  combineLayers,
  evaluateFlowLayers,
  evaluateFlowSetLayers,
  type FlowVerdict,
  type LayeredSetDecision,
  type LayeredSetPart,
  type LayerNote,
  type LayerResult,
  type LayerScope,
  layerOrder,
  type NsgLayerInput,
  type NsgLayers,
  type RuleRef,
} from "./layers.js";
export { type CompileForPlace, nsgLayersFor } from "./place.js";
export { PLATFORM_ADDRESSES, PLATFORM_TAGS, type PlatformAddress } from "./platform.js";
export { ALL_PORTS, formatPortSet, parsePortText, portSet } from "./ports.js";
export { type Match, matchRule, referenceEvaluator } from "./reference.js";
export { evaluateFlowSet, evaluateSet, flowBox, setDecisions } from "./sets.js";
export * from "./types.js";
export { NSG_LIMITS, type ValidateOptions, validateNsg, validateSecurityRule } from "./validate.js";

/** Normalizes and compiles an NSG for the place `ctx` describes (a subnet or NIC). */
export function prepareNsg(nsg: NetworkSecurityGroup, ctx: RuleContext): CompiledNsg {
  return new CompiledNsg(normalizeNsg(nsg, ctx));
}
