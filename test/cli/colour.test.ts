/**
 * Terminal conventions (issue 16 item 6): FORCE_COLOR as Node reads it (colour even in a pipe, NO_COLOR then
 * ignored; FORCE_COLOR=0 off), NO_COLOR, TERM=dumb (no colour, no progress note), and a terminal by default.
 */
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { colourOn, progressTerminal } from "../../src/cli/terminal.js";
import { REPO_ROOT } from "../helpers/corpus.js";

const EXAMPLE = `${REPO_ROOT}/examples/forced-tunnel`;
const ESC = "\u001b[";

async function out(isTty: boolean, env: Record<string, string>) {
  let text = "";
  await main(["check", EXAMPLE], { out: (s) => (text += s), err: () => {}, isTty, env });
  return text;
}

describe("colour", () => {
  it.each([
    [false, {}, false],
    [true, {}, true],
    [false, { FORCE_COLOR: "1" }, true],
    [false, { FORCE_COLOR: "" }, true],
    [false, { FORCE_COLOR: "3" }, true],
    [true, { FORCE_COLOR: "0" }, false],
    [true, { FORCE_COLOR: "no" }, false],
    [false, { FORCE_COLOR: "1", NO_COLOR: "1" }, true],
    [true, { NO_COLOR: "1" }, false],
    [true, { TERM: "dumb" }, false],
    [false, { TERM: "dumb", FORCE_COLOR: "1" }, true],
  ])("stdout a terminal: %s, env %j: colour %s", (isTty, env, on) => {
    expect(colourOn({ isTty, env })).toBe(on);
  });

  it("the report follows: FORCE_COLOR colours a pipe, TERM=dumb keeps a terminal plain", async () => {
    expect(await out(false, { FORCE_COLOR: "1" })).toContain(ESC);
    expect(await out(true, { TERM: "dumb" })).not.toContain(ESC);
    expect(await out(false, {})).not.toContain(ESC);
  });

  it("TERM=dumb has no progress note (it clears its line with an escape sequence)", () => {
    expect(progressTerminal({ errIsTty: true, env: { TERM: "dumb" } })).toBe(false);
    expect(progressTerminal({ errIsTty: true, env: { TERM: "xterm-256color" } })).toBe(true);
    expect(progressTerminal({ errIsTty: false, env: {} })).toBe(false);
  });
});
