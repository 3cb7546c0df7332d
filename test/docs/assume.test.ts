/**
 * docs/assume.md: its examples run. The YAML and the JSON example read to the same assumptions, the routes
 * command it shows prints the rows it shows, and the mistake it shows is refused with that line.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { parseAssumptions } from "../../src/ingest/assume/read.js";
import { REPO_ROOT } from "../helpers/corpus.js";

const page = readFileSync(join(REPO_ROOT, "docs/assume.md"), "utf8");
const blocks = (lang: string) =>
  [...page.matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]!);

/** Runs a command the page shows (its first word is the binary) from the repository root; returns stdout. */
async function run(command: string): Promise<string> {
  const args = command
    .replace(/\\\n\s*/g, " ")
    .trim()
    .split(/\s+/)
    .slice(1);
  let out = "";
  const previous = process.cwd();
  process.chdir(REPO_ROOT);
  try {
    await main(args, { out: (s) => (out += s), err: () => {}, isTty: false, env: {} });
  } finally {
    process.chdir(previous);
  }
  return out;
}

describe("docs/assume.md", () => {
  it("the YAML and JSON examples are the same assumptions", () => {
    const [yaml] = blocks("yaml");
    const [json] = blocks("json");
    const strip = (a: ReturnType<typeof parseAssumptions>) => a.gatewayRoutes.map(({ src: _src, ...r }) => r);
    expect(strip(parseAssumptions(yaml!, "a.yaml"))).toEqual(strip(parseAssumptions(json!, "a.json")));
    expect(readFileSync(join(REPO_ROOT, "test/fixtures/routes/assume-bgp-default-route.yaml"), "utf8")).toBe(yaml);
  });

  it("the routes command prints the rows the page shows", async () => {
    const [command] = blocks("sh");
    const [shown] = blocks("text");
    const out = await run(command!);
    for (const line of shown!.trim().split("\n")) expect(out.split("\n")).toContain(line);
  });

  it("the routeServerRoutes example is the fixture, and its routes command prints the row it shows", async () => {
    const yaml = blocks("yaml")[1]!;
    const file = "test/fixtures/checks/control-plane-returns-to-internet/route-server.assume.yaml";
    expect(readFileSync(join(REPO_ROOT, file), "utf8")).toBe(yaml);
    expect(parseAssumptions(yaml, "a.yaml").routeServerRoutes).toMatchObject([
      { routeServer: "rs-hub", bgpConnection: "nva1", prefixes: ["0.0.0.0/0"] },
    ]);
    const out = await run(blocks("sh")[1]!);
    for (const line of blocks("text")[2]!.trim().split("\n")) expect(out.split("\n")).toContain(line);
  });

  it("the learned-routes export example prints the row it shows, naming the export", async () => {
    const out = await run(blocks("sh")[2]!);
    for (const line of blocks("text")[3]!.trim().split("\n")) expect(out.split("\n")).toContain(line);
  });

  it("the mistake it shows is refused with that line", () => {
    const [, mistake] = blocks("text");
    expect(() => parseAssumptions("gatewayRoutes:\n  - gateway: g\n    prefix: [0.0.0.0/0]\n", "assume.yaml")).toThrow(
      mistake!.trim(),
    );
  });
});
