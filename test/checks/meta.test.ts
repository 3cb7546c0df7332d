/**
 * Meta-tests of the check pack (style.md): ids unique and stable, registry sorted and complete, file stem equal
 * to the check's name, and a doc per check with the required sections, whose failing and passing fixtures are
 * run here.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { CHECKS } from "../../src/checks/index.js";
import { REPO_ROOT } from "../helpers/corpus.js";
import { checkFixture, runCheck } from "./tester.js";

const SECTIONS = ["Summary", "Rationale", "Symptoms", "Recommendation", "Examples", "How it is evaluated", "Links"];
/** Ids that were used once and must never be used again. */
const RETIRED_IDS: string[] = [];

function doc(id: string) {
  const path = join(REPO_ROOT, "docs/checks", `${id}.md`);
  const text = readFileSync(path, "utf8");
  const match = /^---\n([\s\S]*?)\n---\n/.exec(text);
  return { text, front: parseYaml(match?.[1] ?? "") as Record<string, unknown> };
}

describe("check registry", () => {
  it("ids are unique, never retired ones, and the registry is sorted by id", () => {
    const ids = CHECKS.map((c) => c.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => RETIRED_IDS.includes(id))).toEqual([]);
    expect(ids).toEqual([...ids].sort());
  });

  it("every check file is registered and its stem is the check's name", () => {
    const files = ["apim", "drift", "input", "network", "nsg"].flatMap((dir) =>
      existsSync(join(REPO_ROOT, "src/checks", dir))
        ? readdirSync(join(REPO_ROOT, "src/checks", dir))
            .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
            .map((f) => f.replace(/\.ts$/, ""))
        : [],
    );
    expect(CHECKS.map((c) => c.meta.name).sort()).toEqual(files.sort());
  });
});

describe.each(CHECKS.map((c) => [c.meta.id, c] as const))("%s documentation", (id, check) => {
  it("has a doc with frontmatter matching the check and the sections in order", () => {
    const { text, front } = doc(id);
    expect(front.id).toBe(id);
    expect(front.name).toBe(check.meta.name);
    expect(front.severity).toBe(check.meta.severity);
    expect(front.category).toBe(check.meta.category);
    const headings = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(SECTIONS);
    expect(text).toMatch(/^# .+$/m);
  });

  it("its failing examples produce the finding and its passing examples do not", () => {
    const { front } = doc(id);
    const failing = (front.failing as string[] | undefined) ?? [];
    const passing = (front.passing as string[] | undefined) ?? [];
    expect(failing.length).toBeGreaterThan(0);
    for (const name of failing) expect(runCheck(check, [checkFixture(check, name)]).length, name).toBeGreaterThan(0);
    for (const name of passing) expect(runCheck(check, [checkFixture(check, name)]), name).toEqual([]);
  });
});
