/**
 * @module ingest/terraform/eval/functions
 * Ingest layer, Terraform: the built-in functions the static evaluator knows
 * (developer.hashicorp.com/terraform/language/functions), those real networking code uses: collections
 * (`merge`, `lookup`, `concat`, `flatten`, `keys`, `values`, `zipmap`, `contains`, `length`, ...), strings
 * (`format`, `join`, `split`, `replace`, `lower`, `upper`, `trim*`, `regex`, ...), numbers, conversions
 * (`tostring`, `tolist`, `toset`, `tomap`, ...), encodings (`jsonencode`, `jsondecode`, `base64*`, hashes), the IP
 * network functions (cidr.ts), and `try`, `can`, `coalesce`. An argument no input decides makes the result
 * Unknown unless the function can answer without it (the length of a list with unknown elements is known);
 * strings that only carry a placeholder keep it (`lower`, `format`, `join`). A function that cannot be
 * computed offline (`timestamp`, `uuid`, `file`, provider functions) is Unknown with a warning.
 */
import type { CallExpr } from "../hcl/ast.js";
import { type Evaluator, iterate, RefusedError } from "./evaluator.js";
import { COLLECTION_FUNCTIONS } from "./fn-collections.js";
import { ENCODING_FUNCTIONS } from "./fn-encodings.js";
import { type Fn, type FnContext, pending } from "./fn-helpers.js";
import { STRING_FUNCTIONS } from "./fn-strings.js";
import { LIMITS } from "./limits.js";
import { typeName, Unknown, unknown, type Value } from "./values.js";

const FUNCTIONS: Record<string, Fn> = { ...STRING_FUNCTIONS, ...COLLECTION_FUNCTIONS, ...ENCODING_FUNCTIONS };

export function callFunction(ev: Evaluator, call: CallExpr): Value {
  const name = call.name;
  if (name === "try") {
    for (const arg of call.args) {
      try {
        return ev.eval(arg);
      } catch (error) {
        if (!(error instanceof RefusedError)) throw error;
      }
    }
    return ev.error("try: every argument failed", call);
  }
  if (name === "can") {
    if (call.args.length !== 1) ev.error("can takes one argument", call);
    try {
      const v = ev.eval(call.args[0]!);
      return v instanceof Unknown ? v : true;
    } catch (error) {
      if (!(error instanceof RefusedError)) throw error;
      return false;
    }
  }
  let args = call.args.map((a) => ev.eval(a));
  if (call.expandFinal) {
    const last = args.at(-1);
    if (last instanceof Unknown) return last;
    const undecided = last === undefined ? undefined : pending([last]);
    if (undecided) return undecided;
    const items = last === undefined ? [] : iterate(last);
    if (!items) ev.error(`'...' needs a list, found ${typeName(last ?? null)}`, call);
    args = [...args.slice(0, -1), ...items.map(([, v]) => v)];
  }
  if (name.includes("::")) {
    ev.host.warn(
      "terraform/unsupported-function",
      `provider function ${name} is not evaluated offline; its result is Unknown`,
      ev.place(call.nameSpan),
    );
    return unknown(`${name}(…)`);
  }
  const fn = FUNCTIONS[name];
  if (fn === undefined) {
    if (OFFLINE_UNKNOWN.has(name)) {
      ev.host.warn(
        "terraform/unsupported-function",
        `${name}() cannot be computed offline; its result is Unknown`,
        ev.place(call.nameSpan),
      );
      return unknown(`${name}(…)`);
    }
    return ev.error(`there is no function named "${name}"`, call.nameSpan);
  }
  const ctx: FnContext = { name, fail: (message) => ev.error(`${name}: ${message}`, call) };
  try {
    const result = fn(args, ctx);
    if (typeof result === "string" && result.length > LIMITS.maxString)
      ctx.fail(`the result is longer than ${LIMITS.maxString} characters`);
    if (Array.isArray(result)) ev.checkSize(result.length, call);
    return result;
  } catch (error) {
    if (error instanceof RangeError) ctx.fail(error.message);
    throw error;
  }
}

/** Functions whose result depends on the time, the machine or files: Unknown, with a warning. */
const OFFLINE_UNKNOWN = new Set([
  "timestamp",
  "plantimestamp",
  "uuid",
  "bcrypt",
  "file",
  "filebase64",
  "filemd5",
  "filesha1",
  "filesha256",
  "filesha512",
  "fileexists",
  "fileset",
  "templatefile",
  "abspath",
  "pathexpand",
  "ephemeralasnull",
  "rsadecrypt",
  "timeadd",
  "timecmp",
  "formatdate",
  "uuidv5",
  "base64gzip",
  "textdecodebase64",
  "textencodebase64",
  "yamldecode",
  "yamlencode",
  "csvdecode",
  "templatestring",
  "issensitive",
]);

// ---- argument helpers -----------------------------------------------------------------------------------------

/** Names of the functions evaluated offline (for docs and tests). */
export const KNOWN_FUNCTIONS = Object.keys(FUNCTIONS).concat(["try", "can"]).sort();
