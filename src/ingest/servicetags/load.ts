/**
 * @module ingest/servicetags/load
 * Ingest layer: reads the service-tag catalog, either the snapshot bundled in data/service-tags/ (the
 * default, read once per process) or an official `ServiceTags_<Cloud>_YYYYMMDD.json` given with
 * `--service-tags`. This is the only place that touches the files; building the catalog is
 * engine/servicetags. A file that is not in the Service Tags shape stops the run with one line
 * (ServiceTagsFormatError, exit 2).
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { catalogFromBundle } from "../../engine/servicetags/bundle.js";
import {
  catalogFromServiceTagsJson,
  type ServiceTagCatalog,
  ServiceTagsFormatError,
} from "../../engine/servicetags/catalog.js";
import { parseJson } from "../json/parse.js";
import { readText } from "../load.js";
import { readFileBytes } from "../read-file.js";

/**
 * The bundle, found from this module: src/ingest/servicetags/ and dist/ingest/servicetags/ are both three
 * levels below the package root, where data/ sits (package.json "files").
 */
export const BUNDLED_SERVICE_TAGS = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "..",
  "data",
  "service-tags",
  "service-tags.json.br",
);

let bundled: ServiceTagCatalog | undefined;

/**
 * The service-tag catalog: the bundled snapshot when `file` is absent (cached for the process), otherwise
 * the official Service Tags JSON at `file` (a bundle written by scripts/bundle-service-tags.mjs is accepted
 * too, as are `.gz`/`.br` compressed files). Throws InputError when the file cannot be read and
 * ServiceTagsFormatError when it is not a Service Tags file.
 */
export function loadServiceTagCatalog(file?: string): ServiceTagCatalog {
  if (file === undefined) {
    bundled ??= readBundle(BUNDLED_SERVICE_TAGS);
    return bundled;
  }
  if (/\.(br|gz)$/i.test(file)) {
    const text = decompress(file, readBytes(file)).toString("utf8");
    return fromText(file, text);
  }
  return fromText(file, readText(file));
}

/** Reads a bundle file without the per-process cache (the loader above caches it; tests time it). */
export function readBundle(path: string = BUNDLED_SERVICE_TAGS): ServiceTagCatalog {
  const text = brotliDecompressSync(readBytes(path)).toString("utf8");
  return catalogFromBundle(JSON.parse(text), path);
}

function fromText(file: string, text: string): ServiceTagCatalog {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse says where only as an offset; our parser gives line and column for the message.
    const parsed = parseJson(text, file);
    if (parsed.ok) throw new ServiceTagsFormatError(file, "invalid JSON");
    const { line, column, message } = parsed.error;
    throw new ServiceTagsFormatError(file, `invalid JSON: ${message}`, { line, column });
  }
  if (typeof json === "object" && json !== null && "format" in json) return catalogFromBundle(json, file);
  return catalogFromServiceTagsJson(json, file);
}

function readBytes(file: string): Buffer {
  // A regular file of at most the input size limit (ingest/read-file): never a FIFO or /dev/zero.
  return readFileBytes(file);
}

function decompress(file: string, bytes: Buffer): Buffer {
  try {
    return /\.br$/i.test(file) ? brotliDecompressSync(bytes) : gunzipSync(bytes);
  } catch {
    throw new ServiceTagsFormatError(file, `the file is not ${/\.br$/i.test(file) ? "brotli" : "gzip"} compressed`);
  }
}
