/**
 * Validates a SARIF log against the SARIF 2.1.0 JSON schema vendored in test/fixtures/sarif/ (draft-04, so
 * Ajv's draft-04 build), with formats checked (`uri`, `uri-reference`, `date-time`).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ErrorObject, ValidateFunction } from "ajv";
import AjvDraft04Module from "ajv-draft-04";
import addFormatsModule from "ajv-formats";
import { REPO_ROOT } from "./corpus.js";

// CommonJS packages: under NodeNext the default import is `module.exports`, whose `default` is the export.
const AjvDraft04 = AjvDraft04Module.default;
const addFormats = addFormatsModule.default;

let validate: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!validate) {
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, "test/fixtures/sarif/sarif-schema-2.1.0.json"), "utf8"));
    // The schema's `language` pattern has a stray `]`, which only a non-unicode RegExp accepts.
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    validate = ajv.compile(schema);
  }
  return validate!;
}

/** The schema errors of `log` (empty when it is valid SARIF 2.1.0). */
export function sarifSchemaErrors(log: unknown): string[] {
  const check = validator();
  if (check(log)) return [];
  return (check.errors ?? []).map(
    (e: ErrorObject) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`,
  );
}
