/**
 * @module report/junit
 * Report layer: `check --format junit`, JUnit XML for test-result views (Azure DevOps' Tests tab through
 * PublishTestResults, GitLab, Jenkins). There is no standard for JUnit XML; this writes the subset those
 * readers share: `<testsuites>` of `<testsuite name tests failures skipped>` of `<testcase classname name>`.
 * - Each check is a suite. A check without findings has one passing case, so the tab shows it was run.
 * - Each finding is a case named by its instance, resource and place. Errors and warnings are `<failure>` (type
 *   the severity, message the finding's sentence, body its evidence and file:line); an info passes, its sentence
 *   in `<system-out>`, since an info is not a problem.
 * - An accepted finding (suppression or baseline) is `<skipped>` with the reason: visible, not counted.
 * - Input diagnostics no finding reports (a file skipped, a value that could not be known) are the suite
 *   `inputs`, errors and warnings as failures: what could not be read is never a silent pass.
 * Every text goes through the HTML/XML escape (report/html/escape), so the XML stays well-formed whatever the
 * inputs are called.
 */
import type { Finding } from "../checks/types.js";
import type { Diagnostic } from "../model/diagnostics.js";
import { displayName } from "../model/ids.js";
import { formatSource } from "../model/source.js";
import { formatLocation, type ReportContext } from "./context.js";
import { escapeHtml as x } from "./html/escape.js";
import type { SuppressedFinding } from "./suppressed.js";

interface Case {
  name: string;
  classname: string;
  body: string;
  failed: boolean;
  skipped: boolean;
}

function findingCase(f: Finding, suppressed?: SuppressedFinding): Case {
  const name = `${f.instance ?? "network"}: ${displayName(f.resource) || f.resource} (${formatLocation(f.location)})`;
  const detail = [
    `${formatLocation(f.location)}: ${f.message}`,
    ...f.evidence.map((e) => `- ${e.text}${e.location ? ` (${formatLocation(e.location)})` : ""}`),
  ].join("\n");
  const classname = `apim-netcheck.${f.id}`;
  if (suppressed) {
    const why = `suppressed: ${suppressed.reason} (${suppressed.source})`;
    return { name, classname, body: `<skipped message="${x(why)}"/>`, failed: false, skipped: true };
  }
  if (f.severity === "info")
    return { name, classname, body: `<system-out>${x(detail)}</system-out>`, failed: false, skipped: false };
  return {
    name,
    classname,
    body: `<failure type="${f.severity}" message="${x(f.message)}">${x(detail)}</failure>`,
    failed: true,
    skipped: false,
  };
}

function diagnosticCase(d: Diagnostic): Case {
  const where = d.src ? formatSource(d.src) : "inputs";
  return {
    name: `${d.code} (${where})`,
    classname: "apim-netcheck.inputs",
    body: `<failure type="${d.severity}" message="${x(d.message)}">${x(`${where}: ${d.message}`)}</failure>`,
    failed: true,
    skipped: false,
  };
}

function suite(name: string, cases: Case[]): string {
  const failures = cases.filter((c) => c.failed).length;
  const skipped = cases.filter((c) => c.skipped).length;
  const body = cases
    .map((c) => `    <testcase classname="${x(c.classname)}" name="${x(c.name)}">${c.body}</testcase>`)
    .join("\n");
  return `  <testsuite name="${x(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">\n${body}\n  </testsuite>`;
}

/** The JUnit XML of a run: `findings` count, `suppressed` are listed as skipped. */
export function formatJunit(
  findings: Finding[],
  ctx: ReportContext,
  suppressed: readonly SuppressedFinding[] = [],
): string {
  const byCheck = new Map<string, Case[]>();
  const add = (id: string, c: Case) => byCheck.set(id, [...(byCheck.get(id) ?? []), c]);
  for (const f of findings) add(f.id, findingCase(f));
  for (const s of suppressed) add(s.finding.id, findingCase(s.finding, s));
  const suites: string[] = [];
  for (const meta of ctx.checks) {
    const cases = byCheck.get(meta.id) ?? [
      { name: meta.title, classname: `apim-netcheck.${meta.id}`, body: "", failed: false, skipped: false },
    ];
    byCheck.delete(meta.id);
    suites.push(suite(meta.id, cases));
  }
  for (const [id, cases] of byCheck) suites.push(suite(id, cases));
  const inputs = ctx.diagnostics.filter((d) => d.severity !== "info").map(diagnosticCase);
  if (inputs.length > 0) suites.push(suite("inputs", inputs));
  const all = suites.join("\n");
  const count = (re: RegExp) => (all.match(re) ?? []).length;
  const head = `<testsuites name="apim-netcheck" tests="${count(/<testcase /g)}" failures="${count(/<failure /g)}" errors="0" skipped="${count(/<skipped /g)}">`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${head}\n${all}\n</testsuites>\n`;
}
