/**
 * Fuzz targets for the whole CLI (issue 11 item 6): main() run with a capturing io, as a user runs it, for every
 * command and every format, over generated networks with hostile, Unknown, invalid and duplicated names and
 * values (cli-networks.ts). What each run must meet is in cli-oracles.ts. The fix target also executes every az
 * fix with a stub `az` and reads every Bicep and Terraform fix back with our parsers.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { main } from "../../../src/cli/main.js";
import { targets as fixTextTargets } from "./cli-fix-text.js";
import { type CliNetwork, cliNetwork, type Damage, HOSTILE, subnetArg, templateText } from "./cli-networks.js";
import { checkFixes, checkHtml, checkRun, type Format, type Run, runAzFixes, scratchDir } from "./cli-oracles.js";

const root = scratchDir("cli");

/** A fresh directory for one case (the same few are reused, so a long run leaves nothing behind but them). */
let cases = 0;
function caseDir(): string {
  const dir = join(root, String(cases++ % 2));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  return dir;
}

/** The input's file name: plain, or itself hostile (it is shown in every location). */
const fileName = fc.oneof(
  { weight: 4, arbitrary: fc.constant("network.json") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...HOSTILE).map((h) => `net${h.replace(/[/\u0000]/g, "_")}.json`),
  },
);

async function run(args: string[], tty: boolean): Promise<Run> {
  let out = "";
  let err = "";
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), isTty: tty, env: {} });
  return { args, code, out, err, tty };
}

interface Written {
  dir: string;
  file: string;
  text: string;
}

function write(n: CliNetwork, name: string, extra: Damage[] = []): Written {
  const dir = caseDir();
  const file = join(dir, name);
  const text = templateText(n, extra);
  writeFileSync(file, text);
  return { dir, file, text };
}

/**
 * `-p name=value` for the parameters the case gives that the template declares (the others stay Unknown): a
 * name no template declares is a usage error, which would end most runs before they analyse anything.
 */
const givenArgs = (n: CliNetwork, text: string) => {
  const declared = (JSON.parse(text) as { parameters: Record<string, unknown> }).parameters;
  return Object.entries(n.given)
    .filter(([k]) => Object.hasOwn(declared, k))
    .flatMap(([k, v]) => ["-p", `${k}=${v}`]);
};

const subnetOf = fc.constantFrom("snet-apim", "snet-1", "snet-2", "missing");
const place = fc.oneof(
  subnetOf.map((s) => ({ subnet: s })),
  fc.constantFrom("ApiManagement", "Internet", "AzureLoadBalancer", "10.1.0.4", "13.66.1.1", "10.0.0.0/8", "banana"),
);

/** Checks in every format, with every fix form. */
const checkCase = fc.record({
  network: cliNetwork,
  fileName,
  format: fc.constantFrom("text", "json", "sarif", "markdown", "junit"),
  fix: fc.constantFrom("az-cli", "bicep", "terraform", "arm", "all", "none"),
  flags: fc.subarray(["--verbose", "--quiet", "--fail-on=never", "--platform=stv1"], { maxLength: 2 }),
  tty: fc.boolean(),
});

async function checkCommand(c: CheckCase): Promise<void> {
  const { dir, file, text } = write(c.network, c.fileName);
  const r = await run(
    ["check", file, "--format", c.format, "--fix", c.fix, ...c.flags, ...givenArgs(c.network, text)],
    c.tty,
  );
  checkRun(r, c.format as Format);
  unchanged(r, dir, file, text);
}
type CheckCase = typeof checkCase extends fc.Arbitrary<infer T> ? T : never;

/** The inspection commands: inventory, routes, flow, next-hop (text and json). */
const lookCase = fc.record({
  network: cliNetwork,
  fileName,
  command: fc.constantFrom("inventory", "routes", "flow", "next-hop"),
  format: fc.constantFrom("text", "json"),
  from: place,
  to: place,
  port: fc.constantFrom("3443", "443", "*", "0", "65536", "banana"),
  protocol: fc.constantFrom("Tcp", "Udp", "Icmp", "*", "Bogus"),
  tty: fc.boolean(),
});
type LookCase = typeof lookCase extends fc.Arbitrary<infer T> ? T : never;

function placeArg(n: CliNetwork, p: { subnet: string } | string): string {
  return typeof p === "string" ? p : subnetArg(n, p.subnet);
}

async function lookCommand(c: LookCase): Promise<void> {
  const { dir, file, text } = write(c.network, c.fileName);
  const n = c.network;
  const given = givenArgs(n, text);
  const fmt = ["--format", c.format];
  const args =
    c.command === "inventory"
      ? ["inventory", file, ...fmt, ...given]
      : c.command === "routes"
        ? ["routes", file, "--subnet", placeArg(n, c.from), ...fmt, ...given]
        : c.command === "flow"
          ? ["flow", file, "--from", placeArg(n, c.from), "--to", placeArg(n, c.to), "--port", c.port].concat([
              "--protocol",
              c.protocol,
              ...fmt,
              ...given,
            ])
          : ["next-hop", file, "--from", placeArg(n, c.from), "--to", placeArg(n, c.to), ...fmt, ...given];
  const r = await run(args, c.tty);
  checkRun(r, c.format as Format);
  unchanged(r, dir, file, text);
}

/** The commands that write more: diff, diagram (Mermaid and SVG), report --out, fix --dry-run. */
const writeCase = fc.record({
  network: cliNetwork,
  fileName,
  command: fc.constantFrom("diff", "diff-json", "mermaid", "svg", "report", "fix"),
  after: fc.array(
    fc.record({
      at: fc.nat(),
      kind: fc.constantFrom("set" as const, "unknown" as const, "duplicate" as const),
      value: fc.constantFrom(null, "Deny", "Allow", 100, "0.0.0.0/0", "Internet"),
    }),
    { minLength: 1, maxLength: 2 },
  ),
  noFindings: fc.boolean(),
});
type WriteCase = typeof writeCase extends fc.Arbitrary<infer T> ? T : never;

async function writeCommand(c: WriteCase): Promise<void> {
  const { dir, file, text } = write(c.network, c.fileName);
  const given = givenArgs(c.network, text);
  if (c.command === "diff" || c.command === "diff-json") {
    const after = join(dir, "after.json");
    const afterText = templateText(c.network, c.after);
    writeFileSync(after, afterText);
    const fmt = c.command === "diff-json" ? ["--format", "json"] : [];
    const r = await run(["diff", file, "--to", after, ...fmt, ...given], false);
    checkRun(r, c.command === "diff-json" ? "json" : "diff");
    unchanged(r, dir, file, text, ["after.json"]);
  } else if (c.command === "mermaid" || c.command === "svg") {
    const r = await run(
      ["diagram", file, "--format", c.command, ...(c.noFindings ? ["--no-findings"] : []), ...given],
      false,
    );
    checkRun(r, c.command);
    unchanged(r, dir, file, text);
  } else if (c.command === "report") {
    const out = join(dir, "report.html");
    const r = await run(["report", file, "--out", out, ...given], false);
    checkRun(r, "html");
    if (r.code !== 2) {
      if (!existsSync(out)) throw new Error(`report exited ${r.code} without writing ${out}\n${r.err}`);
      checkHtml(r, readFileSync(out, "utf8"));
    }
    unchanged(r, dir, file, text, ["report.html"]);
  } else {
    const r = await run(["fix", file, "--dry-run", ...given], false);
    checkRun(r, "diff");
    unchanged(r, dir, file, text);
  }
}

/** The input is as written and nothing but `also` appeared beside it. */
function unchanged(r: Run, dir: string, file: string, text: string, also: string[] = []): void {
  if (readFileSync(file, "utf8") !== text) throw new Error(`${r.args[0]} changed its input\n${r.args.join(" ")}`);
  const extra = readdirSync(dir).filter((f) => join(dir, f) !== file && !also.includes(f));
  if (extra.length > 0) throw new Error(`${r.args[0]} wrote ${JSON.stringify(extra)} beside its input`);
}

/** The fixes of a check: az executed with a stub, Bicep and Terraform parsed, names exact in each. */
const fixCase = fc.record({ network: cliNetwork, execute: fc.boolean() });
type FixCase = typeof fixCase extends fc.Arbitrary<infer T> ? T : never;

async function fixCommand(c: FixCase): Promise<void> {
  const { file, text } = write(c.network, "network.json");
  const r = await run(["check", file, "--format", "json", "--fix", "all", ...givenArgs(c.network, text)], false);
  checkRun(r, "json");
  if (r.code === 2) return;
  const az = checkFixes(JSON.parse(r.out));
  // bash is the slow part (a few ms a run): half the cases execute their az fixes, all in one bash.
  if (c.execute) runAzFixes(az);
}

export const targets = {
  "cli: check in every format and fix form": { arbitrary: checkCase, check: checkCommand, async: true },
  "cli: inventory, routes, flow, next-hop": { arbitrary: lookCase, check: lookCommand, async: true },
  "cli: diff, diagram, report, fix --dry-run": { arbitrary: writeCase, check: writeCommand, async: true },
  "cli: fixes executed and parsed back": { arbitrary: fixCase, check: fixCommand, async: true },
  // Below main(): the fix text of every kind of change, thousands of cases where main() affords hundreds.
  ...fixTextTargets,
};
