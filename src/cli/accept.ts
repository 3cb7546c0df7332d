/**
 * @module cli/accept
 * CLI layer: which findings of a run are accepted, and so not counted in the exit code: those a suppression
 * of the configuration file names (cli/config), and, with `--baseline`, those a previous run already had. A
 * baseline is a file `--write-baseline` wrote, or the JSON or SARIF `check` wrote; findings are matched on
 * checks/compare's key (check id, instance, resource, the flow evaluated), never on the line, so a finding
 * whose lines moved is the same finding. Accepted findings are never hidden: every format lists them as
 * suppressed with the reason (report/suppressed). Pure except for reading the baseline file.
 */
import { diffFindings } from "../checks/compare.js";
import type { Evidence, Finding, Severity } from "../checks/types.js";
import { readText } from "../ingest/load.js";
import { InputError } from "../model/diagnostics.js";
import { displayName, shortName } from "../model/ids.js";
import type { Suppression } from "./config.js";
import { type InlineSuppression, inlineSuppressions } from "./inline-suppressions.js";

/** A finding accepted, with why and where that is written. */
export interface Accepted {
  finding: Finding;
  by: "config" | "baseline" | "inline";
  reason: string;
  /** `file:line` of the suppression, or the baseline file. */
  source: string;
  expires?: string;
}

export interface Triage {
  /** The findings that count. */
  active: Finding[];
  suppressed: Accepted[];
  /** One line each: an expired suppression. */
  warnings: string[];
}

/** `*` any characters but `/`, `**` any characters, `?` one character; case-insensitive, whole text. */
export function globMatcher(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*") {
      source += ".*";
      i++;
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else source += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "i");
}

/** True when `s` accepts `f`: same check, and its resource (by id, name or parent/name) and file match. */
export function suppresses(s: Suppression, f: Finding): boolean {
  if (s.id.toLowerCase() !== f.id.toLowerCase()) return false;
  if (s.resource !== undefined) {
    const re = globMatcher(s.resource);
    if (![f.resource, displayName(f.resource), shortName(f.resource)].some((name) => re.test(name))) return false;
  }
  if (s.file !== undefined) {
    const file = f.location.file.replace(/\\/g, "/").replace(/^\.\//, "");
    const re = globMatcher(s.file.replace(/\\/g, "/").replace(/^\.\//, ""));
    // A relative pattern also matches the tail of a longer path (infra/nsg.json matches /repo/infra/nsg.json).
    const tails = file.split("/").map((_, i, parts) => parts.slice(i).join("/"));
    if (!tails.some((t) => re.test(t))) return false;
  }
  return true;
}

/**
 * Splits `findings` into those that count and those accepted: by a suppression that has not expired on `today`
 * (`YYYY-MM-DD`), then by the baseline (a finding is new when the baseline has no finding of its key left).
 */
export function triage(
  findings: Finding[],
  options: {
    suppressions: Suppression[];
    today: string;
    baseline?: { file: string; findings: Finding[] };
    /** The text of a finding's file, for its inline markers (cli/inline-suppressions); undefined when unreadable. */
    readSource?: (file: string) => string | undefined;
  },
): Triage {
  const warnings: string[] = [];
  const inline = inlineIndex(findings, options.readSource, warnings);
  const live = options.suppressions.filter((s) => {
    if (s.expires === undefined || s.expires >= options.today) return true;
    const what = s.resource ?? s.file;
    warnings.push(
      `${s.at.file}:${s.at.line}: warning: suppression of ${s.id} for ${what} expired on ${s.expires}: its findings count again`,
    );
    return false;
  });
  const suppressed: Accepted[] = [];
  let active: Finding[] = [];
  for (const f of findings) {
    const marker = inline
      .get(`${f.location.file}\n${f.location.line}`)
      ?.find((m) => m.ids.includes(f.id.toUpperCase()));
    if (marker) {
      suppressed.push({ finding: f, by: "inline", reason: marker.reason, source: `${marker.file}:${marker.line}` });
      continue;
    }
    const s = live.find((candidate) => suppresses(candidate, f));
    if (!s) active.push(f);
    else
      suppressed.push({
        finding: f,
        by: "config",
        reason: s.reason,
        source: `${s.at.file}:${s.at.line}`,
        ...(s.expires ? { expires: s.expires } : {}),
      });
  }
  if (options.baseline) {
    const fresh = new Set(diffFindings(options.baseline.findings, active).appeared);
    const reason = "present in the baseline: not new";
    for (const f of active)
      if (!fresh.has(f)) suppressed.push({ finding: f, by: "baseline", reason, source: options.baseline.file });
    active = active.filter((f) => fresh.has(f));
  }
  return { active, suppressed, warnings };
}

/** The inline markers of the findings' files, by `file\nline` of the line each accepts. */
function inlineIndex(
  findings: readonly Finding[],
  readSource: ((file: string) => string | undefined) | undefined,
  warnings: string[],
): Map<string, InlineSuppression[]> {
  const index = new Map<string, InlineSuppression[]>();
  if (!readSource) return index;
  for (const file of new Set(findings.map((f) => f.location.file))) {
    const text = readSource(file);
    if (text === undefined) continue;
    const { found, warnings: problems } = inlineSuppressions(file, text);
    warnings.push(...problems);
    for (const m of found) {
      const key = `${file}\n${m.target}`;
      index.set(key, [...(index.get(key) ?? []), m]);
    }
  }
  return index;
}

/** What `--write-baseline` writes: each finding with the fields the match reads (and where it was, for people). */
export function baselineJson(findings: Finding[], toolVersion: string): string {
  const body = {
    apimNetcheckBaseline: 1,
    toolVersion,
    findings: findings.map((f) => ({
      id: f.id,
      severity: f.severity,
      ...(f.instance ? { instance: f.instance } : {}),
      resource: f.resource,
      message: f.message,
      location: { file: f.location.file, line: f.location.line },
      evidence: f.evidence.map(({ kind, text }) => ({ kind, text })),
    })),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

const LEVELS: Record<string, Severity> = { error: "error", warning: "warning", note: "info", none: "info" };

/** The findings of a baseline file (written by `--write-baseline`, or `check`'s JSON or SARIF); InputError if none. */
export function readBaseline(file: string): Finding[] {
  let data: unknown;
  try {
    data = JSON.parse(readText(file));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`--baseline ${file}: not JSON (a file --write-baseline or check --format json|sarif wrote)`);
  }
  return baselineFindings(data, file);
}

/** The findings of a parsed baseline. */
export function baselineFindings(data: unknown, file: string): Finding[] {
  const d = data as { findings?: unknown; suppressed?: unknown; runs?: unknown };
  if (Array.isArray(d?.findings)) {
    const suppressed = Array.isArray(d.suppressed) ? d.suppressed : [];
    return [...d.findings, ...suppressed].map((f) => asFinding(f as Partial<Finding>));
  }
  if (Array.isArray(d?.runs)) {
    return d.runs.flatMap((run: { results?: SarifResult[] }) =>
      (run.results ?? []).filter((r) => typeof r.properties?.resource === "string").map(sarifFinding),
    );
  }
  throw new InputError(`--baseline ${file}: neither a baseline, check JSON nor SARIF (no findings or runs)`);
}

interface SarifResult {
  ruleId?: string;
  level?: string;
  message?: { text?: string };
  locations?: { physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number } } }[];
  properties?: { resource?: string; instance?: string; evidence?: Evidence[] };
}

/** A SARIF result of a finding back as the parts of a finding the match reads. */
function sarifFinding(r: SarifResult): Finding {
  const instance = r.properties?.instance;
  const text = r.message?.text ?? "";
  const physical = r.locations?.[0]?.physicalLocation;
  return asFinding({
    id: r.ruleId ?? "",
    severity: LEVELS[r.level ?? "warning"] ?? "warning",
    ...(instance ? { instance } : {}),
    resource: r.properties?.resource ?? "",
    message: instance && text.startsWith(`${instance}: `) ? text.slice(instance.length + 2) : text,
    location: {
      file: decodeURIComponent(physical?.artifactLocation?.uri ?? ""),
      line: physical?.region?.startLine ?? 0,
    },
    evidence: r.properties?.evidence ?? [],
  });
}

function asFinding(f: Partial<Finding>): Finding {
  return {
    id: String(f.id ?? ""),
    severity: f.severity ?? "warning",
    title: f.title ?? "",
    message: String(f.message ?? ""),
    resource: String(f.resource ?? ""),
    location: f.location ?? { file: "", line: 0 },
    evidence: Array.isArray(f.evidence) ? f.evidence : [],
    fix: [],
    ...(f.instance ? { instance: f.instance } : {}),
  };
}
