/**
 * @module ingest/bicep/parse-collections
 * Ingest layer, Bicep syntax: the bracketed parts of expressions, after Bicep's BaseParser: arrays and objects
 * (members separated by line breaks or commas, a trailing comma allowed, each member recovered on its own),
 * spreads, child resources inside resource bodies, `[for …]` loops, `if (…) {…}` bodies, and decorators.
 */
import type {
  ArrayExpr,
  Decorator,
  Expr,
  ForExpr,
  Identifier,
  IfExpr,
  ObjectExpr,
  ObjectMember,
  ResourceDecl,
  SpreadExpr,
  StringExpr,
} from "./ast.js";
import { ExpressionParser, rethrowUnlessFailure } from "./parse-expressions.js";
import { Tok } from "./tokens.js";

export abstract class CollectionParser extends ExpressionParser {
  /** A `resource` declared inside a resource body; the statement parser provides it. */
  protected abstract parseNestedResource(decorators: Decorator[]): ResourceDecl;

  private parseSpread(): SpreadExpr {
    const j = this.advance();
    const expr = this.parseExpression();
    return { kind: "SpreadExpr", expr, range: this.spanFrom(j) };
  }

  protected parseArray(): ArrayExpr {
    const open = this.advance();
    const items: (Expr | SpreadExpr)[] = [];
    for (;;) {
      this.skipNewlines();
      const kind = this.tok();
      if (kind === Tok.RBracket) {
        this.advance();
        break;
      }
      if (kind === Tok.EOF || kind === Tok.RBrace || kind === Tok.RParen || this.atDeclarationStart(false)) {
        this.report(`expected ']' to close the array opened at ${this.where(open)}, found ${this.found()}`);
        break;
      }
      const state = this.saveState();
      try {
        items.push(this.tok() === Tok.Ellipsis ? this.parseSpread() : this.parseExpression());
      } catch (error) {
        rethrowUnlessFailure(error);
        this.restoreState(state);
        this.recoverMember(Tok.RBracket);
        continue;
      }
      if (this.tok() === Tok.Comma) this.advance();
      else if (this.tok() !== Tok.NewLine && this.tok() !== Tok.RBracket) {
        this.report(`expected ',' or a line break between array items, found ${this.found()}`);
      }
    }
    return { kind: "ArrayExpr", items, range: this.spanFrom(open) };
  }

  /** `{ … }`; with `nestedResources`, a resource body, where child `resource` declarations may appear. */
  protected parseObject(nestedResources: boolean): ObjectExpr {
    const open = this.advance();
    const obj: ObjectExpr = {
      kind: "ObjectExpr",
      members: [],
      properties: [],
      spreads: [],
      resources: [],
      range: this.rangeOf(open, open),
    };
    for (;;) {
      this.skipNewlines();
      const kind = this.tok();
      if (kind === Tok.RBrace) {
        this.advance();
        break;
      }
      if (
        kind === Tok.EOF ||
        kind === Tok.RParen ||
        kind === Tok.RBracket ||
        this.atDeclarationStart(nestedResources)
      ) {
        this.report(`expected '}' to close the object opened at ${this.where(open)}, found ${this.found()}`);
        break;
      }
      const state = this.saveState();
      try {
        const member = this.parseObjectMember(nestedResources);
        obj.members.push(member);
        if (member.kind === "ObjectProperty") obj.properties.push(member);
        else if (member.kind === "SpreadExpr") obj.spreads.push(member);
        else obj.resources.push(member);
      } catch (error) {
        rethrowUnlessFailure(error);
        this.restoreState(state);
        this.recoverMember(Tok.RBrace);
        continue;
      }
      if (this.tok() === Tok.Comma) this.advance();
      else if (this.tok() !== Tok.NewLine && this.tok() !== Tok.RBrace) {
        this.report(`expected ',' or a line break between properties, found ${this.found()}`);
      }
    }
    obj.range = this.spanFrom(open);
    return obj;
  }

  private parseObjectMember(nestedResources: boolean): ObjectMember {
    if (this.tok() === Tok.Ellipsis) return this.parseSpread();
    if (
      nestedResources &&
      (this.tok() === Tok.At || (this.isWord("resource") && this.kindAt(this.i + 1) === Tok.Identifier))
    ) {
      const decorators = this.parseDecorators();
      if (!this.isWord("resource"))
        throw this.fail(`expected a child resource after the decorator, found ${this.found()}`);
      return this.parseNestedResource(decorators);
    }
    let key: Identifier | StringExpr;
    if (this.tok() === Tok.Identifier) key = this.parseIdentifier("a property name");
    else if (this.tok() === Tok.StringComplete || this.tok() === Tok.StringLeft) key = this.parseString();
    else throw this.fail(`expected a property name, found ${this.found()}`);
    this.expect(Tok.Colon, `':' after the property name`);
    const value = this.parseExpression();
    return { kind: "ObjectProperty", key, value, range: this.spanFrom(key.range) };
  }

  /** `[for …]`; in a resource or module (`resourceContext`) the body is an object or `if (…) {…}`. */
  protected parseFor(resourceContext: boolean, nestedResources: boolean): ForExpr {
    const open = this.advance();
    this.skipNewlines();
    this.expectWord("for");
    let item: Identifier;
    let index: Identifier | null = null;
    if (this.tok() === Tok.LParen) {
      const paren = this.advance();
      this.skipNewlines();
      item = this.parseIdentifier("the loop's item name");
      this.skipNewlines();
      this.expect(Tok.Comma, "',' between the loop's item and index names");
      this.skipNewlines();
      index = this.parseIdentifier("the loop's index name");
      this.skipNewlines();
      this.expect(Tok.RParen, `')' to close the loop variables opened at ${this.where(paren)}`);
    } else item = this.parseIdentifier("a loop variable name or '(item, index)' after 'for'");
    this.expectWord("in", "'in' after the loop variable");
    const iterable = this.parseExpression();
    this.expect(Tok.Colon, "':' after the list the loop goes over");
    this.skipNewlines();
    const locals = this.locals.length;
    this.locals.push(item.name);
    if (index) this.locals.push(index.name);
    const body = this.parseForBody(resourceContext, nestedResources);
    this.locals.length = locals;
    this.skipNewlines();
    if (this.tok() === Tok.RBracket) this.advance();
    else if (this.tok() === Tok.EOF || this.atDeclarationStart(false)) {
      this.report(`expected ']' to close the loop opened at ${this.where(open)}, found ${this.found()}`);
    } else throw this.fail(`expected ']' to close the loop opened at ${this.where(open)}, found ${this.found()}`);
    return { kind: "ForExpr", item, index, iterable, body, range: this.spanFrom(open) };
  }

  private parseForBody(resourceContext: boolean, nestedResources: boolean): Expr | IfExpr {
    if (this.isWord("if") && (resourceContext || this.kindAt(this.i + 1) === Tok.LParen)) {
      return this.parseIf(nestedResources);
    }
    if (!resourceContext) {
      const saved = this.complexAllowed;
      this.complexAllowed = true;
      const body = this.parseExpression();
      this.complexAllowed = saved;
      return body;
    }
    if (this.tok() !== Tok.LBrace) throw this.fail(`expected '{' or 'if' for the loop's body, found ${this.found()}`);
    return this.parseObject(nestedResources);
  }

  protected parseIf(nestedResources: boolean): IfExpr {
    const start = this.advance();
    const open = this.expect(Tok.LParen, "'(' after 'if'");
    this.skipNewlines();
    const condition = this.parseExpression();
    this.skipNewlines();
    this.expect(Tok.RParen, `')' to close the condition opened at ${this.where(open)}`);
    this.skipNewlines();
    if (this.tok() !== Tok.LBrace) throw this.fail(`expected '{' after the condition, found ${this.found()}`);
    const body = this.parseObject(nestedResources);
    return { kind: "IfExpr", condition, body, range: this.spanFrom(start) };
  }

  /** `@name`, `@name(args)`, `@ns.name(args)`, each followed by line breaks (optional here). */
  protected parseDecorators(): Decorator[] {
    const decorators: Decorator[] = [];
    while (this.tok() === Tok.At) {
      const at = this.advance();
      let namespace: Identifier | null = null;
      let name = this.parseIdentifier("a decorator name after '@'");
      if (this.tok() === Tok.Dot) {
        this.advance();
        namespace = name;
        name = this.parseIdentifier("a decorator name after '.'");
      }
      const args = this.tok() === Tok.LParen ? this.parseArgs(this.advance()) : null;
      decorators.push({ kind: "Decorator", namespace, name, args, range: this.spanFrom(at) });
      this.skipNewlines();
    }
    return decorators;
  }
}
