/**
 * Messages by id (checks/messages, after typescript-eslint's `meta.messages`): the template functions, each
 * check's declared messages, and every finding of every check over every check fixture, which must name a
 * declared message and give each of its placeholders a value and no other. The sentences themselves are checked
 * in one place, the golden test/golden/messages.txt (`UPDATE_GOLDEN=1` rewrites it), so that the other tests can
 * assert ids and values.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CHECKS } from "../../src/checks/index.js";
import {
  COMMON_MESSAGES,
  messageProblems,
  placeholdersOf,
  renderMessage,
  sarifArguments,
  sarifMessageString,
} from "../../src/checks/messages.js";
import { runChecks } from "../../src/checks/run.js";
import type { Finding } from "../../src/checks/types.js";
import { EngineContext } from "../../src/engine/reach/context.js";
import { loadInputs } from "../../src/ingest/load.js";
import { loadServiceTagCatalog } from "../../src/ingest/servicetags/load.js";
import { Topology } from "../../src/model/topology.js";
import { expectGolden } from "../helpers/golden.js";
import { CHECK_FIXTURES } from "./tester.js";

describe("message templates", () => {
  it("renders placeholders, leaves one without a value as written, and lists them once in order", () => {
    expect(renderMessage("NSG {{nsg}}: rule {{ rule }} of {{nsg}}.", { nsg: "a", rule: 3 })).toBe(
      "NSG a: rule 3 of a.",
    );
    expect(renderMessage("{{a}} and {{b}}", { a: "x" })).toBe("x and {{b}}");
    expect(placeholdersOf("{{b}} {{a}} {{b}}")).toEqual(["b", "a"]);
  });

  it("names an undeclared id, a missing value and a value no placeholder uses", () => {
    const messages = { one: "{{a}} {{b}}" };
    expect(messageProblems(messages, "one", { a: "1", b: "2" })).toEqual([]);
    expect(messageProblems(messages, "two", {})).toEqual(["messageId two is not declared"]);
    expect(messageProblems(messages, "one", { a: "1", c: "3" })).toEqual([
      "one: no value for {{b}}",
      "one: value c is not a placeholder",
    ]);
  });

  it("as a SARIF message string, filled with its arguments as SARIF says, gives the rendered text (property)", () => {
    // SARIF §3.11.5: {n} is argument n; {{ and }} outside placeholders are literal braces.
    const sarifFill = (text: string, args: string[]) =>
      text.replace(/\{\{|\}\}|\{(\d+)\}/g, (m, n: string | undefined) => (n === undefined ? m[0]! : args[Number(n)]!));
    const piece = fc.oneof(
      fc.string({ maxLength: 6 }).filter((s) => !s.includes("{{") && !s.includes("}}")),
      fc.constantFrom("{{a}}", "{{b}}", "{", "}", "{0}", "{{ c }}"),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), fc.string(), fc.string(), fc.string(), (parts, a, b, c) => {
        const template = parts.join("");
        const data = { a, b, c };
        const { text, order } = sarifMessageString(template);
        const used = Object.fromEntries(order.map((k) => [k, data[k as keyof typeof data]]));
        expect(sarifFill(text, sarifArguments(order, used))).toBe(renderMessage(template, used));
      }),
    );
  });
});

describe.each(CHECKS.map((c) => [c.meta.id, c] as const))("%s messages", (_id, check) => {
  it("are declared by camelCase id, include the shared ones, and are well-formed templates", () => {
    const { messages } = check.meta;
    expect(Object.keys(messages).length).toBeGreaterThan(Object.keys(COMMON_MESSAGES).length);
    for (const [id, text] of Object.entries(COMMON_MESSAGES)) expect(messages[id]).toBe(text);
    for (const [id, template] of Object.entries(messages)) {
      expect(id).toMatch(/^[a-z][A-Za-z0-9]*$/);
      // Every {{ opens a placeholder that closes: a typo such as {{name} or {name}} would reach the user.
      const rest = template.replace(/\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}/g, "");
      expect(rest, `${id}: ${template}`).not.toMatch(/\{\{|\}\}/);
    }
  });
});

/** Every check fixture (a file, or a folder read as one input), with the ids of the checks it is a fixture of. */
function fixtures(): { name: string; path: string }[] {
  return readdirSync(CHECK_FIXTURES).flatMap((dir) =>
    readdirSync(join(CHECK_FIXTURES, dir))
      .filter((f) => !f.endsWith(".yaml") && !f.endsWith(".parameters.json"))
      .sort()
      .map((f) => ({ name: `${dir}/${f}`, path: join(CHECK_FIXTURES, dir, f) })),
  );
}

function allFindings(path: string): Finding[] {
  const { model } = loadInputs([path]);
  return runChecks(new EngineContext(new Topology(model), loadServiceTagCatalog()), {});
}

describe("every finding over every check fixture", () => {
  const byId = new Map(CHECKS.map((c) => [c.meta.id, c]));
  const results = fixtures().map((f) => ({ ...f, findings: allFindings(f.path) }));

  it("names a message its check declares, with every placeholder given and no other value", () => {
    const problems = results.flatMap(({ name, findings }) =>
      findings.flatMap((f) => {
        const check = byId.get(f.id);
        if (!check) return [`${name}: ${f.id} is no registered check`];
        if (!f.messageId) return [`${name}: ${f.id} has no messageId`];
        const wrong = messageProblems(check.meta.messages, f.messageId, f.data);
        const rendered = renderMessage(check.meta.messages[f.messageId] ?? "", f.data);
        return [
          ...wrong.map((p) => `${name}: ${f.id} ${p}`),
          ...(wrong.length === 0 && rendered !== f.message ? [`${name}: ${f.id} text is not its template`] : []),
        ];
      }),
    );
    expect(problems).toEqual([]);
  });

  it("says what the golden file says (the one place where wording is checked)", () => {
    const lines = results.flatMap(({ name, findings }) =>
      findings.map((f) => `${name}\t${f.id}\t${f.messageId}\t${f.message}`),
    );
    expectGolden("messages.txt", `${lines.join("\n")}\n`);
  });
});
