/**
 * CLI tests of the what-if options of `check` (--without, --with) and of --network-status, through main() with a
 * capturing io.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { REPO_ROOT } from "../helpers/corpus.js";
import { writeTemp } from "../helpers/edit-fixture.js";

async function run(...args: string[]) {
  let out = "";
  let err = "";
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), isTty: false, env: {} });
  return { code, out, err };
}
async function json(...args: string[]) {
  const r = await run(...args, "--format", "json");
  return { ...r, body: JSON.parse(r.out) as { findings: { id: string; message: string }[]; assumptions: string[] } };
}

const SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
const EXAMPLE = join(REPO_ROOT, "examples/forced-tunnel");
const MGMT = join(REPO_ROOT, "test/fixtures/checks/nsg-allows-management-endpoint");
const STATUS = join(REPO_ROOT, "test/fixtures/checks/network-status-explained/blob-failing-storage-denied");
const ids = (body: { findings: { id: string }[] }) => body.findings.map((f) => f.id);

describe("check --without", () => {
  it("removing the NSG (the FAQ's test) removes the 3443 denial and its association, and says so", async () => {
    const before = await json("check", EXAMPLE);
    expect(ids(before.body)).toContain("APIM-INBOUND-MANAGEMENT");
    const after = await json("check", EXAMPLE, "--without", "nsg-apim");
    expect(ids(after.body)).not.toContain("APIM-INBOUND-MANAGEMENT");
    expect(ids(after.body)).toContain("APIM-SUBNET-NSG-MISSING");
    expect(after.body.assumptions).toContain(
      "what-if: Microsoft.Network/networkSecurityGroups nsg-apim removed (--without)",
    );
    expect(after.body.assumptions).toContain(
      "what-if: subnet vnet-apim/snet-apim has no NSG (its association with nsg-apim removed)",
    );
  });

  it("removing the route table removes the forced tunnel; a route or a peering can go by parent/name", async () => {
    const noTable = await json("check", EXAMPLE, "--without", "rt-apim");
    expect(ids(noTable.body)).not.toContain("APIM-FORCED-TUNNEL");
    const noRoute = await json("check", EXAMPLE, "--without", "rt-apim/default-to-firewall");
    expect(ids(noRoute.body)).not.toContain("APIM-FORCED-TUNNEL");
    const noPeering = await json("check", EXAMPLE, "--without", "vnet-apim/apim-to-app");
    expect(noPeering.body.assumptions[0]).toContain("virtualNetworkPeerings vnet-apim/apim-to-app removed");
  });

  it("by id too; --without is repeatable", async () => {
    const id =
      "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/resourceGroup/providers/Microsoft.Network/networkSecurityGroups/nsg-apim";
    const r = await json("check", EXAMPLE, "--without", id, "--without", "rt-apim");
    expect(ids(r.body)).not.toContain("APIM-INBOUND-MANAGEMENT");
    expect(ids(r.body)).not.toContain("APIM-FORCED-TUNNEL");
  });

  it("a name that matches nothing, or several resources, is a usage error (exit 2, one line)", async () => {
    const none = await run("check", EXAMPLE, "--without", "nsg-nope");
    expect(none.code).toBe(2);
    expect(none.err.trim().split("\n")).toHaveLength(1);
    expect(none.err).toContain("--without nsg-nope: no resource of that name or id");
    const twoVnets = writeTemp("two-vnets.json", {
      $schema: SCHEMA,
      resources: ["a", "b"].map((v) => ({
        type: "Microsoft.Network/virtualNetworks",
        apiVersion: "2023-05-01",
        name: `vnet-${v}`,
        properties: {
          addressSpace: { addressPrefixes: [v === "a" ? "10.1.0.0/16" : "10.2.0.0/16"] },
          subnets: [{ name: "default", properties: { addressPrefix: v === "a" ? "10.1.0.0/24" : "10.2.0.0/24" } }],
        },
      })),
    });
    const ambiguous = await run("check", twoVnets, "--without", "default");
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.err).toContain("--without default is ambiguous");
    expect(ambiguous.err).toContain("vnet-a/default");
    expect((await run("check", twoVnets, "--without", "vnet-a/default")).code).toBe(0);
  });
});

describe("check --with", () => {
  it("a file with a finding's ARM fix makes the finding go away, and the run says what was added", async () => {
    const input = join(MGMT, "deny-3443-before-allow.json");
    const before = await json("check", input, "--only", "APIM-INBOUND-MANAGEMENT", "--fix", "arm");
    const finding = (before.body.findings as unknown as { fix: { kind: string; text: string }[] }[])[0]!;
    const arm = JSON.parse(finding.fix.find((x) => x.kind === "arm")!.text);
    const withFile = writeTemp("fix.json", {
      $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      resources: arm,
    });
    const after = await json("check", input, "--only", "APIM-INBOUND-MANAGEMENT", "--with", withFile);
    expect(after.code).toBe(0);
    expect(after.body.findings).toEqual([]);
    expect(after.body.assumptions[0]).toMatch(
      /^what-if: security rule nsg-apim\/Allow-ApiManagement-3443-Inbound added \(--with .*fix\.json\)$/,
    );
  });

  it("a whole NSG in the file replaces the inputs' NSG (its old rules go)", async () => {
    const template = JSON.parse(readFileSync(join(MGMT, "allows-3443.json"), "utf8"));
    const nsg = template.resources.find((r: { type: string }) => r.type === "Microsoft.Network/networkSecurityGroups");
    const denyAll = {
      ...nsg,
      properties: {
        securityRules: [
          {
            ...nsg.properties.securityRules[1],
            properties: { ...nsg.properties.securityRules[1].properties, priority: 100 },
          },
        ],
      },
    };
    const withFile = writeTemp("nsg.json", { $schema: SCHEMA, resources: [denyAll] });
    const r = await json(
      "check",
      join(MGMT, "allows-3443.json"),
      "--only",
      "APIM-INBOUND-MANAGEMENT",
      "--with",
      withFile,
    );
    expect(r.code).toBe(1);
    expect(r.body.findings[0]!.message).toContain("securityRules/Deny-All-In (priority 100)");
    expect(r.body.assumptions[0]).toContain("networkSecurityGroups nsg-apim replaced");
  });

  it("--with and --without together: the file's resources first, then the removal", async () => {
    const r = await json("check", EXAMPLE, "--with", join(MGMT, "allows-3443.json"), "--without", "apim-test");
    expect(r.body.assumptions.some((a) => a.includes("apim-test added"))).toBe(true);
    expect(r.body.assumptions.some((a) => a.includes("apim-test removed"))).toBe(true);
    expect(r.body.findings.every((f) => !f.message.includes("apim-test"))).toBe(true);
  });
});

describe("check --with: the overlay is validated like the inputs", () => {
  const routeTable = {
    type: "Microsoft.Network/routeTables",
    apiVersion: "2023-05-01",
    name: "rt-extra",
    location: "westeurope",
    properties: {
      routes: [{ name: "to-nva", properties: { addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance" } }],
    },
  };

  it("a route table that Azure would refuse is a ROUTE-INVALID finding at the route, and the run goes on", async () => {
    const withFile = writeTemp("bad-route.json", { $schema: SCHEMA, resources: [routeTable] });
    for (const extra of [[], ["--keep-going"]]) {
      const r = await run("check", EXAMPLE, "--with", withFile, ...extra, "--format", "json", "--fail-on", "never");
      expect(r.code).toBe(0);
      const found = (
        JSON.parse(r.out).findings as { id: string; message: string; location: { file: string } }[]
      ).filter((f) => f.id === "ROUTE-INVALID");
      expect(found).toHaveLength(1);
      expect(found[0]!.message).toMatch(/NextHopIpAddress cannot be Null or Empty in route to-nva/);
      expect(found[0]!.location.file).toMatch(/bad-route\.json$/);
      // Said once, as a finding: not again on stderr.
      expect(r.err).not.toContain("route/MissingNextHopIpAddress");
    }
  });
});

describe("check --network-status", () => {
  it("adds the status to the inputs and ties the failures to the configuration", async () => {
    const r = await json(
      "check",
      join(STATUS, "network.json"),
      "--network-status",
      join(STATUS, "networkstatus.json"),
      "--only",
      "APIM-NETWORK-STATUS",
    );
    expect(r.code).toBe(1);
    expect(ids(r.body)).toEqual(["APIM-NETWORK-STATUS", "APIM-NETWORK-STATUS"]);
    expect(r.body.findings[0]!.message).toContain("Explained by APIM-OUTBOUND-DEPENDENCY");
    expect(r.body.assumptions[0]).toMatch(
      /^network status of 1 region\(s\) read from .*networkstatus\.json \(--network-status\)$/,
    );
    const text = await run(
      "check",
      join(STATUS, "network.json"),
      "--network-status",
      join(STATUS, "networkstatus.json"),
    );
    expect(text.out).toContain("APIM-NETWORK-STATUS");
    expect(text.out).toContain("Deny-Storage-Out");
  });

  it("a status that is already an input (in the directory given) is read once", async () => {
    const r = await json(
      "check",
      STATUS,
      "--network-status",
      join(STATUS, "networkstatus.json"),
      "--only",
      "APIM-NETWORK-STATUS",
    );
    expect(ids(r.body)).toEqual(["APIM-NETWORK-STATUS", "APIM-NETWORK-STATUS"]);
    expect(r.body.assumptions[0]).toContain("is already among the inputs");
  });

  it("refuses a file that is not a network status (exit 2)", async () => {
    const r = await run("check", join(STATUS, "network.json"), "--network-status", join(STATUS, "network.json"));
    expect(r.code).toBe(2);
    expect(r.err).toContain("not an API Management network status");
  });
});
