/**
 * @module ingest/bicep/print
 * Ingest layer, Bicep syntax: prints a syntax tree back to Bicep source, so that parse(print(tree)) is the same
 * tree (ranges aside). The tests use it to check the parser against itself on generated trees and on every
 * corpus file; it also shows a value as Bicep in a message. Layout is fixed (two-space indents, one member a
 * line); parentheses are printed where the tree has a ParenExpr or ParenType and, for hand-built trees, where
 * precedence needs them. Inside `${…}` objects and arrays go on one line, since a hole cannot hold a line break.
 */
import {
  BINARY_PRECEDENCE,
  type Decorator,
  type Expr,
  type Identifier,
  type IfExpr,
  type ObjectExpr,
  type Program,
  type Statement,
  type StringExpr,
  type TypeExpr,
} from "./ast.js";

/** Bicep source for a whole file. */
export function print(program: Program): string {
  const p = new Printer();
  return program.statements.map((s) => p.statement(s)).join("\n") + (program.statements.length > 0 ? "\n" : "");
}

/** Bicep source for one expression. */
export function printExpr(expr: Expr): string {
  return new Printer().expr(expr);
}

/** Bicep source for one type. */
export function printType(type: TypeExpr): string {
  return new Printer().type(type);
}

/** How tightly an expression binds: postfix and primaries 120, prefix 110, binary operators, `?:` 2, lambdas 1. */
function exprLevel(e: Expr): number {
  switch (e.kind) {
    case "LambdaExpr":
      return 1;
    case "TernaryExpr":
      return 2;
    case "BinaryExpr":
      return BINARY_PRECEDENCE[e.operator];
    case "UnaryExpr":
      return 110;
    default:
      return 120;
  }
}

/** Types: unions 1, prefix and `?`/`!` suffixes 2, everything else 3. */
function typeLevel(t: TypeExpr): number {
  switch (t.kind) {
    case "UnionType":
      return 1;
    case "UnaryType":
    case "NullableType":
    case "NonNullableType":
      return 2;
    default:
      return 3;
  }
}

/** The escapes of a single-line string (`${` is escaped as `\${`). */
function escapeText(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\") out += "\\\\";
    else if (c === "'") out += "\\'";
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else if (c === "$" && text[i + 1] === "{") out += "\\$";
    else out += c;
  }
  return out;
}

/** The longest run of `$` right before a `{` in `text` (a multi-line string needs more `$` than that for a hole). */
function longestDollarRun(text: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    if (c === "{" && run > longest) longest = run;
    run = c === "$" ? run + 1 : 0;
  }
  return longest;
}

class Printer {
  private indent = "";
  /** Inside `${…}`: objects and arrays on one line. */
  private inHole = 0;

  statement(s: Statement): string {
    const head = s.decorators.map((d) => `${this.decorator(d)}\n${this.indent}`).join("");
    return head + this.declaration(s);
  }

  private declaration(s: Statement): string {
    switch (s.kind) {
      case "TargetScopeDecl":
        return `targetScope = ${this.expr(s.value)}`;
      case "MetadataDecl":
        return `metadata ${s.name.name} = ${this.expr(s.value)}`;
      case "AssertDecl":
        return `assert ${s.name.name} = ${this.expr(s.value)}`;
      case "ParamDecl":
        return `param ${s.name.name} ${this.type(s.type)}${s.default ? ` = ${this.expr(s.default)}` : ""}`;
      case "ParamAssignment":
        return `param ${s.name.name} = ${this.expr(s.value)}`;
      case "VarDecl":
        return `var ${s.name.name}${s.type ? ` ${this.type(s.type)}` : ""} = ${this.expr(s.value)}`;
      case "ResourceDecl":
        return `resource ${s.name.name} ${this.string(s.typeRef)}${s.existing ? " existing" : ""} = ${this.body(s.value)}`;
      case "ModuleDecl":
        return `module ${s.name.name} ${this.string(s.path)} = ${this.body(s.value)}`;
      case "TestDecl":
        return `test ${s.name.name} ${this.string(s.path)} = ${this.object(s.value)}`;
      case "OutputDecl":
        return `output ${s.name.name} ${this.type(s.type)} = ${this.expr(s.value)}`;
      case "TypeDecl":
        return `type ${s.name.name} = ${this.type(s.value)}`;
      case "FuncDecl": {
        const params = s.params.map((p) => `${p.name.name} ${this.type(p.type)}`).join(", ");
        return `func ${s.name.name}(${params}) ${this.type(s.returnType)} => ${this.expr(s.body)}`;
      }
      case "ImportDecl": {
        const from = this.string(s.from);
        if (s.wildcard) return `import * as ${s.wildcard.name} from ${from}`;
        const names = s.symbols.map((i) => {
          const name = i.name.kind === "Identifier" ? i.name.name : this.string(i.name);
          return i.alias ? `${name} as ${i.alias.name}` : name;
        });
        return `import {${names.join(", ")}} from ${from}`;
      }
      case "ExtensionDecl": {
        const spec = s.specification.kind === "Identifier" ? s.specification.name : this.string(s.specification);
        const config = s.config ? ` with ${this.object(s.config)}` : "";
        return `${s.keyword} ${spec}${config}${s.alias ? ` as ${s.alias.name}` : ""}`;
      }
      case "ExtensionConfigDecl":
        return `extensionConfig ${s.alias.name} with ${this.object(s.config)}`;
      case "UsingDecl":
        return `using ${s.path ? this.string(s.path) : "none"}${s.config ? ` with ${this.object(s.config)}` : ""}`;
      case "ExtendsDecl":
        return `extends ${this.string(s.path)}`;
    }
  }

  private decorator(d: Decorator): string {
    const name = d.namespace ? `${d.namespace.name}.${d.name.name}` : d.name.name;
    return `@${name}${d.args ? `(${this.args(d.args)})` : ""}`;
  }

  private body(b: ObjectExpr | IfExpr | Expr): string {
    return b.kind === "IfExpr" ? `if (${this.expr(b.condition)}) ${this.object(b.body)}` : this.expr(b);
  }

  private args(args: Expr[]): string {
    return args.map((a) => this.expr(a)).join(", ");
  }

  private name(id: Identifier): string {
    return id.name;
  }

  /** `e` in parentheses when it binds less tightly than `level`. */
  private operand(e: Expr, level: number): string {
    return exprLevel(e) < level ? `(${this.expr(e)})` : this.expr(e);
  }

  expr(e: Expr): string {
    switch (e.kind) {
      case "StringExpr":
        return this.string(e);
      case "IntExpr":
        return e.text;
      case "BoolExpr":
        return String(e.value);
      case "NullExpr":
        return "null";
      case "IdentExpr":
        return e.name;
      case "ArrayExpr":
        return this.list("[", "]", () =>
          e.items.map((item) => (item.kind === "SpreadExpr" ? `...${this.expr(item.expr)}` : this.expr(item))),
        );
      case "ObjectExpr":
        return this.object(e);
      case "MemberExpr":
        return `${this.operand(e.object, 120)}${e.safe ? ".?" : "."}${this.name(e.name)}`;
      case "IndexExpr":
        return `${this.operand(e.object, 120)}[${e.safe ? "?" : ""}${e.fromEnd ? "^" : ""}${this.expr(e.index)}]`;
      case "ResourceAccessExpr":
        return `${this.operand(e.object, 120)}::${this.name(e.name)}`;
      case "CallExpr":
        return `${e.namespace ? `${e.namespace.name}.` : ""}${e.callee.name}(${this.args(e.args)})`;
      case "MethodCallExpr":
        return `${this.operand(e.object, 120)}.${e.method.name}(${this.args(e.args)})`;
      case "NonNullExpr":
        return `${this.operand(e.expr, 120)}!`;
      case "UnaryExpr":
        return `${e.operator}${this.operand(e.operand, 120)}`;
      case "BinaryExpr": {
        const level = BINARY_PRECEDENCE[e.operator];
        return `${this.operand(e.left, level)} ${e.operator} ${this.operand(e.right, level + 1)}`;
      }
      case "TernaryExpr":
        return `${this.operand(e.condition, 3)} ? ${this.expr(e.whenTrue)} : ${this.expr(e.whenFalse)}`;
      case "LambdaExpr": {
        const params = e.params.length === 1 ? e.params[0]!.name : `(${e.params.map((p) => p.name).join(", ")})`;
        return `${params} => ${this.expr(e.body)}`;
      }
      case "ForExpr": {
        const vars = e.index ? `(${e.item.name}, ${e.index.name})` : e.item.name;
        return `[for ${vars} in ${this.expr(e.iterable)}: ${this.body(e.body)}]`;
      }
      case "ParenExpr":
        return `(${this.expr(e.expr)})`;
    }
  }

  /** Items on their own lines (or on one line inside `${…}`). */
  private list(open: string, close: string, items: () => string[]): string {
    const outer = this.indent;
    if (this.inHole > 0) {
      const inline = items();
      const pad = open === "{" ? " " : "";
      return inline.length === 0 ? `${open}${close}` : `${open}${pad}${inline.join(", ")}${pad}${close}`;
    }
    this.indent = `${outer}  `;
    const lines = items();
    this.indent = outer;
    if (lines.length === 0) return `${open}${close}`;
    return `${open}\n${lines.map((l) => `${outer}  ${l}`).join("\n")}\n${outer}${close}`;
  }

  private object(o: ObjectExpr): string {
    return this.list("{", "}", () =>
      o.members.map((m) => {
        if (m.kind === "SpreadExpr") return `...${this.expr(m.expr)}`;
        if (m.kind === "ResourceDecl") return this.statement(m);
        const key = m.key.kind === "Identifier" ? m.key.name : this.string(m.key);
        return `${key}: ${this.expr(m.value)}`;
      }),
    );
  }

  private hole(e: Expr): string {
    this.inHole++;
    const text = this.expr(e);
    this.inHole--;
    return text;
  }

  private string(s: StringExpr): string {
    const texts = s.parts.filter((_, i) => i % 2 === 0) as string[];
    const holes = s.parts.filter((_, i) => i % 2 === 1) as Expr[];
    if (s.multiline && texts.every((t) => !t.includes("'''"))) {
      // One line break after the opening quotes, which the lexer drops, keeps a leading line break of the text.
      const dollars = holes.length === 0 ? "" : "$".repeat(1 + Math.max(...texts.map(longestDollarRun)));
      let out = `${dollars}'''\n${texts[0]}`;
      holes.forEach((h, i) => {
        out += `${dollars}{${this.hole(h)}}${texts[i + 1]}`;
      });
      return `${out}'''`;
    }
    let out = `'${escapeText(texts[0]!)}`;
    holes.forEach((h, i) => {
      out += `\${${this.hole(h)}}${escapeText(texts[i + 1]!)}`;
    });
    return `${out}'`;
  }

  type(t: TypeExpr): string {
    const base = (inner: TypeExpr, level: number) =>
      typeLevel(inner) < level ? `(${this.type(inner)})` : this.type(inner);
    switch (t.kind) {
      case "TypeRef":
        return t.namespace ? `${t.namespace.name}.${t.name.name}` : t.name.name;
      case "ParameterizedType": {
        const name = t.namespace ? `${t.namespace.name}.${t.name.name}` : t.name.name;
        return `${name}<${t.args.map((a) => this.type(a)).join(", ")}>`;
      }
      case "ResourceType":
        return t.typeRef ? `resource ${this.string(t.typeRef)}` : "resource";
      case "LiteralType":
        return this.expr(t.value);
      case "UnaryType":
        return `${t.operator}${base(t.operand, 3)}`;
      case "UnionType": {
        const members = t.members.map((m) => base(m, 2));
        return members.length === 1 ? `| ${members[0]}` : members.join(" | ");
      }
      case "ArrayType":
        return `${base(t.item, 3)}[]`;
      case "NullableType":
        // `? ?` with a space: `??` is the coalescing operator's token.
        return `${base(t.base, 2)}${t.base.kind === "NullableType" ? " " : ""}?`;
      case "NonNullableType":
        return `${base(t.base, 2)}!`;
      case "ParenType":
        return `(${this.type(t.inner)})`;
      case "TypeMember":
        return `${base(t.object, 3)}.${t.name.name}`;
      case "TypeIndex":
        return `${base(t.object, 3)}[${this.expr(t.index)}]`;
      case "TypeItems":
        return `${base(t.object, 3)}[*]`;
      case "TypeAdditionalProperties":
        return `${base(t.object, 3)}.*`;
      case "TupleType":
        return this.list("[", "]", () =>
          t.items.map((item) => {
            // An item starting with `|` would continue the previous item's union.
            const single = item.value.kind === "UnionType" && item.value.members.length === 1;
            return this.decorated(item.decorators, single ? `(${this.type(item.value)})` : this.type(item.value));
          }),
        );
      case "ObjectType":
        return this.list("{", "}", () => [
          ...t.properties.map((p) => {
            const key = p.key.kind === "Identifier" ? p.key.name : this.string(p.key);
            return this.decorated(p.decorators, `${key}: ${this.type(p.value)}`);
          }),
          ...(t.additional ? [this.decorated(t.additional.decorators, `*: ${this.type(t.additional.value)}`)] : []),
        ]);
    }
  }

  private decorated(decorators: Decorator[], text: string): string {
    return decorators.map((d) => `${this.decorator(d)}\n${this.indent}`).join("") + text;
  }
}
