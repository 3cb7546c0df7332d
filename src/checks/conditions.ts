/**
 * @module checks/conditions
 * Checks layer: the check pack over a network that the inputs leave undecided in ways that change which
 * checks apply (issue "Never a silent pass (I)"): a resource `condition` no input decides (evaluated both ways),
 * and an API Management `virtualNetworkType` that is Unknown or no member of its enum (None, External and
 * Internal each). Every combination of these choices is checked on its own (up to eight networks; with more,
 * the choices are taken in step — all first options, all second, ... — and that is said). A finding every
 * network gives is kept as it is; one that only some give becomes Unknown: a warning that names what decides it,
 * where it is written, what to give, and in which case the finding holds.
 */
import { MODE_NOT_GIVEN } from "../engine/whatif/apim-subnet.js";
import { undecidedConditions, withConditionsFalse } from "../engine/whatif/conditions.js";
import { copyModel } from "../engine/whatif/copy.js";
import { canonicalMember, VIRTUAL_NETWORK_TYPES } from "../model/enums.js";
import type { NetworkModel } from "../model/network.js";
import type { SourceRef } from "../model/source.js";
import { formatSource, valueSource } from "../model/source.js";
import { howToGive, isUnknown, unknownReason } from "../model/unknown.js";
import { findingKey } from "./compare.js";
import { evidenceAt } from "./context.js";
import { COMMON_MESSAGES, renderMessage } from "./messages.js";
import type { Finding } from "./types.js";

/** More networks than this and the choices are taken in step rather than in every combination. */
const MAX_NETWORKS = 8;

/** One thing the inputs leave undecided, and the ways it can go. */
interface Choice {
  /** `the condition parameters('x') (file:12:7) of vnet-hub, which no input decides (give it with -p x=<value>)`. */
  clause: string;
  src: SourceRef;
  options: { label: string; apply: (model: NetworkModel) => NetworkModel }[];
}

function conditionChoices(model: NetworkModel): Choice[] {
  return undecidedConditions(model).map((c) => {
    const [first, ...rest] = c.resources;
    const what = rest.length === 0 ? (first?.name ?? "?") : `${first?.name} and ${rest.length} more`;
    const give = howToGive(c.condition);
    const absent = new Set([c.condition]);
    return {
      clause: `the condition ${c.condition} (${formatSource(c.src)}) of ${what}, which no input decides${give ? ` (give it with ${give})` : ""}`,
      src: c.src,
      options: [
        { label: `${what} is deployed`, apply: (m) => m },
        { label: `${what} is not deployed`, apply: (m) => withConditionsFalse(m, absent) },
      ],
    };
  });
}

/**
 * A service whose mode is Unknown or no member is checked as None, External and Internal (an instance placed by
 * `--apim-subnet` without a mode as External and Internal).
 */
function modeChoices(model: NetworkModel): Choice[] {
  return model.apiManagementServices.flatMap((service, index) => {
    const written = service.virtualNetworkType;
    if (!written || (!isUnknown(written) && canonicalMember(VIRTUAL_NETWORK_TYPES, written))) return [];
    const why = isUnknown(written) ? `is Unknown (${unknownReason(written)})` : `'${written}' is no member`;
    const give = isUnknown(written) ? howToGive(unknownReason(written)) : undefined;
    const src = valueSource(service.src, ["virtualNetworkType"]);
    return [
      {
        clause: `the virtualNetworkType of ${service.name}, which ${why} (${formatSource(src)})${give ? `; give it with ${give}` : ""}`,
        src,
        // An instance placed by --apim-subnet is in the subnet by definition: None is not one of its ways.
        options: VIRTUAL_NETWORK_TYPES.filter(
          (mode) => mode !== "None" || !isUnknown(written) || unknownReason(written) !== MODE_NOT_GIVEN,
        ).map((mode) => ({
          label: `the virtualNetworkType of ${service.name} is ${mode}`,
          apply: (m: NetworkModel) => {
            const copy = copyModel(m);
            copy.apiManagementServices[index]!.virtualNetworkType = mode;
            return copy;
          },
        })),
      },
    ];
  });
}

/** The networks to check: each a pick of one option per choice. */
function picks(choices: Choice[]): { picks: number[][]; inStep: boolean } {
  const total = choices.reduce((n, c) => n * c.options.length, 1);
  if (total <= MAX_NETWORKS) {
    let out: number[][] = [[]];
    for (const c of choices) out = out.flatMap((p) => c.options.map((_, i) => [...p, i]));
    return { picks: out, inStep: false };
  }
  const widest = Math.max(...choices.map((c) => c.options.length));
  const out = Array.from({ length: widest }, (_, i) => choices.map((c) => Math.min(i, c.options.length - 1)));
  return { picks: out, inStep: true };
}

/**
 * Runs `run` (the check pack on one network) on every network the undecided choices of `model` allow, and
 * merges the findings as the module note says. `notes` are sentences for the run's assumptions.
 */
export function runAcrossConditions(
  model: NetworkModel,
  run: (network: NetworkModel) => Finding[],
): { findings: Finding[]; notes: string[] } {
  const choices = [...conditionChoices(model), ...modeChoices(model)];
  if (choices.length === 0) return { findings: run(model), notes: [] };
  const { picks: networks, inStep } = picks(choices);
  const results = networks.map((pick) => {
    const network = choices.reduce((m, c, i) => c.options[pick[i]!]!.apply(m), model);
    const byKey = new Map<string, Finding>();
    for (const f of run(network)) byKey.set(`${findingKey(f)}|${f.message}`, f);
    return { pick, byKey };
  });
  const describe = (pick: number[]) => choices.map((c, i) => c.options[pick[i]!]!.label).join(" and ");
  const keys = [...new Set(results.flatMap((r) => [...r.byKey.keys()]))];
  const findings: Finding[] = [];
  for (const key of keys) {
    const holding = results.filter((r) => r.byKey.has(key));
    const f = holding[0]!.byKey.get(key)!;
    if (holding.length === results.length) {
      findings.push(f);
      continue;
    }
    // The shared message unknownCondition (checks/messages) wraps the finding's own sentence.
    const data = {
      conditions: choices.map((c) => c.clause).join(" and on "),
      holdsIf: holding.map((r) => describe(r.pick)).join("; or if "),
      message: f.message,
    };
    findings.push({
      ...f,
      severity: f.severity === "info" ? "info" : "warning",
      message: renderMessage(COMMON_MESSAGES.unknownCondition!, data),
      messageId: "unknownCondition",
      data,
      evidence: [...f.evidence, ...choices.map((c) => evidenceAt("unknown", `undecided: ${c.clause}`, c.src))],
    });
  }
  const notes = choices.map(
    (c) =>
      `${c.clause}: the network is checked each way (${c.options.map((o) => o.label).join("; ")})${inStep ? `; the ${choices.length} undecided choices are taken in step, not in every combination` : ""}`,
  );
  return { findings, notes };
}
