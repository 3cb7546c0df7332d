/**
 * One topology written three ways (an ARM template with copy loops, a child resource and resourceId links;
 * the REST/az export of what it deploys; the Resource Graph rows of the same) gives the same model, the same
 * effective routes and the same NSG verdicts. Ids differ only in subscription and resource group (a template
 * does not know them), so they are compared by provider path.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AddressSet } from "../../src/engine/ip/address-set.js";
import { normalizeNsg } from "../../src/engine/nsg/compile.js";
import { compileNsg } from "../../src/engine/nsg/compiled.js";
import { parseFlow } from "../../src/engine/nsg/flow.js";
import { effectiveRoutes, toEffectiveRouteJson } from "../../src/engine/routes/effective.js";
import { loadInputs } from "../../src/ingest/load.js";
import { providerKey } from "../../src/model/ids.js";
import type { NetworkModel } from "../../src/model/network.js";
import { Topology } from "../../src/model/topology.js";
import { REPO_ROOT } from "../helpers/corpus.js";
import { context, TAGS } from "../helpers/nsg.js";
import { testCatalog } from "../helpers/routes.js";

const FIXTURES = join(REPO_ROOT, "test/fixtures");
const TEMPLATE = join(FIXTURES, "arm/apim-spoke.json");
const REST = join(FIXTURES, "export/apim-spoke.rest.json");
const GRAPH = join(FIXTURES, "export/apim-spoke.graph.json");

/** The model without locations, with ids reduced to their provider path and types in one case. */
function comparable(model: NetworkModel): unknown {
  const strip = (value: unknown, key?: string): unknown => {
    if (Array.isArray(value)) return value.map((v) => strip(v));
    if (typeof value === "object" && value !== null) {
      const out: Record<string, unknown> = {};
      // An export lists absent multi-value fields as []; a template leaves them out. Both mean "none". Only a
      // template says the api-version it declares a subnet with (an export carries none).
      for (const [k, v] of Object.entries(value))
        if (k !== "src" && k !== "declaredApiVersion" && !(Array.isArray(v) && v.length === 0)) out[k] = strip(v, k);
      return out;
    }
    if (typeof value === "string" && (key === "id" || key?.endsWith("Id") || value.startsWith("/subscriptions/"))) {
      return providerKey(value);
    }
    if (typeof value === "string" && key === "type") return value.toLowerCase();
    return value;
  };
  const { inputs: _inputs, diagnostics: _diagnostics, ...resources } = model;
  return strip(resources);
}

function load(file: string): NetworkModel {
  const { model } = loadInputs([file]);
  expect(model.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
  return model;
}

describe("template and export conversion: one topology, one model", () => {
  const template = load(TEMPLATE);
  const rest = load(REST);
  const graph = load(GRAPH);

  it("the template evaluates to the topology the export shows", () => {
    expect(template.inputs[0]).toMatchObject({ format: "arm-template", resources: 6 });
    expect(rest.inputs[0]).toMatchObject({ format: "azure-export", resources: 4 });
    expect(graph.inputs[0]).toMatchObject({ format: "azure-export", resources: 4 });
    const nsg = template.networkSecurityGroups[0]!;
    expect(nsg.securityRules.map((r) => `${r.name}:${r.priority}`)).toEqual([
      "Allow-Management:100",
      "Allow-LoadBalancer:110",
      "Allow-Clients:120",
      "Deny-Internet-Outbound:4000",
    ]);
  });

  it("identical models, apart from locations and the subscription and resource group in ids", () => {
    expect(comparable(template)).toEqual(comparable(rest));
    expect(comparable(graph)).toEqual(comparable(rest));
  });

  it("every template rule and route locates to its declaration in the template", () => {
    const lines = template.networkSecurityGroups[0]!.securityRules.map((r) => r.src.line);
    expect(lines).toEqual([36, 36, 36, 53]); // the copy's input (three rules), then the child resource
    expect(template.routeTables[0]!.routes.map((r) => r.src.line)).toEqual([79, 86]);
    expect(template.virtualNetworks[0]!.subnets.map((s) => s.src.line)).toEqual([101, 109]);
  });

  it("identical effective routes for the APIM subnet", () => {
    const catalog = testCatalog();
    const routes = (model: NetworkModel) => {
      const topology = new Topology(model);
      const subnet = topology.findSubnet("vnet-spoke/apim")!;
      return toEffectiveRouteJson(effectiveRoutes(topology, subnet, catalog)).value;
    };
    const fromTemplate = routes(template);
    expect(fromTemplate.some((r) => r.nextHopType === "VirtualAppliance" && r.nextHopIpAddress[0] === "10.0.0.4")).toBe(
      true,
    );
    expect(fromTemplate).toEqual(routes(rest));
    expect(routes(graph)).toEqual(routes(rest));
  });

  it("identical NSG verdicts for the APIM flows", () => {
    const flows = [
      ["Inbound", "Tcp", "20.40.1.1", "10.10.1.4", "3443"],
      ["Inbound", "Tcp", "168.63.129.16", "10.10.1.4", "6390"],
      ["Inbound", "Tcp", "10.10.2.4", "10.10.1.4", "443"],
      ["Inbound", "Tcp", "203.0.113.9", "10.10.1.4", "443"],
      ["Outbound", "Tcp", "10.10.1.4", "203.0.113.9", "443"],
    ];
    const verdicts = (model: NetworkModel) => {
      const tags = { ...TAGS, VirtualNetwork: AddressSet.parse("10.10.0.0/16", "168.63.129.16/32") };
      const nsg = compileNsg(normalizeNsg(model.networkSecurityGroups[0]!, context({}, tags)));
      return flows.map(([direction, protocol, source, destination, destinationPort]) => {
        const parsed = parseFlow({
          direction: direction!,
          protocol: protocol!,
          source: source!,
          sourcePort: "50000",
          destination: destination!,
          destinationPort,
        });
        if (!parsed.ok) throw new Error(parsed.problem);
        const decision = nsg.evaluate(parsed.flow);
        return `${decision.access}`;
      });
    };
    const fromTemplate = verdicts(template);
    expect(fromTemplate).toEqual(["Allow", "Allow", "Allow", "Deny", "Deny"]);
    expect(fromTemplate).toEqual(verdicts(rest));
  });
});

describe("template and export conversion: the same CLI answers", () => {
  async function run(...argv: string[]): Promise<unknown> {
    const { main } = await import("../../src/cli/main.js");
    let out = "";
    const status = await main(argv, { out: (s) => (out += s), err: () => {}, isTty: false, env: {} });
    expect(status).toBe(0);
    // Locations differ by design (each answer cites its own input), and so do rule ids (an export has the real
    // subscription, a template's is not known): compare everything else.
    return JSON.parse(out, (key, value) =>
      key === "location" || key === "file" || key === "line" || key === "ruleId" ? undefined : value,
    );
  }

  it.each([
    ["routes", "--subnet", "vnet-spoke/apim", "--format", "json"],
    ["flow", "--from", "ApiManagement", "--to", "vnet-spoke/apim", "--port", "3443", "--format", "json"],
    ["flow", "--from", "vnet-spoke/apim", "--to", "Internet", "--port", "443", "--format", "json"],
    ["flow", "--from", "10.10.2.4", "--to", "10.10.1.4", "--port", "443", "--format", "json"],
  ])("%s %s %s %s %s", async (command, ...args) => {
    const fromTemplate = await run(command, TEMPLATE, ...args);
    expect(await run(command, REST, ...args)).toEqual(fromTemplate);
    expect(await run(command, GRAPH, ...args)).toEqual(fromTemplate);
  });
});
