/**
 * @module ingest/bicep/locator
 * Ingest layer, Bicep evaluation: where each value the evaluator builds is written. Every object and array it
 * builds (a resource, a property bag, a subnet, a rule) is recorded against the syntax node it came from and
 * the environment it was evaluated in, and this locator answers the ingest's location questions from that
 * record (src/ingest/locator.ts): `locate(obj)` gives the node's line and column, `locateMember(obj, key)` the
 * place of the value written under that key (so `src.member(["properties", "addressPrefix"])` cites the
 * `.bicep` line of the prefix itself). The record is a WeakMap to the node; line and column are read from the
 * node's range only when asked.
 *
 * A value written as a parameter read (`addressPrefix: prefix`, `settings.prefix`, `s.prefix` of a loop over a
 * parameter) is placed where it is read and, in the place's `via`, where it was passed from: the caller's
 * `params:` value (or the member of the object the caller wrote), then that value's own caller, outermost last
 * (a `.bicepparam` or `--parameters` file for a root). So a finding in a module says where to change the value.
 */
import type { SourceRef } from "../../model/source.js";
import { getMember, isPlainObject } from "../arm/expression/values.js";
import type { Locator } from "../locator.js";
import {
  type ArrayExpr,
  type Expr,
  findProperty,
  type ModuleDecl,
  type ObjectExpr,
  type Range,
  type ResourceDecl,
} from "./ast.js";
import type { Env } from "./env.js";
import type { Supplied } from "./params.js";

/** What a built value was made from (a literal, a loop body, a resource declaration, any expression), and where. */
type Origin =
  | { env: Env; node: ObjectExpr | ArrayExpr | Expr }
  | { env: Env; node: ResourceDecl | ModuleDecl; body: ObjectExpr | undefined };

/** How far `via` follows values from caller to caller (modules nest 16 deep; values pass through a few names). */
const MAX_VIA = 64;

/** A place in a Bicep file, for diagnostics and the model. */
export function sourceAt(file: string, range: Range | undefined): SourceRef {
  return range ? { file, pointer: "", line: range.line, column: range.col } : { file, pointer: "", line: 1, column: 1 };
}

export class BicepLocator implements Locator {
  private readonly origins = new WeakMap<object, Origin>();
  /** One origin object per syntax node and environment: a file's values share one; a loop's, one per item. */
  private readonly shared = new WeakMap<object, Origin>();

  private originOf(env: Env, node: ObjectExpr | ArrayExpr | Expr): Origin {
    let origin = this.shared.get(node);
    if (!origin || origin.env !== env) {
      origin = { env, node };
      this.shared.set(node, origin);
    }
    return origin;
  }

  /** Records that `built` was made from `node` in `env` (the first record wins: a value keeps its origin). */
  record(built: unknown, env: Env, node: ObjectExpr | ArrayExpr | Expr): void {
    if (typeof built === "object" && built !== null && !this.origins.has(built))
      this.origins.set(built, this.originOf(env, node));
  }

  /** Records an object just built from `node` (it has no origin yet, so none is looked up). */
  recordNew(built: object, env: Env, node: ObjectExpr | ArrayExpr | Expr): void {
    this.origins.set(built, this.originOf(env, node));
  }

  /** Records a resource node (or a module's placeholder): cited at its declaration, its members at the body's properties. */
  recordResource(built: object, env: Env, decl: ResourceDecl | ModuleDecl, body: ObjectExpr | undefined): void {
    this.origins.set(built, { env, node: decl, body });
  }

  /** True when `built` has a recorded origin. */
  has(built: object): boolean {
    return this.origins.has(built);
  }

  locate(node: object): SourceRef | undefined {
    const origin = this.origins.get(node);
    return origin ? sourceAt(origin.env.scope.file, origin.node.range) : undefined;
  }

  locateMember(node: object, key: string | number): SourceRef | undefined {
    return this.memberPlace(node, key, 0);
  }

  /**
   * Where the value written as `expr` in `env` was passed from, nearest first: empty unless `expr` reads a
   * parameter given from outside (a name, or members of it with literal keys), or a member of a value another
   * file evaluation built (`s.prefix`, `s` an item of a loop over a parameter).
   */
  passedFrom(env: Env, expr: Expr, depth = 0): SourceRef[] {
    const read = depth < MAX_VIA ? readsName(expr) : undefined;
    if (!read) return [];
    const local = env.binds(read.name);
    const given: Supplied | undefined = local ? undefined : env.scope.given?.(read.name);
    if (!local && !given) return [];
    const last = read.path[read.path.length - 1];
    if (last !== undefined) {
      // The member the caller wrote, when its object is one built elsewhere: nearer than the whole parameter.
      const root = given ? given.value : env.lookup(read.name, expr);
      const container = containerAt(root, read.path.slice(0, -1));
      const origin = container ? this.origins.get(container) : undefined;
      const key = container && typeof last === "string" && isPlainObject(container) ? ownKey(container, last) : last;
      if (origin && (given || origin.env.scope !== env.scope)) {
        const found = this.memberPlace(container!, key, depth + 1);
        if (found) return [plain(found), ...(found.via ?? [])];
      }
    }
    if (!given?.src) return [];
    return [plain(given.src), ...(given.passedFrom?.() ?? [])];
  }

  private memberPlace(node: object, key: string | number, depth: number): SourceRef | undefined {
    const origin = this.origins.get(node);
    if (!origin) return undefined;
    const member = memberOf(origin, key);
    if (!member) return undefined;
    const at = sourceAt(origin.env.scope.file, member.range);
    const via = member.expr ? this.passedFrom(origin.env, member.expr, depth) : [];
    return via.length > 0 ? { ...at, via } : at;
  }
}

/** The four fields of a place (a `via` entry holds no `via` of its own: the list is flat). */
function plain(src: SourceRef): SourceRef {
  return { file: src.file, pointer: src.pointer, line: src.line, column: src.column };
}

/** `name`, `name.a.b`, `name[0]`, `(name)!`: the name read and the literal path below it. */
function readsName(expr: Expr): { name: string; path: (string | number)[] } | undefined {
  const path: (string | number)[] = [];
  let at: Expr = expr;
  for (;;) {
    switch (at.kind) {
      case "IdentExpr":
        return { name: at.name, path: path.reverse() };
      case "ParenExpr":
      case "NonNullExpr":
        at = at.expr;
        break;
      case "MemberExpr":
        path.push(at.name.name);
        at = at.object;
        break;
      case "IndexExpr": {
        const index = at.index;
        if (at.fromEnd) return undefined;
        if (index.kind === "IntExpr") path.push(index.value);
        else if (index.kind === "StringExpr" && index.parts.length === 1) path.push(index.parts[0] as string);
        else return undefined;
        at = at.object;
        break;
      }
      default:
        return undefined;
    }
  }
}

/** The container at `path` below `value` (plain objects and arrays only), or undefined. */
function containerAt(value: unknown, path: readonly (string | number)[]): object | undefined {
  let current = value;
  for (const step of path) {
    if (Array.isArray(current) && typeof step === "number") current = current[step];
    else if (isPlainObject(current) && typeof step === "string") current = getMember(current, step);
    else return undefined;
  }
  return Array.isArray(current) || isPlainObject(current) ? current : undefined;
}

/** The key of `obj` that `name` reads (ARM matches member names case-insensitively). */
function ownKey(obj: object, name: string): string {
  if (Object.hasOwn(obj, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower) ?? name;
}

/** The range of member `key` of what `origin` records, and the expression written there when it was evaluated in the origin's environment. */
function memberOf(origin: Origin, key: string | number): { range: Range; expr?: Expr } | undefined {
  const node = "body" in origin ? origin.body : origin.node;
  if (!node) return undefined;
  switch (node.kind) {
    case "ObjectExpr": {
      const value = typeof key === "string" ? findProperty(node, key)?.value : undefined;
      return value ? { range: value.range, expr: value } : undefined;
    }
    case "ArrayExpr": {
      // Indexes match items only while no spread shifts them.
      if (typeof key !== "number" || node.items.some((i) => i.kind === "SpreadExpr")) return undefined;
      const item = node.items[key];
      return item && item.kind !== "SpreadExpr" ? { range: item.range, expr: item } : undefined;
    }
    case "ForExpr": {
      // Every item of a loop comes from its body (evaluated in each item's environment, not the origin's).
      const body = node.body.kind === "IfExpr" ? node.body.body : node.body;
      return typeof key === "number" ? { range: body.range } : undefined;
    }
    default:
      return undefined;
  }
}
