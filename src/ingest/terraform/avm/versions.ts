/**
 * @module ingest/terraform/avm/versions
 * Ingest layer, Terraform: module version constraints as Terraform reads them
 * (developer.hashicorp.com/terraform/language/expressions/version-constraints): a comma-separated list of
 * `=`, `!=`, `>`, `>=`, `<`, `<=` and `~>` (the rightmost component may grow: `~> 1.2` is `>= 1.2, < 2.0`,
 * `~> 1.2.3` is `>= 1.2.3, < 1.3.0`), and a bare version, which is exact. Pre-release versions are only
 * matched exactly.
 */

type Version = [number, number, number];

function parse(text: string): { v: Version; parts: number } | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  return {
    v: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)],
    parts: m[3] !== undefined ? 3 : m[2] !== undefined ? 2 : 1,
  };
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** True when `version` meets every part of `constraint` (no constraint allows everything). */
export function allows(constraint: string | undefined, version: string): boolean {
  if (constraint === undefined || constraint.trim() === "") return true;
  const v = parse(version);
  if (!v) return false;
  for (const part of constraint.split(",")) {
    const m = /^\s*(~>|>=|<=|!=|=|>|<)?\s*(\S+)\s*$/.exec(part);
    if (!m) return false;
    const op = m[1] ?? "=";
    const target = parse(m[2]!);
    if (!target) return false;
    const c = compare(v.v, target.v);
    switch (op) {
      case "=":
        if (c !== 0) return false;
        break;
      case "!=":
        if (c === 0) return false;
        break;
      case ">":
        if (c <= 0) return false;
        break;
      case ">=":
        if (c < 0) return false;
        break;
      case "<":
        if (c >= 0) return false;
        break;
      case "<=":
        if (c > 0) return false;
        break;
      case "~>": {
        if (c < 0) return false;
        const upper: Version = [...target.v];
        if (target.parts <= 1) upper[0] += 1;
        else if (target.parts === 2) {
          upper[0] += 1;
          upper[1] = 0;
        } else {
          upper[1] += 1;
          upper[2] = 0;
        }
        if (target.parts === 2) {
          upper[1] = 0;
          upper[2] = 0;
        }
        if (compare(v.v, upper) >= 0) return false;
        break;
      }
    }
  }
  return true;
}

/** The newest of `versions` the constraint allows, as Terraform would choose among them. */
export function newestAllowed(versions: string[], constraint: string | undefined): string | undefined {
  const ok = versions.filter((v) => allows(constraint, v)).map((v) => ({ v, p: parse(v)! }));
  ok.sort((a, b) => compare(b.p.v, a.p.v));
  return ok[0]?.v;
}
