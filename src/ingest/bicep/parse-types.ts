/**
 * @module ingest/bicep/parse-types
 * Ingest layer, Bicep syntax: the type grammar (user-defined types, parameter and output types), after Bicep's
 * BaseParser.TypeExpression: unions of `|`-separated members (a leading `|` and a line break before each `|`
 * are allowed), prefix `-`/`!` on literals, postfix `?` (nullable), `!`, `[]` (array), `[*]`, `[i]`, `.name`,
 * `.*` and `<…>` arguments, then primaries: names, literals, object types, tuple types, parentheses.
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/user-defined-data-types
 */
import type {
  ObjectType,
  ObjectTypeAdditional,
  ObjectTypeProperty,
  StringExpr,
  TupleType,
  TupleTypeItem,
  TypeExpr,
} from "./ast.js";
import { CollectionParser } from "./parse-collections.js";
import { rethrowUnlessFailure } from "./parse-expressions.js";
import { Tok } from "./tokens.js";

export abstract class TypeParser extends CollectionParser {
  /** Names that stand for a namespace in a type (`sys`, `import * as types`). */
  protected typeNamespaces = new Set<string>();

  /** A declaration's type: `resource 'T@v'` (optional string for outputs) or a type expression. */
  protected parseDeclType(optionalResourceType: boolean): TypeExpr {
    if (this.isWord("resource") && this.kindAt(this.i + 1) !== Tok.Less) {
      const j = this.advance();
      let typeRef: StringExpr | null = null;
      if (this.tok() === Tok.StringComplete || this.tok() === Tok.StringLeft) typeRef = this.parseString();
      else if (!optionalResourceType) {
        throw this.fail(
          `expected a resource type such as 'Microsoft.Network/virtualNetworks@2024-05-01', found ${this.found()}`,
        );
      }
      return { kind: "ResourceType", typeRef, range: this.spanFrom(j) };
    }
    return this.parseType();
  }

  private atUnionSeparator(): boolean {
    return this.tok() === Tok.Pipe || (this.tok() === Tok.NewLine && this.kindAt(this.i + 1) === Tok.Pipe);
  }

  protected parseType(): TypeExpr {
    const saved = this.depth;
    this.enter();
    let start = -1;
    if (this.atUnionSeparator()) {
      this.skipNewlines();
      start = this.advance();
      this.skipNewlines();
    }
    const first = this.parseUnaryType();
    if (start < 0 && !this.atUnionSeparator()) {
      this.depth = saved;
      return first;
    }
    const members = [first];
    while (this.atUnionSeparator()) {
      this.skipNewlines();
      this.advance();
      this.skipNewlines();
      members.push(this.parseUnaryType());
    }
    this.depth = saved;
    return { kind: "UnionType", members, range: this.spanFrom(start >= 0 ? start : first.range) };
  }

  private parseUnaryType(): TypeExpr {
    let t: TypeExpr;
    if (this.tok() === Tok.Minus || this.tok() === Tok.Bang) {
      const j = this.advance();
      const operand = this.parseMemberType();
      t = { kind: "UnaryType", operator: this.toks.kind[j] === Tok.Bang ? "!" : "-", operand, range: this.spanFrom(j) };
    } else t = this.parseMemberType();
    for (;;) {
      if (this.accept(Tok.Question)) t = { kind: "NullableType", base: t, range: this.spanFrom(t.range) };
      else if (this.accept(Tok.Bang)) t = { kind: "NonNullableType", base: t, range: this.spanFrom(t.range) };
      else return t;
    }
  }

  private parseMemberType(): TypeExpr {
    let t = this.parsePrimaryType();
    for (;;) {
      if (this.tok() === Tok.LBracket) {
        const open = this.advance();
        if (this.accept(Tok.RBracket)) {
          t = { kind: "ArrayType", item: t, range: this.spanFrom(t.range) };
          continue;
        }
        if (this.accept(Tok.Star)) {
          this.expect(Tok.RBracket, `']' after '[*'`);
          t = { kind: "TypeItems", object: t, range: this.spanFrom(t.range) };
          continue;
        }
        const saved = this.complexAllowed;
        this.complexAllowed = false;
        const index = this.parseExpression();
        this.complexAllowed = saved;
        this.expect(Tok.RBracket, `']' to close the index opened at ${this.where(open)}`);
        t = { kind: "TypeIndex", object: t, index, range: this.spanFrom(t.range) };
      } else if (this.tok() === Tok.Dot) {
        this.advance();
        if (this.accept(Tok.Star)) {
          t = { kind: "TypeAdditionalProperties", object: t, range: this.spanFrom(t.range) };
          continue;
        }
        const name = this.parseIdentifier("a property name after '.'");
        const bare = t.kind === "TypeRef" && t.namespace === null ? t.name : null;
        if (this.tok() === Tok.Less) {
          if (!bare) throw this.fail("expected a namespace before a parameterized type");
          const args = this.parseTypeArgs(this.advance());
          t = { kind: "ParameterizedType", namespace: bare, name, args, range: this.spanFrom(t.range) };
        } else if (bare && this.typeNamespaces.has(bare.name)) {
          t = { kind: "TypeRef", namespace: bare, name, range: this.spanFrom(t.range) };
        } else t = { kind: "TypeMember", object: t, name, range: this.spanFrom(t.range) };
      } else return t;
    }
  }

  private parsePrimaryType(): TypeExpr {
    const j = this.i;
    switch (this.tok()) {
      case Tok.Integer:
      case Tok.True:
      case Tok.False:
      case Tok.Null: {
        const value = this.parseLiteral();
        return { kind: "LiteralType", value, range: value.range };
      }
      case Tok.StringComplete:
      case Tok.StringLeft: {
        const value = this.parseString();
        return { kind: "LiteralType", value, range: value.range };
      }
      case Tok.LBrace:
        return this.parseObjectType();
      case Tok.LBracket:
        return this.parseTupleType();
      case Tok.LParen: {
        this.advance();
        this.skipNewlines();
        const inner = this.parseType();
        this.skipNewlines();
        this.expect(Tok.RParen, `')' to close the parenthesis opened at ${this.where(j)}`);
        return { kind: "ParenType", inner, range: this.spanFrom(j) };
      }
      case Tok.Identifier: {
        const name = this.parseIdentifier("a type name");
        if (this.tok() !== Tok.Less) return { kind: "TypeRef", namespace: null, name, range: name.range };
        const args = this.parseTypeArgs(this.advance());
        return { kind: "ParameterizedType", namespace: null, name, args, range: this.spanFrom(j) };
      }
    }
    throw this.fail(`expected a type, found ${this.found()}`);
  }

  /** Type arguments after `<` (token `open`), through the closing `>`. */
  private parseTypeArgs(open: number): TypeExpr[] {
    const args: TypeExpr[] = [];
    this.skipNewlines();
    for (;;) {
      if (this.accept(Tok.Greater)) return args;
      if (this.tok() === Tok.EOF || this.atDeclarationStart(false)) {
        this.report(`expected '>' to close the type arguments opened at ${this.where(open)}, found ${this.found()}`);
        return args;
      }
      args.push(this.parseType());
      const after = this.kindPastNewline();
      if (after === Tok.Comma || after === Tok.Greater) this.skipNewlines();
      if (this.accept(Tok.Comma)) this.skipNewlines();
      else if (this.tok() !== Tok.Greater) {
        throw this.fail(
          `expected ',' or '>' to close the type arguments opened at ${this.where(open)}, found ${this.found()}`,
        );
      }
    }
  }

  /**
   * The members of an object or tuple type: separated by commas or line breaks, each recovered on its own.
   * `member` parses one; `closer` and `what` name the bracket for the "expected … to close" message.
   */
  private parseTypeMembers(open: number, closer: number, what: string, member: () => void): void {
    const closeText = closer === Tok.RBrace ? "'}'" : "']'";
    for (;;) {
      this.skipNewlines();
      const kind = this.tok();
      if (kind === closer) {
        this.advance();
        return;
      }
      const foreign = kind === Tok.RBrace || kind === Tok.RBracket || kind === Tok.RParen;
      if (kind === Tok.EOF || foreign || this.atDeclarationStart(false, true)) {
        this.report(`expected ${closeText} to close the ${what} opened at ${this.where(open)}, found ${this.found()}`);
        return;
      }
      const state = this.saveState();
      try {
        member();
      } catch (error) {
        rethrowUnlessFailure(error);
        this.restoreState(state);
        this.recoverMember(closer);
        continue;
      }
      if (this.tok() === Tok.Comma) this.advance();
      else if (this.tok() !== Tok.NewLine && this.tok() !== closer) {
        this.report(`expected ',' or a line break between the members of the ${what}, found ${this.found()}`);
      }
    }
  }

  private parseObjectType(): ObjectType {
    const open = this.advance();
    const properties: ObjectTypeProperty[] = [];
    let additional: ObjectTypeAdditional | null = null;
    this.parseTypeMembers(open, Tok.RBrace, "object type", () => {
      const decorators = this.parseDecorators();
      const start = this.i;
      if (this.accept(Tok.Star)) {
        this.expect(Tok.Colon, "':' after '*'");
        const value = this.parseType();
        if (additional) this.report("an object type has at most one '*' member", start);
        else additional = { kind: "ObjectTypeAdditional", value, decorators, range: this.spanFrom(start) };
        return;
      }
      let key: ObjectTypeProperty["key"];
      if (this.tok() === Tok.Identifier) key = this.parseIdentifier("a property name");
      else if (this.tok() === Tok.StringComplete || this.tok() === Tok.StringLeft) key = this.parseString();
      else throw this.fail(`expected a property name or '*', found ${this.found()}`);
      this.expect(Tok.Colon, "':' after the property name (an optional property is written 'name: type?')");
      const value = this.parseType();
      properties.push({ kind: "ObjectTypeProperty", key, value, decorators, range: this.spanFrom(start) });
    });
    return { kind: "ObjectType", properties, additional, range: this.spanFrom(open) };
  }

  private parseTupleType(): TupleType {
    const open = this.advance();
    const items: TupleTypeItem[] = [];
    this.parseTypeMembers(open, Tok.RBracket, "tuple type", () => {
      const decorators = this.parseDecorators();
      const value = this.parseType();
      items.push({ kind: "TupleTypeItem", value, decorators, range: value.range });
    });
    return { kind: "TupleType", items, range: this.spanFrom(open) };
  }
}
