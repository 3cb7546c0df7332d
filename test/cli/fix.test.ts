/**
 * CLI tests of `apim-netcheck fix`: the dry run prints a diff and writes nothing; a run writes the fixes and a
 * check afterwards finds no error; on corpus templates of three layouts, every byte outside the lines the diff
 * names is kept (the printed diff, applied to the file, gives exactly what `fix` wrote).
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { corpusPath, describeCorpus, REPO_ROOT } from "../helpers/corpus.js";
import { editFixture } from "../helpers/edit-fixture.js";

async function run(...args: string[]) {
  let out = "";
  let err = "";
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), isTty: false, env: {} });
  return { code, out, err };
}

const EXAMPLE = join(REPO_ROOT, "examples/forced-tunnel");

function tempCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "apim-netcheck-fix-"));
  cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

/** `before` with a unified diff applied; throws when a context or removed line is not what the file has. */
function applyUnifiedDiff(before: string, diff: string): string {
  const lines = before.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const out: string[] = [];
  let at = 0;
  const body = diff.split("\n").slice(2);
  for (let i = 0; i < body.length; i++) {
    const header = /^@@ -(\d+),(\d+) \+\d+,\d+ @@$/.exec(body[i]!);
    if (!header) continue;
    const start = Number(header[1]) - (Number(header[2]) === 0 ? 0 : 1);
    out.push(...lines.slice(at, start));
    at = start;
    for (i++; i < body.length && /^[ +\-\\]/.test(body[i]!); i++) {
      const line = body[i]!;
      const noNewline = body[i + 1]?.startsWith("\\ No newline");
      const text = line.slice(1) + (noNewline ? "" : "\n");
      if (line.startsWith("\\")) continue;
      if (line.startsWith("+")) out.push(text);
      else {
        if (lines[at] !== text) throw new Error(`line ${at + 1} differs: ${JSON.stringify(lines[at])}`);
        if (line.startsWith(" ")) out.push(text);
        at++;
      }
    }
    i--;
  }
  return out.join("") + lines.slice(at).join("");
}

describe("apim-netcheck fix", () => {
  it("--dry-run prints a unified diff of the example and changes nothing", async () => {
    const file = join(EXAMPLE, "network.json");
    const before = readFileSync(file, "utf8");
    const r = await run("fix", EXAMPLE, "--dry-run");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\(dry run: nothing written\)/);
    expect(r.out).toContain("--- examples/forced-tunnel/network.json\n+++ examples/forced-tunnel/network.json\n@@ ");
    expect(r.out).toContain('+            "name": "Allow-ApiManagement-3443-Inbound",');
    expect(r.out).toContain('+            "name": "ApiManagement-to-Internet",');
    expect(readFileSync(file, "utf8")).toBe(before);
    const diff = r.out.slice(r.out.indexOf("--- "));
    expect(() => applyUnifiedDiff(before, diff)).not.toThrow();
  });

  it("writes the fixes of a copy; check afterwards finds no error, and the written file is the dry run's diff", async () => {
    const dir = tempCopy();
    const file = join(dir, "network.json");
    const before = readFileSync(file, "utf8");
    const dry = await run("fix", dir, "--dry-run");
    const r = await run("fix", dir);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(`wrote ${file}`);
    expect(r.out).not.toMatch(/still open|refused \(/);
    const after = readFileSync(file, "utf8");
    expect(applyUnifiedDiff(before, dry.out.slice(dry.out.indexOf("--- ")))).toBe(after);
    const check = await run("check", dir, "--format", "json");
    expect(check.code).toBe(0);
    const findings = JSON.parse(check.out).findings as { id: string; severity: string }[];
    expect(findings.filter((f) => f.severity === "error")).toEqual([]);
    // Nothing left to fix: a second run writes nothing.
    const again = await run("fix", dir);
    expect(again.out).toMatch(/^0 finding\(s\) fixed by 0 change\(s\) in 0 file\(s\)/);
    expect(readFileSync(file, "utf8")).toBe(after);
  });

  it("--only fixes the findings of those checks only", async () => {
    const r = await run("fix", EXAMPLE, "--dry-run", "--only", "APIM-INBOUND-MANAGEMENT");
    expect(r.out).toContain("Allow-ApiManagement-3443-Inbound");
    expect(r.out).not.toContain("ApiManagement-to-Internet");
    expect(r.out).toMatch(/^1 finding\(s\) fixed/);
  });

  it("a refused fix is named with its reason, nothing of it is written, and the run exits 1", async () => {
    const file = editFixture(join(EXAMPLE, "network.json"), (t) => {
      const table = t.resources.find((x: { name: string }) => x.name === "rt-apim");
      t.variables.routes = table.properties.routes;
      table.properties.routes = "[variables('routes')]";
    });
    const before = readFileSync(file, "utf8");
    const r = await run("fix", file, "--only", "APIM-FORCED-TUNNEL");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /refused \(1\):\n {2}APIM-FORCED-TUNNEL {2}rt-apim\/ApiManagement-to-Internet: its parent's routes are an expression \(\[variables\('routes'\)\]\)\n/,
    );
    expect(r.out).toMatch(/still open \(1\):\n {2}ERROR +APIM-FORCED-TUNNEL/);
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("usage errors exit 2", async () => {
    expect((await run("fix")).code).toBe(2);
    expect((await run("fix", EXAMPLE, "--only", "NO-SUCH-CHECK")).code).toBe(2);
    expect((await run("fix", EXAMPLE, "--fail-on", "sometimes")).code).toBe(2);
  });
});

describeCorpus("apim-netcheck fix on corpus templates (skipped without ../shared/corpus)", () => {
  /** Corpus files (2-space JSON, LF) and the layout each is given in its temporary copy. */
  const cases: { name: string; path: string[]; indent: string | number; newline: string }[] = [
    {
      name: "internal-vnet quickstart, 2 spaces",
      path: ["azure-quickstart-templates", "api-management-create-with-internal-vnet", "azuredeploy.json"],
      indent: 2,
      newline: "\n",
    },
    {
      name: "external-vnet quickstart, 4 spaces and CRLF",
      path: ["azure-quickstart-templates", "api-management-create-with-external-vnet-publicip", "azuredeploy.json"],
      indent: 4,
      newline: "\r\n",
    },
    {
      name: "landing zone networking, tabs",
      path: [
        "apim-landing-zone-accelerator",
        "v1-027fe50/reference-implementations/AppGW-IAPIM-Func/bicep/networking/networking.json",
      ],
      indent: "\t",
      newline: "\n",
    },
  ];
  for (const c of cases) {
    it(`${c.name}: every byte outside the edited lines is kept`, async () => {
      const source = readFileSync(corpusPath(...c.path), "utf8");
      const text =
        c.indent === 2 && c.newline === "\n"
          ? source
          : `${JSON.stringify(JSON.parse(source), null, c.indent).replace(/\n/g, c.newline)}${c.newline}`;
      const file = join(mkdtempSync(join(tmpdir(), "apim-netcheck-fix-corpus-")), "azuredeploy.json");
      writeFileSync(file, text);
      const dry = await run("fix", file, "--dry-run");
      const diff = dry.out.slice(dry.out.indexOf("--- "));
      expect(diff, dry.out).toMatch(/^--- /);
      const r = await run("fix", file);
      expect(r.code, r.out).not.toBe(2);
      const after = readFileSync(file, "utf8");
      expect(after).not.toBe(text);
      // The diff's context and every line between its hunks are the file's own; applied, it gives what fix wrote.
      expect(applyUnifiedDiff(text, diff)).toBe(after);
      const removed = diff.split("\n").filter((l) => l.startsWith("-") && !l.startsWith("---")).length;
      expect(removed).toBeLessThan(20);
      if (c.newline === "\r\n") expect(after.replace(/\r\n/g, "")).not.toContain("\n");
      const added = diff.split("\n").filter((l) => l.startsWith("+") && !l.startsWith("+++"));
      const unit = c.indent === "\t" ? "\t" : " ";
      for (const line of added) expect(/^[ \t]*/.exec(line.slice(1))![0].replaceAll(unit, "")).toBe("");
    });
  }
});

describe("apim-netcheck fix on Bicep and Terraform", () => {
  const proof = join(REPO_ROOT, "test/proof/fixtures");
  for (const [name, file] of [
    ["Bicep", "nsg-missing-rules.bicep"],
    ["Terraform", "terraform-inline/main.tf"],
  ] as const) {
    it(`${name}: the dry run's diff is what fix writes, and check afterwards finds no error`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "apim-netcheck-fix-lang-"));
      const target = join(dir, file.split("/").pop()!);
      const text = readFileSync(join(proof, file), "utf8");
      writeFileSync(target, text);
      const dry = await run("fix", dir, "--dry-run");
      expect(dry.code, dry.out).toBe(0);
      const diff = dry.out.slice(dry.out.indexOf("--- "));
      expect(readFileSync(target, "utf8")).toBe(text);
      const r = await run("fix", dir);
      expect(r.code, r.out).toBe(0);
      expect(r.out).toContain(`wrote ${target}`);
      expect(applyUnifiedDiff(text, diff)).toBe(readFileSync(target, "utf8"));
      const check = await run("check", dir, "--format", "json", "--fail-on", "error");
      expect(check.code, check.out).toBe(0);
    });
  }
});
