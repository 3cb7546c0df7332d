import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../test/helpers/corpus.js";
import { loadInputs } from "../../ingest/load.js";
import { loadServiceTagCatalog } from "../../ingest/servicetags/load.js";
import { Topology } from "../../model/topology.js";
import { EngineContext } from "./context.js";
import { parseEndpoint } from "./endpoint.js";
import { checkFlow, type FlowQuery } from "./flow.js";

const catalog = loadServiceTagCatalog();

function context(file: string): EngineContext {
  const { model } = loadInputs([`${REPO_ROOT}/${file}`]);
  return new EngineContext(new Topology(model), catalog);
}

function ask(ctx: EngineContext, from: string, to: string, port: number, protocol: FlowQuery["protocol"] = "Tcp") {
  const a = parseEndpoint(ctx.topology, from);
  const b = parseEndpoint(ctx.topology, to);
  if (!a.ok || !b.ok) throw new Error("bad endpoint");
  return checkFlow(ctx, { from: a.endpoint, to: b.endpoint, protocol, destinationPort: port });
}

describe("flow between endpoints (reference §1.3, §4.1)", () => {
  const ctx = context("test/fixtures/flow/subnet-and-nic-nsgs.json");

  it("inbound runs the subnet NSG, then the NIC NSG: a NIC deny after a subnet allow denies (§1.3.5)", () => {
    const answer = ask(ctx, "ApiManagement.WestEurope", "10.0.1.10", 3443);
    expect(answer.verdict).toBe("Deny");
    expect(answer.ruleName).toBe("securityRules/deny-3443");
    expect(answer.layers.map((l) => [l.scope, l.direction, l.ruleName, l.access])).toEqual([
      ["subnet", "Inbound", "securityRules/allow-apim-mgmt", "Allow"],
      ["nic", "Inbound", "securityRules/deny-3443", "Deny"],
    ]);
  });

  it("a subnet address without a NIC is judged by the subnet NSG alone", () => {
    const answer = ask(ctx, "ApiManagement.WestEurope", "vnet1/web", 3443);
    expect(answer.verdict).toBe("Allow");
    expect(answer.ruleName).toBe("securityRules/allow-apim-mgmt");
  });

  it("a tag source is judged as a set: the global tag is only partly covered by a rule for its regional form", () => {
    const answer = ask(ctx, "ApiManagement", "vnet1/web", 3443);
    expect(answer.verdict).toBe("Deny");
    expect(answer.partial).toBe(true);
    expect(answer.ruleName).toBe("defaultSecurityRules/DenyAllInBound");
    expect(answer.parts?.some((p) => p.verdict === "Allow" && p.ruleName === "securityRules/allow-apim-mgmt")).toBe(
      true,
    );
  });

  it("outbound to a tag: the deny rule names it; Allow for another port by the default rule", () => {
    expect(ask(ctx, "vnet1/web", "Sql", 1433)).toMatchObject({
      verdict: "Deny",
      ruleName: "securityRules/deny-sql-out",
    });
    expect(ask(ctx, "vnet1/web", "Sql", 443)).toMatchObject({
      verdict: "Allow",
      ruleName: "defaultSecurityRules/AllowInternetOutBound",
    });
  });

  it("both ends inside: outbound at the source then inbound at the destination; a subnet without NSG allows (§1.3.6)", () => {
    const answer = ask(ctx, "vnet1/db", "10.0.1.10", 443);
    expect(answer.verdict).toBe("Allow");
    expect(answer.layers.map((l) => [l.scope, l.direction, l.note ?? l.ruleName])).toEqual([
      ["subnet", "Outbound", "no-nsg"],
      // allow-https is for Internet sources; 10.0.2.4 is VirtualNetwork, so the default rule decides.
      ["subnet", "Inbound", "defaultSecurityRules/AllowVnetInBound"],
      ["nic", "Inbound", "defaultSecurityRules/AllowVnetInBound"],
    ]);
    expect(answer.ruleName).toBe("defaultSecurityRules/AllowVnetInBound");
  });

  it("an outbound deny means the destination's inbound NSGs are never reached", () => {
    const answer = ask(ctx, "vnet1/web", "10.0.2.4", 1433);
    expect(answer.verdict).toBe("Allow"); // 10.0.2.4 is not Sql
    const denied = ask(ctx, "10.0.1.10", "Sql", 1433);
    expect(denied.layers.every((l) => l.direction === "Outbound")).toBe(true);
  });

  it("neither end inside the inputs gives Unknown with the reason", () => {
    const answer = ask(ctx, "8.8.8.8", "1.1.1.1", 53, "Udp");
    expect(answer.verdict).toBe("Unknown");
    expect(answer.notes.join(" ")).toContain("neither end");
  });
});

describe("undecided virtual tags (reference §1.4, §3.2)", () => {
  it("traffic from a peer whose other half is not in the inputs is Unknown, not denied: VirtualNetwork may hold it", () => {
    const ctx = context("test/fixtures/flow/peer-not-in-inputs.json");
    const answer = ask(ctx, "10.9.0.5", "vnet1/web", 22);
    expect(answer.verdict).toBe("Unknown");
    expect(answer.layers[0]!.candidates?.map((c) => c.ruleName)).toEqual([
      "defaultSecurityRules/AllowVnetInBound",
      "defaultSecurityRules/DenyAllInBound",
    ]);
    // An address no peering could bring in is denied outright.
    expect(ask(ctx, "10.8.0.5", "vnet1/web", 22).verdict).toBe("Deny");
  });
});

describe("the bundled example", () => {
  const ctx = context("examples/forced-tunnel/network.json");
  it("management traffic on 3443 is denied by the baseline deny placed before the allow", () => {
    const answer = ask(ctx, "ApiManagement.WestEurope", "vnet-apim/snet-apim", 3443);
    expect(answer.verdict).toBe("Deny");
    expect(answer.ruleName).toBe("securityRules/Deny-Inbound-Default");
    expect(answer.layers[0]!.src?.line).toBeGreaterThan(40);
  });
});
