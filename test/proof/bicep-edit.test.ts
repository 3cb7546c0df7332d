/**
 * The Bicep edit writer (ingest/bicep/edit) on the proof's fixtures: new rules beside the existing ones in the
 * file's own indentation (tabs stay tabs), a priority changed in place (only the number's text replaced), every
 * byte outside the edits kept, and what cannot be written safely refused with one line (a list from a
 * variable, a rule made by a loop).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bicepEdits } from "../../src/ingest/bicep/edit.js";
import { applyEdits } from "../../src/ingest/edits.js";
import { REPO_ROOT } from "../helpers/corpus.js";
import { prove } from "./prove.js";

const DIR = join(REPO_ROOT, "test/proof/fixtures");
const run = (file: string) => prove({ name: file, root: DIR, inputs: [file] });

describe("Bicep edit writer", () => {
  it("adds rules in the file's tab indentation and keeps every other byte", () => {
    const r = run("tabs-and-loop.bicep");
    const [f] = r.files;
    expect(f).toBeDefined();
    const added = f!.edits.filter((e) => e.length === 0).flatMap((e) => e.text.split("\n").filter(Boolean));
    expect(added.length).toBeGreaterThan(5);
    for (const line of added) expect(line).toMatch(/^\t+\S/);
    // What the edits take out and put in aside, the file is what it was.
    const kept = f!.edits.reduce((n, e) => n + e.length, 0);
    expect(f!.before.length - kept + f!.edits.reduce((n, e) => n + e.text.length, 0)).toBe(f!.after.length);
    expect(applyEdits(f!.before, f!.edits)).toBe(f!.after);
    expect(f!.after).toContain("\t\t\t\tname: 'Allow-ApiManagement-3443-Inbound'\n");
    // The deny the new Storage allow covers whole is taken out, its whole lines.
    expect(f!.after).not.toContain("Deny-Storage-Out");
  });

  it("changes a priority in place: only the number's text", () => {
    const r = run("nsg-missing-rules.bicep");
    const [f] = r.files;
    const inPlace = f!.edits.filter((e) => e.length > 0 && e.text !== "");
    expect(inPlace.map((e) => [f!.before.slice(e.offset, e.offset + e.length), e.text])).toEqual([["300", "301"]]);
    expect(r.added).toEqual([]);
  });

  it("refuses a rule beside a list that comes from a variable, with one line", () => {
    const r = run("rules-from-variable.bicep");
    expect(r.files).toEqual([]);
    expect([...new Set(r.refused.map((x) => x.reason))]).toEqual([
      "its securityRules are rules (line 22), not a list written here; add the rule where the list is written",
    ]);
  });

  it("refuses to change a rule a loop makes", () => {
    const text = readFileSync(join(DIR, "tabs-and-loop.bicep"), "utf8");
    const line = text.split("\n").findIndex((l) => l.includes("securityRules: [for")) + 1;
    const column = text.split("\n")[line - 1]!.indexOf("{") + 1;
    const target = { type: "Microsoft.Network/networkSecurityGroups/securityRules", names: ["nsg-loop", "x"], id: "x" };
    const out = bicepEdits(text, "tabs-and-loop.bicep", [
      { change: { op: "patch", target, set: { priority: 300 } }, at: { line, column } },
    ]);
    expect(out.edits).toEqual([]);
    expect(out.refused[0]!.reason).toMatch(/^it is declared in a loop \(line \d+\); change the loop instead$/);
  });
});
