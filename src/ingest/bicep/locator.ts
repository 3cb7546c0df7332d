/**
 * @module ingest/bicep/locator
 * Ingest layer, Bicep evaluation: where each value the evaluator builds is written. Every object and array it
 * builds (a resource, a property bag, a subnet, a rule) is recorded against the syntax node it came from, and
 * this locator answers the ingest's location questions from that record (src/ingest/locator.ts): `locate(obj)`
 * gives the node's line and column, `locateMember(obj, key)` the place of the value written under that key (so
 * `src.member(["properties", "addressPrefix"])` cites the `.bicep` line of the prefix itself). The record is a
 * WeakMap to the node; line and column are read from the node's range only when asked.
 */
import type { SourceRef } from "../../model/source.js";
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

/** What a built value was made from: a literal, a loop body, a resource declaration, or any expression. */
type Origin =
  | { file: string; node: ObjectExpr | ArrayExpr | Expr }
  | { file: string; node: ResourceDecl | ModuleDecl; body: ObjectExpr | undefined };

/** A place in a Bicep file, for diagnostics and the model. */
export function sourceAt(file: string, range: Range | undefined): SourceRef {
  return range ? { file, pointer: "", line: range.line, column: range.col } : { file, pointer: "", line: 1, column: 1 };
}

export class BicepLocator implements Locator {
  private readonly origins = new WeakMap<object, Origin>();
  /** One origin object per syntax node and file: loops build many values from one node. */
  private readonly shared = new WeakMap<object, Origin>();

  private originOf(file: string, node: ObjectExpr | ArrayExpr | Expr): Origin {
    let origin = this.shared.get(node);
    if (!origin || origin.file !== file) {
      origin = { file, node };
      this.shared.set(node, origin);
    }
    return origin;
  }

  /** Records that `built` was made from `node` in `file` (the first record wins: a value keeps its origin). */
  record(built: unknown, file: string, node: ObjectExpr | ArrayExpr | Expr): void {
    if (typeof built === "object" && built !== null && !this.origins.has(built))
      this.origins.set(built, this.originOf(file, node));
  }

  /** Records an object just built from `node` (it has no origin yet, so none is looked up). */
  recordNew(built: object, file: string, node: ObjectExpr | ArrayExpr | Expr): void {
    this.origins.set(built, this.originOf(file, node));
  }

  /** Records a resource node (or a module's placeholder): cited at its declaration, its members at the body's properties. */
  recordResource(built: object, file: string, decl: ResourceDecl | ModuleDecl, body: ObjectExpr | undefined): void {
    this.origins.set(built, { file, node: decl, body });
  }

  /** True when `built` has a recorded origin. */
  has(built: object): boolean {
    return this.origins.has(built);
  }

  locate(node: object): SourceRef | undefined {
    const origin = this.origins.get(node);
    return origin ? sourceAt(origin.file, origin.node.range) : undefined;
  }

  locateMember(node: object, key: string | number): SourceRef | undefined {
    const origin = this.origins.get(node);
    if (!origin) return undefined;
    const range = memberRange(origin, key);
    return range ? sourceAt(origin.file, range) : undefined;
  }
}

function memberRange(origin: Origin, key: string | number): Range | undefined {
  const node = "body" in origin ? origin.body : origin.node;
  if (!node) return undefined;
  switch (node.kind) {
    case "ObjectExpr":
      return typeof key === "string" ? findProperty(node, key)?.value.range : undefined;
    case "ArrayExpr": {
      // Indexes match items only while no spread shifts them.
      if (typeof key !== "number" || node.items.some((i) => i.kind === "SpreadExpr")) return undefined;
      return node.items[key]?.range;
    }
    case "ForExpr": {
      // Every item of a loop comes from its body.
      const body = node.body.kind === "IfExpr" ? node.body.body : node.body;
      return typeof key === "number" ? body.range : undefined;
    }
    default:
      return undefined;
  }
}
