/**
 * The published schema of the configuration file (data/config.schema.json) and the reader (cli/config) agree:
 * what the schema accepts the reader reads, and what it refuses the reader refuses. The reader refuses more
 * than a schema can say (a check id that does not exist, a date that is not one), never less.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import AjvModule from "ajv";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { CHECKS } from "../../src/checks/index.js";
import { parseConfig } from "../../src/cli/config.js";
import { REPO_ROOT } from "../helpers/corpus.js";

// CommonJS package: under NodeNext the default import is `module.exports`, whose `default` is the class.
const Ajv = AjvModule.default;
const schema = JSON.parse(readFileSync(join(REPO_ROOT, "data/config.schema.json"), "utf8"));
const validate = new Ajv({ allErrors: true }).compile(schema);
const IDS = CHECKS.map((c) => c.meta.id);

const reads = (config: unknown) => {
  try {
    parseConfig(stringify(config), "c.yaml", IDS);
    return true;
  } catch {
    return false;
  }
};

const valid: unknown[] = [
  {},
  { inputs: "infra", failOn: "warning", platform: "stv2", location: "westeurope", assume: "a.yaml" },
  { inputs: ["a", "b"], parameters: ["p.json", "name=value"] },
  { checks: { "APIM-DNS": "off", "NSG-RULE-SHADOWED": "info", "APIM-SUBNET-SIZE": true } },
  { suppressions: [{ id: "APIM-DNS", resource: "vnet-*/snet-apim", reason: "r", expires: "2027-01-31" }] },
  { suppressions: [{ id: "APIM-DNS", file: "infra/**/*.json", reason: "r" }] },
  { $schema: "./node_modules/apim-netcheck/data/config.schema.json" },
];
const invalid: unknown[] = [
  { failon: "error" },
  { failOn: "sometimes" },
  { platform: "stv3" },
  { inputs: [1] },
  { checks: { "APIM-DNS": "loud" } },
  { suppressions: [{ id: "APIM-DNS", resource: "x" }] },
  { suppressions: [{ id: "APIM-DNS", reason: "r" }] },
  { suppressions: [{ id: "APIM-DNS", resource: "x", reason: "r", expires: "soon" }] },
  { suppressions: [{ id: "APIM-DNS", resource: "x", reason: "r", until: "2027-01-01" }] },
  { suppressions: { id: "APIM-DNS" } },
  { location: "" },
];

describe("data/config.schema.json", () => {
  it.each(valid.map((c) => [JSON.stringify(c), c]))("accepts %s, and so does the reader", (_, config) => {
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    expect(reads(config)).toBe(true);
  });

  it.each(invalid.map((c) => [JSON.stringify(c), c]))("refuses %s, and so does the reader", (_, config) => {
    expect(validate(config)).toBe(false);
    expect(reads(config)).toBe(false);
  });

  it("the reader refuses more than the schema says: an unknown check, an impossible date", () => {
    const config = { suppressions: [{ id: "APIM-NOPE", resource: "x", reason: "r", expires: "2027-02-30" }] };
    expect(validate(config)).toBe(true);
    expect(reads(config)).toBe(false);
  });
});
