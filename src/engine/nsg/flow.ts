/**
 * @module engine/nsg/flow
 * Engine layer: flows from text, as users and Network Watcher write them (reference §4.1): direction,
 * protocol (`TCP`, case-insensitive), addresses and ports, or IP flow verify's local/remote form where
 * "local" is the VM side whatever the direction. Also formats flows and flow boxes for messages.
 */
import { formatAddress, parseAddress } from "../../model/ip.js";
import { parseDirection } from "./compile.js";
import { formatPortSet } from "./ports.js";
import { ALL_PROTOCOLS, FLOW_PROTOCOLS, type Flow, type FlowBox, type FlowProtocol, type IpValue } from "./types.js";

export interface FlowText {
  direction: string;
  protocol: string;
  source: string;
  /** `*`, empty or undefined: no port (see reference.ts on how such flows match). */
  sourcePort?: string | number;
  destination: string;
  destinationPort?: string | number;
}

export type FlowParse = { ok: true; flow: Flow } | { ok: false; problem: string };

/** A flow protocol from text, case-insensitive (`TCP`, `udp`, `Icmp`). */
export function parseFlowProtocol(text: string): FlowProtocol | undefined {
  return FLOW_PROTOCOLS.find((p) => p.toLowerCase() === text.trim().toLowerCase());
}

/** An address as the evaluators take it (number for IPv4, bigint for IPv6). */
export function parseIpValue(text: string): IpValue | undefined {
  const parsed = parseAddress(text);
  if (!parsed) return undefined;
  return parsed.version === 4 ? Number(parsed.value) : parsed.value;
}

/** Text of an address value. */
export function formatIpValue(value: IpValue): string {
  return typeof value === "number" ? formatAddress(4, BigInt(value)) : formatAddress(6, value);
}

function parsePort(value: string | number | undefined, what: string): { port?: number } | string {
  if (value === undefined || value === "" || value === "*") return {};
  const n = typeof value === "number" ? value : /^\d{1,5}$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535) return `${what} ${value} is not a port (0-65535 or *)`;
  return { port: n };
}

/** Parses a flow; problems are returned, never thrown. */
export function parseFlow(text: FlowText): FlowParse {
  const direction = parseDirection(text.direction);
  if (!direction) return { ok: false, problem: `direction ${text.direction} is not Inbound or Outbound` };
  const protocol = parseFlowProtocol(text.protocol);
  if (!protocol) return { ok: false, problem: `protocol ${text.protocol} is not one of ${FLOW_PROTOCOLS.join(", ")}` };
  const source = parseIpValue(text.source);
  if (source === undefined) return { ok: false, problem: `source ${text.source} is not an IP address` };
  const destination = parseIpValue(text.destination);
  if (destination === undefined) return { ok: false, problem: `destination ${text.destination} is not an IP address` };
  const sourcePort = parsePort(text.sourcePort, "source port");
  if (typeof sourcePort === "string") return { ok: false, problem: sourcePort };
  const destinationPort = parsePort(text.destinationPort, "destination port");
  if (typeof destinationPort === "string") return { ok: false, problem: destinationPort };
  return {
    ok: true,
    flow: {
      direction,
      protocol,
      source,
      destination,
      ...(sourcePort.port !== undefined ? { sourcePort: sourcePort.port } : {}),
      ...(destinationPort.port !== undefined ? { destinationPort: destinationPort.port } : {}),
    },
  };
}

/** IP flow verify's request form (reference §4.1): for Inbound, local is the destination; for Outbound, the source. */
export function parseIpFlowVerify(request: {
  direction: string;
  protocol: string;
  localIPAddress: string;
  localPort?: string | number;
  remoteIPAddress: string;
  remotePort?: string | number;
}): FlowParse {
  const inbound = parseDirection(request.direction) === "Inbound";
  const local = { address: request.localIPAddress, port: request.localPort };
  const remote = { address: request.remoteIPAddress, port: request.remotePort };
  const [from, to] = inbound ? [remote, local] : [local, remote];
  return parseFlow({
    direction: request.direction,
    protocol: request.protocol,
    source: from.address,
    sourcePort: from.port,
    destination: to.address,
    destinationPort: to.port,
  });
}

/** `Tcp 10.0.0.4:1234 -> 10.0.1.5:443 (Inbound)`. */
export function formatFlow(flow: Flow): string {
  const end = (ip: IpValue, port?: number) => `${formatIpValue(ip)}${port === undefined ? "" : `:${port}`}`;
  return `${flow.protocol} ${end(flow.source, flow.sourcePort)} -> ${end(flow.destination, flow.destinationPort)} (${flow.direction})`;
}

/** Protocol names of a mask, `*` for all. */
export function formatProtocols(mask: number): string {
  if (mask === ALL_PROTOCOLS) return "*";
  return FLOW_PROTOCOLS.filter((_, i) => mask & (1 << i)).join(",");
}

/** `Tcp from 10.0.0.0/24 ports * to 10.1.0.0/16 ports 443`. */
export function formatBox(box: FlowBox): string {
  return `${formatProtocols(box.protocols)} from ${box.sourceAddresses.toString() || "(none)"} ports ${formatPortSet(box.sourcePorts)} to ${box.destinationAddresses.toString() || "(none)"} ports ${formatPortSet(box.destinationPorts)}`;
}
