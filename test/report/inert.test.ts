/**
 * The one sanitizer of text that leaves the tool (report/inert): whatever a value holds, what comes out holds
 * no control or bidi character, one value stays one line, and the `\uXXXX` form it writes reads back (as JSON)
 * to the same characters.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inert, inertJoin, inertLines } from "../../src/report/inert.js";

/** Every character a terminal or a bidi renderer acts on, a CRLF pair's CR excepted. */
const ACTIVE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\r(?!\n)/;

describe("inert", () => {
  it("leaves a value on one line with no active character, and JSON reads it back to the same text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const out = inert(s);
        expect(out).not.toMatch(ACTIVE);
        expect(out).not.toMatch(/[\n\r\t]/);
        // Lone surrogates aside, the escapes are JSON's: the value is all still there to read.
        if (!/[\ud800-\udfff]/.test(s))
          expect(JSON.parse(`"${out.replace(/\\(?!u[0-9a-f]{4})/g, "\\\\").replace(/"/g, '\\"')}"`)).toBe(s);
      }),
      { numRuns: 3000 },
    );
  });

  it("cannot forge an output line: a name holding '\\nSummary: 0 error(s)' stays inside its own line", () => {
    const lines = inertJoin([`NSG nsg-a\nSummary: 0 error(s)`, "next"]).split("\n");
    expect(lines).toEqual(["NSG nsg-a\\u000aSummary: 0 error(s)", "next", ""]);
  });

  it("shows escape sequences, window titles and Trojan Source overrides instead of passing them", () => {
    expect(inert("\u001b[2J\u001b]0;owned\u0007x\u202eevil")).toBe("\\u001b[2J\\u001b]0;owned\\u0007x\\u202eevil");
  });
});

describe("inertLines", () => {
  it("keeps the tool's own newlines, tabs and CRLF line ends, and nothing else that is active", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary" })), (parts) => {
        const text = parts.join("\n");
        const out = inertLines(text);
        expect(out).not.toMatch(ACTIVE);
        expect(out.split("\n").length).toBe(text.split("\n").length);
      }),
      { numRuns: 2000 },
    );
    expect(inertLines("a\r\nb\rc\td")).toBe("a\r\nb\\u000dc\td");
  });

  it("passes exactly the sequences it is told to keep (the tool's own colour), and escapes the rest", () => {
    const bold = "\u001b[1m";
    const reset = "\u001b[0m";
    expect(inertLines(`${bold}ERROR${reset} \u001b[2J`, [bold, reset])).toBe(`${bold}ERROR${reset} \\u001b[2J`);
  });
});
