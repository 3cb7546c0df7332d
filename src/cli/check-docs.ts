/**
 * @module cli/check-docs
 * CLI layer: reads the check docs (docs/checks/<ID>.md, shipped with the package) for the help text SARIF
 * gives each rule. The formatters are pure, so the text is read here and handed to them in the ReportContext.
 * A doc that is missing or unreadable is skipped: the rule then falls back to the check's own summary.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CheckMeta } from "../checks/types.js";
import { type CheckHelp, checkDocPath, parseCheckHelp } from "../report/context.js";

/** The package root: src/cli/ and dist/cli/ are both two levels below it. */
const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Help text of each check whose doc can be read, by id. */
export function readCheckHelp(checks: readonly CheckMeta[], root: string = PACKAGE_ROOT): Record<string, CheckHelp> {
  const out: Record<string, CheckHelp> = {};
  for (const meta of checks) {
    let text: string;
    try {
      text = readFileSync(join(root, checkDocPath(meta.id)), "utf8");
    } catch {
      continue;
    }
    const help = parseCheckHelp(text);
    if (help) out[meta.id] = help;
  }
  return out;
}
