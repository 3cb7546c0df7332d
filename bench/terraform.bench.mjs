/**
 * Benchmark: ingest of a generated Terraform estate read as `.tf` files (parse, static evaluation with
 * `for_each` and `dynamic` blocks, REST mapping, model), against `JSON.parse` of the plan JSON that estate would
 * give (`terraform show -json`, generated here in that format with every instance expanded, as a plan is).
 * Also shown: the HCL parse alone, and the ingest of that plan. The estate is `spokes` spoke modules (one local
 * module, called with `for_each`), each a VNet with subnets, an NSG whose rules come from a map through a
 * `dynamic` block, a route table with routes and the associations. Runs the compiled code in dist/ (`npm run
 * build` first). Each figure is the fastest of three runs (the machine is shared). Exports `run()` for the
 * bench harness; runs on its own when executed directly (`node --expose-gc bench/terraform.bench.mjs [spokes]`).
 */
import { pathToFileURL } from "node:url";
import { loadDocuments, toDocument } from "../dist/ingest/load.js";
import { parseHcl } from "../dist/ingest/terraform/hcl/parser.js";
import { createTerraformIngesters } from "../dist/ingest/terraform/ingester.js";
import { prng } from "./random.mjs";
import { bestOf } from "./timing.mjs";

const RUNS = 3;

const time = (fn) => bestOf(RUNS, fn);

const RULES = 20;
const SUBNETS = 4;
const ROUTES = 6;

/** The rules of spoke `i`: a map in the root's locals, as real estates keep them. */
function rules(random) {
  return Array.from({ length: RULES }, (_, r) => ({
    name: `rule-${r}`,
    priority: 100 + r * 10,
    direction: r % 2 ? "Outbound" : "Inbound",
    access: random() < 0.8 ? "Allow" : "Deny",
    port: String(1000 + Math.floor(random() * 60000)),
    source: r % 3 ? "VirtualNetwork" : `10.${r}.0.0/16`,
  }));
}

const MODULE = `
variable "name" {}
variable "index" {}
variable "rules" {}
resource "azurerm_virtual_network" "v" {
  name                = "vnet-\${var.name}"
  location            = "westeurope"
  resource_group_name = "rg-\${var.name}"
  address_space       = [cidrsubnet("10.0.0.0/8", 8, var.index)]
}
resource "azurerm_subnet" "s" {
  count                = ${SUBNETS}
  name                 = "snet-\${count.index}"
  resource_group_name  = "rg-\${var.name}"
  virtual_network_name = azurerm_virtual_network.v.name
  address_prefixes     = [cidrsubnet(azurerm_virtual_network.v.address_space[0], 8, count.index)]
}
resource "azurerm_network_security_group" "n" {
  name                = "nsg-\${var.name}"
  location            = "westeurope"
  resource_group_name = "rg-\${var.name}"
  dynamic "security_rule" {
    for_each = var.rules
    content {
      name                       = security_rule.value.name
      priority                   = security_rule.value.priority
      direction                  = security_rule.value.direction
      access                     = security_rule.value.access
      protocol                   = "Tcp"
      source_port_range          = "*"
      destination_port_range     = security_rule.value.port
      source_address_prefix      = security_rule.value.source
      destination_address_prefix = "*"
    }
  }
}
resource "azurerm_route_table" "r" {
  name                = "rt-\${var.name}"
  location            = "westeurope"
  resource_group_name = "rg-\${var.name}"
  dynamic "route" {
    for_each = range(${ROUTES})
    content {
      name                   = "route-\${route.value}"
      address_prefix         = cidrsubnet("172.16.0.0/12", 8, route.value)
      next_hop_type          = "VirtualAppliance"
      next_hop_in_ip_address = "10.255.0.4"
    }
  }
}
resource "azurerm_subnet_network_security_group_association" "a" {
  count                     = ${SUBNETS}
  subnet_id                 = azurerm_subnet.s[count.index].id
  network_security_group_id = azurerm_network_security_group.n.id
}
resource "azurerm_subnet_route_table_association" "b" {
  count          = ${SUBNETS}
  subnet_id      = azurerm_subnet.s[count.index].id
  route_table_id = azurerm_route_table.r.id
}
`;

/** The estate as `.tf` files (root and module) and as the plan JSON it would give. */
export function generateEstate(spokes) {
  const random = prng(13);
  const perSpoke = Array.from({ length: spokes }, () => rules(random));
  const hclRules = (list) =>
    `{\n${list.map((r) => `      "${r.name}" = { name = "${r.name}", priority = ${r.priority}, direction = "${r.direction}", access = "${r.access}", port = "${r.port}", source = "${r.source}" }`).join("\n")}\n    }`;
  const root = `locals {\n  spokes = {\n${perSpoke.map((list, i) => `    "s${i}" = {\n      index = ${i}\n      rules = ${hclRules(list)}\n    }`).join("\n")}\n  }\n}\n\nmodule "spoke" {\n  source   = "./modules/spoke"\n  for_each = local.spokes\n  name     = each.key\n  index    = each.value.index\n  rules    = each.value.rules\n}\n`;
  const changes = [];
  const add = (address, type, name, index, after, unknown) =>
    changes.push({
      address,
      module_address: address.replace(/\.azurerm_.*$/, ""),
      mode: "managed",
      type,
      name,
      index,
      provider_name: "registry.terraform.io/hashicorp/azurerm",
      change: {
        actions: ["create"],
        before: null,
        after,
        after_unknown: unknown,
        before_sensitive: false,
        after_sensitive: {},
      },
    });
  perSpoke.forEach((list, i) => {
    const m = `module.spoke["s${i}"]`;
    const rg = `rg-s${i}`;
    const space = `10.${i}.0.0/16`;
    add(
      `${m}.azurerm_virtual_network.v`,
      "azurerm_virtual_network",
      "v",
      undefined,
      { name: `vnet-s${i}`, location: "westeurope", resource_group_name: rg, address_space: [space], dns_servers: [] },
      { id: true, subnet: true },
    );
    for (let s = 0; s < SUBNETS; s++)
      add(
        `${m}.azurerm_subnet.s[${s}]`,
        "azurerm_subnet",
        "s",
        s,
        {
          name: `snet-${s}`,
          resource_group_name: rg,
          virtual_network_name: `vnet-s${i}`,
          address_prefixes: [`10.${i}.${s}.0/24`],
          delegation: [],
        },
        { id: true },
      );
    add(
      `${m}.azurerm_network_security_group.n`,
      "azurerm_network_security_group",
      "n",
      undefined,
      {
        name: `nsg-s${i}`,
        location: "westeurope",
        resource_group_name: rg,
        security_rule: list.map((r) => ({
          name: r.name,
          priority: r.priority,
          direction: r.direction,
          access: r.access,
          protocol: "Tcp",
          source_port_range: "*",
          source_port_ranges: [],
          destination_port_range: r.port,
          destination_port_ranges: [],
          source_address_prefix: r.source,
          source_address_prefixes: [],
          destination_address_prefix: "*",
          destination_address_prefixes: [],
          description: "",
          source_application_security_group_ids: [],
          destination_application_security_group_ids: [],
        })),
      },
      { id: true },
    );
    add(
      `${m}.azurerm_route_table.r`,
      "azurerm_route_table",
      "r",
      undefined,
      {
        name: `rt-s${i}`,
        location: "westeurope",
        resource_group_name: rg,
        bgp_route_propagation_enabled: true,
        route: Array.from({ length: ROUTES }, (_, r) => ({
          name: `route-${r}`,
          address_prefix: `172.${16 + r}.0.0/16`,
          next_hop_type: "VirtualAppliance",
          next_hop_in_ip_address: "10.255.0.4",
        })),
      },
      { id: true, subnets: true },
    );
    for (let s = 0; s < SUBNETS; s++) {
      add(
        `${m}.azurerm_subnet_network_security_group_association.a[${s}]`,
        "azurerm_subnet_network_security_group_association",
        "a",
        s,
        {},
        { id: true, subnet_id: true, network_security_group_id: true },
      );
      add(
        `${m}.azurerm_subnet_route_table_association.b[${s}]`,
        "azurerm_subnet_route_table_association",
        "b",
        s,
        {},
        { id: true, subnet_id: true, route_table_id: true },
      );
    }
  });
  const plan = {
    format_version: "1.2",
    terraform_version: "1.9.8",
    resource_changes: changes,
    planned_values: { root_module: {} },
  };
  return { root, module: MODULE, plan: JSON.stringify(plan, null, 2), resources: changes.length };
}

export const title = "ingest: generated Terraform estate (.tf) against JSON.parse of its plan";

export function run({ print = true, quick = false, spokes = quick ? 100 : 500 } = {}) {
  const estate = generateEstate(spokes);
  const files = new Map([
    ["/estate/main.tf", estate.root],
    ["/estate/modules/spoke/main.tf", estate.module],
  ]);
  const host = {
    tfFiles: (dir) => {
      const out = [...files]
        .filter(([p]) => p.slice(0, p.lastIndexOf("/")) === dir)
        .map(([path, text]) => ({ path, text }));
      return out.length ? out : undefined;
    },
    readFile: (p) => files.get(p),
  };
  const ingesters = createTerraformIngesters(host);
  const tfBytes = estate.root.length + estate.module.length;
  const jsonParse = time(() => typeof JSON.parse(estate.plan));
  const parse = time(() => parseHcl(estate.root).problems.length);
  const ingest = time(() => loadDocuments([toDocument("/estate/main.tf", estate.root)], {}, ingesters).model);
  const model = ingest.result;
  const rules = model.networkSecurityGroups.reduce((n, g) => n + g.securityRules.length, 0);
  const routes = model.routeTables.reduce((n, t) => n + t.routes.length, 0);
  const associated = model.virtualNetworks
    .flatMap((v) => v.subnets)
    .filter((s) => s.networkSecurityGroup && s.routeTable).length;
  ingest.result = undefined;
  const planIngest = time(
    () => loadDocuments([toDocument("/plan/plan.json", estate.plan)], {}, ingesters).model.networkSecurityGroups.length,
  );
  const ratio = (ms) => Math.round((ms / jsonParse.ms) * 100) / 100;
  const figures = {
    name: "ingest: generated Terraform estate",
    spokes,
    tfKilobytes: Math.round(tfBytes / 1024),
    planKilobytes: Math.round(estate.plan.length / 1024),
    resourceInstances: estate.resources,
    rules,
    routes,
    subnetsAssociated: associated,
    jsonParseOfPlanMs: jsonParse.ms,
    hclParseMs: parse.ms,
    tfIngestMs: ingest.ms,
    tfIngestRatio: ratio(ingest.ms),
    planIngestMs: planIngest.ms,
    planIngestRatio: ratio(planIngest.ms),
  };
  if (print)
    console.log(
      `${figures.name}: ${spokes} spokes, ${figures.resourceInstances} instances, ${rules} rules, ${routes} routes; ` +
        `JSON.parse of the plan (${figures.planKilobytes} KB) ${figures.jsonParseOfPlanMs} ms; .tf (${figures.tfKilobytes} KB) ` +
        `parse ${figures.hclParseMs} ms, ingest ${figures.tfIngestMs} ms = ${figures.tfIngestRatio} x; plan ingest ${figures.planIngestMs} ms = ${figures.planIngestRatio} x`,
    );
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) run({ spokes: Number(process.argv[2] ?? 500) });
