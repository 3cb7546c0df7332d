/**
 * `check --with` a file that declares one security admin rule on its own: the rule joins the inputs' rule
 * collection (its parents in the file are made up to hold it) instead of replacing the network manager, so the
 * inputs' admin rules still decide, and the new one is named with a what-if note.
 */
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { REPO_ROOT } from "../helpers/corpus.js";

const F = `${REPO_ROOT}/test/fixtures/avnm`;

describe("check --with a security admin rule", () => {
  it("adds the rule to the collection and keeps the others", async () => {
    let out = "";
    const io = { out: (s: string) => (out += s), err: () => {}, isTty: false, env: {} };
    const args = [
      "check",
      `${F}/admin-rules.json`,
      "--assume",
      `${F}/commit.assume.yaml`,
      "--with",
      `${F}/with-lb-deny.json`,
    ];
    await main([...args, "--format", "json"], io);
    const json = JSON.parse(out);
    const errors = json.findings.filter((f: { severity: string }) => f.severity === "error");
    const rules = errors.map(
      (f: { id: string; message: string }) => `${f.id} ${/security admin rule (\S+)/.exec(f.message)?.[1]}`,
    );
    expect(rules).toContain("APIM-INBOUND-MANAGEMENT deny-apim-management");
    const lb = json.findings.find(
      (f: { id: string; severity: string }) => f.id === "APIM-INBOUND-LOADBALANCER" && f.severity === "error",
    );
    expect(lb.message).toMatch(/denied by security admin rule deny-load-balancer-probe \(Deny, priority 15\)/);
    expect(JSON.stringify(json.assumptions)).toMatch(
      /what-if: security admin rule nm-central\/sac-baseline\/rc-guardrails\/deny-load-balancer-probe added/,
    );
  });
});
