/**
 * @module engine/routes/trie
 * Engine layer: longest-prefix match through a binary trie (one bit a level), for IPv4 (32 levels, addresses
 * as unsigned numbers) and IPv6 (128 levels, addresses as four 32-bit words). Nodes live in typed arrays so
 * a lookup is a short loop over integers, with no allocation. Each prefix holds one entry number; what an
 * entry means (which route, whether it is a gateway route) is the caller's business.
 */

const NONE = -1;

/** A binary trie from prefixes to entry numbers, for one address family. */
export class PrefixTrie {
  private zero: Int32Array;
  private one: Int32Array;
  private value: Int32Array;
  private size = 1;

  /** `bits`: 32 for IPv4, 128 for IPv6. */
  constructor(readonly bits: 32 | 128) {
    this.zero = new Int32Array(64);
    this.one = new Int32Array(64);
    this.value = new Int32Array(64).fill(NONE);
  }

  /** Number of nodes (for tests and benchmarks). */
  get nodeCount(): number {
    return this.size;
  }

  private grow(): void {
    const n = this.zero.length * 2;
    const zero = new Int32Array(n);
    const one = new Int32Array(n);
    const value = new Int32Array(n).fill(NONE);
    zero.set(this.zero);
    one.set(this.one);
    value.set(this.value);
    this.zero = zero;
    this.one = one;
    this.value = value;
  }

  /**
   * Stores `entry` at the prefix whose first address is `words` (big-endian 32-bit words: one for IPv4, four
   * for IPv6) and whose length is `length`. A later insert at the same prefix replaces the entry.
   */
  insert(words: ArrayLike<number>, length: number, entry: number): void {
    let node = 0;
    for (let depth = 0; depth < length; depth++) {
      const bit = (words[depth >>> 5]! >>> (31 - (depth & 31))) & 1;
      const children = bit ? this.one : this.zero;
      let next = children[node]!;
      if (next === 0) {
        if (this.size === this.zero.length) this.grow();
        next = this.size++;
        (bit ? this.one : this.zero)[node] = next;
      }
      node = next;
    }
    this.value[node] = entry;
  }

  /** The entry of the longest prefix holding an IPv4 address (an unsigned 32-bit number), or -1. */
  longestV4(address: number): number {
    const zero = this.zero;
    const one = this.one;
    const value = this.value;
    let node = 0;
    let best = value[0]!;
    for (let depth = 0; depth < 32; depth++) {
      node = (address >>> (31 - depth)) & 1 ? one[node]! : zero[node]!;
      if (node === 0) break;
      const v = value[node]!;
      if (v !== NONE) best = v;
    }
    return best;
  }

  /** Like longestV4 for an address given as words (IPv6: four words). */
  longestWords(words: ArrayLike<number>): number {
    let node = 0;
    let best = this.value[0]!;
    for (let depth = 0; depth < this.bits; depth++) {
      const bit = (words[depth >>> 5]! >>> (31 - (depth & 31))) & 1;
      node = bit ? this.one[node]! : this.zero[node]!;
      if (node === 0) break;
      const v = this.value[node]!;
      if (v !== NONE) best = v;
    }
    return best;
  }
}

/** An address or prefix start as big-endian 32-bit words (one for IPv4, four for IPv6). */
export function toWords(version: 4 | 6, value: bigint): number[] {
  if (version === 4) return [Number(value)];
  const words: number[] = [];
  for (let shift = 96n; shift >= 0n; shift -= 32n) words.push(Number((value >> shift) & 0xffffffffn));
  return words;
}
