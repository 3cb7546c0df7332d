// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Bicep source, whose interpolation is ${…}
/**
 * Bicep parameters: values by ARM's precedence (defaults < the .bicepparam file naming the template <
 * --parameters files in order < name=value pairs), `.bicepparam` files (`using`, expressions, vars, `extends`,
 * `readEnvironmentVariable` through the host's environment), the checks Azure makes (@allowed, literal unions,
 * @minValue/@maxValue, @minLength/@maxLength, types), secure values never shown, and Unknown with a warning
 * naming `-p` where nothing gives a value.
 */
import { describe, expect, it } from "vitest";
import { codes, loadBicep, VROOT, vpath } from "../../../test/helpers/bicep.js";
import { writeTemp } from "../../../test/helpers/edit-fixture.js";
import { armReports } from "../arm/report.js";

const TEMPLATE = `@allowed(['Developer', 'Premium'])
param sku string = 'Developer'
@minValue(1)
@maxValue(10)
param units int = 1
param prefix string
@secure()
param secret string = 'hunter2'
param tags object = {}
resource apim 'Microsoft.ApiManagement/service@2023-05-01-preview' = {
  name: 'apim-\${prefix}'
  location: 'westeurope'
  sku: { name: sku, capacity: units }
  tags: tags
  properties: { publisherEmail: 'a@b.c', publisherName: 'x' }
}
`;

const parameters = (result: ReturnType<typeof loadBicep>) =>
  Object.fromEntries(armReports(result.model)[0]!.parameters.map((p) => [p.name, [p.value, p.origin]]));

describe("parameters extraction", () => {
  it("a .bicepparam input applies to the template its using names; the template says it is read through it", () => {
    const files = {
      "main.bicep": TEMPLATE,
      "dev.bicepparam": "using './main.bicep'\nvar base = 'dev'\nparam prefix = '${base}-01'\nparam units = 1 + 1\n",
    };
    const result = loadBicep(files);
    expect(codes(result, "error")).toEqual([]);
    expect(result.model.apiManagementServices.map((a) => [a.name, a.sku.name, a.sku.capacity])).toEqual([
      ["apim-dev-01", "Developer", 2],
    ]);
    expect(result.model.inputs.map((i) => [i.file.replace(`${VROOT}/`, ""), i.format, i.resources])).toEqual([
      ["main.bicep", "bicep", 0],
      ["dev.bicepparam", "bicepparam", 1],
    ]);
    expect(codes(result, "info")).toEqual(["info bicep/evaluated-with-parameters", "info bicep/parameters-applied"]);
    expect(parameters(result)).toMatchObject({
      prefix: ["dev-01", "file"],
      units: [2, "file"],
      sku: ["Developer", "default"],
      secret: ["(secure)", "default"],
    });
  });

  it("a .bicepparam file alone reads its template from disk; extends and readEnvironmentVariable", () => {
    const files = {
      "main.bicep": TEMPLATE,
      "base.bicepparam": "using './main.bicep'\nparam sku = 'Premium'\nparam prefix = 'base'\n",
      "prod.bicepparam":
        "using './main.bicep'\nextends './base.bicepparam'\nparam prefix = readEnvironmentVariable('APIM_PREFIX')\nparam tags = { owner: readEnvironmentVariable('OWNER', 'nobody') }\n",
    };
    const result = loadBicep(files, { inputs: ["prod.bicepparam"], env: { APIM_PREFIX: "prod" } });
    expect(codes(result, "error")).toEqual([]);
    const [apim] = result.model.apiManagementServices;
    expect([apim!.name, apim!.sku.name]).toEqual(["apim-prod", "Premium"]);
    expect(result.model.diagnostics.map((d) => d.message)).toContain(
      "the environment variable OWNER is not set; its default is used",
    );
  });

  it("precedence: defaults < .bicepparam < --parameters files in order < name=value pairs", () => {
    const json = writeTemp("p.parameters.json", {
      $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
      contentVersion: "1.0.0.0",
      parameters: { prefix: { value: "json" }, units: { value: 3 } },
    });
    const files = {
      "main.bicep": TEMPLATE,
      "dev.bicepparam": "using './main.bicep'\nparam prefix = 'bicepparam'\nparam units = 5\nparam sku = 'Premium'\n",
    };
    const result = loadBicep(files, { parameters: ["units=4", json] });
    expect(parameters(result)).toMatchObject({
      prefix: ["json", "file"],
      units: [4, "command line"],
      sku: ["Premium", "file"],
    });
    const pairs = loadBicep({ "main.bicep": TEMPLATE }, { parameters: ["prefix=a", 'tags={"k":1}', "prefix=b"] });
    expect(parameters(pairs)).toMatchObject({ prefix: ["b", "command line"], tags: [{ k: 1 }, "command line"] });
  });

  it("--parameters may name a .bicepparam file", () => {
    const files = { "main.bicep": TEMPLATE, "x.bicepparam": "using './main.bicep'\nparam prefix = 'from-p'\n" };
    const result = loadBicep(files, { inputs: ["main.bicep"], parameters: [vpath("x.bicepparam")] });
    expect(result.model.apiManagementServices[0]!.name).toBe("apim-from-p");
  });
});

describe("parameters conversion", () => {
  it("nothing gives a value: Unknown named after the parameter, and a warning naming -p", () => {
    const result = loadBicep({ "main.bicep": TEMPLATE });
    expect(result.model.apiManagementServices[0]!.name).toBe("apim-<unknown: parameters('prefix')>");
    expect(result.model.diagnostics.filter((d) => d.code === "bicep/unknown-parameter").map((d) => d.message)).toEqual([
      "parameter 'prefix' has no value and no default; values that use it are Unknown (give it with -p prefix=...)",
    ]);
  });

  it("a nullable parameter without a value is null", () => {
    const src =
      "param dns string[]?\nresource v 'Microsoft.Network/virtualNetworks@2023-09-01' = { name: 'v', properties: { dhcpOptions: { dnsServers: dns ?? ['10.0.0.4'] } } }\n";
    const result = loadBicep({ "main.bicep": src });
    expect(codes(result)).toEqual([]);
    expect(result.model.virtualNetworks[0]!.dhcpOptions?.dnsServers).toEqual(["10.0.0.4"]);
  });
});

describe("parameters warns", () => {
  it("a value outside @allowed, a literal union or a range is an error, as Azure refuses it; a secure value is not shown", () => {
    const result = loadBicep(
      { "main.bicep": TEMPLATE },
      { parameters: ["prefix=x", "sku=Premum", "units=11", "secret=s3cret"] },
    );
    expect(codes(result, "error")).toEqual(["error bicep/parameter-not-allowed", "error bicep/parameter-range"]);
    expect(result.model.diagnostics.map((d) => d.message).join("\n")).not.toContain("s3cret");
    const union = loadBicep({ "main.bicep": "param mode 'Internal' | 'External' = 'Intrnal'\n" });
    expect(codes(union, "error")).toEqual(["error bicep/parameter-not-allowed"]);
    const typed = loadBicep({ "main.bicep": "param n int = 'x'\n" });
    expect(codes(typed, "error")).toEqual(["error bicep/parameter-type"]);
  });

  it("an environment variable that is not set and has no default: Unknown, with a warning", () => {
    const files = {
      "main.bicep": TEMPLATE,
      "p.bicepparam": "using './main.bicep'\nparam prefix = readEnvironmentVariable('NOPE')\n",
    };
    const result = loadBicep(files, { inputs: ["p.bicepparam"] });
    expect(codes(result, "warning")).toEqual(["warning bicep/environment-variable-unset"]);
    expect(result.model.apiManagementServices[0]!.name).toBe("apim-<unknown: readEnvironmentVariable('NOPE')>");
  });

  it("a --parameters name no template declares is said (and the CLI refuses it, as for ARM)", () => {
    const result = loadBicep({ "main.bicep": TEMPLATE }, { parameters: ["prefix=a", "nope=1"] });
    expect(armReports(result.model)[0]!.unusedParameters).toEqual(["nope"]);
    expect(codes(result, "info")).toEqual(["info bicep/unused-parameter"]);
  });
});
