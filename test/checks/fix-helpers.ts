/**
 * Test helper for the check tests: applies one finding's ARM fix to its fixture, checks again, and expects
 * that finding gone (other findings of the same check on the fixture may stay: they are other rows).
 */
import { expect } from "vitest";
import type { Check } from "../../src/checks/context.js";
import type { Finding } from "../../src/checks/types.js";
import { applyArmFix, type RunCheckOptions, runCheck } from "./tester.js";

/**
 * What identifies a finding across runs, whatever its verdict: the flow it evaluated (its "flow" evidence) for
 * the requirement checks, else the resource it is about.
 */
export function findingKey(f: Finding): string {
  const flow = f.evidence.find((e) => e.kind === "flow")?.text;
  return `${f.id}|${f.instance ?? ""}|${flow ?? f.resource}`;
}

/** Applies `finding`'s ARM fix to `file` and returns the check's findings on the result. */
export function afterFix(check: Check, file: string, finding: Finding, options: RunCheckOptions = {}): Finding[] {
  return runCheck(check, [applyArmFix(file, finding)], options);
}

/** Every finding of `check` on `file` that has a fix disappears once its fix is applied. */
export function expectEachFixWorks(check: Check, file: string, options: RunCheckOptions = {}): number {
  const findings = runCheck(check, [file], options).filter((f) => f.fix.length > 0);
  for (const f of findings) {
    const keys = afterFix(check, file, f, options).map(findingKey);
    expect(keys, `fix of "${f.message}"`).not.toContain(findingKey(f));
  }
  return findings.length;
}
