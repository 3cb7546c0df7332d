/**
 * Formatter goldens (style.md): each formatter's output for the fixed findings fixture and report context
 * (test/helpers/report-fixture.ts), compared with test/golden/. `UPDATE_GOLDEN=1 npx vitest run test/report`
 * rewrites them.
 */
import { describe, it } from "vitest";
import { formatJson } from "../../src/report/json.js";
import { formatMarkdown } from "../../src/report/markdown.js";
import { formatSarif } from "../../src/report/sarif.js";
import { formatText, type TextOptions } from "../../src/report/text.js";
import { expectGolden } from "../helpers/golden.js";
import { fixtureContext, fixtureFindings } from "../helpers/report-fixture.js";

const TEXT: TextOptions = { color: false, fix: "az-cli", verbose: false, quiet: false };

describe("formatter goldens", () => {
  it("text", () => {
    expectGolden("report.txt", formatText(fixtureFindings(), fixtureContext(), TEXT));
  });

  it("text, quiet", () => {
    expectGolden("report.quiet.txt", formatText(fixtureFindings(), fixtureContext(), { ...TEXT, quiet: true }));
  });

  it("text, verbose with every fix form", () => {
    const opts: TextOptions = { ...TEXT, verbose: true, fix: "all" };
    expectGolden("report.verbose.txt", formatText(fixtureFindings(), fixtureContext(), opts));
  });

  it("markdown", () => {
    expectGolden("report.md", formatMarkdown(fixtureFindings(), fixtureContext()));
  });

  it("json", () => {
    expectGolden("report.json", formatJson(fixtureFindings(), fixtureContext()));
  });

  it("sarif", () => {
    expectGolden("report.sarif.json", formatSarif(fixtureFindings(), fixtureContext()));
  });
});
