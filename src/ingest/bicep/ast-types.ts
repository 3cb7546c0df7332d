/**
 * @module ingest/bicep/ast-types
 * Ingest layer, Bicep syntax: the nodes of type expressions (user-defined types, parameter and output types).
 * Part of the syntax tree of ast.ts, which re-exports them; import from there.
 */
import type {
  BoolExpr,
  Decorator,
  Expr,
  Identifier,
  IntExpr,
  NullExpr,
  Range,
  StringExpr,
  UnaryOperator,
} from "./ast.js";

/** `string`, `myType`, or `ns.myType` (a type from `import * as ns`, or `sys.string`). */
export interface TypeRef {
  kind: "TypeRef";
  namespace: Identifier | null;
  name: Identifier;
  range: Range;
}

/** `resourceInput<'T@v'>`, `resourceOutput<…>`, `resource<…>`, `sys.resourceInput<…>`. */
export interface ParameterizedType {
  kind: "ParameterizedType";
  namespace: Identifier | null;
  name: Identifier;
  args: TypeExpr[];
  range: Range;
}

/** `resource 'T@v'` as a parameter or output type; `typeRef` is null in `output x resource = …`. */
export interface ResourceType {
  kind: "ResourceType";
  typeRef: StringExpr | null;
  range: Range;
}

/** `'a'`, `10`, `true`, `null` used as a type. */
export interface LiteralType {
  kind: "LiteralType";
  value: StringExpr | IntExpr | BoolExpr | NullExpr;
  range: Range;
}

/** `-1` or `!true` used as a type. */
export interface UnaryType {
  kind: "UnaryType";
  operator: UnaryOperator;
  operand: TypeExpr;
  range: Range;
}

/** `'a' | 'b' | 'c'` (a leading `|` is allowed). */
export interface UnionType {
  kind: "UnionType";
  members: TypeExpr[];
  range: Range;
}

/** `T[]`. */
export interface ArrayType {
  kind: "ArrayType";
  item: TypeExpr;
  range: Range;
}

/** `key: T` in an object type; optional when T is nullable (`key: T?`). */
export interface ObjectTypeProperty {
  kind: "ObjectTypeProperty";
  key: Identifier | StringExpr;
  value: TypeExpr;
  decorators: Decorator[];
  range: Range;
}

/** `*: T`: the type of every other property. */
export interface ObjectTypeAdditional {
  kind: "ObjectTypeAdditional";
  value: TypeExpr;
  decorators: Decorator[];
  range: Range;
}

export interface ObjectType {
  kind: "ObjectType";
  properties: ObjectTypeProperty[];
  additional: ObjectTypeAdditional | null;
  range: Range;
}

export interface TupleTypeItem {
  kind: "TupleTypeItem";
  value: TypeExpr;
  decorators: Decorator[];
  range: Range;
}

/** `[string, int]`. */
export interface TupleType {
  kind: "TupleType";
  items: TupleTypeItem[];
  range: Range;
}

/** `T?`. */
export interface NullableType {
  kind: "NullableType";
  base: TypeExpr;
  range: Range;
}

/** `T!`. */
export interface NonNullableType {
  kind: "NonNullableType";
  base: TypeExpr;
  range: Range;
}

export interface ParenType {
  kind: "ParenType";
  inner: TypeExpr;
  range: Range;
}

/** `T.prop`: the type of one property of an object type. */
export interface TypeMember {
  kind: "TypeMember";
  object: TypeExpr;
  name: Identifier;
  range: Range;
}

/** `T[0]`: the type of one element of a tuple type. */
export interface TypeIndex {
  kind: "TypeIndex";
  object: TypeExpr;
  index: Expr;
  range: Range;
}

/** `T[*]`: the element type of an array type. */
export interface TypeItems {
  kind: "TypeItems";
  object: TypeExpr;
  range: Range;
}

/** `T.*`: the additional-properties type of an object type. */
export interface TypeAdditionalProperties {
  kind: "TypeAdditionalProperties";
  object: TypeExpr;
  range: Range;
}

export type TypeExpr =
  | TypeRef
  | ParameterizedType
  | ResourceType
  | LiteralType
  | UnaryType
  | UnionType
  | ArrayType
  | ObjectType
  | TupleType
  | NullableType
  | NonNullableType
  | ParenType
  | TypeMember
  | TypeIndex
  | TypeItems
  | TypeAdditionalProperties;
