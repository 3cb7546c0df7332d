/**
 * @module engine/nsg/compiled
 * Engine layer: the fast NSG evaluator. Per direction, each match dimension is precomputed as elementary
 * intervals carrying bitsets of the rules that match there (bitsets.ts), rules numbered in evaluation order
 * (order.ts). A flow's first definite match is the lowest set bit of the AND of its five definite rows; the
 * "maybe" rules before it come from the AND of the possible rows. It gives the same Decision as the reference
 * evaluator (reference.ts) on every flow; only the speed differs.
 */
import type { AddressSet } from "../ip/address-set.js";
import { bigintOps, numberOps } from "../ip/intervals.js";
import { buildDimension, type Dimension, locate, lowestBit, RowBuilder, type RowStore } from "./bitsets.js";
import { certainDecision, decide, NO_MATCH, type OrderedRules, orderRules } from "./order.js";
import { isAllPorts, MAX_PORT, portSetEquals } from "./ports.js";
import {
  type Decision,
  type Direction,
  FLOW_PROTOCOLS,
  type Flow,
  type FlowProtocol,
  type IpValue,
  type NormalizedNsg,
  type NormalizedRule,
  PORTLESS_PROTOCOLS,
  type PortSet,
  type Tri,
} from "./types.js";

const V4_MAX = 0xffffffff;
const V6_MAX = (1n << 128n) - 1n;

export interface PortDimension {
  rows: RowStore;
  dim: Dimension<number>;
  /** dim.starts as a typed array, for binary search. */
  starts: Int32Array;
  /**
   * Row offset for every port 0-65535, so the hot path indexes it directly; built only when there are many
   * intervals (a binary search over a handful is as fast, and compiling stays cheap for small NSGs).
   */
  table?: Int32Array;
  /** Row for a flow without a port: definite for rules covering every port, possible for any rule with ports. */
  noPort: number;
}

export interface AddressDimension {
  rows: RowStore;
  v4: Dimension<number>;
  /** v4.starts as a typed array, for the hot path's binary search. */
  v4Starts: Float64Array;
  v6: Dimension<bigint>;
}

/** One direction of a compiled NSG. */
export interface CompiledDirection {
  direction: Direction;
  ordered: OrderedRules;
  rules: NormalizedRule[];
  words: number;
  protocol: { rows: RowStore; offsets: Int32Array };
  sourcePorts: PortDimension;
  destinationPorts: PortDimension;
  sourceAddresses: AddressDimension;
  destinationAddresses: AddressDimension;
  /**
   * False when every rule is fully resolved: then, for flows with ports, possible rows equal definite rows and
   * are not consulted. (The no-port rows differ whenever a rule names ports.)
   */
  hasMaybe: boolean;
  /** The Decision for "rule i is the first match", made once. */
  certain: Decision[];
  orderNote(rule: NormalizedRule): string;
}

const PROTOCOL_INDEX: Partial<Record<string, number>> & Record<FlowProtocol, number> = {
  Tcp: 0,
  Udp: 1,
  Icmp: 2,
  Esp: 3,
  Ah: 4,
};

function maskIntervals(mask: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < FLOW_PROTOCOLS.length; i++) if (mask & (1 << i)) out.push(i, i);
  return out;
}

/** True when some rule may match where it does not definitely match (for flows with ports). */
function anyMaybe(ordered: OrderedRules): boolean {
  return ordered.rules.some(
    (r, i) =>
      ordered.maybeOnly[i] ||
      r.protocols.definite !== r.protocols.possible ||
      !r.sourceAddresses.definite.equals(r.sourceAddresses.possible) ||
      !r.destinationAddresses.definite.equals(r.destinationAddresses.possible) ||
      !portSetEquals(r.sourcePorts.definite, r.sourcePorts.possible) ||
      !portSetEquals(r.destinationPorts.definite, r.destinationPorts.possible),
  );
}

/** Interval count above which a port dimension gets a direct 65536-entry table. */
const DIRECT_TABLE_FROM = 16;

function buildPorts(rules: NormalizedRule[], pick: (r: NormalizedRule) => Tri<PortSet>, words: number): PortDimension {
  const builder = new RowBuilder(words);
  const dim = buildDimension(
    rules.map((r) => ({ def: pick(r).definite, poss: pick(r).possible })),
    0,
    MAX_PORT,
    numberOps,
    builder,
  );
  let table: Int32Array | undefined;
  if (dim.starts.length > DIRECT_TABLE_FROM) {
    table = new Int32Array(MAX_PORT + 1);
    for (let k = 0; k < dim.starts.length; k++) {
      table.fill(dim.offsets[k]!, dim.starts[k]!, k + 1 < dim.starts.length ? dim.starts[k + 1]! : MAX_PORT + 1);
    }
  }
  const def = new Uint32Array(words);
  const poss = new Uint32Array(words);
  rules.forEach((r, i) => {
    if (isAllPorts(pick(r).definite)) def[i >>> 5] = (def[i >>> 5]! | (1 << (i & 31))) >>> 0;
    if (pick(r).possible.length > 0) poss[i >>> 5] = (poss[i >>> 5]! | (1 << (i & 31))) >>> 0;
  });
  const noPort = builder.add(def, poss);
  return { rows: builder.finish(), dim, starts: Int32Array.from(dim.starts), ...(table ? { table } : {}), noPort };
}

function buildAddresses(
  rules: NormalizedRule[],
  pick: (r: NormalizedRule) => Tri<AddressSet>,
  words: number,
): AddressDimension {
  const builder = new RowBuilder(words);
  const v4 = buildDimension(
    rules.map((r) => ({ def: pick(r).definite.v4, poss: pick(r).possible.v4 })),
    0,
    V4_MAX,
    numberOps,
    builder,
  );
  const v6 = buildDimension(
    rules.map((r) => ({ def: pick(r).definite.v6, poss: pick(r).possible.v6 })),
    0n,
    V6_MAX,
    bigintOps,
    builder,
  );
  return { rows: builder.finish(), v4, v4Starts: Float64Array.from(v4.starts), v6 };
}

/** Compiles one direction's rules (in evaluation order) into bitset tables. */
export function compileDirection(ordered: OrderedRules): CompiledDirection {
  const rules = ordered.rules;
  const words = Math.max(1, Math.ceil(rules.length / 32));
  const protoBuilder = new RowBuilder(words);
  const protoDim = buildDimension(
    rules.map((r, i) => ({
      // A maybe-only rule (unresolved order) never matches definitely: clearing one dimension suffices.
      def: ordered.maybeOnly[i] ? [] : maskIntervals(r.protocols.definite),
      poss: maskIntervals(r.protocols.possible),
    })),
    0,
    FLOW_PROTOCOLS.length - 1,
    numberOps,
    protoBuilder,
  );
  const protocol = {
    rows: protoBuilder.finish(),
    offsets: Int32Array.from(FLOW_PROTOCOLS, (_, p) => protoDim.offsets[locate(protoDim.starts, p)]!),
  };
  const notes = new Map(rules.map((r, i) => [r, ordered.orderNotes[i]!]));
  const table: CompiledDirection = {
    direction: ordered.direction,
    ordered,
    rules,
    words,
    protocol,
    sourcePorts: buildPorts(rules, (r) => r.sourcePorts, words),
    destinationPorts: buildPorts(rules, (r) => r.destinationPorts, words),
    sourceAddresses: buildAddresses(rules, (r) => r.sourceAddresses, words),
    destinationAddresses: buildAddresses(rules, (r) => r.destinationAddresses, words),
    hasMaybe: anyMaybe(ordered),
    certain: rules.map((r) => certainDecision(r)),
    orderNote: (rule) => notes.get(rule) ?? "",
  };
  return table;
}

function addressOffset(dim: AddressDimension, value: IpValue): number {
  if (typeof value === "number") {
    const s = dim.v4Starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (s[mid]! <= value) lo = mid;
      else hi = mid - 1;
    }
    return dim.v4.offsets[lo]!;
  }
  return dim.v6.offsets[locate(dim.v6.starts, value)]!;
}

function portOffset(dim: PortDimension, port: number | undefined, portless: boolean): number {
  if (portless || port === undefined) return dim.noPort;
  if (!(Number.isInteger(port) && port >= 0 && port <= MAX_PORT)) {
    throw new RangeError(`port ${port} is not an integer in 0-65535`);
  }
  if (dim.table) return dim.table[port]!;
  const s = dim.starts;
  let lo = 0;
  let hi = s.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (s[mid]! <= port) lo = mid;
    else hi = mid - 1;
  }
  return dim.dim.offsets[lo]!;
}

/**
 * The Decision for flows whose definite and possible rule bitsets (ANDed over all dimensions) are `def`
 * and `poss`, each `t.words` words from offset 0.
 */
export function decideBits(t: CompiledDirection, def: Uint32Array, poss: Uint32Array): Decision {
  let first = -1;
  for (let w = 0; w < t.words; w++) {
    if (def[w] !== 0) {
      first = (w << 5) + lowestBit(def[w]!);
      break;
    }
  }
  const limit = first < 0 ? t.rules.length : first;
  const maybes: NormalizedRule[] = [];
  for (let w = 0; w << 5 < limit; w++) {
    let x = poss[w]!;
    while (x !== 0) {
      const i = (w << 5) + lowestBit(x);
      if (i >= limit) break;
      maybes.push(t.rules[i]!);
      x &= x - 1;
    }
  }
  if (maybes.length === 0) return first < 0 ? NO_MATCH : t.certain[first]!;
  return decide(maybes, first < 0 ? undefined : t.rules[first], t.orderNote);
}

/** Decides one flow against one compiled direction (the hot path). */
export function decideFlow(t: CompiledDirection, flow: Flow): Decision {
  const p = PROTOCOL_INDEX[flow.protocol];
  if (p === undefined) throw new RangeError(`protocol ${flow.protocol} is not one of ${FLOW_PROTOCOLS.join(", ")}`);
  const portless = ((1 << p) & PORTLESS_PROTOCOLS) !== 0;
  const po = t.protocol.offsets[p]!;
  const spo = portOffset(t.sourcePorts, flow.sourcePort, portless);
  const dpo = portOffset(t.destinationPorts, flow.destinationPort, portless);
  const so = addressOffset(t.sourceAddresses, flow.source);
  const dso = addressOffset(t.destinationAddresses, flow.destination);
  const pd = t.protocol.rows.def;
  const spd = t.sourcePorts.rows.def;
  const dpd = t.destinationPorts.rows.def;
  const sd = t.sourceAddresses.rows.def;
  const dd = t.destinationAddresses.rows.def;
  const words = t.words;
  let first = -1;
  for (let w = 0; w < words; w++) {
    const x = pd[po + w]! & spd[spo + w]! & dpd[dpo + w]! & sd[so + w]! & dd[dso + w]!;
    if (x !== 0) {
      first = (w << 5) + lowestBit(x);
      break;
    }
  }
  if (!t.hasMaybe && !portless && flow.sourcePort !== undefined && flow.destinationPort !== undefined) {
    return first < 0 ? NO_MATCH : t.certain[first]!;
  }
  const def = new Uint32Array(words);
  const poss = new Uint32Array(words);
  if (first >= 0) def[first >>> 5] = (1 << (first & 31)) >>> 0;
  const pp = t.protocol.rows.poss;
  const spp = t.sourcePorts.rows.poss;
  const dpp = t.destinationPorts.rows.poss;
  const sp = t.sourceAddresses.rows.poss;
  const dp = t.destinationAddresses.rows.poss;
  const lastWord = first < 0 ? words - 1 : first >>> 5;
  for (let w = 0; w <= lastWord; w++)
    poss[w] = pp[po + w]! & spp[spo + w]! & dpp[dpo + w]! & sp[so + w]! & dp[dso + w]!;
  return decideBits(t, def, poss);
}

/** An NSG compiled for fast evaluation of flows in both directions. */
export class CompiledNsg {
  private compiledInbound?: CompiledDirection;
  private compiledOutbound?: CompiledDirection;
  private orderedInbound?: OrderedRules;
  private orderedOutbound?: OrderedRules;

  constructor(readonly normalized: NormalizedNsg) {}

  /**
   * One direction's rules in evaluation order, without the bitset tables: rule analyses that cut their own atoms
   * (NSG-RULE-SHADOWED) need only the order, and building the tables for them was a third of `check` (issue 17).
   */
  ordered(direction: Direction): OrderedRules {
    if (direction === "Inbound") {
      this.orderedInbound ??= orderRules(this.normalized.rules, "Inbound");
      return this.orderedInbound;
    }
    this.orderedOutbound ??= orderRules(this.normalized.rules, "Outbound");
    return this.orderedOutbound;
  }

  /** The inbound tables, compiled on first use: most questions ask one direction only (issue 17). */
  get inbound(): CompiledDirection {
    this.compiledInbound ??= compileDirection(this.ordered("Inbound"));
    return this.compiledInbound;
  }

  /** The outbound tables, compiled on first use. */
  get outbound(): CompiledDirection {
    this.compiledOutbound ??= compileDirection(this.ordered("Outbound"));
    return this.compiledOutbound;
  }

  get id(): string {
    return this.normalized.id;
  }

  get name(): string {
    return this.normalized.name;
  }

  direction(direction: Direction): CompiledDirection {
    return direction === "Inbound" ? this.inbound : this.outbound;
  }

  /** First-match Decision for one flow (reference §1.3.1-2), three-valued. */
  evaluate(flow: Flow): Decision {
    return decideFlow(flow.direction === "Inbound" ? this.inbound : this.outbound, flow);
  }
}

/** Compiles a normalized NSG (see compile.ts normalizeNsg). */
export function compileNsg(nsg: NormalizedNsg): CompiledNsg {
  return new CompiledNsg(nsg);
}
