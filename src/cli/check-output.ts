/**
 * @module cli/check-output
 * CLI layer: turns the check pack's findings into the format asked for with `check --format`: the terminal
 * report (colour as cli/terminal decides: a terminal, NO_COLOR, FORCE_COLOR, TERM=dumb), JSON, SARIF 2.1.0
 * (with rule help read from the check docs), Markdown for a pull-request comment, or JUnit XML for test-result
 * tabs. The formatters are pure; what they need from the machine (working directory, docs) is gathered here.
 */
import type { Finding, FixKind } from "../checks/types.js";
import type { ReportContext } from "../report/context.js";
import { formatJson } from "../report/json.js";
import { formatJunit } from "../report/junit.js";
import { formatMarkdown } from "../report/markdown.js";
import { formatSarif } from "../report/sarif.js";
import { formatText } from "../report/text.js";
import { readCheckHelp } from "./check-docs.js";
import { type CliIo, UsageError } from "./main.js";
import { colourOn } from "./terminal.js";

export const CHECK_FORMATS = ["text", "json", "sarif", "markdown", "junit"];

export interface CheckOutputOptions {
  fix: FixKind | "all" | "none";
  verbose: boolean;
  quiet: boolean;
  /** `--docs-base-uri`: where the check docs are published (SARIF helpUri). */
  docsBaseUri?: string;
}

/** Reads `--format`; throws UsageError for a format `check` does not write. */
export function checkFormat(option: string | undefined): string {
  const format = (option ?? "text").toLowerCase();
  if (!CHECK_FORMATS.includes(format)) {
    throw new UsageError(
      `--format must be ${CHECK_FORMATS.slice(0, -1).join(", ")} or ${CHECK_FORMATS.at(-1)}, not ${option}`,
    );
  }
  return format;
}

/** Reads `--docs-base-uri`: an absolute http(s) or file URI. */
export function docsBaseUri(option: string | undefined): string | undefined {
  if (option === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(option);
  } catch {
    throw new UsageError(`--docs-base-uri must be an absolute URI (https://…/docs/checks/), not ${option}`);
  }
  if (!["http:", "https:", "file:"].includes(url.protocol)) {
    throw new UsageError(`--docs-base-uri must be an http, https or file URI, not ${option}`);
  }
  return url.href.endsWith("/") ? url.href : `${url.href}/`;
}

/** The report text for `format`. */
export function renderCheckReport(
  io: CliIo,
  format: string,
  findings: Finding[],
  ctx: ReportContext,
  options: CheckOutputOptions,
): string {
  switch (format) {
    case "json":
      return formatJson(findings, ctx);
    case "sarif":
      return formatSarif(findings, {
        ...ctx,
        cwd: process.cwd(),
        help: readCheckHelp(ctx.checks),
        ...(options.docsBaseUri ? { docsBaseUri: options.docsBaseUri } : {}),
      });
    case "markdown":
      return formatMarkdown(findings, ctx);
    case "junit":
      return formatJunit(findings, ctx);
    default:
      return formatText(findings, ctx, {
        color: colourOn(io),
        fix: options.fix,
        verbose: options.verbose,
        quiet: options.quiet,
      });
  }
}
