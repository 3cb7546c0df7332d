/**
 * The check pages (docs/checks/<ID>.md) against the one place a check's title and references live, its meta:
 * the page's heading is meta.title, its frontmatter references are meta.references, and its Links section cites
 * exactly those. And the ARM example of each page is run: a block marked `<!-- arm-example reports=<ids> -->`
 * is a template that loads and that the check reports with those message ids; one marked
 * `<!-- arm-example fixes=<fixture> -->` is the fix in ARM form, which added to that failing fixture leaves the
 * check nothing to report.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { Check } from "../../src/checks/context.js";
import { CHECKS } from "../../src/checks/index.js";
import { type ArmItem, addArmItems, checkFixture, runCheck } from "../checks/tester.js";
import { REPO_ROOT } from "../helpers/corpus.js";

interface Page {
  text: string;
  front: Record<string, unknown>;
  heading: string | undefined;
  links: string[];
  /** `with`: a fixture of the check loaded beside the example (an observed export the example is compared with). */
  examples: { kind: "reports" | "fixes"; value: string; json: string; with?: string }[];
}

function page(id: string): Page {
  const text = readFileSync(join(REPO_ROOT, "docs/checks", `${id}.md`), "utf8");
  const front = parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(text)?.[1] ?? "") as Record<string, unknown>;
  const links = text.slice(text.indexOf("\n## Links")).match(/https?:\/\/[^\s)>]+/g) ?? [];
  const examples = [
    ...text.matchAll(/<!-- arm-example (reports|fixes)=(\S+)(?: with=(\S+))? -->\s*```json\n([\s\S]*?)\n```/g),
  ].map((m) => ({ kind: m[1] as "reports" | "fixes", value: m[2]!, json: m[4]!, ...(m[3] ? { with: m[3] } : {}) }));
  return { text, front, heading: /^# (.+)$/m.exec(text)?.[1], links, examples };
}

function writeExample(json: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "apim-netcheck-doc-")), "example.json");
  writeFileSync(file, json);
  return file;
}

function runExample(check: Check, example: Page["examples"][number]) {
  if (example.kind === "reports") {
    const beside = example.with ? [checkFixture(check, example.with)] : [];
    const found = runCheck(check, [writeExample(example.json), ...beside]);
    expect([...new Set(found.map((f) => f.messageId))].sort()).toEqual(example.value.split(",").sort());
    return;
  }
  const fixture = checkFixture(check, example.value);
  const before = runCheck(check, [fixture]);
  expect(before.length, `${example.value} must be a failing fixture`).toBeGreaterThan(0);
  const fixed = addArmItems(fixture, JSON.parse(example.json) as ArmItem[]);
  expect(runCheck(check, [fixed]).map((f) => f.message)).toEqual([]);
}

describe.each(CHECKS.map((c) => [c.meta.id, c] as const))("%s page", (id, check) => {
  const p = page(id);

  it("has the check's title as its heading", () => {
    expect(p.heading).toBe(check.meta.title);
  });

  it("lists the check's references in its frontmatter and cites exactly those under Links", () => {
    expect(p.front.references).toEqual(check.meta.references);
    expect([...new Set(p.links)].sort()).toEqual([...check.meta.references].sort());
  });

  it("has an ARM example that does what the page says", () => {
    expect(p.examples.length, "no <!-- arm-example ... --> block").toBeGreaterThan(0);
    for (const example of p.examples) runExample(check, example);
  });
});
