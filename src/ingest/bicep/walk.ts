/**
 * @module ingest/bicep/walk
 * Ingest layer, Bicep syntax: the children of every kind of node, in source order, so that walkers (the
 * parser's height check, tests, the evaluator's reference finder) need not know the tree's shape. An object's
 * `properties`, `spreads` and `resources` are views of its `members` and are not visited twice.
 */
import type { Node, Range } from "./ast.js";
import { LineMap } from "./tokens.js";

const nodes = (...items: (Node | null | undefined)[]): Node[] => items.filter((n): n is Node => n != null);

/** The direct children of `node`, in source order. */
export function childNodes(node: Node): Node[] {
  switch (node.kind) {
    case "Program":
      return node.statements;
    case "Identifier":
    case "IntExpr":
    case "BoolExpr":
    case "NullExpr":
    case "IdentExpr":
      return [];
    case "Decorator":
      return nodes(node.namespace, node.name, ...(node.args ?? []));
    case "StringExpr":
      return node.parts.filter((p): p is Exclude<typeof p, string> => typeof p !== "string");
    case "SpreadExpr":
      return [node.expr];
    case "ArrayExpr":
      return node.items;
    case "ObjectExpr":
      return node.members;
    case "ObjectProperty":
      return [node.key, node.value];
    case "MemberExpr":
    case "ResourceAccessExpr":
      return [node.object, node.name];
    case "IndexExpr":
      return [node.object, node.index];
    case "CallExpr":
      return nodes(node.namespace, node.callee, ...node.args);
    case "MethodCallExpr":
      return [node.object, node.method, ...node.args];
    case "NonNullExpr":
    case "ParenExpr":
      return [node.expr];
    case "UnaryExpr":
      return [node.operand];
    case "BinaryExpr":
      return [node.left, node.right];
    case "TernaryExpr":
      return [node.condition, node.whenTrue, node.whenFalse];
    case "LambdaExpr":
      return [...node.params, node.body];
    case "ForExpr":
      return nodes(node.item, node.index, node.iterable, node.body);
    case "IfExpr":
      return [node.condition, node.body];
    case "TypeRef":
      return nodes(node.namespace, node.name);
    case "ParameterizedType":
      return nodes(node.namespace, node.name, ...node.args);
    case "ResourceType":
      return nodes(node.typeRef);
    case "LiteralType":
      return [node.value];
    case "UnaryType":
      return [node.operand];
    case "UnionType":
      return node.members;
    case "ArrayType":
      return [node.item];
    case "ObjectType":
      return nodes(...node.properties, node.additional);
    case "ObjectTypeProperty":
      return [...node.decorators, node.key, node.value];
    case "ObjectTypeAdditional":
    case "TupleTypeItem":
      return [...node.decorators, node.value];
    case "TupleType":
      return node.items;
    case "NullableType":
    case "NonNullableType":
      return [node.base];
    case "ParenType":
      return [node.inner];
    case "TypeMember":
      return [node.object, node.name];
    case "TypeIndex":
      return [node.object, node.index];
    case "TypeItems":
    case "TypeAdditionalProperties":
      return [node.object];
    case "FuncParam":
      return [node.name, node.type];
    case "ImportedSymbol":
      return nodes(node.name, node.alias);
    case "TargetScopeDecl":
      return [...node.decorators, node.value];
    case "MetadataDecl":
    case "ParamAssignment":
    case "AssertDecl":
      return [...node.decorators, node.name, node.value];
    case "ParamDecl":
      return nodes(...node.decorators, node.name, node.type, node.default);
    case "VarDecl":
      return nodes(...node.decorators, node.name, node.type, node.value);
    case "ResourceDecl":
      return [...node.decorators, node.name, node.typeRef, node.value];
    case "ModuleDecl":
    case "TestDecl":
      return [...node.decorators, node.name, node.path, node.value];
    case "OutputDecl":
      return [...node.decorators, node.name, node.type, node.value];
    case "TypeDecl":
      return [...node.decorators, node.name, node.value];
    case "FuncDecl":
      return [...node.decorators, node.name, ...node.params, node.returnType, node.body];
    case "ImportDecl":
      return nodes(...node.decorators, ...node.symbols, node.wildcard, node.from);
    case "ExtensionDecl":
      return nodes(...node.decorators, node.specification, node.config, node.alias);
    case "ExtensionConfigDecl":
      return [...node.decorators, node.alias, node.config];
    case "UsingDecl":
      return nodes(...node.decorators, node.path, node.config);
    case "ExtendsDecl":
      return [...node.decorators, node.path];
  }
}

/** Calls `visit` on `root` and every node below it, parents first; iterative, so any height is fine. */
export function walk(root: Node, visit: (node: Node) => void): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visit(node);
    const children = childNodes(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

/** The height of the tree under `root` (1 for a leaf), computed without recursion. */
export function treeHeight(root: Node): number {
  let max = 0;
  const stack: [Node, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > max) max = depth;
    for (const child of childNodes(node)) stack.push([child, depth + 1]);
  }
  return max;
}

/**
 * The tree as plain data for comparing two trees: without ranges and without an object's views (see ObjectExpr);
 * with `parens: false` also without ParenExpr and ParenType wrappers (trees equal up to parentheses). Keys are
 * sorted, so that JSON.stringify of two shapes compares the trees.
 */
export function treeShape(root: Node, options: { parens?: boolean } = {}): unknown {
  const keepParens = options.parens ?? true;
  const shape = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(shape);
    if (value === null || typeof value !== "object") return value;
    const node = value as Record<string, unknown>;
    if (!keepParens && node.kind === "ParenExpr") return shape(node.expr);
    if (!keepParens && node.kind === "ParenType") return shape(node.inner);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(node).sort()) {
      const child = node[key];
      if (key === "range") continue;
      if (node.kind === "ObjectExpr" && (key === "properties" || key === "spreads" || key === "resources")) continue;
      out[key] = shape(child);
    }
    return out;
  };
  return shape(root);
}

/**
 * What is wrong with the places of a tree parsed from `text` (empty when nothing is): a node outside the text,
 * a line or column that disagrees with the offsets, a child outside its parent (decorators, which come before
 * the keyword their statement's range starts at, aside). The tests and the fuzz targets check every tree.
 */
export function rangeProblems(root: Node, text: string): string[] {
  const lines = new LineMap(text);
  const problems: string[] = [];
  const show = (r: Range) => `${r.line}:${r.col}-${r.endLine}:${r.endCol}`;
  walk(root, (node) => {
    const r = node.range;
    if (r.start < 0 || r.end > text.length || r.start > r.end)
      problems.push(`${node.kind} at ${r.start}-${r.end} outside the text`);
    const start = lines.position(r.start);
    const end = lines.position(r.end);
    if (start.line !== r.line || start.col !== r.col || end.line !== r.endLine || end.col !== r.endCol) {
      problems.push(
        `${node.kind} at ${show(r)} but its offsets are at ${start.line}:${start.col}-${end.line}:${end.col}`,
      );
    }
    for (const child of childNodes(node)) {
      if (child.kind !== "Decorator" && (child.range.start < r.start || child.range.end > r.end)) {
        problems.push(`${child.kind} at ${show(child.range)} outside its ${node.kind} at ${show(r)}`);
      }
    }
  });
  return problems;
}
