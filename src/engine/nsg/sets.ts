/**
 * @module engine/nsg/sets
 * Engine layer: NSG evaluation over sets of flows, for questions such as "is 3443/TCP from ApiManagement to
 * the subnet allowed?" where the source is a service tag, a subnet or `*`. The flow box is cut, dimension by
 * dimension, into the pieces that fall in the same elementary intervals of the compiled tables (so the same
 * rules match everywhere inside a piece); pieces whose running AND of rule bitsets is equal are merged. Every
 * final group is decided once, exactly as one flow inside it would be (compiled.ts decideBits), so the parts
 * partition the question by deciding rule.
 *
 * Verdict over a set (documented choice): Allow when every part allows; Deny as soon as any part is denied,
 * with `partial: true` when other parts are allowed or unknown (a required flow that is partly blocked is
 * broken); otherwise Unknown. `allowed`, `denied` and `unknown` list the boxes of each kind.
 */
import { AddressSet } from "../ip/address-set.js";
import { bigintOps, type IntervalOps, normalize, numberOps } from "../ip/intervals.js";
import type { Dimension } from "./bitsets.js";
import { locate } from "./bitsets.js";
import {
  type AddressDimension,
  type CompiledDirection,
  type CompiledNsg,
  decideBits,
  type PortDimension,
} from "./compiled.js";
import { ALL_PORTS, portUnion } from "./ports.js";
import {
  ALL_PROTOCOLS,
  type Decision,
  type Direction,
  FLOW_PROTOCOLS,
  type FlowBox,
  type FlowProtocol,
  type FlowSet,
  PORTLESS_PROTOCOLS,
  type PortSet,
  type SetDecision,
  type SetPart,
} from "./types.js";

type BoxField = keyof FlowBox;

/** A piece of one dimension: the row it selects and the values of the flow set that select it. */
interface Piece<V> {
  offset: number;
  value: V;
}

/** A group of partial boxes sharing the same running AND of definite and possible rows. */
interface Group {
  def: Uint32Array;
  poss: Uint32Array;
  boxes: Partial<FlowBox>[];
}

/** Cuts flat intervals `flat` along `dim`, collecting the pieces per row offset. */
function cut<T extends number | bigint>(
  dim: Dimension<T>,
  flat: readonly T[],
  into: Map<number, [T, T][]>,
  ops: IntervalOps<T>,
): void {
  const { starts, offsets, max } = dim;
  for (let i = 0; i < flat.length; i += 2) {
    const lo = flat[i]!;
    const hi = flat[i + 1]!;
    for (let k = locate(starts, lo); k < starts.length && starts[k]! <= hi; k++) {
      const end = k + 1 < starts.length ? ops.prev(starts[k + 1]!) : max;
      // biome-ignore lint/complexity/useMathMinMax: T may be a bigint, which Math.max cannot take.
      const from = starts[k]! > lo ? starts[k]! : lo;
      // biome-ignore lint/complexity/useMathMinMax: T may be a bigint, which Math.min cannot take.
      const to = end < hi ? end : hi;
      const list = into.get(offsets[k]!) ?? [];
      list.push([from, to]);
      into.set(offsets[k]!, list);
    }
  }
}

function portPieces(dim: PortDimension, ports: PortSet, portless: boolean): Piece<PortSet>[] {
  // Flows without ports select the no-port row whatever ports the question names (reference.ts portMatch).
  if (portless) return ports.length > 0 ? [{ offset: dim.noPort, value: ports }] : [];
  const into = new Map<number, [number, number][]>();
  cut(dim.dim, ports, into, numberOps);
  return [...into].map(([offset, pairs]) => ({ offset, value: normalize(pairs, numberOps) }));
}

function addressPieces(dim: AddressDimension, set: AddressSet): Piece<AddressSet>[] {
  const v4 = new Map<number, [number, number][]>();
  const v6 = new Map<number, [bigint, bigint][]>();
  cut(dim.v4, set.v4, v4, numberOps);
  cut(dim.v6, set.v6, v6, bigintOps);
  const offsets = new Set([...v4.keys(), ...v6.keys()]);
  return [...offsets].map((offset) => ({
    offset,
    value: AddressSet.fromIntervals(
      normalize(v4.get(offset) ?? [], numberOps),
      normalize(v6.get(offset) ?? [], bigintOps),
    ),
  }));
}

function groupKey(def: Uint32Array, poss: Uint32Array): string {
  return `${def.join(",")}|${poss.join(",")}`;
}

/** ANDs every group with every piece of the next dimension, merging results with equal rows. */
function refine<V>(
  groups: Group[],
  pieces: Piece<V>[],
  rows: { def: Uint32Array; poss: Uint32Array },
  words: number,
  field: BoxField,
): Group[] {
  const out = new Map<string, Group>();
  for (const g of groups) {
    for (const piece of pieces) {
      const def = new Uint32Array(words);
      const poss = new Uint32Array(words);
      for (let w = 0; w < words; w++) {
        def[w] = g.def[w]! & rows.def[piece.offset + w]!;
        poss[w] = g.poss[w]! & rows.poss[piece.offset + w]!;
      }
      const key = groupKey(def, poss);
      const boxes = g.boxes.map((b) => ({ ...b, [field]: piece.value }));
      const known = out.get(key);
      // A loop, not push(...boxes): a spread of a large array overflows the stack (issue 17).
      if (known) for (const b of boxes) known.boxes.push(b);
      else out.set(key, { def, poss, boxes });
    }
  }
  return [...out.values()];
}

/** The groups of one box restricted to the protocols `mask` (all portless, or all with ports). */
function groupsOf(t: CompiledDirection, box: FlowBox, mask: number, portless: boolean): Group[] {
  const words = t.words;
  const byOffset = new Map<number, number>();
  for (let p = 0; p < FLOW_PROTOCOLS.length; p++) {
    if (mask & (1 << p)) byOffset.set(t.protocol.offsets[p]!, (byOffset.get(t.protocol.offsets[p]!) ?? 0) | (1 << p));
  }
  let groups: Group[] = [...byOffset].map(([offset, protocols]) => ({
    def: t.protocol.rows.def.slice(offset, offset + words),
    poss: t.protocol.rows.poss.slice(offset, offset + words),
    boxes: [{ protocols }],
  }));
  groups = refine(
    groups,
    portPieces(t.destinationPorts, box.destinationPorts, portless),
    t.destinationPorts.rows,
    words,
    "destinationPorts",
  );
  groups = refine(
    groups,
    portPieces(t.sourcePorts, box.sourcePorts, portless),
    t.sourcePorts.rows,
    words,
    "sourcePorts",
  );
  groups = refine(
    groups,
    addressPieces(t.destinationAddresses, box.destinationAddresses),
    t.destinationAddresses.rows,
    words,
    "destinationAddresses",
  );
  return refine(
    groups,
    addressPieces(t.sourceAddresses, box.sourceAddresses),
    t.sourceAddresses.rows,
    words,
    "sourceAddresses",
  );
}

/**
 * Small numbers standing for the values of box fields, equal exactly when the values are: each distinct object's
 * content is written out once, not once per box and pass (a service tag's thousands of ranges joined into every
 * key was a tenth of `check`: issue 17). One per compactBoxes call, so nothing outlives it.
 */
class FieldIds {
  private readonly byObject = new Map<object, number>();
  private readonly byContent = new Map<string, number>();

  of(box: FlowBox, field: BoxField): number {
    const v = box[field];
    if (typeof v === "number") return v;
    let id = this.byObject.get(v);
    if (id === undefined) {
      const content = v instanceof AddressSet ? `${v.v4.join(",")}/${v.v6.join(",")}` : (v as PortSet).join(",");
      id = this.byContent.get(content);
      if (id === undefined) {
        id = this.byContent.size;
        this.byContent.set(content, id);
      }
      this.byObject.set(v, id);
    }
    return id;
  }
}

function unite(field: BoxField, a: FlowBox, b: FlowBox): FlowBox {
  const out = { ...a };
  if (field === "protocols") out.protocols = a.protocols | b.protocols;
  else if (field === "sourcePorts" || field === "destinationPorts") out[field] = portUnion(a[field], b[field]);
  else out[field] = a[field].union(b[field]);
  return out;
}

const FIELDS: BoxField[] = ["sourceAddresses", "destinationAddresses", "destinationPorts", "sourcePorts", "protocols"];

/** Merges boxes that differ in one field only, so parts read as few products as possible. */
export function compactBoxes(boxes: FlowBox[]): FlowBox[] {
  let current = boxes;
  const ids = new FieldIds();
  for (const field of FIELDS) {
    const others = FIELDS.filter((f) => f !== field);
    const merged = new Map<string, FlowBox>();
    for (const box of current) {
      const key = others.map((f) => ids.of(box, f)).join("#");
      const known = merged.get(key);
      merged.set(key, known ? unite(field, known, box) : box);
    }
    current = [...merged.values()];
  }
  return current;
}

function decisionKey(d: Decision): string {
  return d.candidates.map((c) => c.ruleName).join(">") + (d.certain ? "" : "?");
}

/** The flows of `boxes` (one direction) grouped by the rule(s) that decide them, boxes as cut (not compacted). */
function partsOf(nsg: CompiledNsg, direction: Direction, boxes: readonly FlowBox[]): Map<string, SetPart> {
  const t = nsg.direction(direction);
  const parts = new Map<string, SetPart>();
  for (const box of boxes) {
    for (const portless of [false, true]) {
      const mask = box.protocols & (portless ? PORTLESS_PROTOCOLS : ALL_PROTOCOLS & ~PORTLESS_PROTOCOLS);
      if (mask === 0) continue;
      for (const group of groupsOf(t, box, mask, portless)) {
        const decision = decideBits(t, group.def, group.poss);
        const key = decisionKey(decision);
        const part = parts.get(key) ?? { decision, boxes: [] };
        for (const b of group.boxes as FlowBox[]) part.boxes.push(b);
        parts.set(key, part);
      }
    }
  }
  return parts;
}

/** Partitions the flows of `boxes` (one direction) by the rule(s) that decide them. */
export function evaluateSet(nsg: CompiledNsg, direction: Direction, boxes: readonly FlowBox[]): SetDecision {
  const list = [...partsOf(nsg, direction, boxes).values()].map((p) => ({
    decision: p.decision,
    boxes: compactBoxes(p.boxes),
  }));
  return summarize(list);
}

/**
 * The decisions of evaluateSet's parts, in the same order, without their boxes: for callers that ask only which
 * rules decide (compacting a service tag's pieces into boxes was most of the cost: issue 17).
 */
export function setDecisions(nsg: CompiledNsg, direction: Direction, boxes: readonly FlowBox[]): Decision[] {
  return [...partsOf(nsg, direction, boxes).values()].map((p) => p.decision);
}

/** Builds a SetDecision from parts (verdict rule in the module note). */
export function summarize(parts: SetPart[]): SetDecision {
  const pick = (access: string) => parts.filter((p) => p.decision.access === access).flatMap((p) => p.boxes);
  const allowed = pick("Allow");
  const denied = pick("Deny");
  const unknown = pick("Unknown");
  const kinds = [allowed, denied, unknown].filter((l) => l.length > 0).length;
  if (parts.length === 0) {
    return { verdict: "Unknown", partial: false, parts, allowed, denied, unknown, reason: "the flow set is empty" };
  }
  const verdict = denied.length > 0 ? "Deny" : unknown.length > 0 ? "Unknown" : "Allow";
  return { verdict, partial: kinds > 1, parts, allowed, denied, unknown };
}

/** Partitions one FlowSet (see evaluateSet). */
export function evaluateFlowSet(nsg: CompiledNsg, flows: FlowSet): SetDecision {
  const { direction, ...box } = flows;
  return evaluateSet(nsg, direction, [box]);
}

/** A FlowBox from friendlier parts: protocols by name (`*` = all), ports default to all. */
export function flowBox(parts: {
  protocols?: readonly FlowProtocol[] | "*";
  sourceAddresses: AddressSet;
  sourcePorts?: PortSet;
  destinationAddresses: AddressSet;
  destinationPorts?: PortSet;
}): FlowBox {
  const protocols =
    parts.protocols === undefined || parts.protocols === "*"
      ? ALL_PROTOCOLS
      : parts.protocols.reduce((m, p) => m | (1 << FLOW_PROTOCOLS.indexOf(p)), 0);
  return {
    protocols,
    sourceAddresses: parts.sourceAddresses,
    sourcePorts: parts.sourcePorts ?? ALL_PORTS,
    destinationAddresses: parts.destinationAddresses,
    destinationPorts: parts.destinationPorts ?? ALL_PORTS,
  };
}
