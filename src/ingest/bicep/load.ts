/**
 * @module ingest/bicep/load
 * Ingest layer, Bicep evaluation: the file functions `loadTextContent`, `loadJsonContent`, `loadYamlContent`
 * and `loadFileAsBase64`, which Bicep runs at compile time on files relative to the .bicep file. They read
 * through the host (host.ts). A missing file is a warning and an Unknown value (the corpus, like many
 * repositories, leaves out policy XML files); a file over Bicep's size limit is an error, as Bicep refuses it.
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions-files
 */
import { dirname, isAbsolute, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { unknownValue } from "../../model/unknown.js";
import type { CallExpr } from "./ast.js";
import type { Env } from "./env.js";
import { BicepError, isPlainObject, Unsupported } from "./values.js";

/** Bicep's limits: loadTextContent 131,072 characters, loadJsonContent and loadYamlContent 1,048,576, loadFileAsBase64 96 KiB. */
const MAX_TEXT = 131_072;
const MAX_JSON = 1_048_576;
const MAX_BASE64_BYTES = 96 * 1024;

/** Evaluates one of the file functions on evaluated arguments. */
export function loadFunction(name: string, expr: CallExpr, args: unknown[], env: Env): unknown {
  const [path] = args;
  if (typeof path !== "string") throw new BicepError(`${name}() takes a file path (a string) first`);
  if (name === "loadDirectoryFileInfo") throw new Unsupported("directory listings are not read");
  const full = isAbsolute(path) ? path : resolve(dirname(env.scope.path), path);
  const missing = (reason: string) => {
    env.scope.run.report(
      "warning",
      "bicep/load-file-missing",
      `${name}('${path}'): the file cannot be read (${reason}); its content is Unknown`,
      env.scope.file,
      expr.range,
    );
    return unknownValue(`${name}('${path}')`);
  };
  if (name === "loadFileAsBase64") {
    const read = env.scope.run.readBytes(full, MAX_BASE64_BYTES * 4);
    if (!read.ok) return missing(read.reason);
    if (read.bytes.length > MAX_BASE64_BYTES)
      throw new BicepError(
        `loadFileAsBase64('${path}'): the file is larger than ${MAX_BASE64_BYTES} bytes, which Bicep refuses`,
      );
    return read.bytes.toString("base64");
  }
  const limit = name === "loadTextContent" ? MAX_TEXT : MAX_JSON;
  const read = env.scope.run.readText(full, limit * 4);
  if (!read.ok) return missing(read.reason);
  const text = read.text;
  if (text.length > limit)
    throw new BicepError(`${name}('${path}'): the file is longer than ${limit} characters, which Bicep refuses`);
  if (name === "loadTextContent") return text;
  let value: unknown;
  try {
    value = name === "loadJsonContent" ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new BicepError(
      `${name}('${path}'): the file is not valid ${name === "loadJsonContent" ? "JSON" : "YAML"} (${(error as Error).message.split("\n")[0]})`,
    );
  }
  const filter = args[1];
  return typeof filter === "string" && filter.length > 0 ? select(value, filter, name) : value;
}

/**
 * A JSONPath filter as loadJsonContent takes it, for the simple forms people write: `$.a.b`, `.a`, `$.a[0]`,
 * `$['a b']`. Anything else (wildcards, filters) is not evaluated.
 */
function select(value: unknown, path: string, fn: string): unknown {
  const steps: (string | number)[] = [];
  const re = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^']*)'\]/y;
  let at = path.startsWith("$") ? 1 : 0;
  while (at < path.length) {
    re.lastIndex = at;
    const m = re.exec(path);
    if (!m) throw new Unsupported(`the path filter '${path}' of ${fn}() is not a simple path`);
    steps.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3]!));
    at = re.lastIndex;
  }
  let current = value;
  for (const step of steps) {
    if (typeof step === "number" && Array.isArray(current)) current = current[step];
    else if (typeof step === "string" && isPlainObject(current) && Object.hasOwn(current, step))
      current = current[step];
    else throw new BicepError(`${fn}(): the path '${path}' selects nothing in the file`);
  }
  return current;
}
