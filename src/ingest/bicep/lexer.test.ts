// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Bicep source, whose interpolation is ${…}
import { describe, expect, it } from "vitest";
import { lex } from "./lexer.js";
import { isStringPiece, LineMap, Tok } from "./tokens.js";

const NAMES = Object.fromEntries(Object.entries(Tok).map(([name, kind]) => [kind, name]));

/** Kind names of the tokens of `text`, EOF left out. */
function kinds(text: string): string[] {
  const { tokens } = lex(text);
  return Array.from(tokens.kind.subarray(0, tokens.count - 1), (k) => NAMES[k]!);
}

/** Decoded values of the string pieces of `text`, in order. */
function pieces(text: string): string[] {
  const { tokens } = lex(text);
  const out: string[] = [];
  for (let i = 0; i < tokens.count; i++) if (isStringPiece(tokens.kind[i]!)) out.push(tokens.value(i));
  return out;
}

function problems(text: string): string[] {
  return lex(text).problems.map((p) => p.message);
}

describe("lexer: tokens", () => {
  it("reads operators longest first", () => {
    expect(kinds("a ?? b ?. c :: d ... e => f == g != h =~ i !~ j <= k >= l && m || n")).toEqual([
      "Identifier",
      "DoubleQuestion",
      "Identifier",
      "Question",
      "Dot",
      "Identifier",
      "DoubleColon",
      "Identifier",
      "Ellipsis",
      "Identifier",
      "Arrow",
      "Identifier",
      "EqEq",
      "Identifier",
      "NotEq",
      "Identifier",
      "EqTilde",
      "Identifier",
      "NotTilde",
      "Identifier",
      "LessEq",
      "Identifier",
      "GreaterEq",
      "Identifier",
      "AndAnd",
      "Identifier",
      "OrOr",
      "Identifier",
    ]);
    expect(kinds("a.?b[?^1]!")).toEqual([
      "Identifier",
      "Dot",
      "Question",
      "Identifier",
      "LBracket",
      "Question",
      "Hat",
      "Integer",
      "RBracket",
      "Bang",
    ]);
  });

  it("keeps true, false and null apart from identifiers, and other keywords as identifiers", () => {
    expect(kinds("true false null resource trueish")).toEqual(["True", "False", "Null", "Identifier", "Identifier"]);
  });

  it("makes one token of a run of line breaks, comment lines included", () => {
    expect(kinds("a\n\n  // note\n\r\n  /* x */\nb")).toEqual(["Identifier", "NewLine", "Identifier"]);
    expect(kinds("a // trailing\nb /* inline */ c")).toEqual(["Identifier", "NewLine", "Identifier", "Identifier"]);
  });

  it("skips a multi-line comment that spans lines without a line break token", () => {
    expect(kinds("a /* one\ntwo */ b")).toEqual(["Identifier", "Identifier"]);
  });

  it("skips #disable-next-line pragmas at the start of a line only", () => {
    expect(kinds("#disable-next-line BCP081 no-unused-params\nparam x string")).toEqual([
      "NewLine",
      "Identifier",
      "Identifier",
      "Identifier",
    ]);
    expect(kinds("  #disable-diagnostics BCP1 // why\n#restore-diagnostics BCP1\nx")).toEqual([
      "NewLine",
      "Identifier",
    ]);
    expect(kinds("x #disable y").slice(0, 3)).toEqual(["Identifier", "Unrecognized", "Identifier"]);
    expect(kinds("x #disable-next-line y")).toHaveLength(8);
  });

  it("reports characters Bicep has no token for, with a hint for double quotes", () => {
    expect(kinds('a & "b"')).toEqual(["Identifier", "Unrecognized", "Unrecognized", "Identifier", "Unrecognized"]);
    expect(problems('"x"')[0]).toBe("Bicep strings use single quotes");
    expect(problems("é")[0]).toBe("unexpected character 'é'");
    expect(problems("😀")).toEqual(["unexpected character '😀'"]);
  });

  it("skips a byte order mark", () => {
    expect(kinds("\ufeffparam")).toEqual(["Identifier"]);
    expect(problems("\ufeffparam")).toEqual([]);
  });

  it("reports an identifier longer than 255 characters", () => {
    expect(problems("a".repeat(256))).toEqual(["identifier longer than 255 characters"]);
    expect(problems("a".repeat(255))).toEqual([]);
  });

  it("records 1-based lines and columns of starts and ends, across CRLF and lone CR", () => {
    const { tokens } = lex("ab\r\n  cd\rx");
    expect([tokens.line[0], tokens.col[0], tokens.endLine[0], tokens.endCol[0]]).toEqual([1, 1, 1, 3]);
    expect([tokens.line[2], tokens.col[2], tokens.endCol[2]]).toEqual([2, 3, 5]);
    expect([tokens.line[4], tokens.col[4]]).toEqual([3, 1]);
  });
});

describe("lexer: single-line strings", () => {
  it("decodes every escape", () => {
    expect(pieces("'a\\'b\\\\c\\nd\\re\\tf\\$g\\u{41}\\u{1F600}\\u{0000000041}'")).toEqual(["a'b\\c\nd\re\tf$gA😀A"]);
  });

  it("reports an unknown or malformed escape and keeps going", () => {
    expect(problems("'\\q'")[0]).toMatch(/^unknown escape '\\q'/);
    expect(problems("'\\u{110000}'")[0]).toMatch(/^invalid unicode escape/);
    expect(problems("'\\u{}'")[0]).toMatch(/^invalid unicode escape/);
    expect(problems("'\\u41'")[0]).toMatch(/^invalid unicode escape/);
  });

  it("cuts a string at its interpolation holes", () => {
    expect(kinds("'a${b}c${d}e'")).toEqual(["StringLeft", "Identifier", "StringMiddle", "Identifier", "StringRight"]);
    expect(pieces("'a${b}c${d}e'")).toEqual(["a", "c", "e"]);
    expect(pieces("'${b}'")).toEqual(["", ""]);
  });

  it("escapes a hole with \\${", () => {
    expect(kinds("'\\${x}'")).toEqual(["StringComplete"]);
    expect(pieces("'\\${x}'")).toEqual(["${x}"]);
    expect(pieces("'$x {y}'")).toEqual(["$x {y}"]);
  });

  it("tells an object's braces inside a hole from the hole's end, and reads quotes nested in a hole", () => {
    expect(kinds("'${f({a: 'x${y}'})}z'")).toEqual([
      "StringLeft",
      "Identifier",
      "LParen",
      "LBrace",
      "Identifier",
      "Colon",
      "StringLeft",
      "Identifier",
      "StringRight",
      "RBrace",
      "RParen",
      "StringRight",
    ]);
    expect(pieces("'${f({a: 'x${y}'})}z'")).toEqual(["", "x", "", "z"]);
  });

  it("reports a string cut by a line break or the end of the file", () => {
    expect(problems("'abc\nx")[0]).toMatch(/^unterminated string: a line break/);
    expect(problems("'abc")[0]).toMatch(/^unterminated string: the file ends/);
    expect(problems("'${a\nb'")[0]).toMatch(/^unterminated string: a line break inside an interpolation/);
  });
});

describe("lexer: multi-line strings", () => {
  it("drops one line break right after the opening quotes (LF, CRLF or CR)", () => {
    expect(pieces("'''\nabc'''")).toEqual(["abc"]);
    expect(pieces("'''\r\nabc'''")).toEqual(["abc"]);
    expect(pieces("'''\rabc'''")).toEqual(["abc"]);
    expect(pieces("'''abc'''")).toEqual(["abc"]);
    expect(pieces("'''\n\nabc\n'''")).toEqual(["\nabc\n"]);
  });

  it("keeps escapes, quotes and ${ as written", () => {
    expect(pieces("'''a\\n'b'' ${c}'''")).toEqual(["a\\n'b'' ${c}"]);
  });

  it("ends at the first run of three quotes, keeping the quotes before the last three", () => {
    expect(pieces("'''a''''")).toEqual(["a'"]);
    expect(pieces("'''a'''''")).toEqual(["a''"]);
    expect(kinds("'''a''' b")).toEqual(["StringComplete", "Identifier"]);
  });

  it("spans lines without line break tokens, and counts the lines", () => {
    const { tokens } = lex("var x = '''\none\ntwo'''\ny");
    expect(kinds("var x = '''\none\ntwo'''\ny")).toEqual([
      "Identifier",
      "Identifier",
      "Assign",
      "StringComplete",
      "NewLine",
      "Identifier",
    ]);
    expect([tokens.endLine[3], tokens.endCol[3], tokens.line[5]]).toEqual([3, 7, 4]);
  });

  it("reads holes in $''' strings, and needs as many $ as opened it in $$''' strings", () => {
    expect(kinds("$'''a${b}c'''")).toEqual(["StringLeft", "Identifier", "StringRight"]);
    expect(pieces("$'''\na${b}c'''")).toEqual(["a", "c"]);
    expect(kinds("$$'''a${b}$${c}'''")).toEqual(["StringLeft", "Identifier", "StringRight"]);
    expect(pieces("$$'''a${b}$${c}'''")).toEqual(["a${b}", ""]);
    expect(pieces("$'''a$${b}'''")).toEqual(["a$", ""]);
  });

  it("reports a multi-line string the file ends in", () => {
    expect(problems("'''abc")[0]).toMatch(/^unterminated multi-line string/);
  });

  it("reports an unterminated comment", () => {
    expect(problems("/* x")).toEqual(["unterminated comment: '/*' has no '*/'"]);
  });
});

describe("LineMap", () => {
  it("maps offsets to 1-based lines and columns", () => {
    const lines = new LineMap("a\nbc\r\nd\re");
    expect(lines.position(0)).toEqual({ line: 1, col: 1 });
    expect(lines.position(3)).toEqual({ line: 2, col: 2 });
    expect(lines.position(6)).toEqual({ line: 3, col: 1 });
    expect(lines.position(8)).toEqual({ line: 4, col: 1 });
    expect(lines.position(9)).toEqual({ line: 4, col: 2 });
  });
});
