/**
 * `report` prints its progress lines only when stderr is a terminal (issue 16 item 6); what it wrote is said
 * either way, since that is the result.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { REPO_ROOT } from "../helpers/corpus.js";

const EXAMPLE = join(REPO_ROOT, "examples/forced-tunnel");

async function report(errIsTty: boolean) {
  let err = "";
  const out = join(mkdtempSync(join(tmpdir(), "apim-netcheck-progress-")), "r.html");
  const code = await main(["report", EXAMPLE, "--out", out], {
    out: () => {},
    err: (s) => (err += s),
    isTty: false,
    errIsTty,
    env: {},
  });
  return { code, lines: err.trim().split("\n") };
}

describe("report progress", () => {
  it("is silent but for what it wrote when stderr is not a terminal", async () => {
    const r = await report(false);
    expect(r.code).toBe(0);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(/^wrote .*r\.html \(\d+ KiB\)$/);
  });

  it("shows each phase on a terminal", async () => {
    const r = await report(true);
    expect(r.lines.filter((l) => /^\[\d+\.\d+s\] /.test(l)).length).toBeGreaterThanOrEqual(3);
    expect(r.lines.at(-1)).toMatch(/^wrote /);
  });
});
