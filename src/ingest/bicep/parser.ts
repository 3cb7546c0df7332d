/**
 * @module ingest/bicep/parser
 * Ingest layer, Bicep syntax: the entry point, `parseBicep(text, file)`, and the statement grammar (Bicep's
 * Parser and ParamsParser in one: a .bicepparam file is read with the same grammar, and statements that do not
 * belong in the kind of file at hand are reported). Statements are separated by line breaks; a broken one
 * costs one diagnostic and the parser goes on with the next (parse-base.ts). The result is syntax only: the
 * evaluator (another module) gives it meaning.
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/file
 */
import type { Diagnostic } from "../../model/diagnostics.js";
import type { SourceRef } from "../../model/source.js";
import type {
  BicepFileKind,
  Decorator,
  Identifier,
  ImportDecl,
  ImportedSymbol,
  ObjectExpr,
  Program,
  Range,
  ResourceBody,
  ResourceDecl,
  Statement,
  StringExpr,
} from "./ast.js";
import { lex } from "./lexer.js";
import { scanNamespaces } from "./namespaces.js";
import { CODES, DECLARATION_KEYWORDS, MAX_TREE_HEIGHT, type RawDiagnostic } from "./parse-base.js";
import { rethrowUnlessFailure } from "./parse-expressions.js";
import { TypeParser } from "./parse-types.js";
import { type LineMap, Tok, type TokenStream } from "./tokens.js";
import { treeHeight } from "./walk.js";

/** A problem in a Bicep file: always an error (Bicep would refuse the file), with its place. */
export interface BicepDiagnostic extends Diagnostic {
  src: SourceRef;
  range: Range;
}

export interface BicepParseResult {
  ast: Program;
  /** Empty when the file is valid Bicep syntax. */
  diagnostics: BicepDiagnostic[];
}

export interface BicepParseOptions {
  /** The grammar to read with; by default `.bicepparam` files are parameter files and others Bicep files. */
  fileKind?: BicepFileKind;
}

/**
 * Parses Bicep (or .bicepparam) text into a syntax tree with every node located. Never throws: problems are
 * diagnostics (`bicep/syntax`, `bicep/token`, `bicep/too-deep`, `bicep/not-in-this-file`), and the tree holds
 * every statement that could be read.
 */
export function parseBicep(text: string, file = "main.bicep", options: BicepParseOptions = {}): BicepParseResult {
  const fileKind = options.fileKind ?? (file.toLowerCase().endsWith(".bicepparam") ? "bicepparam" : "bicep");
  let lines: LineMap | undefined;
  try {
    const lexed = lex(text);
    lines = lexed.lines;
    const parser = new StatementParser(text, lexed.tokens, fileKind);
    const ast = parser.parseProgram(file);
    const raw: RawDiagnostic[] = [
      ...lexed.problems.map((p) => ({ code: CODES.token, ...p })),
      ...parser.diagnostics,
    ].sort((a, b) => a.start - b.start);
    return { ast, diagnostics: raw.map((d) => locate(d, file, lexed.lines)) };
  } catch (error) {
    // Not reachable by design (every failure is a SyntaxFailure caught above); kept so that a bug in the
    // parser becomes a diagnostic rather than a crash of the whole run.
    const message = `internal error in the Bicep parser: ${error instanceof Error ? error.message : String(error)}`;
    const range = { start: 0, end: 0, line: 1, col: 1, endLine: 1, endCol: 1 };
    const diagnostic = locate({ code: "bicep/internal", message, start: 0, end: 0 }, file, lines);
    return { ast: { kind: "Program", file, fileKind, statements: [], range }, diagnostics: [diagnostic] };
  }
}

function locate(d: RawDiagnostic, file: string, lines: LineMap | undefined): BicepDiagnostic {
  const from = lines?.position(d.start) ?? { line: 1, col: 1 };
  const to = lines?.position(d.end) ?? from;
  const range = { start: d.start, end: d.end, line: from.line, col: from.col, endLine: to.line, endCol: to.col };
  const src = { file, pointer: "", line: from.line, column: from.col };
  return { severity: "error", code: d.code, message: d.message, src, range };
}

/** Statements that only a .bicepparam file has, and those a .bicepparam file may have. */
const PARAMS_ONLY = new Set<Statement["kind"]>(["UsingDecl", "ExtendsDecl", "ParamAssignment", "ExtensionConfigDecl"]);
const IN_PARAMS = new Set<Statement["kind"]>([...PARAMS_ONLY, "VarDecl", "ImportDecl", "ExtensionDecl", "TypeDecl"]);

class StatementParser extends TypeParser {
  constructor(
    text: string,
    toks: TokenStream,
    private readonly fileKind: BicepFileKind,
  ) {
    super(text, toks);
    const namespaces = scanNamespaces(text, toks);
    this.valueNamespaces = namespaces.values;
    this.typeNamespaces = namespaces.types;
  }

  parseProgram(file: string): Program {
    const statements: Statement[] = [];
    this.skipNewlines();
    while (this.tok() !== Tok.EOF) {
      const start = this.i;
      const state = this.saveState();
      try {
        const statement = this.parseStatement();
        if (this.tok() !== Tok.NewLine && this.tok() !== Tok.EOF && this.kindAt(this.i - 1) !== Tok.NewLine) {
          this.report(`expected a line break after the declaration, found ${this.found()}`);
          this.recoverStatement();
        }
        // A statement's tree has at most three nodes per token, so only long statements need measuring.
        if (3 * (this.i - start) + 3 > MAX_TREE_HEIGHT && treeHeight(statement) > MAX_TREE_HEIGHT) {
          this.report(`expression chain deeper than ${MAX_TREE_HEIGHT} levels`, start, CODES.tooDeep);
        } else {
          this.checkFileKind(statement, start);
          statements.push(statement);
        }
      } catch (error) {
        rethrowUnlessFailure(error);
        this.restoreState(state);
        this.recoverStatement();
      }
      if (this.i === start) {
        this.advance();
        this.recoverStatement();
      }
      this.skipNewlines();
    }
    return { kind: "Program", file, fileKind: this.fileKind, statements, range: this.rangeOf(0, this.i) };
  }

  private checkFileKind(statement: Statement, start: number): void {
    const kind = statement.kind;
    const legacyImport = kind === "ExtensionDecl" && statement.keyword === "import";
    if (this.fileKind === "bicep" && PARAMS_ONLY.has(kind)) {
      const message =
        kind === "ParamAssignment"
          ? "a parameter of a .bicep file needs a type: 'param name type' (a value alone belongs in a .bicepparam file)"
          : `'${this.textAt(this.keywordAt(start))}' belongs in a .bicepparam file`;
      this.report(message, this.keywordAt(start), CODES.wrongFile);
    } else if (this.fileKind === "bicepparam" && (!IN_PARAMS.has(kind) || legacyImport)) {
      const message =
        kind === "ParamDecl"
          ? "a .bicepparam file assigns parameters ('param name = value'); their types belong in the .bicep file"
          : `'${this.textAt(this.keywordAt(start))}' is not allowed in a .bicepparam file`;
      this.report(message, this.keywordAt(start), CODES.wrongFile);
    }
  }

  /** The keyword of the statement starting at token `start` (past its decorators). */
  private keywordAt(start: number): number {
    let j = start;
    while (j < this.i && !(this.toks.kind[j] === Tok.Identifier && DECLARATION_KEYWORDS.has(this.textAt(j)))) j++;
    return j;
  }

  private parseStatement(): Statement {
    const decorators = this.parseDecorators();
    const j = this.i;
    const word = this.tok() === Tok.Identifier ? this.textAt(j) : "";
    const expected =
      decorators.length > 0
        ? "a declaration after the decorator"
        : "a declaration (param, var, resource, module, output…)";
    if (!DECLARATION_KEYWORDS.has(word)) throw this.fail(`expected ${expected}, found ${this.found()}`);
    this.advance();
    const base = { decorators, range: this.rangeOf(j, j) };
    const done = <S extends Statement>(s: S): S => {
      s.range = this.spanFrom(j);
      return s;
    };
    switch (word) {
      case "targetScope":
        this.assign();
        return done({ kind: "TargetScopeDecl", ...base, value: this.parseExpression() });
      case "metadata":
      case "assert": {
        const name = this.parseIdentifier(`a name after '${word}'`);
        this.assign();
        const kind = word === "metadata" ? "MetadataDecl" : "AssertDecl";
        return done({ kind, ...base, name, value: this.parseExpression() });
      }
      case "param": {
        const name = this.parseIdentifier("a parameter name after 'param'");
        if (this.accept(Tok.Assign))
          return done({ kind: "ParamAssignment", ...base, name, value: this.parseExpression() });
        const type = this.parseDeclType(false);
        const value = this.accept(Tok.Assign) ? this.parseExpression() : null;
        return done({ kind: "ParamDecl", ...base, name, type, default: value });
      }
      case "var": {
        const name = this.parseIdentifier("a variable name after 'var'");
        const type = this.tok() === Tok.Assign ? null : this.parseDeclType(false);
        this.assign();
        return done({ kind: "VarDecl", ...base, name, type, value: this.parseExpression() });
      }
      case "output": {
        const name = this.parseIdentifier("an output name after 'output'");
        const type = this.parseDeclType(true);
        this.assign();
        return done({ kind: "OutputDecl", ...base, name, type, value: this.parseExpression() });
      }
      case "resource":
        return done(this.parseResourceRest(base));
      case "module":
      case "test": {
        const name = this.parseIdentifier(`a name after '${word}'`);
        const path = this.parseStringOf(word === "module" ? "a module path or reference" : "a test file path");
        this.assign();
        if (word === "test") return done({ kind: "TestDecl", ...base, name, path, value: this.parseBodyObject(false) });
        return done({ kind: "ModuleDecl", ...base, name, path, value: this.parseResourceBody(false) });
      }
      case "type": {
        const name = this.parseIdentifier("a type name after 'type'");
        this.assign();
        return done({ kind: "TypeDecl", ...base, name, value: this.parseType() });
      }
      case "func":
        return done(this.parseFuncRest(base));
      case "import":
        if (this.tok() === Tok.StringComplete || this.tok() === Tok.StringLeft)
          return done(this.parseExtensionRest(base, "import"));
        return done(this.parseImportRest(base));
      case "extension":
        return done(this.parseExtensionRest(base, "extension"));
      case "extensionConfig": {
        const alias = this.parseIdentifier("an extension alias after 'extensionConfig'");
        this.expectWord("with", "'with' after the extension alias");
        return done({ kind: "ExtensionConfigDecl", ...base, alias, config: this.parseBodyObject(false) });
      }
      case "using": {
        const path = this.acceptWord("none") ? null : this.parseStringOf("a file path or 'none' after 'using'");
        const config = this.acceptWord("with") ? this.parseBodyObject(false) : null;
        return done({ kind: "UsingDecl", ...base, path, config });
      }
      case "extends":
        return done({ kind: "ExtendsDecl", ...base, path: this.parseStringOf("a file path after 'extends'") });
      default:
        throw this.fail(`expected ${expected}, found ${this.found(j)}`, j);
    }
  }

  private assign(): void {
    this.expect(Tok.Assign, "'='");
  }

  private parseStringOf(what: string): StringExpr {
    if (this.tok() !== Tok.StringComplete && this.tok() !== Tok.StringLeft)
      throw this.fail(`expected ${what}, found ${this.found()}`);
    return this.parseString();
  }

  private parseBodyObject(nestedResources: boolean): ObjectExpr {
    if (this.tok() !== Tok.LBrace) throw this.fail(`expected '{', found ${this.found()}`);
    return this.parseObject(nestedResources);
  }

  /** After `resource` (at the top level or in a resource body): `name 'T@v' [existing] = body`. */
  private parseResourceRest(base: { decorators: Decorator[]; range: Range }): ResourceDecl {
    const name = this.parseIdentifier("a resource name after 'resource'");
    const typeRef = this.parseStringOf("a resource type such as 'Microsoft.Network/virtualNetworks@2024-05-01'");
    const existing = this.acceptWord("existing");
    this.assign();
    return { kind: "ResourceDecl", ...base, name, typeRef, existing, value: this.parseResourceBody(true) };
  }

  /** `{…}`, `if (c) {…}` or `[for … : …]`; a line break may come before `if`. */
  private parseResourceBody(nestedResources: boolean): ResourceBody {
    if (this.tok() === Tok.NewLine && this.isWord("if", this.i + 1)) this.skipNewlines();
    if (this.isWord("if")) return this.parseIf(nestedResources);
    if (this.tok() === Tok.LBrace) return this.parseObject(nestedResources);
    if (this.tok() === Tok.LBracket) return this.parseFor(true, nestedResources);
    throw this.fail(`expected '{', 'if' or '[for' after '=', found ${this.found()}`);
  }

  protected parseNestedResource(decorators: Decorator[]): ResourceDecl {
    const j = this.advance();
    const saved = this.depth;
    this.enter();
    const resource = this.parseResourceRest({ decorators, range: this.rangeOf(j, j) });
    this.depth = saved;
    resource.range = this.spanFrom(j);
    return resource;
  }

  /** After `func`: `name(a type, …) returnType => body`. */
  private parseFuncRest(base: { decorators: Decorator[]; range: Range }): Statement {
    const name = this.parseIdentifier("a function name after 'func'");
    const open = this.expect(Tok.LParen, "'(' after the function name");
    const params = [];
    this.skipNewlines();
    while (this.tok() !== Tok.RParen) {
      const paramName = this.parseIdentifier("a parameter name");
      const type = this.parseDeclType(false);
      params.push({ kind: "FuncParam" as const, name: paramName, type, range: this.spanFrom(paramName.range) });
      this.skipNewlines();
      if (!this.accept(Tok.Comma)) break;
      this.skipNewlines();
    }
    this.expect(Tok.RParen, `')' to close the parameters opened at ${this.where(open)}`);
    const returnType = this.parseDeclType(false);
    this.expect(Tok.Arrow, "'=>' after the return type");
    const next = this.kindAt(this.i + 1);
    if (!(next === Tok.Identifier && DECLARATION_KEYWORDS.has(this.textAt(this.i + 1)))) this.skipNewlines();
    this.locals.push(...params.map((p) => p.name.name));
    const body = this.parseExpression();
    this.locals.length -= params.length;
    return { kind: "FuncDecl", ...base, name, params, returnType, body };
  }

  /** After `import`: `{a, b as c} from 'path'` or `* as ns from 'path'`. */
  private parseImportRest(base: { decorators: Decorator[]; range: Range }): ImportDecl {
    const symbols: ImportedSymbol[] = [];
    let wildcard: Identifier | null = null;
    if (this.accept(Tok.Star)) {
      this.expectWord("as", "'as' after 'import *'");
      wildcard = this.parseIdentifier("a namespace name after 'as'");
    } else if (this.tok() === Tok.LBrace) this.parseImportList(symbols);
    else throw this.fail(`expected '{' or '*' after 'import', found ${this.found()}`);
    this.expectWord("from", "'from' and the file or module to import from");
    const from = this.parseStringOf("a file path or module reference after 'from'");
    return { kind: "ImportDecl", ...base, symbols, wildcard, from };
  }

  /** `{a, 'b-c' as c}`: names separated by commas or line breaks. */
  private parseImportList(symbols: ImportedSymbol[]): void {
    const open = this.advance();
    for (;;) {
      this.skipNewlines();
      if (this.accept(Tok.RBrace)) return;
      if (this.tok() === Tok.EOF || this.atDeclarationStart(false)) {
        this.report(`expected '}' to close the import list opened at ${this.where(open)}, found ${this.found()}`);
        return;
      }
      const name =
        this.tok() === Tok.Identifier ? this.parseIdentifier("a name") : this.parseStringOf("a name to import");
      const alias = this.acceptWord("as") ? this.parseIdentifier("a name after 'as'") : null;
      if (name.kind === "StringExpr" && !alias) throw this.fail("expected 'as' and a name after a quoted import name");
      symbols.push({ kind: "ImportedSymbol", name, alias, range: this.spanFrom(name.range) });
      if (!this.accept(Tok.Comma) && this.tok() !== Tok.NewLine && this.tok() !== Tok.RBrace) {
        throw this.fail(`expected ',' or '}' in the import list opened at ${this.where(open)}, found ${this.found()}`);
      }
    }
  }

  /** After `extension` (or the older `import 'x@v'`): the specification, then `with {…}` and `as alias`. */
  private parseExtensionRest(
    base: { decorators: Decorator[]; range: Range },
    keyword: "extension" | "import",
  ): Statement {
    const specification: Identifier | StringExpr =
      this.tok() === Tok.Identifier
        ? this.parseIdentifier("an extension name")
        : this.parseStringOf("an extension name or reference");
    const config = this.acceptWord("with") ? this.parseBodyObject(false) : null;
    const alias = this.acceptWord("as") ? this.parseIdentifier("an alias after 'as'") : null;
    return { kind: "ExtensionDecl", ...base, keyword, specification, config, alias };
  }
}
