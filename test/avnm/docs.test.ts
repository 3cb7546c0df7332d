/**
 * docs/assume.md `networkManagerCommits`: its example is the fixture, reads to the commit it shows, and the flow
 * command it shows prints the lines it shows (the admin Deny decides, the NSG is not evaluated).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { parseAssumptions } from "../../src/ingest/assume/read.js";
import { REPO_ROOT } from "../helpers/corpus.js";

const page = readFileSync(join(REPO_ROOT, "docs/assume.md"), "utf8");
const section = page.slice(page.indexOf("## `networkManagerCommits`"));
const block = (lang: string) => new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(section)?.[1] ?? "";

describe("docs/assume.md networkManagerCommits", () => {
  it("the example is the fixture and reads to one SecurityAdmin commit", () => {
    const yaml = block("yaml");
    expect(readFileSync(join(REPO_ROOT, "test/fixtures/avnm/commit.assume.yaml"), "utf8")).toBe(yaml);
    expect(parseAssumptions(yaml, "a.yaml").networkManagerCommits).toMatchObject([
      {
        networkManager: "nm-central",
        commitType: "SecurityAdmin",
        configurationIds: ["sac-baseline"],
        targetLocations: ["westeurope"],
      },
    ]);
  });

  it("the flow command prints the lines the page shows", async () => {
    const args = block("sh")
      .replace(/\\\n\s*/g, " ")
      .trim()
      .split(/\s+/)
      .slice(1);
    let out = "";
    const previous = process.cwd();
    process.chdir(REPO_ROOT);
    try {
      await main(args, { out: (s) => (out += s), err: () => {}, isTty: false, env: {} });
    } finally {
      process.chdir(previous);
    }
    for (const line of block("text").trim().split("\n")) expect(out.split("\n")).toContain(line);
  });

  it("a commit without targetLocations is refused with its line", () => {
    expect(() => parseAssumptions("networkManagerCommits:\n  - configurationIds: [c]\n", "a.yaml")).toThrow(
      /a\.yaml:2:5: targetLocations is missing/,
    );
  });
});
