/**
 * What Azure refuses, as findings (issue "Never a silent pass (I)"): one fixture per refusal code of VNET-INVALID,
 * ROUTE-INVALID, NIC-INVALID, APIM-SETTING-INVALID and TEMPLATE-INVALID, each asserted for its code (Azure's wire
 * code where the reference records one), its severity and the line of the offending value; then what the CLI
 * does with such an input: it goes on, and exits 1.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import apimSettingInvalid from "../../src/checks/apim/apim-setting-invalid.js";
import type { Check } from "../../src/checks/context.js";
import templateInvalid from "../../src/checks/input/template-invalid.js";
import nicInvalid from "../../src/checks/network/nic-invalid.js";
import routeInvalid from "../../src/checks/network/route-invalid.js";
import vnetInvalid from "../../src/checks/network/vnet-invalid.js";
import { main } from "../../src/cli/main.js";
import { writeTemp } from "../helpers/edit-fixture.js";
import { applyArmFix, checkFixture, expectMessage, runCheck } from "./tester.js";

/**
 * [check, fixture, code, the text of the offending value (its first occurrence); a `"name": ...` needle stands
 * for the object it names, which is placed at its opening brace].
 */
const CASES: [Check, string, string, string][] = [
  [vnetInvalid, "subnet-host-bits.json", "subnet/InvalidCIDRNotation", '"10.1.1.5/24"'],
  [vnetInvalid, "invalid-prefix.json", "subnet/invalid-address-prefix", '"10.1.1.0/33"'],
  [vnetInvalid, "invalid-prefix.json", "subnet/invalid-address-prefix", '"banana"'],
  [vnetInvalid, "subnet-outside-vnet.json", "subnet/NetcfgSubnetRangeOutsideVnet", '"10.2.1.0/24"'],
  [vnetInvalid, "subnets-overlap.json", "subnet/NetcfgSubnetRangesOverlap", '"10.1.1.0/24"'],
  [vnetInvalid, "duplicate-subnet-names.json", "subnet/DuplicateResourceName", '"name": "SNET-APP"'],
  [
    vnetInvalid,
    "empty-address-space.json",
    "vnet/missing-address-space",
    '"type": "Microsoft.Network/virtualNetworks"',
  ],
  [vnetInvalid, "empty-address-space.json", "subnet/missing-address-prefix", '"name": "snet-app"'],
  [vnetInvalid, "invalid-dns-server.json", "vnet/invalid-dns-server", '"10.1.1.4;10.1.1.5"'],
  [vnetInvalid, "invalid-dns-server.json", "vnet/invalid-dns-server", '"banana"'],
  [vnetInvalid, "peering-overlap.json", "peering/VnetAddressSpacesOverlap", '"name": "a-to-b"'],
  [routeInvalid, "route-conflict.json", "route/RouteConflict", '"nextHopType": "Internet"'],
  [routeInvalid, "duplicate-route-names.json", "route/DuplicateResourceName", '"name": "Default"'],
  [routeInvalid, "missing-next-hop-ip.json", "route/MissingNextHopIpAddress", '"name": "to-nva"'],
  [routeInvalid, "next-hop-ip-not-allowed.json", "route/next-hop-ip-not-allowed", '"nextHopIpAddress"'],
  [routeInvalid, "invalid-next-hop-type.json", "route/invalid-next-hop-type", '"VirtualApplience"'],
  [nicInvalid, "nic-subnet-not-found.json", "nic/subnet-not-found", '"name": "ipconfig1"'],
  [apimSettingInvalid, "virtual-network-type-misspelt.json", "apim/invalid-virtual-network-type", '"Intrnal"'],
  [apimSettingInvalid, "sku-misspelt.json", "apim/invalid-sku", '"Premum"'],
  [apimSettingInvalid, "invalid-subnet-id.json", "apim/invalid-subnet-resource-id", '"subnetResourceId"'],
  [templateInvalid, "unknown-function.json", "arm/unknown-function", "toUpperCaseInvariant"],
  [templateInvalid, "parameter-not-allowed.json", "arm/parameter-not-allowed", '"space": {'],
];

function lineOf(file: string, needle: string): number {
  const lines = readFileSync(file, "utf8").split("\n");
  const at = lines.findIndex((l) => l.includes(needle));
  expect(at, `${needle} in ${file}`).toBeGreaterThanOrEqual(0);
  // An object is placed where it opens: the line before its first member.
  const opens = /^"(name|type)":/.test(needle) && lines[at - 1]!.trim().endsWith("{");
  // A route's conflict is placed at its prefix, written on the line before its next hop type.
  const prefixLine = needle.startsWith('"nextHopType"') ? -1 : 0;
  return at + 1 + (opens ? -1 : prefixLine);
}

describe.each(CASES.map(([check, ...rest]) => [check.meta.id, ...rest, check] as const))(
  "%s %s",
  (_id, fixture, code, needle, check) => {
    it(`is an error with code ${code} at the offending value`, () => {
      const file = checkFixture(check, fixture);
      const findings = runCheck(check, [file]).filter((f) =>
        f.evidence.some((e) => (e.data as { code?: string })?.code === code),
      );
      const line = lineOf(file, needle);
      expect(findings.map((f) => [f.severity, f.location.line])).toContainEqual(["error", line]);
      const f = findings.find((x) => x.location.line === line)!;
      expectMessage(f, "refused", { refuser: "Azure refuses to deploy it" });
    });
  },
);

describe("the messages are Azure's where the reference records them", () => {
  it.each([
    [
      vnetInvalid,
      "subnet-host-bits.json",
      /has an invalid CIDR notation\. For the given prefix length, the address prefix should be 10\.1\.1\.0\/24\./,
    ],
    [
      vnetInvalid,
      "subnet-outside-vnet.json",
      /Subnet 'snet-app' is not valid because its IP address range is outside the IP address range of virtual network 'vnet-app'\./,
    ],
    [
      vnetInvalid,
      "subnets-overlap.json",
      /Subnet 'snet-b' is not valid because its IP address range overlaps with that of an existing subnet in virtual network 'vnet-app'/,
    ],
    [
      vnetInvalid,
      "peering-overlap.json",
      /Virtual networks vnet-a and vnet-b cannot be peered because their address spaces overlap\. Overlapping address prefixes: 10\.1\.128\.0\/17/,
    ],
    [
      routeInvalid,
      "route-conflict.json",
      /Route: b conflicts with Route: a\. Routes cannot have the same AddressPrefix\./,
    ],
    [
      apimSettingInvalid,
      "virtual-network-type-misspelt.json",
      /'Intrnal' is not one of None, External, Internal \(did you mean Internal\?\)/,
    ],
    [apimSettingInvalid, "sku-misspelt.json", /'Premum' is not one of .* \(did you mean Premium\?\)/],
  ] as const)("%s %s", (check, fixture, message) => {
    expect(runCheck(check, [checkFixture(check, fixture)]).map((f) => f.message)).toContainEqual(
      expect.stringMatching(message),
    );
  });
});

describe("fixes of refusals, proven by applying them", () => {
  it("a subnet prefix with host bits set gets its network address, and the refusal goes away", () => {
    const file = checkFixture(vnetInvalid, "subnet-host-bits.json");
    const [f] = runCheck(vnetInvalid, [file]);
    expect(f!.fix.find((x) => x.kind === "az-cli")!.text).toContain("--address-prefixes 10.1.1.0/24");
    expect(runCheck(vnetInvalid, [applyArmFix(file, f!)])).toEqual([]);
  });

  it("a misspelt mode is set to the nearest member", () => {
    const [f] = runCheck(apimSettingInvalid, [checkFixture(apimSettingInvalid, "virtual-network-type-misspelt.json")]);
    expect(f!.fix.find((x) => x.kind === "az-cli")!.text).toContain("--virtual-network Internal");
  });
});

describe("not refusals", () => {
  it("members in another case are accepted (an info diagnostic, not a finding)", () => {
    expect(runCheck(apimSettingInvalid, [checkFixture(apimSettingInvalid, "lower-case-mode.json")])).toEqual([]);
  });

  it("a prefix from a parameter with no value is Unknown, not invalid", () => {
    expect(runCheck(vnetInvalid, [checkFixture(vnetInvalid, "unknown-prefix.json")])).toEqual([]);
  });
});

describe("the CLI goes on past a refusal", () => {
  async function run(...args: string[]) {
    let out = "";
    let err = "";
    const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), isTty: false, env: {} });
    return { code, out, err };
  }

  it.each(CASES.map(([check, fixture, code]) => [fixture, code, check] as const))(
    "check %s: exit 1 with the %s finding in the JSON",
    async (fixture, code, check) => {
      const r = await run("check", checkFixture(check, fixture), "--format", "json");
      expect(r.code).toBe(1);
      const findings = JSON.parse(r.out).findings as { id: string; evidence: { data?: { code?: string } }[] }[];
      expect(findings.some((f) => f.id === check.meta.id && f.evidence.some((e) => e.data?.code === code))).toBe(true);
    },
  );
});

describe("who refuses is named by the input's language", () => {
  it("a Terraform refusal says Terraform refuses to plan it, not Azure", () => {
    const file = writeTemp(
      "main.tf",
      'resource "azurerm_virtual_network" "v" {\n  name = var.missing\n  location = "westeurope"\n  resource_group_name = "rg"\n  address_space = ["10.0.0.0/16"]\n}\n',
    );
    const findings = runCheck(templateInvalid, [file]);
    const f = findings.find((x) =>
      x.evidence.some((e) => (e.data as { code?: string })?.code === "terraform/undeclared-variable"),
    );
    expectMessage(f, "refused", { refuser: "Terraform refuses to plan it" });
    expect(f?.location.line).toBe(2);
  });
});
