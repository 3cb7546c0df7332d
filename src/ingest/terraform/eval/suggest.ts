/**
 * @module ingest/terraform/eval/suggest
 * Ingest layer, Terraform: the "did you mean" of a refused name (a variable, a resource, a map key): the nearest
 * of the names that exist, by edit distance, when one is near; the names themselves when they are few.
 */

/** ` (did you mean "x"?)` for the nearest of `names`, when one is near. */
export function suggest(name: string, names: string[]): string {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of names.slice(0, 200)) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  const shown =
    names.length === 0
      ? " (it declares none)"
      : names.length <= 12
        ? ` (it has ${names.map((n) => `"${n}"`).join(", ")})`
        : "";
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3))
    ? ` (did you mean "${best}"?)`
    : shown;
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8 || a.length > 64 || b.length > 64) return 99;
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
