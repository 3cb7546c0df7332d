#!/usr/bin/env node
/**
 * Regenerates data/service-tags/service-tags.json.br from an official Service Tags file
 * (`ServiceTags_Public_YYYYMMDD.json`, Microsoft's weekly download).
 *
 *   node scripts/bundle-service-tags.mjs path/to/ServiceTags_Public_20251028.json [out-file]
 *
 * The bundle keeps every field of the file (top-level cloud and changeNumber; per tag name, id,
 * changeNumber, region, regionId, platform, systemService, networkFeatures, addressPrefixes) as one row per
 * tag with the prefixes space-joined; the reader is src/engine/servicetags/bundle.ts, and the format is
 * described in data/service-tags/README.md. Brotli (node:zlib) at the highest quality.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants } from "node:zlib";
// The format name and column order come from the reader, so writer and reader cannot drift apart
// (dist/ is built by `npm ci`).
import { BUNDLE_COLUMNS, BUNDLE_FORMAT } from "../dist/engine/servicetags/bundle.js";

function fail(message) {
  process.stderr.write(`bundle-service-tags: ${message}\n`);
  process.exit(2);
}

const [input, outArg] = process.argv.slice(2);
if (!input) fail("usage: node scripts/bundle-service-tags.mjs ServiceTags_<Cloud>_YYYYMMDD.json [out-file]");
const sourceFile = basename(input);
const dated = /_(\d{4})(\d{2})(\d{2})\.json$/i.exec(sourceFile);
if (!dated) fail(`${sourceFile}: the file name carries no date (expected ServiceTags_<Cloud>_YYYYMMDD.json)`);

const json = JSON.parse(readFileSync(input, "utf8"));
if (typeof json.cloud !== "string" || !Number.isInteger(json.changeNumber) || !Array.isArray(json.values)) {
  fail(`${input}: not a Service Tags file (needs cloud, changeNumber and values)`);
}
const values = json.values.map((v, i) => {
  const p = v.properties ?? {};
  if (typeof v.name !== "string" || !Array.isArray(p.addressPrefixes))
    fail(`${input}: values[${i}] has no name or addressPrefixes`);
  if (p.addressPrefixes.some((x) => typeof x !== "string" || x.includes(" ")))
    fail(`${input}: values[${i}] has a bad prefix`);
  return [
    v.name,
    v.id,
    p.changeNumber,
    p.region,
    p.regionId,
    p.platform,
    p.systemService,
    p.networkFeatures ?? null,
    p.addressPrefixes.join(" "),
  ];
});
const bundle = {
  format: BUNDLE_FORMAT,
  sourceFile,
  date: `${dated[1]}-${dated[2]}-${dated[3]}`,
  cloud: json.cloud,
  changeNumber: json.changeNumber,
  columns: BUNDLE_COLUMNS,
  values,
};
const text = JSON.stringify(bundle);
const compressed = brotliCompressSync(Buffer.from(text, "utf8"), {
  params: {
    [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
    [constants.BROTLI_PARAM_LGWIN]: 24,
    [constants.BROTLI_PARAM_SIZE_HINT]: text.length,
  },
});
const here = dirname(fileURLToPath(import.meta.url));
const out = outArg ?? join(here, "..", "data", "service-tags", "service-tags.json.br");
writeFileSync(out, compressed);
process.stdout.write(
  `${out}: ${values.length} tags, cloud ${json.cloud}, changeNumber ${json.changeNumber}, ${bundle.date}; ` +
    `${text.length} bytes of JSON, ${compressed.length} bytes compressed\n`,
);
