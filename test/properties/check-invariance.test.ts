/**
 * Properties of the check pack over generated networks (issue "Never a silent pass (I)", Done when):
 * - the findings do not change when rules, routes, subnets or resources are reordered, when the template is split
 *   into two files, or when enum values change letter case (ARM compares them without regard to case);
 * - where a requirement check reports an error with the APIM subnet's prefix known, making that prefix a parameter
 *   with no default gives an error or an Unknown warning of the same check, never nothing.
 * Findings are compared by check, severity, resource and message, with file:line places taken out of messages
 * (a split template puts the same declaration in another file).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runAcrossConditions } from "../../src/checks/conditions.js";
import { runChecks } from "../../src/checks/run.js";
import type { Finding } from "../../src/checks/types.js";
import { EngineContext } from "../../src/engine/reach/context.js";
import { loadInputs } from "../../src/ingest/load.js";
import { loadServiceTagCatalog } from "../../src/ingest/servicetags/load.js";
import { providerKey } from "../../src/model/ids.js";
import { Topology } from "../../src/model/topology.js";
import { type NetworkSpec, networkSpec, resourcesOf, templateOf, type Writing } from "./networks.js";

const catalog = loadServiceTagCatalog();
const RUNS = Number(process.env.PROPERTY_RUNS ?? 40);

function write(files: Record<string, unknown>): string[] {
  const dir = mkdtempSync(join(tmpdir(), "apim-netcheck-prop-"));
  return Object.entries(files).map(([name, content]) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(content, null, 2));
    return path;
  });
}

/** The findings of `files`, as comparable lines. */
function findingsOf(files: string[]): string[] {
  const { model } = loadInputs(files);
  const findings: Finding[] = runAcrossConditions(model, (m) =>
    runChecks(new EngineContext(new Topology(m), catalog)),
  ).findings;
  return findings
    .map((f) =>
      [
        f.id,
        f.severity,
        f.resource ? providerKey(f.resource) : "",
        f.message.replace(/\S+\.json:\d+:\d+/g, "<place>"),
      ].join(" | "),
    )
    .sort();
}

function oneFile(n: NetworkSpec, w: Writing = {}): string[] {
  return write({ "network.json": templateOf(resourcesOf(n, w), w) });
}

describe("check findings are invariant", () => {
  it("under reordering of rules, routes, subnets and resources", () => {
    fc.assert(
      fc.property(networkSpec, fc.integer({ min: 1, max: 1_000_000 }), (n, seed) => {
        expect(findingsOf(oneFile(n, { shuffle: seed }))).toEqual(findingsOf(oneFile(n)));
      }),
      { numRuns: RUNS },
    );
  });

  it("when the template is split into two files (the network in one, the instance in the other)", () => {
    fc.assert(
      fc.property(networkSpec, (n) => {
        const resources = resourcesOf(n);
        const isApim = (r: Record<string, unknown>) => r.type === "Microsoft.ApiManagement/service";
        const files = write({
          "network.json": templateOf(resources.filter((r) => !isApim(r))),
          "apim.json": templateOf(resources.filter(isApim)),
        });
        expect(findingsOf(files)).toEqual(findingsOf(oneFile(n)));
      }),
      { numRuns: RUNS },
    );
  });

  it("when enum values change letter case", () => {
    fc.assert(
      fc.property(networkSpec, (n) => {
        expect(findingsOf(oneFile(n, { lowerCase: true }))).toEqual(findingsOf(oneFile(n)));
      }),
      { numRuns: RUNS },
    );
  });
});

/** The checks that evaluate rows of the APIM requirements table against the subnet's NSG. */
const REQUIREMENT_CHECKS = [
  "APIM-INBOUND-MANAGEMENT",
  "APIM-INBOUND-LOADBALANCER",
  "APIM-INBOUND-CLIENT",
  "APIM-INBOUND-TRAFFICMANAGER",
  "APIM-OUTBOUND-DEPENDENCY",
];

describe("an unknown subnet prefix never silences a requirement", () => {
  it("an error with the prefix known is an error or an Unknown warning with it unknown", () => {
    let seen = 0;
    fc.assert(
      fc.property(networkSpec, (n) => {
        const known = findingsOf(oneFile(n)).filter((f) => f.includes(" | error | "));
        const erring = new Set(REQUIREMENT_CHECKS.filter((id) => known.some((f) => f.startsWith(`${id} |`))));
        if (erring.size === 0) return;
        seen++;
        const unknown = findingsOf(oneFile(n, { unknownApimPrefix: true }));
        for (const id of erring) {
          const same = unknown.filter((f) => f.startsWith(`${id} |`));
          expect(
            same.some((f) => / \| (error|warning) \| /.test(f)),
            `${id} with the prefix unknown`,
          ).toBe(true);
        }
      }),
      { numRuns: RUNS * 2 },
    );
    // The property must have been exercised, not passed vacuously.
    expect(seen).toBeGreaterThan(RUNS / 4);
  });
});
