/**
 * @module cli/commands/flow
 * CLI layer: `apim-netcheck flow <inputs...> --from X --to Y --port N [--protocol Tcp]`, the IP flow verify /
 * NSG diagnostics answer (reference §4.1, §4.5): Allow, Deny or Unknown, the rule that decided in Network
 * Watcher's form, and every NSG layer crossed with its rule and where that rule is written.
 */
import type { Command } from "commander";
import type { AdminRuleRef } from "../../engine/nsg/admin.js";
import { type FlowProtocol, type LayerResult, parseFlowProtocol } from "../../engine/nsg/index.js";
import { EngineContext } from "../../engine/reach/context.js";
import { type Endpoint, parseEndpoint } from "../../engine/reach/endpoint.js";
import { checkFlow, type FlowAnswer } from "../../engine/reach/flow.js";
import { describeServiceTags } from "../../engine/servicetags/catalog.js";
import { nearestMember } from "../../model/enums.js";
import { DEFAULT_RESOURCE_GROUP, DEFAULT_SUBSCRIPTION } from "../../model/ids.js";
import { parsePrefix } from "../../model/ip.js";
import { formatSource } from "../../model/source.js";
import { inertJoin } from "../../report/inert.js";
import {
  type Analysis,
  type CommonOptions,
  loadAnalysis,
  type Network,
  printDiagnostics,
  unitFor,
  withCommonOptions,
} from "../context.js";
import { type CliIo, type CommandRegistration, UsageError } from "../main.js";
import { outputFormat } from "./routes.js";

const VIRTUAL_TAGS = new Set(["virtualnetwork", "azureloadbalancer", "internet"]);

interface FlowOptions extends CommonOptions {
  from: string;
  to: string;
  port?: string;
  sourcePort?: string;
  protocol: string;
}

function portOption(value: string | undefined, what: string): number | undefined {
  if (value === undefined || value === "*") return undefined;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535)
    throw new UsageError(`${what} must be a port 0-65535, not ${value}`);
  return Number(value);
}

/** A layer as the JSON answer shows it (Network Watcher's names, plus where the rule is written). */
/**
 * The deciding rule's resource id (`<nsg id>/securityRules/<name>`, as Network Watcher's NSG diagnostics name
 * rules), when the inputs give the NSG a real id: an id built with the placeholder subscription or resource group
 * (model/ids), or from an unknown value, is no id.
 */
function ruleIdOf(nsg: { id: string } | undefined, ruleName: string | undefined): string | null {
  if (!nsg || !ruleName || realId(nsg.id) === null) return null;
  return `${nsg.id}/${ruleName}`;
}

/** `id` when the inputs give it for real: one built with the placeholder subscription or group, or unknown, is none. */
function realId(id: string): string | null {
  if (!id.startsWith("/subscriptions/") || /<unknown/i.test(id)) return null;
  // The subscription or resource group a template's ids are built with when the inputs do not say them.
  const parts = id.split("/");
  if (parts[2] === DEFAULT_SUBSCRIPTION || parts[4] === DEFAULT_RESOURCE_GROUP) return null;
  return id;
}

/** The deciding rule's id: an admin rule's own id, or the NSG rule's. */
function layerRuleId(layer: LayerResult | undefined, ruleName: string | undefined): string | null {
  if (layer?.adminRule) return realId(layer.adminRule.id);
  return ruleIdOf(layer?.nsg, ruleName);
}

/** An admin rule as the JSON answer names it, with the resources above it (reference part 2 §10.1). */
function adminRuleJson(r: AdminRuleRef): Record<string, unknown> {
  return {
    name: r.ruleName,
    id: realId(r.id),
    access: r.access,
    priority: r.priority,
    networkManager: r.networkManager.name,
    securityAdminConfiguration: r.securityAdminConfiguration.name,
    ruleCollection: r.ruleCollection.name,
    ...(r.src.line ? { location: { file: r.src.file, line: r.src.line } } : {}),
  };
}

function layerJson(layer: LayerResult): Record<string, unknown> {
  return {
    scope: layer.scope,
    nsg: layer.nsg?.name ?? null,
    direction: layer.direction,
    ruleName: layer.ruleName ?? null,
    ruleId: layerRuleId(layer, layer.ruleName),
    access: layer.evaluated ? (layer.access ?? null) : null,
    priority: layer.priority ?? null,
    ...(layer.note ? { note: layer.note } : {}),
    ...(layer.detail ? { detail: layer.detail } : {}),
    ...(layer.src?.line ? { location: { file: layer.src.file, line: layer.src.line } } : {}),
    ...(layer.adminRule ? { adminRule: adminRuleJson(layer.adminRule) } : {}),
    ...(layer.adminCandidates ? { adminCandidates: layer.adminCandidates.map(adminRuleJson) } : {}),
  };
}

function layerText(layer: LayerResult): string {
  const admin = layer.adminRule;
  const what =
    layer.scope === "admin"
      ? `security admin rules${admin ? ` of ${admin.networkManager.name}/${admin.securityAdminConfiguration.name}/${admin.ruleCollection.name}` : ""}`
      : layer.nsg
        ? `NSG ${layer.nsg.name}`
        : "no NSG";
  if (!layer.evaluated) return `  ${layer.direction.padEnd(8)} ${layer.scope.padEnd(6)} ${what}: not evaluated`;
  const why = layer.ruleName
    ? ` by ${layer.ruleName} (${admin ? `${admin.access}, ` : ""}priority ${layer.priority})`
    : layer.detail
      ? ` (${layer.detail})`
      : "";
  const where = layer.src?.line ? `  ${formatSource(layer.src)}` : "";
  return `  ${layer.direction.padEnd(8)} ${layer.scope.padEnd(6)} ${what}: ${layer.access}${why}${where}`;
}

/**
 * The readable answer: verdict line, the flow, each layer with its rule and file:line, then notes; each line
 * inert, so that a name from the inputs stays in its line.
 */
export function flowText(answer: FlowAnswer, flowLine: string, tagsLine: string): string {
  const lines = [
    `${answer.verdict}${answer.ruleName ? `  ${answer.ruleName}` : ""}${answer.partial ? "  (partly: see below)" : ""}`,
    `  ${flowLine}`,
    ...answer.layers.map(layerText),
  ];
  for (const part of answer.parts ?? []) {
    if (answer.parts!.length < 2) break;
    lines.push(
      `  part: ${part.verdict} ${part.ruleName ?? ""} from ${part.source.join(", ")} to ${part.destination.join(", ")}`,
    );
  }
  for (const note of answer.notes) lines.push(`  note: ${note}`);
  lines.push(`  ${tagsLine}`);
  return inertJoin(lines);
}

/** A flow question as the API and `flow` ask it: the ends as written (ip, vnet/subnet, CIDR, service tag). */
export interface FlowQuestion {
  from: string;
  to: string;
  protocol: FlowProtocol;
  destinationPort?: number;
  sourcePort?: number;
}

export interface FlowResult {
  answer: FlowAnswer;
  /** What `flow --format json` prints. */
  json: Record<string, unknown>;
  from: Endpoint;
  to: Endpoint;
  /** The deployment unit the question was answered on. */
  analysis: Network;
}

/**
 * The answer on the deployment unit the question is about, with the JSON `flow --format json` prints (Network
 * Watcher's names); UsageError for an end that is not one.
 */
export function answerFlow(loaded: Analysis, query: FlowQuestion): FlowResult {
  const placed = (u: Network, text: string) => {
    const end = parseEndpoint(u.topology, text);
    return end.ok && end.endpoint.kind === "address" && end.endpoint.subnet !== undefined;
  };
  const analysis = unitFor(loaded, `${query.from} -> ${query.to}`, (u) => placed(u, query.from) || placed(u, query.to));
  const from = parseEndpoint(analysis.topology, query.from);
  if (!from.ok) throw new UsageError(`--from: ${from.problem}`);
  const to = parseEndpoint(analysis.topology, query.to);
  if (!to.ok) throw new UsageError(`--to: ${to.problem}`);
  for (const [flag, end] of [
    ["--from", from.endpoint],
    ["--to", to.endpoint],
  ] as const) {
    if (
      end.kind === "set" &&
      !parsePrefix(end.text) &&
      !VIRTUAL_TAGS.has(end.text.toLowerCase()) &&
      !analysis.catalog.get(end.text)
    ) {
      // A slip gets the tag meant: among the global tags, or the regional ones when a region is written.
      const tags = analysis.catalog.names().filter((n) => n.includes(".") === end.text.includes("."));
      const near = nearestMember(tags, end.text);
      throw new UsageError(
        `${flag}: ${end.text} is not a service tag in ${analysis.catalog.meta.source}, an IP, a CIDR or vnet/subnet${near ? ` (did you mean ${near}?)` : ""}`,
      );
    }
  }
  const ctx = new EngineContext(analysis.topology, analysis.catalog);
  const { protocol, destinationPort } = query;
  const answer = checkFlow(ctx, { ...query, from: from.endpoint, to: to.endpoint });
  // The layer whose rule decided: the one that gave the verdict by that rule. Two NSGs (subnet and NIC) may each
  // have a rule of that name with that access; then which one IP flow verify names is not known, and no id is given.
  const candidates = answer.layers.filter(
    (l) => l.ruleName !== undefined && l.ruleName === answer.ruleName && l.access === answer.verdict,
  );
  const deciding = new Set(candidates.map((l) => l.nsg?.id.toLowerCase())).size === 1 ? candidates[0] : undefined;
  const json = {
    // IP flow verify's two fields first (access is Allow or Deny; null when the answer is not one of them, and
    // `verdict` then says what it is), then ours.
    access: answer.verdict === "Allow" || answer.verdict === "Deny" ? answer.verdict : null,
    ruleName: answer.ruleName ?? null,
    ruleId: layerRuleId(deciding, answer.ruleName),
    verdict: answer.verdict,
    layers: answer.layers.map(layerJson),
    source: from.endpoint.label,
    destination: to.endpoint.label,
    protocol,
    destinationPort: destinationPort ?? "*",
    partial: answer.partial,
    ...(answer.parts && answer.parts.length > 1 ? { parts: answer.parts } : {}),
    notes: answer.notes,
    serviceTags: analysis.catalog.meta,
    unmodeled: analysis.model.unmodeled.map((u) => ({
      type: u.type,
      name: u.name,
      location: { file: u.src.file, line: u.src.line },
    })),
  };
  return { answer, json, from: from.endpoint, to: to.endpoint, analysis };
}

function run(io: CliIo, inputs: string[], options: FlowOptions): number {
  const format = outputFormat(options.format);
  const protocol: FlowProtocol | undefined = parseFlowProtocol(options.protocol);
  if (!protocol) throw new UsageError(`--protocol must be Tcp, Udp, Icmp, Esp or Ah, not ${options.protocol}`);
  const destinationPort = portOption(options.port, "--port");
  const sourcePort = portOption(options.sourcePort, "--source-port");
  if (destinationPort === undefined && (protocol === "Tcp" || protocol === "Udp") && options.port === undefined) {
    throw new UsageError("--port is required for Tcp and Udp (use --port '*' for any port)");
  }
  const loaded = loadAnalysis(inputs, options);
  printDiagnostics(io, loaded.model.diagnostics);
  const flow = answerFlow(loaded, { from: options.from, to: options.to, protocol, destinationPort, sourcePort });
  const { answer, from, to, analysis } = flow;
  const tags = describeServiceTags(analysis.catalog.meta);
  const portText = destinationPort === undefined ? protocol : `${protocol}/${destinationPort}`;
  if (format === "json") {
    io.out(`${JSON.stringify(flow.json, null, 2)}\n`);
  } else {
    io.out(flowText(answer, `from ${from.label} to ${to.label} ${portText}`, tags));
  }
  return 0;
}

/** Registers `flow`. */
export const flowCommand: CommandRegistration = (program: Command, io, setExit) => {
  withCommonOptions(
    program
      .command("flow")
      .description("does an NSG allow this flow? (IP flow verify / NSG diagnostics, offline)")
      .argument("<inputs...>", "templates, exports or directories")
      .requiredOption(
        "--from <ip|vnet/subnet|tag>",
        "source: an IP, vnet/subnet (its first usable address), a CIDR or a service tag",
      )
      .requiredOption("--to <ip|vnet/subnet|tag>", "destination, in the same forms")
      .option("--port <n>", "destination port ('*' for any)")
      .option("--source-port <n>", "source port (default: any)")
      .option("--protocol <protocol>", "Tcp, Udp, Icmp, Esp or Ah", "Tcp")
      .option("--format <format>", "text or json", "text")
      .addHelpText(
        "after",
        "\nExample:\n  apim-netcheck flow examples/forced-tunnel --from ApiManagement --to vnet-apim/snet-apim --port 3443\n",
      ),
  ).action((inputs: string[], options: FlowOptions) => {
    setExit(run(io, inputs, options));
  });
};
