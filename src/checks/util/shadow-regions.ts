/**
 * @module checks/util/shadow-regions
 * Checks layer, for NSG-RULE-SHADOWED (util/rule-shadowing): the header space of one direction of an NSG cut into
 * atoms once, and every rule's definite and possible flows as boxes over those atoms, so that "do the earlier
 * rules cover this rule's flows?" is box arithmetic on a few machine words instead of an enumeration of pieces.
 *
 * Atoms: in each of the four value dimensions (source and destination addresses, source and destination ports)
 * two values belong to the same atom when every rule's definite and possible sets hold both or neither. A
 * rule's set in a dimension is then exactly a set of atoms, stored as a bitset; a service tag of thousands of
 * prefixes becomes a few bits. Atoms are found by one sweep over the boundaries of the distinct sets (the
 * resolver hands out one AddressSet per tag, so rules that name the same tag share it); each elementary interval
 * is filed by a hash of its membership, checked word by word, so the cut is exact.
 *
 * Flows without ports (ICMP, ESP, AH) take a virtual port value, NO_PORT, in both port dimensions, with the
 * engine's meaning (engine/nsg/reference portMatch): a rule definitely matches it when it covers every port and
 * may match it when it names any port. Boxes are kept pure: either TCP/UDP with real ports only, or portless
 * protocols with NO_PORT only, so the product of a rule's sets never stands for a flow that cannot exist.
 *
 * Boxes: a protocol mask and one atom bitset per value dimension. `minus` cuts a box by another into at most five
 * disjoint boxes (the standard product difference, one dimension at a time); `coalesce` merges boxes that differ
 * in one dimension only. A CutIndex is the transpose (per atom, the boxes holding it), which answers "which boxes
 * meet this one" and drives a greedy search for a flow that none of them holds. `leftOver` puts these together to
 * decide whether a region is covered: the greedy search first (a rule that decides some of its own flows is found
 * in a few word operations), then subtraction, largest cut first so a wide cut empties the region before many
 * small ones fragment it.
 */
import { bigintOps, type IntervalOps, numberOps } from "../../engine/ip/intervals.js";
import type { OrderedRules } from "../../engine/nsg/order.js";
import { isAllPorts } from "../../engine/nsg/ports.js";
import type { NormalizedRule, PortSet, Tri } from "../../engine/nsg/types.js";

/** A product of sets: protocols (mask over FLOW_PROTOCOLS) × one atom bitset per value dimension. */
export interface Box {
  p: number;
  /** Source addresses, source ports, destination addresses, destination ports (the order of DIMENSIONS). */
  d: readonly Uint32Array[];
}

/** A rule's flows as boxes: what it surely matches and what it may match (definite ⊆ possible). */
export interface RuleBoxes {
  def: Box;
  poss: Box;
}

/** One direction's rules, in evaluation order, as boxes over the direction's atoms. */
export interface RuleSpace {
  rules: RuleBoxes[];
  /** Per port dimension (indices 1 and 3 of Box.d): the bitset holding only NO_PORT. */
  noPort: Uint32Array[];
  /** The rules' definite and possible boxes indexed by atom (bit j for rules[j]). */
  definite: CutIndex;
  possible: CutIndex;
  /** Atoms per value dimension. */
  atoms: number[];
}

/**
 * Boxes indexed the other way round: per protocol bit, and per value dimension and atom, the bitset of the boxes
 * that hold it. "Which boxes may hold a flow of this box" and the greedy search for a flow in none of them are
 * then a few words per atom.
 */
export class CutIndex {
  readonly words: number;
  readonly byProtocol: Uint32Array[];
  readonly byAtom: Uint32Array[][];

  constructor(
    readonly boxes: readonly Box[],
    atoms: readonly number[],
  ) {
    this.words = Math.max(1, Math.ceil(boxes.length / 32));
    this.byProtocol = Array.from({ length: 5 }, () => new Uint32Array(this.words));
    this.byAtom = atoms.map((n) => Array.from({ length: n }, () => new Uint32Array(this.words)));
    boxes.forEach((b, j) => {
      forEachBit(Uint32Array.of(b.p), (p) => setBit(this.byProtocol[p]!, j));
      b.d.forEach((x, k) => {
        forEachBit(x, (a) => setBit(this.byAtom[k]![a]!, j));
      });
    });
  }

  /** The boxes before `below` that share a flow with `box`: per dimension, any of its atoms. */
  overlapping(box: Box, below: number): Uint32Array {
    const out = new Uint32Array(this.words);
    for (let j = 0; j < below; j++) setBit(out, j);
    const narrow = (rows: readonly Uint32Array[], atoms: Uint32Array) => {
      const any = new Uint32Array(this.words);
      forEachBit(atoms, (a) => {
        const row = rows[a]!;
        for (let w = 0; w < any.length; w++) any[w]! |= row[w]!;
      });
      for (let w = 0; w < out.length; w++) out[w]! &= any[w]!;
    };
    narrow(this.byProtocol, Uint32Array.of(box.p));
    for (let k = 0; k < box.d.length && !isZero(out); k++) narrow(this.byAtom[k]!, box.d[k]!);
    return out;
  }

  /**
   * True when some flow of `box` is in none of the boxes `active`, found greedily: the protocol, then dimension
   * by dimension the atom that the fewest of the remaining boxes hold, until none is left. A quick way to a
   * flow nobody takes; false proves nothing.
   */
  escapes(box: Box, active: Uint32Array): boolean {
    let left = active;
    const count = (row: Uint32Array) => {
      let n = 0;
      for (let w = 0; w < left.length; w++) n += popcount(left[w]! & row[w]!);
      return n;
    };
    const choose = (rows: readonly Uint32Array[], atoms: Uint32Array) => {
      let best: Uint32Array | undefined;
      let fewest = Number.POSITIVE_INFINITY;
      forEachBit(atoms, (a) => {
        const n = fewest === 0 ? fewest : count(rows[a]!);
        if (n < fewest) {
          fewest = n;
          best = rows[a]!;
        }
      });
      return { best: best!, fewest };
    };
    if (isZero(left)) return true;
    left = and(left, choose(this.byProtocol, Uint32Array.of(box.p)).best);
    const todo = box.d.map((_, k) => k);
    while (todo.length > 0 && !isZero(left)) {
      let pick = { k: -1, best: left, fewest: Number.POSITIVE_INFINITY };
      for (const k of todo) {
        const c = choose(this.byAtom[k]!, box.d[k]!);
        if (c.fewest < pick.fewest) pick = { k, ...c };
        if (pick.fewest === 0) break;
      }
      left = and(left, pick.best);
      todo.splice(todo.indexOf(pick.k), 1);
    }
    return isZero(left);
  }
}

type Intervals = { v4: readonly number[]; v6: readonly bigint[] };

const DIMENSIONS = [
  (r: NormalizedRule): Tri<Intervals> => r.sourceAddresses,
  (r: NormalizedRule): Tri<Intervals> => ports(r.sourcePorts),
  (r: NormalizedRule): Tri<Intervals> => r.destinationAddresses,
  (r: NormalizedRule): Tri<Intervals> => ports(r.destinationPorts),
] as const;
const PORT_DIMENSIONS = new Set([1, 3]);

const NO_V6: readonly bigint[] = Object.freeze([]);
const asIntervals = new WeakMap<PortSet, Intervals>();
/** A port set viewed as intervals, one view per set so that rules sharing a set share its atoms. */
function portView(set: PortSet): Intervals {
  let view = asIntervals.get(set);
  if (!view) {
    view = { v4: set, v6: NO_V6 };
    asIntervals.set(set, view);
  }
  return view;
}
const ports = (t: Tri<PortSet>): Tri<Intervals> => ({ definite: portView(t.definite), possible: portView(t.possible) });

// Bitset helpers over Uint32Array words of equal length.

function anyAnd(a: Uint32Array, b: Uint32Array): boolean {
  for (let w = 0; w < a.length; w++) if ((a[w]! & b[w]!) !== 0) return true;
  return false;
}

function and(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length);
  for (let w = 0; w < a.length; w++) out[w] = a[w]! & b[w]!;
  return out;
}

function andNot(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length);
  for (let w = 0; w < a.length; w++) out[w] = a[w]! & ~b[w]!;
  return out;
}

function isZero(a: Uint32Array): boolean {
  for (let w = 0; w < a.length; w++) if (a[w] !== 0) return false;
  return true;
}

function setBit(a: Uint32Array, i: number): void {
  a[i >>> 5] = (a[i >>> 5]! | (1 << (i & 31))) >>> 0;
}

/** Deterministic 32-bit keys for the membership hash (mulberry32; any fixed sequence would do). */
function hashKeys(count: number, seed: number): Uint32Array {
  const out = new Uint32Array(count);
  let a = seed >>> 0;
  for (let i = 0; i < count; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (t ^ (t >>> 14)) >>> 0;
  }
  return out;
}

/**
 * Files membership signatures (bitsets over the distinct sets) as atoms: equal signatures, one atom. Hash
 * buckets are checked word by word, so a collision costs time, never correctness.
 */
class AtomIndex {
  readonly signatures: Uint32Array[] = [];
  private readonly buckets = new Map<number, number[]>();

  /** The atom of `signature` (copied when new); `hash` must be a function of the signature only. */
  atomOf(signature: Uint32Array, hash: number): number {
    const bucket = this.buckets.get(hash);
    if (bucket) {
      for (const a of bucket) {
        const known = this.signatures[a]!;
        let same = true;
        for (let w = 0; w < signature.length && same; w++) same = known[w] === signature[w];
        if (same) return a;
      }
    }
    const atom = this.signatures.length;
    this.signatures.push(signature.slice());
    if (bucket) bucket.push(atom);
    else this.buckets.set(hash, [atom]);
    return atom;
  }
}

/**
 * Sweeps the boundaries of `sets` (each sorted, disjoint, non-adjacent intervals) over one integer domain starting
 * at `min`, filing the membership of every elementary interval in `atoms`. `k1`, `k2` give each set's hash keys;
 * membership flips at a set's interval starts and just after its ends. Atoms are numbered in the order their
 * membership first appears from `min` upwards, so the result is the same however the sweep is carried out.
 *
 * Large sets (service tags: hundreds of ranges, in NSG after NSG) are cut once per combination (largeCut) and
 * merged with the few boundaries of the other sets; a membership already filed since the other sets last changed
 * is not filed again. Sorting every tag's boundaries again for every NSG was most of NSG-RULE-SHADOWED (issue 17).
 */
function sweep<T extends number | bigint>(
  sets: readonly (readonly T[])[],
  min: T,
  ops: IntervalOps<T>,
  atoms: AtomIndex,
  k1: Uint32Array,
  k2: Uint32Array,
): void {
  const numeric = typeof min === "number";
  const large: number[] = [];
  const small: number[] = [];
  sets.forEach((flat, s) => {
    (flat.length > LARGE_SET ? large : small).push(s);
  });
  const words = Math.max(1, Math.ceil(sets.length / 32));
  const cut =
    large.length > 0
      ? largeCut(
          large.map((s) => sets[s]!),
          ops,
          numeric,
        )
      : EMPTY_CUT;
  // Per large membership: its bits and hash keys in this call's numbering of the sets.
  const mapped = cut.signatures.map((sig) => {
    const out = new Uint32Array(words);
    forEachBit(sig, (i) => setBit(out, large[i]!));
    return out;
  });
  const xor = (keys: Uint32Array) =>
    cut.signatures.map((sig) => {
      let h = 0;
      forEachBit(sig, (i) => {
        h ^= keys[large[i]!]!;
      });
      return h;
    });
  const [l1, l2] = [xor(k1), xor(k2)];
  const own = events(
    small.map((s) => sets[s]!),
    ops,
    numeric,
  );
  const signature = new Uint32Array(words);
  const combined = new Uint32Array(words);
  const filed = new Int32Array(cut.signatures.length).fill(-1);
  let h1 = 0;
  let h2 = 0;
  let state = 0;
  let window = 0;
  const file = () => {
    if (filed[state] === window) return;
    filed[state] = window;
    const m = mapped[state]!;
    for (let w = 0; w < words; w++) combined[w] = signature[w]! | m[w]!;
    atoms.atomOf(combined, ((h1 ^ l1[state]!) >>> 0) * 0x200000 + ((h2 ^ l2[state]!) & 0x1fffff));
  };
  const at = own.at;
  const bigAt = cut.at as readonly T[];
  if ((at.length === 0 || at[0]! > min) && (bigAt.length === 0 || bigAt[0]! > min)) file();
  let i = 0;
  let j = 0;
  while (i < at.length || j < bigAt.length) {
    const value = j >= bigAt.length || (i < at.length && at[i]! < bigAt[j]!) ? at[i]! : bigAt[j]!;
    if (i < at.length && at[i] === value) {
      for (; i < at.length && at[i] === value; i++) {
        const s = small[own.set[i]!]!;
        signature[s >>> 5] = (signature[s >>> 5]! ^ (1 << (s & 31))) >>> 0;
        h1 ^= k1[s]!;
        h2 ^= k2[s]!;
      }
      window++;
    }
    if (j < bigAt.length && bigAt[j] === value) state = cut.state[j++]!;
    file();
  }
}

/** Sets with more boundaries than this are large (cut once per combination: sweep). */
const LARGE_SET = 64;

/** The large sets of a sweep cut on their own: their boundaries and the membership after each. */
interface LargeCut {
  /** Distinct boundary values, ascending. */
  at: readonly (number | bigint)[];
  /** Per value, the membership from there on, as an index into `signatures`. */
  state: Int32Array;
  /** Distinct memberships (bit i: the i-th large set); index 0 is the empty one. */
  signatures: Uint32Array[];
}

const EMPTY_CUT: LargeCut = { at: [], state: new Int32Array(0), signatures: [new Uint32Array(1)] };

/** Cuts by the identities of their large sets (bounded: an estate has a few dozen combinations of tags). */
const largeCuts = new Map<string, LargeCut>();
const LARGE_CUTS_LIMIT = 1024;
const setIds = new WeakMap<object, number>();
let nextSetId = 0;

function largeCut<T extends number | bigint>(flats: readonly (readonly T[])[], ops: IntervalOps<T>, numeric: boolean) {
  const key = flats
    .map((f) => {
      let id = setIds.get(f);
      if (id === undefined) {
        id = nextSetId++;
        setIds.set(f, id);
      }
      return id;
    })
    .join(",");
  let cut = largeCuts.get(key);
  if (cut) return cut;
  const { at, set } = events(flats, ops, numeric);
  const sig = new Uint32Array(Math.max(1, Math.ceil(flats.length / 32)));
  const ids = new Map<string, number>([[sig.join(","), 0]]);
  const signatures = [sig.slice()];
  const values: T[] = [];
  const state: number[] = [];
  for (let e = 0; e < at.length; ) {
    const value = at[e]!;
    for (; e < at.length && at[e] === value; e++) {
      const s = set[e]!;
      sig[s >>> 5] = (sig[s >>> 5]! ^ (1 << (s & 31))) >>> 0;
    }
    const text = sig.join(",");
    let id = ids.get(text);
    if (id === undefined) {
      id = signatures.length;
      ids.set(text, id);
      signatures.push(sig.slice());
    }
    values.push(value);
    state.push(id);
  }
  cut = { at: values, state: Int32Array.from(state), signatures };
  if (largeCuts.size >= LARGE_CUTS_LIMIT) largeCuts.clear();
  largeCuts.set(key, cut);
  return cut;
}

/** Set indices below this fit beside a 32-bit value in one float64 (2^32 × 2^20 < 2^53: exact). */
const PACKED_SETS = 1 << 20;

/**
 * The membership flips of `sets`, sorted by value: each interval's start and the value just after its end (one
 * past the domain's top files only the empty signature). Values up to 2^32 (IPv4, ports) are packed with their
 * set index into one float64 and sorted natively; an object per event and a comparator dominated the cut of
 * large NSGs (issue 17). Events at one value come in any order: the sweep applies them all before filing.
 */
function events<T extends number | bigint>(
  sets: readonly (readonly T[])[],
  ops: IntervalOps<T>,
  numeric: boolean,
): { at: readonly T[]; set: ArrayLike<number> } {
  let count = 0;
  let top = 0;
  for (const flat of sets) {
    count += flat.length;
    if (numeric && flat.length > 0) top = Math.max(top, flat[flat.length - 1] as number);
  }
  if (numeric && sets.length < PACKED_SETS && top <= 0xffffffff) {
    const packed = new Float64Array(count);
    let n = 0;
    sets.forEach((flat, s) => {
      const f = flat as readonly number[];
      for (let i = 0; i < f.length; i += 2) {
        packed[n++] = f[i]! * PACKED_SETS + s;
        packed[n++] = (f[i + 1]! + 1) * PACKED_SETS + s;
      }
    });
    packed.sort();
    const at: number[] = new Array(count);
    const set = new Int32Array(count);
    for (let e = 0; e < count; e++) {
      const value = Math.floor(packed[e]! / PACKED_SETS);
      at[e] = value;
      set[e] = packed[e]! - value * PACKED_SETS;
    }
    return { at: at as unknown as T[], set };
  }
  const list: { at: T; set: number }[] = [];
  sets.forEach((flat, s) => {
    for (let i = 0; i < flat.length; i += 2) {
      list.push({ at: flat[i]!, set: s });
      list.push({ at: ops.next(flat[i + 1]!), set: s });
    }
  });
  list.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return { at: list.map((e) => e.at), set: Int32Array.from(list, (e) => e.set) };
}

/**
 * The atoms of one dimension over `sets` (distinct interval sets): per set, the bitset of the atoms it is made
 * of; `extra` more atoms are reserved at the end (NO_PORT), empty in every set.
 */
function atomize(sets: readonly Intervals[], extra: number): { bits: Uint32Array[]; atoms: number; words: number } {
  const index = new AtomIndex();
  const k1 = hashKeys(sets.length, 0x9e3779b9);
  const k2 = hashKeys(sets.length, 0x85ebca6b);
  sweep(
    sets.map((s) => s.v4),
    0,
    numberOps,
    index,
    k1,
    k2,
  );
  if (sets.some((s) => s.v6.length > 0)) {
    sweep(
      sets.map((s) => s.v6),
      0n,
      bigintOps,
      index,
      k1,
      k2,
    );
  }
  const atoms = index.signatures.length + extra;
  const words = Math.max(1, Math.ceil(atoms / 32));
  const bits = sets.map(() => new Uint32Array(words));
  index.signatures.forEach((signature, atom) => {
    for (let w = 0; w < signature.length; w++) {
      let x = signature[w]!;
      while (x !== 0) {
        const low = x & -x;
        setBit(bits[(w << 5) + (31 - Math.clz32(low))]!, atom);
        x ^= low;
      }
    }
  });
  return { bits, atoms, words };
}

/** Interval bounds up to which a set is also recognised by its content (CIDRs and port ranges written twice). */
const SMALL_SET = 32;

/** One direction's rules as boxes over its atoms (computed once per compiled NSG and direction). */
export function ruleSpace(ordered: OrderedRules): RuleSpace {
  // Default rules come after every user rule (engine/nsg/order), so they never decide first for one: leave them out.
  const rules = ordered.rules.slice(0, ordered.rules.findLastIndex((r) => !r.isDefault) + 1);
  const perDimension = DIMENSIONS.map((pick, dim) => {
    // Distinct sets: by identity (the resolver hands out one set per tag) and, for small sets, by content.
    const ids = new Map<Intervals, number>();
    const byContent = new Map<string, number>();
    const sets: Intervals[] = [];
    const idOf = (s: Intervals) => {
      let id = ids.get(s);
      if (id !== undefined) return id;
      const key = s.v4.length + s.v6.length <= SMALL_SET ? `${s.v4.join(",")}/${s.v6.join(",")}` : undefined;
      id = key === undefined ? undefined : byContent.get(key);
      if (id === undefined) {
        id = sets.length;
        sets.push(s);
        if (key !== undefined) byContent.set(key, id);
      }
      ids.set(s, id);
      return id;
    };
    const picked = rules.map((r) => {
      const t = pick(r);
      return { def: idOf(t.definite), poss: idOf(t.possible) };
    });
    const portDim = PORT_DIMENSIONS.has(dim);
    const { bits, atoms, words } = atomize(sets, portDim ? 1 : 0);
    const noPort = new Uint32Array(words);
    if (portDim) setBit(noPort, atoms - 1);
    const of = (r: NormalizedRule, id: number, kind: "definite" | "possible") => {
      const set = bits[id]!;
      if (!portDim) return set;
      const p = (dim === 1 ? r.sourcePorts : r.destinationPorts)[kind];
      // NO_PORT: definite for a rule covering every port, possible for a rule with any port (module note).
      const withNoPort = kind === "definite" ? isAllPorts(p) : p.length > 0;
      if (!withNoPort) return set;
      const out = set.slice();
      setBit(out, atoms - 1);
      return out;
    };
    return { picked, of, noPort, atoms };
  });
  const boxes = rules.map((r, i) => ({
    // A maybe-only rule (its place in the order is unknown) never matches definitely (engine/nsg/order).
    def: {
      p: ordered.maybeOnly[i] ? 0 : r.protocols.definite,
      d: perDimension.map((x) => x.of(r, x.picked[i]!.def, "definite")),
    },
    poss: { p: r.protocols.possible, d: perDimension.map((x) => x.of(r, x.picked[i]!.poss, "possible")) },
  }));
  const atoms = perDimension.map((x) => x.atoms);
  return {
    rules: boxes,
    noPort: perDimension.map((x) => x.noPort),
    definite: new CutIndex(
      boxes.map((b) => b.def),
      atoms,
    ),
    possible: new CutIndex(
      boxes.map((b) => b.poss),
      atoms,
    ),
    atoms,
  };
}

function forEachBit(a: Uint32Array, f: (i: number) => void): void {
  for (let w = 0; w < a.length; w++) {
    let x = a[w]!;
    while (x !== 0) {
      const low = x & -x;
      f((w << 5) + 31 - Math.clz32(low));
      x ^= low;
    }
  }
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** True when no flow is in the box. */
export function isEmptyBox(b: Box): boolean {
  return b.p === 0 || b.d.some(isZero);
}

/** True when the boxes share a flow (both non-empty). */
export function overlaps(a: Box, b: Box): boolean {
  if ((a.p & b.p) === 0) return false;
  for (let k = 0; k < a.d.length; k++) if (!anyAnd(a.d[k]!, b.d[k]!)) return false;
  return true;
}

/** The flows in both boxes. */
export function meet(a: Box, b: Box): Box {
  return { p: a.p & b.p, d: a.d.map((x, k) => and(x, b.d[k]!)) };
}

/** The flows of `r` outside `cut`, as at most five disjoint boxes (none when `cut` holds all of `r`). */
export function minus(r: Box, cut: Box): Box[] {
  if (!overlaps(r, cut)) return [r];
  const out: Box[] = [];
  // Peel one dimension at a time: the part of r outside cut in that dimension, inside cut in the ones before.
  if ((r.p & ~cut.p) !== 0) out.push({ p: r.p & ~cut.p, d: r.d });
  const p = r.p & cut.p;
  const d = [...r.d];
  for (let k = 0; k < d.length; k++) {
    const outside = andNot(r.d[k]!, cut.d[k]!);
    if (!isZero(outside)) {
      const piece = [...d];
      piece[k] = outside;
      out.push({ p, d: piece });
    }
    d[k] = and(r.d[k]!, cut.d[k]!);
  }
  return out;
}

/** The flows of `region` (disjoint boxes) outside `cut`. */
export function subtract(region: readonly Box[], cut: Box): Box[] {
  const out: Box[] = [];
  for (const r of region) {
    if (overlaps(r, cut)) out.push(...minus(r, cut));
    else out.push(r);
  }
  return out;
}

function keyWithout(b: Box, field: number): string {
  const parts: string[] = [];
  if (field !== 0) parts.push(String(b.p));
  b.d.forEach((x, k) => {
    if (k + 1 !== field) parts.push(x.join(","));
  });
  return parts.join("|");
}

/** The same flows as `region` (disjoint boxes) in fewer boxes: boxes equal in all fields but one are merged. */
export function coalesce(region: readonly Box[]): Box[] {
  let current = [...region];
  for (let field = 0; field <= current[0]!.d.length && current.length > 1; field++) {
    const merged = new Map<string, Box>();
    for (const b of current) {
      const key = keyWithout(b, field);
      const known = merged.get(key);
      if (!known) merged.set(key, b);
      else if (field === 0) merged.set(key, { p: known.p | b.p, d: known.d });
      else {
        const d = [...known.d];
        const k = field - 1;
        const united = new Uint32Array(d[k]!.length);
        for (let w = 0; w < united.length; w++) united[w] = d[k]![w]! | b.d[k]![w]!;
        d[k] = united;
        merged.set(key, { p: known.p, d });
      }
    }
    current = [...merged.values()];
  }
  return current;
}

/** A box's size in atoms (protocols × atoms per dimension), to cut with the largest boxes first. */
function size(b: Box): number {
  let n = popcount(b.p);
  for (const x of b.d) {
    let c = 0;
    for (let w = 0; w < x.length; w++) c += popcount(x[w]!);
    n *= c;
  }
  return n;
}

/**
 * True when some flow of `region` (disjoint boxes) is in none of the boxes of `index` before `below`. The answer
 * does not depend on the order of the cuts, so: only the boxes that share a flow with the region count, a greedy
 * search for a flow none of them holds may answer at once, and otherwise they are subtracted largest first,
 * stopping as soon as nothing is left.
 */
export function leftOver(region: readonly Box[], index: CutIndex, below: number): boolean {
  if (region.length === 0) return false;
  const active = region.map((r) => index.overlapping(r, below));
  if (region.some((r, k) => index.escapes(r, active[k]!))) return true;
  const cuts: Box[] = [];
  const all = active.reduce((a, b) => a.map((w, k) => w | b[k]!));
  forEachBit(all, (j) => {
    cuts.push(index.boxes[j]!);
  });
  let left = [...region];
  for (const c of cuts.sort((a, b) => size(b) - size(a))) {
    left = subtract(left, c);
    if (left.length === 0) return false;
    if (left.length >= COALESCE_FROM) left = coalesce(left);
  }
  return true;
}

/** Regions beyond this many boxes are coalesced before the next cut. */
const COALESCE_FROM = 16;
