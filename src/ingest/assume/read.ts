/**
 * @module ingest/assume/read
 * Ingest layer: the `--assume FILE` input, the facts no template shows (routes a gateway learns over BGP from
 * ExpressRoute or VPN). YAML or JSON (JSON is YAML), for example
 * `{ "gatewayRoutes": [ { "gateway": "er-gw", "prefixes": ["0.0.0.0/0"], "nextHopIpAddress": ["10.0.0.4"] } ] }`.
 * Every mistake stops the run with one line, `file:line:col: message`, since a misread assumption would
 * silently change every route answer.
 */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type YAMLMap } from "yaml";
import type { NetworkManagerCommit } from "../../model/avnm.js";
import { InputError } from "../../model/diagnostics.js";
import { parseAddress, parsePrefix } from "../../model/ip.js";
import type { AssumedGatewayRoutes, AssumedRouteServerRoutes, Assumptions } from "../../model/network.js";
import type { SourceRef } from "../../model/source.js";
import { readText } from "../load.js";

const TOP_KEYS = ["gatewayRoutes", "routeServerRoutes", "networkManagerCommits"];
const ROUTE_KEYS = ["gateway", "prefixes", "nextHopIpAddress"];
const ROUTE_SERVER_KEYS = ["routeServer", "bgpConnection", "prefixes", "nextHopIpAddress"];
const COMMIT_KEYS = ["networkManager", "commitType", "configurationIds", "targetLocations"];

class Reader {
  constructor(
    readonly file: string,
    readonly lines: LineCounter,
  ) {}

  at(node: Node | null | undefined, pointer: string): SourceRef {
    const offset = node?.range?.[0] ?? 0;
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, pointer, line, column: col };
  }

  fail(node: Node | null | undefined, pointer: string, message: string): never {
    const src = this.at(node, pointer);
    throw new InputError(`${src.file}:${src.line}:${src.column}: ${message}`, src, "input/invalid-assumption");
  }

  /** The map's entries by key, refusing keys not in `allowed` (a typo would otherwise be ignored). */
  entries(map: YAMLMap, pointer: string, allowed: string[]): Map<string, Node | null> {
    const out = new Map<string, Node | null>();
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      if (!allowed.includes(key)) {
        this.fail(pair.key as Node, pointer, `unknown key "${key}" (expected ${allowed.join(", ")})`);
      }
      out.set(key, (pair.value as Node | null) ?? null);
    }
    return out;
  }

  strings(node: Node | null | undefined, pointer: string, what: string): { text: string; node: Node }[] {
    if (isScalar(node) && typeof node.value === "string") return [{ text: node.value, node }];
    if (!isSeq(node)) this.fail(node, pointer, `${what} must be a list of strings`);
    return node.items.map((item, i) => {
      if (!isScalar(item) || typeof item.value !== "string") {
        this.fail(item as Node, `${pointer}/${i}`, `${what} must be a list of strings`);
      }
      return { text: item.value, node: item };
    });
  }

  /** A non-empty name field of `fields`, or a failure saying what it must name. */
  name(fields: Map<string, Node | null>, item: Node, key: string, pointer: string, what: string): string {
    const node = fields.get(key);
    if (!isScalar(node) || typeof node.value !== "string" || node.value.trim() === "") {
      this.fail(node ?? item, `${pointer}/${key}`, `${key} must name ${what}`);
    }
    return node.value.trim();
  }

  /** The canonical prefixes of `prefixes` (CIDR, no host bits, not empty). */
  prefixes(fields: Map<string, Node | null>, item: Node, pointer: string, what: string): string[] {
    if (!fields.has("prefixes")) this.fail(item, pointer, `prefixes is missing (the prefixes ${what})`);
    const prefixes = this.strings(fields.get("prefixes"), `${pointer}/prefixes`, "prefixes").map(
      ({ text, node }, k) => {
        const parsed = parsePrefix(text);
        if (!parsed || !text.includes("/")) this.fail(node, `${pointer}/prefixes/${k}`, `${text} is not a CIDR prefix`);
        if (parsed.hostBitsSet) {
          this.fail(node, `${pointer}/prefixes/${k}`, `${text} has host bits set (did you mean ${parsed.canonical}?)`);
        }
        return parsed.canonical;
      },
    );
    if (prefixes.length === 0) this.fail(item, `${pointer}/prefixes`, "prefixes is empty");
    return prefixes;
  }

  /** The optional next hop addresses. */
  hops(fields: Map<string, Node | null>, pointer: string): string[] | undefined {
    if (!fields.has("nextHopIpAddress")) return undefined;
    return this.strings(fields.get("nextHopIpAddress"), `${pointer}/nextHopIpAddress`, "nextHopIpAddress").map(
      ({ text, node }, k) => {
        if (!parseAddress(text)) this.fail(node, `${pointer}/nextHopIpAddress/${k}`, `${text} is not an IP address`);
        return text.trim();
      },
    );
  }
}

/** Parses the text of an assumptions file; throws InputError (one line, with file:line:col) on any mistake. */
export function parseAssumptions(text: string, file: string): Assumptions {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const r: Reader = new Reader(file, lines);
  const syntax = doc.errors[0];
  if (syntax) {
    const { line, col } = lines.linePos(syntax.pos[0]);
    throw new InputError(
      `${file}:${line}:${col}: invalid YAML/JSON: ${syntax.message.split("\n")[0]}`,
      undefined,
      "input/invalid-assumption",
    );
  }
  const root = doc.contents as Node | null;
  if (root === null) return { gatewayRoutes: [] };
  if (!isMap(root)) r.fail(root, "", 'expected an object with "gatewayRoutes"');
  const top = r.entries(root, "", TOP_KEYS);
  const items = (key: string): Node[] => {
    const list = top.get(key);
    if (list === undefined || list === null) return [];
    if (!isSeq(list)) r.fail(list, `/${key}`, `${key} must be a list`);
    return list.items as Node[];
  };
  const gatewayRoutes = items("gatewayRoutes").map((item, i): AssumedGatewayRoutes => {
    const pointer = `/gatewayRoutes/${i}`;
    if (!isMap(item)) r.fail(item, pointer, "each gateway route must be an object with gateway and prefixes");
    const fields = r.entries(item, pointer, ROUTE_KEYS);
    const gateway = r.name(fields, item, "gateway", pointer, "a virtual network gateway (name or id)");
    const prefixes = r.prefixes(fields, item, pointer, "the gateway learns");
    return { gateway, prefixes, nextHopIpAddress: r.hops(fields, pointer), src: r.at(item, pointer) };
  });
  const routeServerRoutes = items("routeServerRoutes").map((item, i): AssumedRouteServerRoutes => {
    const pointer = `/routeServerRoutes/${i}`;
    if (!isMap(item)) {
      r.fail(item, pointer, "each Route Server route must be an object with routeServer, bgpConnection and prefixes");
    }
    const fields = r.entries(item, pointer, ROUTE_SERVER_KEYS);
    const routeServer = r.name(fields, item, "routeServer", pointer, "a Route Server (name or id)");
    const bgpConnection = r.name(fields, item, "bgpConnection", pointer, "a BGP connection (name or peer IP)");
    const prefixes = r.prefixes(fields, item, pointer, "the NVA advertises");
    return {
      routeServer,
      bgpConnection,
      prefixes,
      nextHopIpAddress: r.hops(fields, pointer),
      src: r.at(item, pointer),
    };
  });
  const networkManagerCommits = items("networkManagerCommits").map((item, i) => readCommit(r, item, i));
  return {
    gatewayRoutes,
    ...(routeServerRoutes.length > 0 ? { routeServerRoutes } : {}),
    ...(networkManagerCommits.length > 0 ? { networkManagerCommits } : {}),
  };
}

/** One AVNM commit (reference part 2 §10.1: `POST …/commit` with `{commitType, configurationIds, targetLocations}`). */
function readCommit(r: Reader, item: Node, i: number): NetworkManagerCommit {
  const pointer = `/networkManagerCommits/${i}`;
  if (!isMap(item)) r.fail(item, pointer, "each commit must be an object with configurationIds and targetLocations");
  const fields = r.entries(item, pointer, COMMIT_KEYS);
  const list = (key: string, what: string) => {
    if (!fields.has(key)) r.fail(item, pointer, `${key} is missing (${what})`);
    const values = r.strings(fields.get(key), `${pointer}/${key}`, key).map((v) => v.text.trim());
    if (values.length === 0) r.fail(item, `${pointer}/${key}`, `${key} is empty`);
    return values;
  };
  const commitType = fields.has("commitType")
    ? r.name(fields, item, "commitType", pointer, "SecurityAdmin, Connectivity or Routing")
    : "SecurityAdmin";
  return {
    ...(fields.has("networkManager")
      ? { networkManager: r.name(fields, item, "networkManager", pointer, "a network manager (name or id)") }
      : {}),
    commitType,
    configurationIds: list("configurationIds", "the configurations committed, by name or id"),
    targetLocations: list("targetLocations", "the regions committed to"),
    origin: "assume",
    src: r.at(item, pointer),
  };
}

/** Reads an assumptions file from disk (the CLI's `--assume`). */
export function readAssumptions(file: string): Assumptions {
  return parseAssumptions(readText(file), file);
}
