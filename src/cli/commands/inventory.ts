/**
 * @module cli/commands/inventory
 * CLI layer: `apim-netcheck inventory <inputs...> [--format text|json] [-p ...]`, what was understood from
 * the inputs, so that a user can trust the rest: each input with its detected format and status; the
 * resources by type with name and file:line (subnets, rules and routes included); the ARM parameters used
 * and where each value came from; warnings and errors; the values that stayed Unknown; and the resources we
 * do not model. Exit 0 when everything loaded, 2 when an input could not be read or was refused.
 */
import type { Command } from "commander";
import { armReports } from "../../ingest/arm/report.js";
import { assertUsable, loadInputs } from "../../ingest/load.js";
import { loadServiceTagCatalog } from "../../ingest/servicetags/load.js";
import { displayName } from "../../model/ids.js";
import { modelResources, type NetworkModel } from "../../model/network.js";
import { formatSource, type SourceRef } from "../../model/source.js";
import { isUnknown, unknownReason } from "../../model/unknown.js";
import { inert } from "../../report/inert.js";
import { collect, regionOption, validateUnits } from "../context.js";
import type { CliIo, CommandRegistration } from "../main.js";
import { UsageError } from "../main.js";

export interface InventoryResource {
  type: string;
  name: string;
  id?: string;
  at: string;
}

export interface Inventory {
  /** `observed`: the observed facts a file holds (an effective route table, an IP flow verify answer, ...). */
  inputs: { file: string; format: string; status: string; resources: number; observed?: number }[];
  /** The deployment units (their input files), when the inputs form several. */
  units?: string[][];
  resources: InventoryResource[];
  parameters: { template: string; name: string; type: string; value: unknown; origin: string; at: string }[];
  diagnostics: { severity: string; code: string; message: string; at: string }[];
  unknowns: { resource: string; field: string; reason: string; at: string }[];
  unmodeled: InventoryResource[];
}

interface InventoryOptions {
  format?: string;
  parameters?: string[];
  location?: string;
  var?: string[];
  varFile?: string[];
  serviceTags?: string;
}

interface Located {
  id?: string;
  name: string;
  type: string;
  src: SourceRef;
}

/** Fields not walked for Unknown values: children are listed on their own, src is where (not what), and a
 * resource's own id repeats its name. */
const CHILDREN = new Set([
  "src",
  "subnets",
  "securityRules",
  "defaultSecurityRules",
  "routes",
  "virtualNetworkPeerings",
]);

/**
 * Unknown placeholders and unresolved numbers (NaN) inside one resource, with their field paths. The path and the
 * resource's name are made only for a value found: an estate's resources hold millions of fields and almost
 * never an Unknown one, and building every field's path was most of the cost of the listing (issue 17).
 */
function unknownsIn(resource: Located, out: Inventory["unknowns"]): void {
  const keys: (string | number)[] = [];
  const pathText = (): string => {
    let path = "";
    for (const k of keys) path = typeof k === "number" ? `${path}[${k}]` : path ? `${path}.${k}` : k;
    return path;
  };
  let label: string | undefined;
  const found = (reason: string): void => {
    label ??= `${resource.type} ${resource.id ? displayName(resource.id) : resource.name}`;
    out.push({ resource: label, field: pathText(), reason, at: formatSource(resource.src) });
  };
  const walk = (value: unknown, depth: number): void => {
    if (depth > 6) return;
    if (typeof value === "string") {
      // A name built from two unknown parameters depends on both: one entry per cause.
      if (isUnknown(value))
        for (const reason of new Set((value.match(/<unknown:[^>]*>/g) ?? [value]).map(unknownReason))) found(reason);
    } else if (typeof value === "number") {
      if (Number.isNaN(value)) found("not a resolved number");
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        keys.push(i);
        walk(value[i], depth + 1);
        keys.pop();
      }
    } else if (typeof value === "object" && value !== null) {
      for (const k of Object.keys(value)) {
        if (CHILDREN.has(k) || (depth === 0 && k === "id")) continue;
        keys.push(k);
        walk((value as Record<string, unknown>)[k], depth + 1);
        keys.pop();
      }
    }
  };
  walk(resource, 0);
}

/**
 * `items` in the order of a stable sort by `key` under `localeCompare`, without a comparison per pair of items: an
 * estate lists hundreds of thousands of resources of a few dozen types, and the comparisons (two lower-casings
 * and a collation each) cost seconds (issue 17). Keys the collation holds equal share a rank, so the order is the
 * stable sort's.
 */
function sortedByKey<T>(items: T[], key: (item: T) => string): T[] {
  const keys = items.map(key);
  const distinct = [...new Set(keys)].sort((a, b) => a.localeCompare(b));
  const rank = new Map<string, number>();
  distinct.forEach((k, i) => {
    const previous = distinct[i - 1];
    rank.set(k, previous !== undefined && previous.localeCompare(k) === 0 ? rank.get(previous)! : i);
  });
  const buckets: T[][] = distinct.map(() => []);
  items.forEach((item, i) => {
    buckets[rank.get(keys[i]!)!]!.push(item);
  });
  const out: T[] = [];
  for (const bucket of buckets) for (const item of bucket) out.push(item);
  return out;
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? "null";
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

/** Unknown values grouped by their cause, each with how many fields it reaches and the first few of them. */
function unknownLines(unknowns: Inventory["unknowns"]): string[] {
  const byReason = new Map<string, Inventory["unknowns"]>();
  for (const u of unknowns) byReason.set(u.reason, [...(byReason.get(u.reason) ?? []), u]);
  const lines: string[] = [];
  for (const [reason, uses] of byReason) {
    lines.push(`  ${reason}: ${uses.length} value${uses.length === 1 ? "" : "s"}`);
    for (const u of uses.slice(0, 3)) lines.push(`    ${u.resource} ${u.field}  (${u.at})`);
    if (uses.length > 3) lines.push(`    ... and ${uses.length - 3} more (--format json lists them all)`);
  }
  return lines;
}

/** The inventory of a loaded model (pure). */
export function buildInventory(model: NetworkModel, units: NetworkModel[] = [model]): Inventory {
  const listed = modelResources(model);
  const resources = sortedByKey(
    listed.map((r) => ({
      type: r.type,
      name: r.id ? displayName(r.id) : r.name,
      id: r.id,
      at: formatSource(r.src),
    })),
    (r) => r.type.toLowerCase(),
  );
  const unknowns: Inventory["unknowns"] = [];
  for (const r of listed) unknownsIn(r, unknowns);
  return {
    inputs: model.inputs.map((i) => ({
      file: i.file,
      format: i.format,
      status: i.status,
      resources: i.resources,
      ...(i.observed ? { observed: i.observed } : {}),
    })),
    ...(units.length > 1 ? { units: units.map((u) => u.inputs.map((i) => i.file)) } : {}),
    resources,
    parameters: armReports(model).flatMap((report) =>
      report.parameters.map((p) => ({
        template: report.file,
        name: p.name,
        type: p.type,
        value: p.value,
        origin: p.origin === "file" && p.file ? `file ${p.file}` : p.origin,
        at: formatSource(p.src),
      })),
    ),
    diagnostics: model.diagnostics
      .filter((d) => d.severity !== "info" || d.code.startsWith("arm/"))
      .map((d) => ({ severity: d.severity, code: d.code, message: d.message, at: formatSource(d.src) })),
    unknowns,
    unmodeled: model.unmodeled.map((u) => ({ type: u.type, name: u.name, id: u.id, at: formatSource(u.src) })),
  };
}

function section(title: string, count: number, lines: string[]): string[] {
  return [`${title} (${count})`, ...(lines.length > 0 ? lines : ["  none"]), ""];
}

/** The inventory as text: one section each, aligned, every item with its file:line; every line inert. */
export function formatInventoryText(inv: Inventory): string {
  const out: string[] = [];
  // A loop, not out.push(...lines): a spread of 300,000 resource lines overflows the stack (issue 17).
  const put = (lines: string[]) => {
    for (const line of lines) out.push(line);
  };
  const fileWidth = Math.max(0, ...inv.inputs.map((i) => inert(i.file).length));
  if (inv.units)
    put(
      section(
        "Deployment units (checked separately: no input refers to another unit's resources)",
        inv.units.length,
        inv.units.map((files, i) => `  ${i + 1}. ${files.join(", ")}`),
      ),
    );
  put(
    section(
      "Inputs",
      inv.inputs.length,
      inv.inputs.map(
        (i) =>
          `  ${inert(i.file).padEnd(fileWidth)}  ${i.format}, ${i.status}, ${i.resources} resource${i.resources === 1 ? "" : "s"}${i.observed ? `, ${i.observed} observed fact${i.observed === 1 ? "" : "s"}` : ""}`,
      ),
    ),
  );
  const byType: string[] = [];
  let type = "";
  // A reduce, not Math.max(...): a spread of 300,000 names overflows the stack (issue 17).
  const nameWidth = Math.min(
    60,
    inv.resources.reduce((width, r) => Math.max(width, inert(r.name).length), 0),
  );
  for (const r of inv.resources) {
    if (r.type !== type) {
      type = r.type;
      byType.push(`  ${type}`);
    }
    byType.push(`    ${inert(r.name).padEnd(nameWidth)}  ${r.at}`);
  }
  put(section("Resources", inv.resources.length, byType));
  put(
    section(
      "Parameters",
      inv.parameters.length,
      inv.parameters.map((p) => `  ${p.name} = ${short(p.value)}  (${p.origin}; ${p.at})`),
    ),
  );
  put(
    section(
      "Warnings and errors",
      inv.diagnostics.length,
      inv.diagnostics.map((d) => `  ${d.at}: ${d.severity}: ${d.code}: ${d.message}`),
    ),
  );
  put(section("Unknown values", inv.unknowns.length, unknownLines(inv.unknowns)));
  put(
    section(
      "Unmodeled resources",
      inv.unmodeled.length,
      inv.unmodeled.map((u) => `  ${u.type} ${u.name}  (${u.at})`),
    ),
  );
  return `${out.map(inert).join("\n").trimEnd()}\n`;
}

function run(io: CliIo, inputs: string[], options: InventoryOptions): number {
  const format = (options.format ?? "text").toLowerCase();
  if (format !== "text" && format !== "json")
    throw new UsageError(`--format must be text or json, not ${options.format}`);
  if (inputs.length === 0) throw new UsageError("no inputs given (name files or directories to list)");
  // loadInputs throws InputError (exit 2, one line) only when nothing usable could be read.
  const loaded = loadInputs(inputs, {
    parameters: options.parameters,
    location: regionOption(options.location),
    vars: options.var,
    varFiles: options.varFile,
  });
  assertUsable(loaded);
  const { model, units } = loaded;
  // The same validation every command runs (unknown service tags included), so that inventory shows what
  // Azure would refuse too; such a listing exits 1, as a check with an error finding does.
  validateUnits(model, units, loadServiceTagCatalog(options.serviceTags));
  const inventory = buildInventory(model, units);
  io.out(format === "json" ? `${JSON.stringify(inventory, null, 2)}\n` : formatInventoryText(inventory));
  const refused = model.diagnostics.filter((d) => d.severity === "error");
  if (refused.length > 0) {
    io.err(
      `apim-netcheck: ${refused.length} thing(s) Azure would refuse, listed under Diagnostics (the first: ${inert(formatSource(refused[0]!.src))}: ${refused[0]!.code})\n`,
    );
    return 1;
  }
  return 0;
}

export const inventoryCommand: CommandRegistration = (program: Command, io, setExit) => {
  program
    .command("inventory")
    .description(
      "List what was understood from the inputs: formats, resources with file:line, parameters, Unknown values",
    )
    .argument("<inputs...>", "files or directories (ARM templates, parameters files, az/REST/Resource Graph exports)")
    .option("--format <format>", "text or json", "text")
    .option(
      "-p, --parameters <fileOrPair>",
      "parameters file or name=value (repeatable). Precedence: defaultValue < files, in order < pairs, in order",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option("--location <region>", "the region templates are deployed to (default: westeurope, assumed and said)")
    .option("--var <pair>", "a Terraform variable, name=value (repeatable; a later one wins)", collect)
    .option("--var-file <file>", "a Terraform .tfvars file (repeatable; applied before the --var pairs)", collect)
    .addHelpText("after", "\nExample:\n  apim-netcheck inventory examples/forced-tunnel --format json\n")
    .option("--service-tags <file>", "Service Tags JSON to use instead of the bundled snapshot")
    .action((inputs: string[], options: InventoryOptions) => {
      setExit(run(io, inputs, options));
    });
};
