#!/usr/bin/env node
// @module ci/run-check
// The one script the GitHub Action (action.yml) and the Azure Pipelines template (ci/azure-pipelines.yml) run:
// `apim-netcheck check` with the pipeline's inputs, the report in the log in the format asked for, and SARIF
// written to a file for code scanning. Node, not bash, so that it runs the same on Linux, macOS and Windows
// agents. The exit code is handed to the pipeline (GitHub step output `exit-code`, Azure variable
// APIM_NETCHECK_EXIT_CODE) and, with APIM_NETCHECK_DEFER_EXIT=true, this script itself exits 0 so that the
// SARIF is uploaded before a later step fails the job.
//
// Inputs (environment): APIM_NETCHECK_PATHS (paths, one per line or space-separated; empty: the configuration
// file's inputs), APIM_NETCHECK_FORMAT (text, json, markdown; default text), APIM_NETCHECK_FAIL_ON,
// APIM_NETCHECK_CONFIG, APIM_NETCHECK_BASELINE, APIM_NETCHECK_SARIF and APIM_NETCHECK_JUNIT (files to write;
// empty: none),
// APIM_NETCHECK_ARGS (more flags, space-separated), APIM_NETCHECK_BIN (the CLI; default: this package's).
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const env = process.env;
const bin = env.APIM_NETCHECK_BIN || join(dirname(fileURLToPath(import.meta.url)), "..", "bin", "apim-netcheck");
const words = (text) => (text ?? "").split(/\s+/).filter(Boolean);

const args = ["check", ...words(env.APIM_NETCHECK_PATHS)];
if (env.APIM_NETCHECK_FAIL_ON) args.push("--fail-on", env.APIM_NETCHECK_FAIL_ON);
if (env.APIM_NETCHECK_CONFIG) args.push("--config", env.APIM_NETCHECK_CONFIG);
if (env.APIM_NETCHECK_BASELINE) args.push("--baseline", env.APIM_NETCHECK_BASELINE);
args.push(...words(env.APIM_NETCHECK_ARGS));

/** Runs the CLI; stdout to the log (or captured), stderr to the log. */
function check(format, capture) {
  const r = spawnSync(process.execPath, [bin, ...args, "--format", format], {
    stdio: ["ignore", capture ? "pipe" : "inherit", "inherit"],
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? 2, stdout: r.stdout ?? "" };
}

console.log(`apim-netcheck ${args.join(" ")}`);
const shown = check(env.APIM_NETCHECK_FORMAT || "text", false);
let code = shown.code;
const sarif = env.APIM_NETCHECK_SARIF;
/** Writes the report in `format` to `file`; exit 2 without output (bad usage, unreadable inputs) is in the log. */
function writeReport(format, file) {
  const written = check(format, true);
  if (written.stdout) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, written.stdout);
    console.log(`${format} written to ${file}`);
  }
  code = Math.max(code, written.code);
}
if (sarif) writeReport("sarif", sarif);
if (env.APIM_NETCHECK_JUNIT) writeReport("junit", env.APIM_NETCHECK_JUNIT);

if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `exit-code=${code}\nsarif-file=${sarif ?? ""}\n`);
if (env.TF_BUILD) console.log(`##vso[task.setvariable variable=APIM_NETCHECK_EXIT_CODE]${code}`);
process.exitCode = env.APIM_NETCHECK_DEFER_EXIT === "true" ? 0 : code;
