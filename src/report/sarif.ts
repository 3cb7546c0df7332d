/**
 * @module report/sarif
 * Report layer: `check --format sarif`, SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, VS Code's SARIF
 * viewer). https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 *
 * - Every registered check is a rule (reportingDescriptor), whether it fired or not: short description = the
 *   check's title, full description = its summary, help = the doc's Summary and Recommendation, default level
 *   from the severity (info is SARIF's `note`). `helpUri` must be an absolute URI (§3.49.12), and where this
 *   tool's docs are published is not known here, so it is written only when a docs base URI is given
 *   (ReportContext.docsBaseUri); the doc's repository path is always in the rule's `properties.docs` and the help.
 * - A result points at the offending rule, route or resource: `physicalLocation` with the file relative to
 *   `%SRCROOT%` (the working directory, stated in `originalUriBaseIds` when known) and the 1-based line and
 *   column (columns count UTF-16 code units, as the JSON locator does), and a `logicalLocation` holding the ARM
 *   resource id. Evidence with a place is in `relatedLocations`; all evidence is in `properties.evidence`. A
 *   value passed into a Bicep module (FindingLocation.via) has its callers' places in `relatedLocations` too,
 *   each "passed from here", nearest first; `properties.via` lists them in that order.
 * - Fixes are text: SARIF `fixes` need exact replacements in the input files, which a paste-able az command or
 *   a resource to add is not. They are in `properties.fixes` (`{ kind, text }`) and, as code blocks, in
 *   `message.markdown`; `message.text` stays the finding's sentence.
 * - Messages by id (§3.11.7-3.11.11): each check's messages (CheckMeta.messages) are its rule's `messageStrings`,
 *   `{{name}}` placeholders written `{0}`, `{1}`... in order of first use (checks/messages), and a result of a
 *   registered check carries `message.id` and `message.arguments` beside `message.text`, which is the rendered
 *   sentence (prefixed with the instance, which the arguments do not hold).
 * - Input diagnostics are results of rules named by their own code (`input/wrong-type`, `arm/unknown-function`:
 *   the same code the terminal prints), and each resource listed but not modelled is a note of the rule
 *   `input/unmodeled-resource`. Every such rule has `properties.category: "input"`.
 */
import { createHash } from "node:crypto";
import type * as Sarif from "sarif";
import { sarifArguments, sarifMessageString } from "../checks/messages.js";
import { type CheckMeta, type Finding, type FindingLocation, SEVERITY_RANK, type Severity } from "../checks/types.js";
import type { Diagnostic } from "../model/diagnostics.js";
import { displayName, parseResourceId } from "../model/ids.js";
import { type CheckHelp, checkDocPath, formatLocation, type ReportContext } from "./context.js";
import { codeBlock, escapeMarkdown, fenceLanguage } from "./markdown-escape.js";

export const SARIF_SCHEMA =
  "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/** The base the input paths are relative to. */
export const SRCROOT = "%SRCROOT%";
export const UNMODELED_RULE = "input/unmodeled-resource";
const FINGERPRINT = "apimNetcheckFinding/v1";

const LEVEL: Record<Severity, Sarif.Result.level> = { error: "error", warning: "warning", info: "note" };

/** The SARIF log as text (two-space JSON, trailing newline). */
export function formatSarif(findings: Finding[], ctx: ReportContext): string {
  return `${JSON.stringify(toSarif(findings, ctx), null, 2)}\n`;
}

/** The SARIF log as an object. */
export function toSarif(findings: Finding[], ctx: ReportContext): Sarif.Log {
  const rules = new RuleTable();
  for (const meta of ctx.checks) rules.add(checkRule(meta, ctx));
  const results: Sarif.Result[] = [];
  const seen = new Map<string, number>();
  const orders = placeholderOrders(ctx.checks);
  for (const f of findings) {
    const index = rules.indexOf(f.id) ?? rules.add(unregisteredRule(f));
    results.push(findingResult(f, index, seen, orders.get(f.id)));
  }
  for (const d of ctx.diagnostics) {
    const index = rules.indexOf(d.code) ?? rules.add(inputRule(d.code, ctx.diagnostics));
    results.push(diagnosticResult(d, index));
  }
  for (const u of ctx.unmodeled) {
    const index = rules.indexOf(UNMODELED_RULE) ?? rules.add(unmodeledRule());
    const text = `${u.type} ${u.name} is listed but not modelled: it is not analysed, and no answer takes it into account.`;
    results.push({
      ruleId: UNMODELED_RULE,
      ruleIndex: index,
      level: "note",
      message: { text },
      locations: [location(u.src, u.id)],
    });
  }
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: "apim-netcheck",
        semanticVersion: ctx.toolVersion,
        version: ctx.toolVersion,
        ...(ctx.docsBaseUri ? { informationUri: ctx.docsBaseUri } : {}),
        rules: rules.list,
      },
    },
    originalUriBaseIds: {
      [SRCROOT]: ctx.cwd
        ? { uri: directoryUri(ctx.cwd) }
        : { description: { text: "The directory apim-netcheck ran in; input paths are relative to it." } },
    },
    artifacts: ctx.inputs.map((i) => ({
      location: artifactLocation(i.file),
      roles: ["analysisTarget"],
      properties: { format: i.format, status: i.status, resources: i.resources },
    })),
    results,
    columnKind: "utf16CodeUnits",
    properties: {
      assumptions: ctx.assumptions,
      serviceTags: ctx.serviceTags,
      ...(ctx.units ? { deploymentUnits: ctx.units } : {}),
    },
  };
  return { $schema: SARIF_SCHEMA, version: "2.1.0", runs: [run] };
}

class RuleTable {
  readonly list: Sarif.ReportingDescriptor[] = [];
  private readonly index = new Map<string, number>();

  add(rule: Sarif.ReportingDescriptor): number {
    this.index.set(rule.id, this.list.length);
    this.list.push(rule);
    return this.list.length - 1;
  }

  indexOf(id: string): number | undefined {
    return this.index.get(id);
  }
}

/** Per check, per message id, the placeholder names in the order of the rule's `{n}` arguments. */
function placeholderOrders(checks: readonly CheckMeta[]): Map<string, Map<string, string[]>> {
  return new Map(
    checks.map((meta) => [
      meta.id,
      new Map(Object.entries(meta.messages ?? {}).map(([id, template]) => [id, sarifMessageString(template).order])),
    ]),
  );
}

/** The check's messages as SARIF message strings (§3.49.11), `{n}` placeholders, literal braces doubled. */
function messageStrings(meta: CheckMeta): Record<string, Sarif.MultiformatMessageString> {
  return Object.fromEntries(
    Object.entries(meta.messages ?? {}).map(([id, template]) => [id, { text: sarifMessageString(template).text }]),
  );
}

function checkRule(meta: CheckMeta, ctx: ReportContext): Sarif.ReportingDescriptor {
  const help: CheckHelp = ctx.help?.[meta.id] ?? { summary: meta.summary };
  const doc = checkDocPath(meta.id);
  const helpUri = ctx.docsBaseUri ? docUri(ctx.docsBaseUri, meta.id) : undefined;
  const text = [
    help.heading ?? meta.title,
    help.summary,
    ...(help.recommendation ? [`Recommendation: ${help.recommendation}`] : []),
    `Documentation: ${helpUri ?? doc}`,
    ...meta.references.map((r) => `See also: ${r}`),
  ].join("\n\n");
  const markdown = [
    `**${escapeMarkdown(help.heading ?? meta.title)}**`,
    escapeMarkdown(help.summary),
    ...(help.recommendation ? [`**Recommendation:** ${escapeMarkdown(help.recommendation)}`] : []),
    `Documentation: [${escapeMarkdown(doc)}](${helpUri ?? doc})`,
    meta.references.map((r) => `- <${r}>`).join("\n"),
  ]
    .filter((part) => part !== "")
    .join("\n\n");
  return {
    id: meta.id,
    name: meta.name,
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.summary },
    help: { text, markdown },
    messageStrings: messageStrings(meta),
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: LEVEL[meta.severity] },
    properties: { category: meta.category, tags: ["apim", meta.category], docs: doc, references: meta.references },
  };
}

function unregisteredRule(f: Finding): Sarif.ReportingDescriptor {
  return {
    id: f.id,
    shortDescription: { text: f.title },
    defaultConfiguration: { level: LEVEL[f.severity] },
    properties: { docs: checkDocPath(f.id) },
  };
}

function inputRule(code: string, all: Diagnostic[]): Sarif.ReportingDescriptor {
  const worst = all
    .filter((d) => d.code === code)
    .reduce((a, d) => (SEVERITY_RANK[d.severity] > SEVERITY_RANK[a] ? d.severity : a), "info" as Severity);
  return {
    id: code,
    name: code.replace(/[^A-Za-z0-9]+/g, "-"),
    shortDescription: { text: `Input diagnostic ${code}` },
    fullDescription: {
      text: "A problem found while reading the inputs that no check reports as a finding: a file skipped with the reason, a value that could not be known. Warnings and notes mark values that could not be known or read as written.",
    },
    defaultConfiguration: { level: LEVEL[worst] },
    properties: { category: "input" },
  };
}

function unmodeledRule(): Sarif.ReportingDescriptor {
  return {
    id: UNMODELED_RULE,
    name: "input-unmodeled-resource",
    shortDescription: { text: "Resource listed but not modelled" },
    fullDescription: {
      text: "The inputs declare a resource type apim-netcheck does not model. It is listed, not analysed: answers that would depend on it cannot take it into account.",
    },
    defaultConfiguration: { level: "note" },
    properties: { category: "input" },
  };
}

function findingResult(
  f: Finding,
  ruleIndex: number,
  seen: Map<string, number>,
  orders: Map<string, string[]> | undefined,
): Sarif.Result {
  const related = f.evidence.flatMap((e, i): Sarif.Location[] =>
    e.location && !isSynthetic(e.location.file)
      ? [{ id: i + 1, ...location(e.location, e.resource), message: { text: e.text } }]
      : [],
  );
  const via = (f.location.via ?? []).filter((v) => !isSynthetic(v.file));
  related.push(
    ...via.map(
      (v, i): Sarif.Location => ({
        id: f.evidence.length + i + 1,
        ...location(v),
        message: { text: `The value at ${formatLocation(i === 0 ? f.location : via[i - 1]!)} is passed from here` },
      }),
    ),
  );
  // Only a message its rule declares is referred to by id (§3.11.10): another finding keeps its text alone.
  const order = f.messageId ? orders?.get(f.messageId) : undefined;
  const key = [f.id, f.resource, f.instance ?? "", f.location.file].join("\n");
  const occurrence = seen.get(key) ?? 0;
  seen.set(key, occurrence + 1);
  return {
    ruleId: f.id,
    ruleIndex,
    level: LEVEL[f.severity],
    message: {
      text: f.instance ? `${f.instance}: ${f.message}` : f.message,
      markdown: findingMarkdown(f),
      ...(order ? { id: f.messageId, arguments: sarifArguments(order, f.data) } : {}),
    },
    locations: [location(f.location, f.resource)],
    ...(related.length > 0 ? { relatedLocations: related } : {}),
    partialFingerprints: { [FINGERPRINT]: `${digest(key)}:${occurrence + 1}` },
    properties: {
      ...(f.instance ? { instance: f.instance } : {}),
      resource: f.resource,
      ...(via.length > 0 ? { via } : {}),
      evidence: f.evidence.map(({ kind, text, resource, location }) => ({ kind, text, resource, location })),
      fixes: f.fix,
    },
  };
}

/** The finding with its evidence and each fix as a code block. */
function findingMarkdown(f: Finding): string {
  const parts = [
    f.instance ? `**${escapeMarkdown(f.instance)}**: ${escapeMarkdown(f.message)}` : escapeMarkdown(f.message),
  ];
  if (f.evidence.length > 0)
    parts.push(
      f.evidence
        .map(
          (e) => `- ${escapeMarkdown(e.text)}${e.location ? ` (${escapeMarkdown(formatLocation(e.location))})` : ""}`,
        )
        .join("\n"),
    );
  for (const fix of f.fix) parts.push(`Fix (${fix.kind}):\n\n${codeBlock(fix.text, fenceLanguage(fix.kind))}`);
  return parts.join("\n\n");
}

function diagnosticResult(d: Diagnostic, ruleIndex: number): Sarif.Result {
  return {
    ruleId: d.code,
    ruleIndex,
    level: LEVEL[d.severity],
    message: { text: d.message },
    ...(d.src && !isSynthetic(d.src.file) ? { locations: [location(d.src)] } : {}),
    ...(d.src?.pointer ? { properties: { pointer: d.src.pointer } } : {}),
  };
}

function location(at: FindingLocation, resource?: string): Sarif.Location {
  const out: Sarif.Location = {};
  if (!isSynthetic(at.file)) {
    out.physicalLocation = {
      artifactLocation: artifactLocation(at.file),
      ...(at.line > 0 ? { region: { startLine: at.line, ...(at.column ? { startColumn: at.column } : {}) } } : {}),
    };
  }
  if (resource) {
    const parsed = parseResourceId(resource);
    out.logicalLocations = [
      parsed
        ? { name: displayName(resource), fullyQualifiedName: resource, kind: "resource" }
        : { name: resource, kind: "resource" },
    ];
  }
  return out;
}

/** Generated places (`<default-rules>`, `<unknown>`) have no file to point at. */
function isSynthetic(file: string): boolean {
  return file.startsWith("<");
}

function artifactLocation(file: string): Sarif.ArtifactLocation {
  if (isAbsolutePath(file)) return { uri: fileUri(file) };
  return { uri: encodePath(file.replace(/\\/g, "/").replace(/^\.\//, "")), uriBaseId: SRCROOT };
}

function isAbsolutePath(file: string): boolean {
  return file.startsWith("/") || /^[A-Za-z]:[\\/]/.test(file) || file.startsWith("\\\\");
}

/** `file:` URI of an absolute POSIX or Windows path (RFC 8089). */
function fileUri(path: string): string {
  const slashed = path.replace(/\\/g, "/");
  if (slashed.startsWith("//")) return `file:${encodePath(slashed)}`;
  return /^[A-Za-z]:\//.test(slashed)
    ? `file:///${slashed.slice(0, 2)}${encodePath(slashed.slice(2))}`
    : `file://${encodePath(slashed)}`;
}

function directoryUri(dir: string): string {
  const uri = fileUri(dir);
  return uri.endsWith("/") ? uri : `${uri}/`;
}

function encodePath(path: string): string {
  return path
    .split("/")
    .map((segment) => encodeURIComponent(segment))
    .join("/");
}

function docUri(base: string, id: string): string {
  return `${base.endsWith("/") ? base : `${base}/`}${encodeURIComponent(id)}.md`;
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}
