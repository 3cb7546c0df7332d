/**
 * The quoting of names in fixes (checks/fix/values): whatever a name holds, the shell word reads back in bash
 * as exactly that name, and no form (az, Bicep, Terraform) carries a character a terminal acts on: a control or
 * bidi character is spelt in the language's own escape, so the pasted command is one inert line that still
 * names the resource.
 */
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { azText, bicepText, hclText, shellWord, Variables } from "../../src/checks/fix/values.js";

const ACTIVE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
// Bash strings end at NUL, and a lone surrogate has no UTF-8 form: names hold neither.
const name = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom("\u001b", "\u0007", "\r", "\n", "\t", "'", '"', "$", "\\", "`", "!", "\u202e", "\u0085", " "),
      fc.string({ minLength: 1, maxLength: 1 }),
    ),
    maxLength: 24,
  })
  .filter((s) => !s.includes("\u0000"));

describe("names in fixes", () => {
  it("a shell word reads back in bash as the same name, and holds nothing active", () => {
    if (spawnSync("bash", ["--version"]).status !== 0) return; // no bash here: nothing to read it back with
    const names = fc.sample(name, { numRuns: 300, seed: 7 });
    names.push("nsg$(touch${IFS}pwned);x", "a\u001b]0;title\u0007b", "x\nSummary: 0 error(s)", "it's");
    for (const n of names) expect(shellWord(n)).not.toMatch(ACTIVE);
    const script = names.map((n) => `printf '%s\\0' ${shellWord(n)}`).join("\n");
    const r = spawnSync("bash", ["-c", script], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout.split("\u0000").slice(0, -1)).toEqual(names);
  });

  it("az, Bicep and Terraform text hold nothing active, with or without Unknown parts", () => {
    fc.assert(
      fc.property(name, (n) => {
        for (const text of [n, `${n}<unknown: parameters('workloadName')>${n}`]) {
          expect(azText(text, new Variables("az"))).not.toMatch(ACTIVE);
          expect(bicepText(text, new Variables("bicep"))).not.toMatch(ACTIVE);
          expect(hclText(text, new Variables("terraform"))).not.toMatch(ACTIVE);
        }
      }),
      { numRuns: 500 },
    );
  });
});
