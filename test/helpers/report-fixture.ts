/**
 * The fixed findings and report context the formatter goldens are made from (test/fixtures/report/): findings
 * on three instances and the network, every severity, hostile names (`|`, backticks, HTML, a Markdown link,
 * an @mention), relative, absolute and Windows paths, evidence with and without a place, and fixes whose text
 * holds backtick fences.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Finding } from "../../src/checks/types.js";
import type { ReportContext } from "../../src/report/context.js";
import { REPO_ROOT } from "./corpus.js";

const DIR = join(REPO_ROOT, "test/fixtures/report");

export function fixtureFindings(): Finding[] {
  return JSON.parse(readFileSync(join(DIR, "findings.json"), "utf8")) as Finding[];
}

export function fixtureContext(): ReportContext {
  return JSON.parse(readFileSync(join(DIR, "context.json"), "utf8")) as ReportContext;
}
