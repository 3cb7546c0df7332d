/**
 * The quoting of names in fixes (checks/fix/values): whatever a name holds, the shell word reads back in bash
 * as exactly that name, and no form (az, Bicep, Terraform) carries a character a terminal acts on: a control or
 * bidi character is spelt in the language's own escape, so the pasted command is one inert line that still
 * names the resource.
 */
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderFix } from "../../src/checks/fix/render.js";
import { azText, bicepText, hclText, shellWord, Variables } from "../../src/checks/fix/values.js";
import { parseHcl } from "../../src/ingest/terraform/hcl/parser.js";
import { Unwritable } from "../../src/model/arm-values.js";

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

  // Found by the CLI fuzz targets (test/fuzz/targets/cli-fix-text.ts).
  it("Terraform: `${` in a name stays literal, and a `$` before an Unknown part does not escape it", () => {
    const read = (text: string) => {
      const { body, problems } = parseHcl(`a = ${hclText(text, new Variables("terraform"))}`);
      expect(problems).toEqual([]);
      const expr = (body.items[0] as { expr: { parts: { kind: string; value?: string }[] } }).expr;
      return expr.parts.map((p) => (p.kind === "text" ? p.value : p.kind));
    };
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the name holds HCL's interpolation syntax
    expect(read('n${file("/etc/passwd")}')).toEqual(['n${file("/etc/passwd")}']);
    expect(read("rt$$<unknown: parameters('p5')>.")).toEqual(["rt$$", "interp", "."]);
  });

  it("az: a `!` beside an Unknown part reads back as itself; a NUL leaves the az form out", () => {
    const word = azText("a!b\\<unknown: parameters('env')>!", new Variables("az"));
    const r = spawnSync("bash", ["-c", `ENV=v; printf '%s' ${word}`], { encoding: "utf8" });
    expect(r.stdout).toBe("a!b\\v!");
    expect(() => shellWord("nsg\u0000evil")).toThrow(Unwritable);
    const id =
      "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg\u0000evil";
    const forms = renderFix([
      { op: "delete", target: { type: "Microsoft.Network/networkSecurityGroups", names: ["nsg\u0000evil"], id } },
    ]);
    expect(forms.map((f) => f.kind)).not.toContain("az-cli");
  });

  it("ARM: a merged declaration keeps a name holding U+2028 as it is (no indentation inside it)", () => {
    const id =
      "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/\u2028s";
    const [arm] = renderFix([
      {
        op: "patch",
        target: { type: "Microsoft.Network/virtualNetworks/subnets", names: ["v", "\u2028s"], id },
        set: { addressPrefix: "10.0.0.0/24" },
      },
    ]).filter((f) => f.kind === "arm");
    expect(arm?.text).toContain('"name": "v/\u2028s"');
  });
});
