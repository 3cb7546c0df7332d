// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are HCL source, whose interpolation is ${…}
/**
 * Fuzz targets for the Terraform readers (src/ingest/terraform): noise, mutated configurations and generated
 * expressions, through the HCL parser and through the whole reading of a directory (static evaluation, REST
 * mapping, model), and mutated plan JSON through the plan reader. Nothing may throw (the readers report), every
 * syntax problem is placed inside the text, and nothing may run long: the evaluation is bounded (eval/limits).
 */
import fc from "fast-check";
import { loadDocuments, toDocument } from "../../../src/ingest/load.js";
import type { RunHost } from "../../../src/ingest/terraform/config/run.js";
import { parseHcl } from "../../../src/ingest/terraform/hcl/parser.js";
import { createTerraformIngesters } from "../../../src/ingest/terraform/ingester.js";
import { InputError } from "../../../src/model/diagnostics.js";
import { allowOnly, mutated, SYNTAX_CHARS } from "./mutate.js";

/** A host with one local module, so module calls are read too. */
const MODULE =
  'variable "n" {}\nresource "azurerm_network_security_group" "m" {\n  name = "nsg-${var.n}"\n}\noutput "id" { value = azurerm_network_security_group.m.id }\n';
const host: RunHost = {
  tfFiles: (dir) => (dir.endsWith("/mod") ? [{ path: `${dir}/main.tf`, text: MODULE }] : undefined),
  readFile: () => undefined,
};
const ingesters = createTerraformIngesters(host);

const SNIPPETS = [
  'resource "azurerm_virtual_network" "v" {\n  name = "vnet-${var.env}"\n  address_space = [cidrsubnet("10.0.0.0/8", 8, 1)]\n  location = "westeurope"\n  resource_group_name = "rg"\n}\n',
  'variable "env" {\n  type = string\n  default = "dev"\n}\nlocals {\n  rules = { for i in range(3) : "r${i}" => { priority = 100 + i, port = tostring(443 + i) } }\n}\n',
  'resource "azurerm_network_security_group" "n" {\n  name = "nsg"\n  dynamic "security_rule" {\n    for_each = local.rules\n    content {\n      name = security_rule.key\n      priority = security_rule.value.priority\n      destination_port_range = security_rule.value.port\n    }\n  }\n}\n',
  'resource "azurerm_subnet" "s" {\n  count = var.on ? 2 : 0\n  name = "s${count.index}"\n  virtual_network_name = azurerm_virtual_network.v.name\n  address_prefixes = [cidrsubnet("10.1.0.0/16", 8, count.index)]\n}\n',
  'module "m" {\n  source = "./mod"\n  n = "x"\n}\nresource "azurerm_subnet_network_security_group_association" "a" {\n  subnet_id = azurerm_subnet.s[0].id\n  network_security_group_id = module.m.id\n}\n',
  'resource "azapi_resource" "r" {\n  type = "Microsoft.Network/routeTables@2024-01-01"\n  name = "rt"\n  parent_id = "/subscriptions/s/resourceGroups/rg"\n  body = jsonencode({ properties = { routes = [{ name = "d", properties = { addressPrefix = "0.0.0.0/0", nextHopType = "Internet" } }] } })\n}\n',
  'output "o" {\n  value = <<-EOT\n    %{ for k, v in local.rules }${k}=${v.port}\n    %{ endfor }\n  EOT\n}\n',
  'locals {\n  x = try(var.missing.a, coalesce(null, "y"))\n  y = [for s in azurerm_subnet.s : s.id if s.name != ""]\n  z = merge({ a = 1 }, { b = [1, 2][*] })\n}\n',
];

const HCL_CHARS = [
  ...SYNTAX_CHARS,
  "${",
  "%{",
  "}",
  "<<EOT\n",
  "\nEOT\n",
  "=",
  "=>",
  "...",
  "for",
  "in",
  "if",
  "var.",
  "each.",
  "count.",
  "\n",
  " ",
];

/** Noise over HCL's alphabet, and snippets of real configurations. */
const noise = fc.array(fc.constantFrom(...HCL_CHARS), { maxLength: 80 }).map((p) => p.join(""));
const configuration = fc
  .array(fc.constantFrom(...SNIPPETS), { minLength: 1, maxLength: 5 })
  .map((parts) => parts.join("\n"));

/** Generated expressions (operators, calls, collections, templates, for, splats) assigned to locals. */
const atom = fc.oneof(
  fc.integer({ min: -5, max: 300 }).map(String),
  fc.constantFrom(
    '"a"',
    '"10.0.0.0/16"',
    "true",
    "null",
    "var.env",
    "local.rules",
    "[1, 2]",
    "{ a = 1 }",
    "count.index",
    "each.key",
  ),
);
const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small" },
    atom,
    fc
      .tuple(tie("e"), fc.constantFrom("+", "-", "*", "/", "%", "==", "!=", "<", "&&", "||"), tie("e"))
      .map(([a, o, b]) => `(${a} ${o} ${b})`),
    fc.tuple(tie("e"), tie("e"), tie("e")).map(([a, b, c]) => `${a} ? ${b} : ${c}`),
    fc
      .tuple(
        fc.constantFrom(
          "length",
          "cidrsubnet",
          "merge",
          "concat",
          "lookup",
          "flatten",
          "format",
          "join",
          "toset",
          "try",
          "can",
          "keys",
          "jsonencode",
          "range",
          "replace",
        ),
        fc.array(tie("e"), { maxLength: 3 }),
      )
      .map(([f, args]) => `${f}(${args.join(", ")})`),
    fc.array(tie("e"), { maxLength: 3 }).map((items) => `[${items.join(", ")}]`),
    tie("e").map((e) => `"x-\${${e}}-y"`),
    tie("e").map((e) => `[for v in ${e} : v]`),
    tie("e").map((e) => `${e}[*].id`),
  ),
})).e;
const generated = fc
  .array(expr, { minLength: 1, maxLength: 4 })
  .map((es) => `locals {\n${es.map((e, i) => `  l${i} = ${e}`).join("\n")}\n}\n${SNIPPETS[0]}`);

function checkParse(text: string): void {
  const { problems } = parseHcl(text);
  for (const p of problems) {
    if (p.start < 0 || p.start > text.length) throw new Error(`problem outside the text: ${JSON.stringify(p)}`);
  }
}

function checkLoad(text: string): void {
  try {
    loadDocuments([toDocument("/fuzz/main.tf", text)], { vars: ["env=prod"] }, ingesters);
  } catch (error) {
    allowOnly(error, InputError);
  }
}

const PLAN = JSON.stringify({
  format_version: "1.2",
  variables: { env: { value: "dev" } },
  resource_changes: [
    {
      address: "azurerm_subnet.s",
      mode: "managed",
      type: "azurerm_subnet",
      name: "s",
      change: {
        actions: ["create"],
        after: { name: "s", virtual_network_name: "v", address_prefixes: ["10.0.0.0/24"] },
        after_unknown: { id: true },
      },
    },
    {
      address: "azurerm_subnet_route_table_association.a",
      mode: "managed",
      type: "azurerm_subnet_route_table_association",
      name: "a",
      change: { actions: ["create"], after: {}, after_unknown: { subnet_id: true, route_table_id: true } },
    },
  ],
  configuration: {
    root_module: {
      resources: [
        {
          address: "azurerm_subnet_route_table_association.a",
          mode: "managed",
          type: "azurerm_subnet_route_table_association",
          name: "a",
          expressions: { subnet_id: { references: ["azurerm_subnet.s.id", "azurerm_subnet.s"] } },
        },
      ],
    },
  },
});

function checkPlan(text: string): void {
  let doc: ReturnType<typeof toDocument>;
  try {
    doc = toDocument("/fuzz/plan.json", text);
  } catch (error) {
    allowOnly(error, InputError);
    return;
  }
  try {
    loadDocuments([doc], {}, ingesters);
  } catch (error) {
    allowOnly(error, InputError);
  }
}

export const targets = {
  "terraform: noise parse": { arbitrary: noise, check: checkParse },
  "terraform: mutated configurations parse": { arbitrary: mutated(configuration, 6), check: checkParse },
  "terraform: mutated configurations read": { arbitrary: mutated(configuration, 4), check: checkLoad },
  "terraform: generated expressions read": { arbitrary: generated, check: checkLoad },
  "terraform: mutated plans read": { arbitrary: mutated(fc.constant(PLAN), 6), check: checkPlan },
};
