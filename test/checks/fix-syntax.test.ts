/**
 * Every fix the checks give over every check fixture and the bundled example is valid in its own language, so
 * that it pastes as written (issue "Findings to trust and one fix engine", "Never a silent pass (II)"): az CLI
 * scripts pass `bash -n` and ask for each value the inputs do not give before using it, Bicep parses with our
 * Bicep parser (what to merge into the file's own declaration is written commented out, and parses as an object
 * body), ARM fixes are a JSON array of resources. Terraform is checked by the Terraform front end's tests once it
 * reads HCL.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CHECKS } from "../../src/checks/index.js";
import { runChecks } from "../../src/checks/run.js";
import type { Finding } from "../../src/checks/types.js";
import { EngineContext } from "../../src/engine/reach/context.js";
import { parseBicep } from "../../src/ingest/bicep/parser.js";
import { parseJson } from "../../src/ingest/json/parse.js";
import { loadInputs } from "../../src/ingest/load.js";
import { loadServiceTagCatalog } from "../../src/ingest/servicetags/load.js";
import { Topology } from "../../src/model/topology.js";
import { REPO_ROOT } from "../helpers/corpus.js";

const FIXTURES = join(REPO_ROOT, "test/fixtures/checks");
const catalog = loadServiceTagCatalog();

function inputs(): string[] {
  const files = readdirSync(FIXTURES).flatMap((dir) =>
    readdirSync(join(FIXTURES, dir))
      .filter((f) => f.endsWith(".json"))
      .map((f) => join(FIXTURES, dir, f)),
  );
  return [...files, join(REPO_ROOT, "examples/forced-tunnel/network.json")];
}

function findingsOf(file: string): Finding[] {
  const { model } = loadInputs([file]);
  return runChecks(new EngineContext(new Topology(model), catalog), {}, CHECKS);
}

const all = inputs().flatMap((file) => findingsOf(file).map((f) => ({ file, f })));
const fixesOf = (kind: string) =>
  all.flatMap(({ file, f }) => f.fix.filter((x) => x.kind === kind).map((x) => ({ file, f, text: x.text })));

describe("every fix is valid in its language", () => {
  it("there are fixes in every form to check", () => {
    for (const kind of ["az-cli", "bicep", "terraform", "arm"]) expect(fixesOf(kind).length, kind).toBeGreaterThan(10);
  });

  it("az CLI: each script passes bash -n, and every variable it uses is required first", () => {
    const bash = spawnSync("bash", ["--version"]);
    if (bash.status !== 0) return; // no bash on this machine: nothing to run the syntax check with
    for (const { file, f, text } of fixesOf("az-cli")) {
      const r = spawnSync("bash", ["-n"], { input: text, encoding: "utf8" });
      expect(r.status, `${f.id} on ${file}:\n${text}\n${r.stderr}`).toBe(0);
      const used = new Set([...text.matchAll(/\$\{([A-Z_0-9]+)\}/g)].map((m) => m[1]));
      for (const name of used) expect(text, `${f.id}: ${name} used but not required`).toContain(`: "\${${name}:?}"`);
      // No bare < or > outside quotes (a placeholder like <resource-group> would be a redirection).
      const unquoted = text.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, "").replace(/^#.*$/gm, "");
      expect(unquoted, `${f.id} on ${file}`).not.toMatch(/[<>|;&`]/);
    }
  });

  it("Bicep: each fix parses (a fragment to merge, inside a resource body)", () => {
    for (const { file, f, text } of fixesOf("bicep")) {
      const { diagnostics } = parseBicep(text, "fix.bicep");
      expect(
        diagnostics.map((d) => `${d.code}: ${d.message} at ${d.src.line}`),
        `${f.id} on ${file}:\n${text}`,
      ).toEqual([]);
      // What to merge into a declaration is written commented out: it must parse as the body of an object.
      const merged = [...text.matchAll(/^\/\/ {3}(.*)$/gm)].map((m) => m[1]).join("\n");
      if (!merged) continue;
      const inner = parseBicep(`var merged = {\n${merged}\n}\n`, "merge.bicep").diagnostics;
      expect(
        inner.map((d) => d.message),
        `${f.id} on ${file}:\n${merged}`,
      ).toEqual([]);
    }
  });

  it("ARM: each fix is a JSON array (comments allowed, as Resource Manager allows them) of typed, named resources", () => {
    for (const { file, f, text } of fixesOf("arm")) {
      const parsed = parseJson(text, "fix.json");
      expect(parsed.ok, `${f.id} on ${file}:\n${text}`).toBe(true);
      if (!parsed.ok) continue;
      const items = parsed.doc.value as { type?: unknown; name?: unknown }[];
      expect(Array.isArray(items)).toBe(true);
      for (const item of items) {
        expect(typeof item.type).toBe("string");
        expect(typeof item.name).toBe("string");
      }
    }
  });
});
