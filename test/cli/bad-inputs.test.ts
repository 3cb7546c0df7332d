/**
 * Input that never breaks the tool (issue 6): every malformed input under test/fixtures/bad/, and a few made
 * here (100,000 levels of nesting, a 50 MB export), through main() for `check`, `inventory` and `flow`. Each
 * either stops with exit 2 and ONE line naming the file, the place (line:col where it has one) and the
 * problem, when nothing usable could be read; or, when it is an input Azure would refuse (issue "Never a silent
 * pass (I)"), goes on: `check` reports the refusal as an error finding at its place (exit 1), `inventory` lists
 * it (exit 1), `flow` answers with the refusal on stderr; or loads (exit 0 or 1) with warnings in the
 * `file:line:col: severity: code: message` form. Never a stack trace, never an internal error, never a
 * polluted Object.prototype.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type CliIo, main } from "../../src/cli/main.js";

const BAD = "test/fixtures/bad";
const COMMANDS: Record<string, string[]> = {
  check: ["check"],
  inventory: ["inventory"],
  flow: ["flow", "--from", "Internet", "--to", "10.0.1.4", "--port", "443"],
};

async function run(args: string[], io: Partial<CliIo> = {}) {
  let out = "";
  let err = "";
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), isTty: false, env: {}, ...io });
  return { code, out, err };
}

/** Nothing usable could be read: exit 2 and one line. */
interface Refused {
  /** The problem, as the one stderr line states it. */
  problem: RegExp;
  /** True when the line must carry `file:line:col`. */
  place: boolean;
}

/** Read, but Azure would refuse it: a finding of `check`, a line of `flow`'s stderr, a listing of `inventory`. */
interface Refusal {
  refusal: true;
  /** The check that reports it, and the diagnostic code and message. */
  finding: string;
  problem: RegExp;
}

const refusal = (finding: string, problem: RegExp): Refusal => ({ refusal: true, finding, problem });

const CASES: Record<string, Refused | Refusal | "loads"> = {
  "truncated.json": { problem: /invalid JSON: unterminated string \(the JSON is truncated\)/, place: true },
  "empty.json": { problem: /invalid JSON: the file is empty/, place: true },
  "whitespace-only.json": { problem: /invalid JSON: the file is empty/, place: true },
  "top-level-scalar.json": { problem: /not a recognised Azure input/, place: false },
  "wrong-types.json": refusal("TEMPLATE-INVALID", /input\/wrong-type: securityRules must be an array, found an object/),
  "wrong-types-rule.json": refusal("TEMPLATE-INVALID", /input\/wrong-type: \w+ must be a string/),
  "huge-numbers.json": refusal(
    "NSG-RULE-INVALID",
    /nsg\/priority-out-of-range: Security rule huge-priority has priority Infinity/,
  ),
  "huge-port.json": refusal("NSG-RULE-INVALID", /nsg\/SecurityRuleInvalidPortRange: .*99999999999999999999/),
  "nsg-priority-conflict.json": refusal(
    "NSG-RULE-INVALID",
    /nsg\/SecurityRuleConflict: Security rule b conflicts with rule a/,
  ),
  "invalid-utf8.json": { problem: /the file is not valid UTF-8 \(the first bad byte is at offset \d+\)/, place: true },
  "self-referencing-variable.json": refusal(
    "TEMPLATE-INVALID",
    /arm\/circular-reference: variable 'prefix' refers to itself/,
  ),
  "unknown-function.json": refusal(
    "TEMPLATE-INVALID",
    /arm\/unknown-function: 'toUpperCaseInvariant' is not an ARM template function/,
  ),
  "date-from-huge-epoch.json": refusal(
    "TEMPLATE-INVALID",
    /arm\/invalid-expression: dateTimeFromEpoch\(\): 100000000000000000000 is not a representable date/,
  ),
  "resources-not-array.json": refusal("TEMPLATE-INVALID", /arm\/invalid-template: a resource must be an object/),
  "copy-count-huge.json": refusal(
    "TEMPLATE-INVALID",
    /arm\/copy-count: the copy count must be an integer from 0 to 800/,
  ),
  "no-templates": { problem: /the directory holds no input files/, place: false },
  "proto-keys.json": "loads",
  "proto-keys-template.json": "loads",
  "unknown-resource-types.json": "loads",
  "properties-null.json": "loads",
};

function expectNoCrash(err: string): void {
  expect(err).not.toMatch(/^ {4}at /m);
  expect(err).not.toContain("internal error");
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

/** Exit 2 and one line: `apim-netcheck: <file>[:line:col]: <problem>`. */
function expectRefused(result: { code: number; err: string }, file: string, refused: Refused): void {
  expect(result.code).toBe(2);
  const lines = result.err.split("\n").filter((l) => l !== "");
  expect(lines).toHaveLength(1);
  const line = lines[0]!;
  expect(line.startsWith(`apim-netcheck: ${file}`)).toBe(true);
  if (refused.place) expect(line.slice(`apim-netcheck: ${file}`.length)).toMatch(/^:\d+:\d+: /);
  expect(line).toMatch(refused.problem);
}

/**
 * Read though Azure would refuse it: `check` exits 1 with the refusal as a finding of its check, located at a
 * line; `inventory` exits 1; `flow` answers (exit 0) and says the refusal on stderr in the one-line form.
 */
async function expectGoesOn(
  command: string,
  result: { code: number; out: string; err: string; args: string[] },
  expected: Refusal,
) {
  if (command === "check") {
    expect(result.code).toBe(1);
    const json = JSON.parse((await run(["check", "--format", "json", ...result.args])).out) as {
      findings: { id: string; severity: string; location: { line: number }; evidence: { text: string }[] }[];
    };
    const found = json.findings.filter((f) => f.id === expected.finding && f.severity === "error");
    expect(found.length, `a ${expected.finding} error`).toBeGreaterThan(0);
    expect(found.some((f) => f.location.line > 0 && f.evidence.some((e) => expected.problem.test(e.text)))).toBe(true);
    return;
  }
  expect(result.code).toBe(command === "inventory" ? 1 : 0);
  if (command === "flow") {
    const lines = result.err.split("\n").filter((l) => / error: /.test(l));
    expect(lines.some((l) => /^\S+:\d+:\d+: error: /.test(l) && expected.problem.test(l))).toBe(true);
  } else {
    expect(result.out).toMatch(expected.problem);
  }
}

/** Loaded: exit 0 or 1, and stderr only diagnostics in their one-line form. */
function expectLoaded(result: { code: number; err: string }): void {
  expect([0, 1]).toContain(result.code);
  for (const line of result.err.split("\n").filter((l) => l !== "")) {
    expect(line).toMatch(/^\S.*: (warning|info): [a-z]+\/[\w-]+: /);
  }
}

describe.each(Object.keys(COMMANDS))("malformed inputs: %s", (command) => {
  it.each(Object.entries(CASES))("%s", async (name, expected) => {
    const file = `${BAD}/${name}`;
    // Relative to the working directory (the repository root under vitest), as a user would name it.
    const args = [...COMMANDS[command]!, file];
    const result = { ...(await run(args)), args: args.slice(1) };
    expectNoCrash(result.err);
    if (expected === "loads") expectLoaded(result);
    else if ("refusal" in expected) await expectGoesOn(command, result, expected);
    else expectRefused(result, file, expected);
  });
});

describe("malformed option files", () => {
  const example = "examples/forced-tunnel";
  it.each([
    ["--assume", "assume-invalid-yaml.yaml", /:4:1: invalid YAML\/JSON: /],
    ["--assume", "assume-unknown-key.json", /:1:72: unknown key "nextHop"/],
    ["--service-tags", "service-tags-wrong-shape.json", /: not a Service Tags file: "values" is not an array/],
    ["--service-tags", "empty.json", /: not a Service Tags file: invalid JSON/],
    ["--parameters", "parameters-wrong-shape.json", /:1:142: arm\/parameters-file: parameter 'x' needs/],
    ["--parameters", "truncated.json", /:6:64: arm\/parameters-file: .*invalid JSON/],
  ])("%s %s: exit 2, one line", async (option, name, problem) => {
    for (const command of ["check", "flow"]) {
      const result = await run([...COMMANDS[command]!, example, option, `${BAD}/${name}`]);
      expectNoCrash(result.err);
      expect(result.code).toBe(2);
      expect(result.err.trimEnd().split("\n")).toHaveLength(1);
      expect(result.err).toMatch(new RegExp(`^apim-netcheck: ${BAD}/${name.replace(".", "\\.")}`));
      expect(result.err).toMatch(problem);
    }
  });
});

describe("generated malformed inputs", () => {
  const dir = mkdtempSync(join(tmpdir(), "apim-netcheck-bad-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const deep = 100_000;
  const cases: [string, string][] = [
    [
      "deep-arrays.json",
      `{"type":"Microsoft.Network/virtualNetworks","name":"v","properties":{"x":${"[".repeat(deep)}${"]".repeat(deep)}}}`,
    ],
    [
      "deep-objects.json",
      `{"type":"Microsoft.Network/virtualNetworks","name":"v","properties":{"x":${'{"a":'.repeat(deep)}1${"}".repeat(deep)}}}`,
    ],
    ["deep-unclosed.json", "[".repeat(deep)],
  ];

  it.each(cases)("%s (100,000 levels): refused at the depth limit with its place", async (name, text) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    for (const command of Object.keys(COMMANDS)) {
      const result = await run([...COMMANDS[command]!, file]);
      expectNoCrash(result.err);
      expect(result.code).toBe(2);
      expect(result.err.trimEnd().split("\n")).toHaveLength(1);
      expect(result.err).toMatch(new RegExp(`^apim-netcheck: ${file.replace(/[.]/g, "\\.")}:\\d+:\\d+: `));
      expect(result.err).toMatch(/nest|deep|depth/i);
    }
  });

  it("an expression nested 5,000 deep is refused at its place, and the run goes on", async () => {
    const file = join(dir, "deep-expression.json");
    writeFileSync(file, armWithName(`[${"concat(".repeat(5000)}'x'${")".repeat(5000)}]`));
    for (const command of Object.keys(COMMANDS)) {
      const args = [...COMMANDS[command]!, file];
      const result = { ...(await run(args)), args: args.slice(1) };
      expectNoCrash(result.err);
      await expectGoesOn(command, result, refusal("TEMPLATE-INVALID", /nest|deep|depth/i));
    }
  });

  it.each([
    [
      "nested map/range (10^9 lambda calls)",
      "[string(length(map(range(0, 1000), lambda('a', map(range(0, 1000), lambda('b', map(range(0, 1000), lambda('c', lambdaVariables('c')))))))))]",
      /arm\/limit: \[string\(length\(map\(range.*250,000 lambda calls/,
    ],
    ["format() 999,999,999 wide", "[format('{0,999999999}', 'a')]", /format\(\): the alignment 999999999/],
    [
      "json() 15,000 deep",
      "[string(json(concat(replace(padLeft('', 15000, 'x'), 'x', '['), replace(padLeft('', 15000, 'x'), 'x', ']'))))]",
      /json\(\): the JSON nests deeper than 1000 levels/,
    ],
  ])("%s: one located error, and the run goes on (issue 11)", async (_, name, problem) => {
    const file = join(dir, "attack.json");
    writeFileSync(file, armWithName(name));
    for (const command of Object.keys(COMMANDS)) {
      const args = [...COMMANDS[command]!, file];
      const result = { ...(await run(args)), args: args.slice(1) };
      expectNoCrash(result.err);
      await expectGoesOn(command, result, refusal("TEMPLATE-INVALID", problem));
    }
  });

  it("user functions calling each other (39 levels, 2^39 calls) are refused as ARM refuses them", async () => {
    const members: Record<string, unknown> = {};
    for (let i = 0; i < 39; i++) {
      const call = `f.f${i - 1}(parameters('p'))`;
      const value = i === 0 ? "[parameters('p')]" : `[concat(${call}, ${call})]`;
      members[`f${i}`] = { parameters: [{ name: "p", type: "string" }], output: { type: "string", value } };
    }
    const template = JSON.parse(armWithName("[f.f38('x')]")) as Record<string, unknown>;
    template.functions = [{ namespace: "f", members }];
    const file = join(dir, "functions.json");
    writeFileSync(file, JSON.stringify(template));
    const args = ["check", file];
    const result = { ...(await run(args)), args: args.slice(1) };
    expectNoCrash(result.err);
    await expectGoesOn(
      "check",
      result,
      refusal("TEMPLATE-INVALID", /arm\/user-function-call: .*f\.f38\(\) calls f\.f37\(\)/),
    );
  });

  it.skipIf(process.platform === "win32")("a device or a FIFO is refused with one line, never read", async () => {
    const fifo = join(dir, "pipe.json");
    execFileSync("mkfifo", [fifo]);
    for (const [path, kind] of [
      ["/dev/zero", "a character device"],
      [fifo, "a named pipe \\(FIFO\\)"],
    ] as const) {
      for (const command of Object.keys(COMMANDS)) {
        const result = await run([...COMMANDS[command]!, path]);
        expectNoCrash(result.err);
        expectRefused(result, path, { problem: new RegExp(`${kind}, not a regular file`), place: false });
      }
    }
    // In a directory walk it is named and skipped; the other inputs are read.
    const result = await run(["inventory", dir]);
    expect(result.out + result.err).toMatch(/pipe\.json.*input\/not-a-file: not a regular file/);
    rmSync(fifo);
  });

  it("a file larger than --max-input-size is refused with one line; a usage error for a bad size", async () => {
    const file = join(dir, "small.json");
    writeFileSync(file, armWithName("vnet"));
    const refused = await run(["check", file, "--max-input-size", "100"]);
    expectRefused(refused, file, {
      problem: /larger than 100 bytes, the input size limit \(--max-input-size\)/,
      place: false,
    });
    expect((await run(["check", file, "--max-input-size", "1MiB"])).code).not.toBe(2);
    const usage = await run(["check", file, "--max-input-size", "lots"]);
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/--max-input-size must be a size/);
  });

  it("a 50 MB export loads; the resources it cannot model are listed", async () => {
    const file = join(dir, "big-export.json");
    writeFileSync(file, bigExport(50 * 1024 * 1024));
    const started = Date.now();
    const result = await run(["check", file, "--format", "json"], { errIsTty: true });
    const loadedAfter = Date.now() - started;
    expectNoCrash(result.err);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.out) as { inputs: { resources: number; status: string }[]; unmodeled: unknown[] };
    expect(json.inputs[0]!.status).toBe("parsed");
    expect(json.unmodeled.length).toBeGreaterThan(500);
    // A run that long shows the progress note on a terminal stderr (the note comes between phases).
    if (loadedAfter > 3000) expect(result.err).toMatch(/apim-netcheck: (loading inputs|evaluating checks)… /);
  });
});

function armWithName(name: string): string {
  return JSON.stringify({
    $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    contentVersion: "1.0.0.0",
    resources: [
      {
        type: "Microsoft.Network/virtualNetworks",
        apiVersion: "2023-05-01",
        name,
        location: "westeurope",
        properties: {},
      },
    ],
  });
}

/**
 * An export about `bytes` long: a VNet and an NSG, then web apps (not modelled) whose settings hold 100 kB
 * values, so that the size is in reading, decoding and parsing rather than in the network model.
 */
function bigExport(bytes: number): string {
  const id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers";
  const parts = [
    `{"type":"Microsoft.Network/virtualNetworks","name":"vnet","id":"${id}/Microsoft.Network/virtualNetworks/vnet","properties":{"addressSpace":{"addressPrefixes":["10.0.0.0/16"]},"subnets":[{"name":"snet","properties":{"addressPrefix":"10.0.1.0/24"}}]}}`,
  ];
  const blob = "y".repeat(100_000);
  for (let i = 0, size = parts[0]!.length; size < bytes; i++) {
    const app = `{"type":"Microsoft.Web/sites","name":"app-${i}","id":"${id}/Microsoft.Web/sites/app-${i}","properties":{"siteConfig":{"appSettings":[{"name":"BLOB","value":"${blob}"}]}}}`;
    parts.push(app);
    size += app.length + 2;
  }
  return `[${parts.join(",\n")}]`;
}
