/**
 * Fixes proven (issue "Findings to trust and one fix engine", item 3): over every check fixture, the bundled
 * example and every corpus input the tool reads (ARM and other JSON, Bicep entry files, Terraform root modules),
 * and the proof's own Bicep and Terraform fixtures, all the fixes of one run are written at once by the writer
 * `apim-netcheck fix` uses, the patched files are read again and checked again: no finding of any kind is added
 * (compared by check id, instance, resource and evaluated flow, not by message), every finding whose fix was
 * written is gone, the patched files load without a new error, and every finding with changes is either fixed
 * or refused with a one-line reason (never skipped). The totals are printed and asserted.
 */
import { afterAll, describe, expect, it } from "vitest";
import {
  corpusBicepCases,
  corpusJsonCases,
  corpusTerraformCases,
  exampleCases,
  fixtureCases,
  proofFixtureCases,
} from "./cases.js";
import { type ProofCase, type ProofResult, prove, shown } from "./prove.js";

interface Totals {
  cases: number;
  notRead: number;
  files: number;
  changes: number;
  fixed: number;
  refused: number;
  textOnly: number;
  stale: number;
  followUps: number;
}

const results: ProofResult[] = [];

function totals(list: ProofResult[]): Totals {
  return {
    cases: list.length,
    notRead: list.filter((r) => r.notRead).length,
    files: list.reduce((n, r) => n + r.files.length, 0),
    changes: list.reduce((n, r) => n + r.files.reduce((m, f) => m + f.changes, 0), 0),
    fixed: list.reduce((n, r) => n + r.fixed.length, 0),
    refused: list.reduce((n, r) => n + new Set(r.refused.map((x) => x.finding)).size, 0),
    textOnly: list.reduce((n, r) => n + r.textOnly.length, 0),
    stale: list.reduce((n, r) => n + r.stale.length, 0),
    followUps: list.reduce((n, r) => n + r.followUps.length, 0),
  };
}

/** The assertions of one case. */
function assertProven(c: ProofCase): ProofResult {
  const r = prove(c);
  results.push(r);
  if (r.notRead) return r;
  expect(r.added.map(shown), "findings the fixes added").toEqual([]);
  expect(r.notGone.map(shown), "fixed findings still there").toEqual([]);
  expect(r.newErrors, "errors of the patched files").toEqual([]);
  // Every finding with changes is accounted for: fixed or refused, not both, never dropped.
  const refused = new Set(r.refused.map((x) => x.finding));
  for (const f of r.fixed) expect(refused.has(f), shown(f)).toBe(false);
  expect(r.fixed.length + refused.size).toBe(r.withChanges);
  for (const x of r.refused) {
    expect(x.reason.trim().length, shown(x.finding)).toBeGreaterThan(0);
    expect(x.reason, shown(x.finding)).not.toContain("\n");
  }
  // Every fix printed can be written: a finding with fix text has changes.
  expect(r.textOnly.map(shown), "fix text without changes").toEqual([]);
  return r;
}

function describeCases(title: string, cases: ProofCase[]): void {
  describe(title, () => {
    it.each(cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
      assertProven(c);
    });
  });
}

const fixtures = fixtureCases(".json");
const examples = exampleCases();
const corpus = corpusJsonCases();
const bicepFixtures = proofFixtureCases(".bicep");
const corpusBicep = corpusBicepCases();
const terraformFixtures = proofFixtureCases(".tf");
const corpusTerraform = corpusTerraformCases();

describeCases("fixes proven: ARM check fixtures", fixtures);
describeCases("fixes proven: the bundled examples", examples);
if (corpus.length > 0) describeCases("fixes proven: corpus JSON inputs", corpus);
// Bicep: written by the Bicep edit writer, read again by our Bicep reader.
describeCases("fixes proven: Bicep fixtures", bicepFixtures);
if (corpusBicep.length > 0) describeCases("fixes proven: corpus Bicep inputs", corpusBicep);
// Terraform: written by the Terraform edit writer, read again by our Terraform reader.
describeCases("fixes proven: Terraform fixtures", terraformFixtures);
if (corpusTerraform.length > 0) describeCases("fixes proven: corpus Terraform root modules", corpusTerraform);

describe("fixes proven: the count", () => {
  it("applies fixes on every kind of input, and says how many", () => {
    const of = (cases: ProofCase[]) => totals(results.filter((r) => cases.some((c) => c.name === r.name)));
    const lines = [
      ["fixtures", of(fixtures)],
      ["examples", of(examples)],
      ["corpus", of(corpus)],
      ["Bicep fixtures", of(bicepFixtures)],
      ["corpus Bicep", of(corpusBicep)],
      ["Terraform fixtures", of(terraformFixtures)],
      ["corpus Terraform", of(corpusTerraform)],
      ["all", totals(results)],
    ] as const;
    for (const [label, t] of lines)
      console.log(
        `fixes proven, ${label}: ${t.cases} case(s) (${t.notRead} not read), ${t.files} file(s) patched, ` +
          `${t.fixed} finding(s) fixed by ${t.changes} change(s), ${t.refused} refused; ` +
          `${t.stale} judged on a stale network status, ${t.followUps} info(s) of a new mode`,
      );
    const notRead = results.filter((r) => r.notRead).map((r) => `${r.name}: ${r.notRead}`);
    if (notRead.length) console.log(`not read:\n  ${notRead.join("\n  ")}`);
    const aside = results.flatMap((r) => [...r.stale, ...r.followUps].map((f) => `${r.name}: ${shown(f)}`));
    if (aside.length) console.log(`set aside:\n  ${aside.join("\n  ")}`);
    const refusals = results.flatMap((r) =>
      r.refused.map((x) => `${r.name}: ${x.finding.id} ${x.target}: ${x.reason}`),
    );
    if (refusals.length) console.log(`refused:\n  ${[...new Set(refusals)].join("\n  ")}`);
    expect(of(fixtures).fixed).toBeGreaterThanOrEqual(50);
    expect(of(examples).fixed).toBeGreaterThanOrEqual(3);
    expect(of(fixtures).files).toBeGreaterThanOrEqual(30);
    expect(of(bicepFixtures).fixed).toBeGreaterThanOrEqual(9);
    expect(of(bicepFixtures).refused).toBeGreaterThanOrEqual(3);
    expect(of(terraformFixtures).fixed).toBeGreaterThanOrEqual(8);
    expect(of(terraformFixtures).refused).toBeGreaterThanOrEqual(3);
  });
});

afterAll(() => {
  results.length = 0;
});
