/**
 * @module ingest/bicep/ast-statements
 * Ingest layer, Bicep syntax: the nodes of statements (declarations) and of the whole file. Part of the syntax
 * tree of ast.ts, which re-exports them; import from there.
 */
import type { Decorator, Expr, ForExpr, Identifier, IfExpr, ObjectExpr, Range, StringExpr } from "./ast.js";
import type { TypeExpr } from "./ast-types.js";

/** Fields every statement has. Its `range` starts at its keyword; each decorator has its own range. */
interface StatementBase {
  decorators: Decorator[];
  range: Range;
}

export interface TargetScopeDecl extends StatementBase {
  kind: "TargetScopeDecl";
  value: Expr;
}

export interface MetadataDecl extends StatementBase {
  kind: "MetadataDecl";
  name: Identifier;
  value: Expr;
}

/** `param name type [= default]` in a .bicep file. */
export interface ParamDecl extends StatementBase {
  kind: "ParamDecl";
  name: Identifier;
  type: TypeExpr;
  default: Expr | null;
}

/** `param name = value` in a .bicepparam file. */
export interface ParamAssignment extends StatementBase {
  kind: "ParamAssignment";
  name: Identifier;
  value: Expr;
}

/** `var name [type] = value`. */
export interface VarDecl extends StatementBase {
  kind: "VarDecl";
  name: Identifier;
  type: TypeExpr | null;
  value: Expr;
}

/** The value of a resource or module: an object, `if (c) {…}`, or `[for … : {…} | if (c) {…}]`. */
export type ResourceBody = ObjectExpr | IfExpr | ForExpr;

/** `resource name 'T@v' [existing] = body`, at the top level or inside a resource's body (a child). */
export interface ResourceDecl extends StatementBase {
  kind: "ResourceDecl";
  name: Identifier;
  /** `'Microsoft.Network/virtualNetworks@2024-05-01'`, or `'subnets'` for a child declared in its parent. */
  typeRef: StringExpr;
  existing: boolean;
  value: ResourceBody;
}

/** `module name 'path' = body`; the path is a file (`'./x.bicep'`) or a registry or spec reference. */
export interface ModuleDecl extends StatementBase {
  kind: "ModuleDecl";
  name: Identifier;
  path: StringExpr;
  value: ResourceBody;
}

/** `test name 'path' = {…}` (Bicep's experimental test framework). */
export interface TestDecl extends StatementBase {
  kind: "TestDecl";
  name: Identifier;
  path: StringExpr;
  value: ObjectExpr;
}

/** `output name type = value`; the type is a ResourceType in `output name resource 'T@v' = …`. */
export interface OutputDecl extends StatementBase {
  kind: "OutputDecl";
  name: Identifier;
  type: TypeExpr;
  value: Expr;
}

export interface TypeDecl extends StatementBase {
  kind: "TypeDecl";
  name: Identifier;
  value: TypeExpr;
}

export interface FuncParam {
  kind: "FuncParam";
  name: Identifier;
  type: TypeExpr;
  range: Range;
}

/** `func name(a string, b int) returnType => body`. */
export interface FuncDecl extends StatementBase {
  kind: "FuncDecl";
  name: Identifier;
  params: FuncParam[];
  returnType: TypeExpr;
  body: Expr;
}

/** One entry of `import {a, 'b' as c} from …`; `name` is a string when the exported name is not an identifier. */
export interface ImportedSymbol {
  kind: "ImportedSymbol";
  name: Identifier | StringExpr;
  alias: Identifier | null;
  range: Range;
}

/** `import {…} from 'path'` (wildcard null) or `import * as wildcard from 'path'` (symbols empty). */
export interface ImportDecl extends StatementBase {
  kind: "ImportDecl";
  symbols: ImportedSymbol[];
  wildcard: Identifier | null;
  from: StringExpr;
}

/** `extension name`, `extension 'ref' with {…} as alias`, or the older `import 'az@1.0.0' with {…} as alias`. */
export interface ExtensionDecl extends StatementBase {
  kind: "ExtensionDecl";
  keyword: "extension" | "import";
  specification: Identifier | StringExpr;
  config: ObjectExpr | null;
  alias: Identifier | null;
}

/** `extensionConfig alias with {…}` in a .bicepparam file. */
export interface ExtensionConfigDecl extends StatementBase {
  kind: "ExtensionConfigDecl";
  alias: Identifier;
  config: ObjectExpr;
}

/** `using './main.bicep' [with {…}]`, or `using none` (path null), in a .bicepparam file. */
export interface UsingDecl extends StatementBase {
  kind: "UsingDecl";
  path: StringExpr | null;
  config: ObjectExpr | null;
}

/** `extends './base.bicepparam'` in a .bicepparam file. */
export interface ExtendsDecl extends StatementBase {
  kind: "ExtendsDecl";
  path: StringExpr;
}

export interface AssertDecl extends StatementBase {
  kind: "AssertDecl";
  name: Identifier;
  value: Expr;
}

export type Statement =
  | TargetScopeDecl
  | MetadataDecl
  | ParamDecl
  | ParamAssignment
  | VarDecl
  | ResourceDecl
  | ModuleDecl
  | TestDecl
  | OutputDecl
  | TypeDecl
  | FuncDecl
  | ImportDecl
  | ExtensionDecl
  | ExtensionConfigDecl
  | UsingDecl
  | ExtendsDecl
  | AssertDecl;

/** Which grammar a file is read with: `.bicepparam` files have `using`, untyped `param x = …`, and no resources. */
export type BicepFileKind = "bicep" | "bicepparam";

export interface Program {
  kind: "Program";
  file: string;
  fileKind: BicepFileKind;
  statements: Statement[];
  range: Range;
}
