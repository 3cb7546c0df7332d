/**
 * The Terraform edit writer (ingest/terraform/edit) on the proof's fixtures: a new rule as a `security_rule`
 * block beside the others, or as one more `azurerm_network_security_rule` naming the NSG as the others do, with
 * `=` aligned as the file aligns it; a priority changed in place (only the number's text); every byte outside
 * the edits kept; dynamic blocks refused with one line.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyEdits } from "../../src/ingest/edits.js";
import { REPO_ROOT } from "../helpers/corpus.js";
import { prove } from "./prove.js";

const DIR = join(REPO_ROOT, "test/proof/fixtures");
const run = (dir: string) => prove({ name: dir, root: join(DIR, dir), inputs: ["."] });

describe("Terraform edit writer", () => {
  it("adds security_rule blocks beside the others, aligned, and changes a priority in place", () => {
    const r = run("terraform-inline");
    const [f] = r.files;
    expect(applyEdits(f!.before, f!.edits)).toBe(f!.after);
    expect(f!.after).toContain(
      '  security_rule {\n    name                       = "Allow-ApiManagement-3443-Inbound"\n',
    );
    const inPlace = f!.edits.filter((e) => e.length > 0);
    expect(inPlace.map((e) => [f!.before.slice(e.offset, e.offset + e.length), e.text])).toEqual([["300", "301"]]);
    // Only insertions and the one number: the original text is a subsequence kept whole around them.
    expect(f!.edits.filter((e) => e.length === 0).every((e) => e.text.startsWith("\n\n  security_rule {"))).toBe(true);
    expect(r.added).toEqual([]);
    expect(r.fixed.length).toBe(4);
  });

  it("adds a rule as a resource of its own where the file declares its rules so", () => {
    const r = run("terraform-rule-resources");
    const after = r.files[0]!.after;
    expect(after).toContain('resource "azurerm_network_security_rule" "allow_apimanagement_3443_inbound" {\n');
    expect(after).toContain("  network_security_group_name = azurerm_network_security_group.apim.name\n}");
    expect(r.refused).toEqual([]);
  });

  it("refuses a rule beside dynamic blocks, with one line", () => {
    const r = run("terraform-dynamic");
    expect(r.files).toEqual([]);
    expect([...new Set(r.refused.map((x) => x.reason))]).toEqual([
      "its security_rule blocks are dynamic (made from a collection); add the rule where it is",
    ]);
  });
});
