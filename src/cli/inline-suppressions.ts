/**
 * @module cli/inline-suppressions
 * CLI layer: findings accepted in the file that holds them, as ESLint's `eslint-disable-next-line` and Bicep's
 * `#disable-next-line` do it. A comment line
 *
 *   // apim-netcheck-disable-next-line NSG-RULE-SHADOWED: the platform team's deny-all, reviewed 2026-11
 *
 * (`#` in Terraform, `//` or `/* ... *\/` in Bicep, ARM templates with comments and Terraform) accepts the
 * findings of those check ids located on the next line that is not blank or a comment: the line `check` names
 * for the finding. The reason after `:` is required: a marker without one accepts nothing and says so, as a
 * suppression without a reason in the configuration file would. Only formats that allow comments are read for it:
 * `.bicep`, `.bicepparam`, `.tf`, `.tfvars`, `.json` and `.jsonc` (ARM accepts comments in templates).
 */

/** One marker: the ids it names, the line it sits on and the line it accepts, and why. */
export interface InlineSuppression {
  ids: string[];
  file: string;
  /** 1-based line of the comment. */
  line: number;
  /** 1-based line whose findings it accepts. */
  target: number;
  reason: string;
}

const COMMENTED = /\.(bicep|bicepparam|tf|tfvars|json|jsonc)$/i;
const MARKER =
  /^\s*(?:\/\/|#|\/\*)\s*apim-netcheck-disable-next-line\b\s*([A-Za-z0-9-]+(?:\s*,\s*[A-Za-z0-9-]+)*)?\s*(?::\s*(.*?))?\s*(?:\*\/)?\s*$/;
const COMMENT_ONLY = /^\s*(?:\/\/.*|#.*|\/\*.*\*\/\s*)?$/;

/** The markers of one file's text, and one warning per marker that cannot apply. */
export function inlineSuppressions(file: string, text: string): { found: InlineSuppression[]; warnings: string[] } {
  const found: InlineSuppression[] = [];
  const warnings: string[] = [];
  if (!COMMENTED.test(file) || !text.includes("apim-netcheck-disable-next-line")) return { found, warnings };
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const m = MARKER.exec(line);
    if (!m) return;
    const ids = (m[1] ?? "")
      .split(",")
      .map((s) => s.trim().toUpperCase())
      .filter(Boolean);
    const reason = (m[2] ?? "").trim();
    const at = `${file}:${i + 1}`;
    if (ids.length === 0 || reason === "") {
      warnings.push(
        `${at}: warning: apim-netcheck-disable-next-line needs check ids and a reason (\`... NSG-RULE-SHADOWED: why\`); it accepts nothing`,
      );
      return;
    }
    let target = i + 1;
    while (target < lines.length && COMMENT_ONLY.test(lines[target]!)) target++;
    if (target >= lines.length) {
      warnings.push(`${at}: warning: apim-netcheck-disable-next-line has no line after it; it accepts nothing`);
      return;
    }
    found.push({ ids, file, line: i + 1, target: target + 1, reason });
  });
  return { found, warnings };
}
