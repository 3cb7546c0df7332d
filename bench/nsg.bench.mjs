/**
 * NSG evaluation speed: verdicts per second of the compiled evaluator against the reference evaluator on NSGs
 * of 10, 100 and 1,000 random rules (CIDRs, CIDR lists, service tags resolved from fixed address sets, port
 * ranges and lists), plus compile time and one set-valued query (ApiManagement -> VNet, 3443/TCP).
 * Imports the built engine from dist/ (`npm run bench` builds first).
 */
import { AddressSet } from "../dist/engine/ip/address-set.js";
import {
  compileNsg,
  evaluateFlowSet,
  flowBox,
  normalizeNsg,
  portSet,
  referenceEvaluator,
} from "../dist/engine/nsg/index.js";
import { defaultSecurityRules } from "../dist/model/default-rules.js";
import { parsePrefix } from "../dist/model/ip.js";
import { prng } from "./random.mjs";

export const title = "NSG evaluation: compiled vs reference";

const text = (n) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

function world(rand) {
  const publicPrefix = (min, max) => {
    const len = min + Math.floor(rand() * (max - min + 1));
    const first = [13, 20, 40, 51, 52, 104, 137, 191][Math.floor(rand() * 8)];
    const n = ((first << 24) | Math.floor(rand() * 0xffffff)) >>> 0;
    return parsePrefix(`${text(n)}/${len}`).canonical;
  };
  const tagOf = (count, min, max) => AddressSet.parse(...Array.from({ length: count }, () => publicPrefix(min, max)));
  const vnet = AddressSet.parse("10.0.0.0/16", "168.63.129.16/32");
  const tags = {
    VirtualNetwork: vnet,
    AzureLoadBalancer: AddressSet.parse("168.63.129.16/32"),
    Internet: AddressSet.ALL_V4.subtract(
      AddressSet.parse("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"),
    ).subtract(vnet),
    // Sizes in the range of the real tags: AzureCloud holds thousands of prefixes, regional tags tens to hundreds.
    AzureCloud: tagOf(3000, 14, 24),
    ApiManagement: tagOf(250, 28, 32),
    Storage: tagOf(400, 18, 24),
    Sql: tagOf(300, 24, 29),
    AzureMonitor: tagOf(200, 24, 30),
    AzureKeyVault: tagOf(150, 26, 31),
  };
  const resolver = {
    resolve(value) {
      if (value === "*") return { kind: "set", set: AddressSet.ALL, as: "any" };
      const p = /^[\d.]+(\/\d+)?$/.test(value) ? parsePrefix(value) : undefined;
      if (p) return { kind: "set", set: AddressSet.fromPrefixes([p]), as: "cidr" };
      const set = tags[value];
      return set ? { kind: "set", set, as: "service-tag" } : { kind: "unknown", reason: "not a tag" };
    },
  };
  return { tags, ctx: { resolver, asgAddresses: () => ({ unknown: "no ASGs in the bench" }) }, publicPrefix };
}

const PORTS = [22, 80, 443, 1433, 1886, 3389, 3443, 5671, 6390, 8080, 9000];

function randomNsg(size, rand, w) {
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const cidr = () =>
    rand() < 0.5
      ? `10.${Math.floor(rand() * 4)}.${Math.floor(rand() * 256)}.0/${pick([16, 20, 24, 26, 28])}`.replace(
          /^10\.(\d+)\.\d+\.0\/16$/,
          "10.$1.0.0/16",
        )
      : w.publicPrefix(16, 32);
  const address = (side) => {
    const r = rand();
    if (r < 0.45) return { [`${side}AddressPrefix`]: parsePrefix(cidr()).canonical };
    if (r < 0.6)
      return {
        [`${side}AddressPrefixes`]: Array.from(
          { length: 2 + Math.floor(rand() * 4) },
          () => parsePrefix(cidr()).canonical,
        ),
      };
    if (r < 0.8) return { [`${side}AddressPrefix`]: pick(Object.keys(w.tags)) };
    return { [`${side}AddressPrefix`]: "*" };
  };
  const destinationPorts = () => {
    const r = rand();
    if (r < 0.4) return { destinationPortRange: String(pick(PORTS)) };
    if (r < 0.65) {
      const lo = Math.floor(rand() * 60000);
      return { destinationPortRange: `${lo}-${lo + Math.floor(rand() * 2000)}` };
    }
    if (r < 0.8) return { destinationPortRanges: [String(pick(PORTS)), String(pick(PORTS)), "10000-10100"] };
    return { destinationPortRange: "*" };
  };
  const priorities = Array.from({ length: 3997 }, (_, i) => 100 + i).sort(() => rand() - 0.5);
  const src = { file: "bench", pointer: "", line: 0, column: 0 };
  const id = `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/bench${size}`;
  const securityRules = Array.from({ length: size }, (_, i) => ({
    id: `${id}/securityRules/r${i}`,
    name: `r${i}`,
    type: "Microsoft.Network/networkSecurityGroups/securityRules",
    src,
    protocol: pick(["Tcp", "Tcp", "Tcp", "Udp", "*", "*", "Icmp"]),
    sourcePortRange: rand() < 0.9 ? "*" : "1024-65535",
    access: rand() < 0.7 ? "Allow" : "Deny",
    priority: priorities[i],
    direction: rand() < 0.5 ? "Inbound" : "Outbound",
    isDefault: false,
    ...address("source"),
    ...address("destination"),
    ...destinationPorts(),
  }));
  return {
    id,
    name: `bench${size}`,
    type: "Microsoft.Network/networkSecurityGroups",
    src,
    securityRules,
    defaultSecurityRules: defaultSecurityRules(id, src),
  };
}

function randomFlows(count, rand, normalized) {
  const pickIn = (set) => {
    const i = Math.floor(rand() * (set.v4.length / 2)) * 2;
    return set.v4[i] + Math.floor(rand() * (set.v4[i + 1] - set.v4[i] + 1));
  };
  const address = () => {
    const r = rand();
    if (r < 0.4 && normalized.rules.length > 0) {
      const rule = normalized.rules[Math.floor(rand() * normalized.rules.length)];
      const set = rand() < 0.5 ? rule.sourceAddresses.definite : rule.destinationAddresses.definite;
      if (set.v4.length > 0) return pickIn(set);
    }
    if (r < 0.7) return (0x0a000000 + Math.floor(rand() * 0x10000)) >>> 0;
    return Math.floor(rand() * 0xffffffff) >>> 0;
  };
  return Array.from({ length: count }, () => {
    const protocol = rand() < 0.7 ? "Tcp" : rand() < 0.85 ? "Udp" : "Icmp";
    const flow = {
      direction: rand() < 0.5 ? "Inbound" : "Outbound",
      protocol,
      source: address(),
      destination: address(),
    };
    if (protocol !== "Icmp") {
      flow.sourcePort = 1024 + Math.floor(rand() * 64000);
      flow.destinationPort = rand() < 0.6 ? PORTS[Math.floor(rand() * PORTS.length)] : Math.floor(rand() * 65536);
    }
    return flow;
  });
}

/** Verdicts per second of `decide` over `flows`, run for about `seconds`. */
function rate(decide, flows, seconds) {
  let n = 0;
  let allowed = 0;
  const started = performance.now();
  const budget = seconds * 1000;
  do {
    for (let i = 0; i < flows.length; i++) if (decide(flows[i]).access === "Allow") allowed++;
    n += flows.length;
  } while (performance.now() - started < budget);
  const elapsed = (performance.now() - started) / 1000;
  return { perSecond: n / elapsed, allowedShare: allowed / n };
}

export async function run({ quick }) {
  const seconds = quick ? 0.3 : 1.5;
  const rows = [];
  const notes = [];
  for (const size of [10, 100, 1000]) {
    const rand = prng(0x5eed + size);
    const w = world(rand);
    const model = randomNsg(size, rand, w);
    globalThis.gc?.();
    let t = performance.now();
    const normalized = normalizeNsg(model, w.ctx);
    const normalizeMs = performance.now() - t;
    t = performance.now();
    const compiled = compileNsg(normalized);
    const compileMs = performance.now() - t;
    const reference = referenceEvaluator(normalized);
    const flows = randomFlows(1 << 16, rand, normalized);
    let mismatches = 0;
    for (const f of flows.slice(0, 5000)) if (compiled.evaluate(f).rule !== reference(f).rule) mismatches++;
    globalThis.gc?.();
    const fast = rate((f) => compiled.evaluate(f), flows, seconds);
    globalThis.gc?.();
    const slow = rate(reference, size >= 1000 ? flows.slice(0, 8192) : flows, seconds);
    const box = flowBox({
      protocols: ["Tcp"],
      sourceAddresses: w.tags.ApiManagement,
      destinationAddresses: AddressSet.parse("10.0.1.0/24"),
      destinationPorts: portSet([[3443, 3443]]),
    });
    t = performance.now();
    const setRuns = quick ? 3 : 10;
    let parts = 0;
    for (let i = 0; i < setRuns; i++) parts = evaluateFlowSet(compiled, { direction: "Inbound", ...box }).parts.length;
    const setMs = (performance.now() - t) / setRuns;
    rows.push([
      size,
      normalizeMs,
      compileMs,
      Math.round(fast.perSecond),
      Math.round(slow.perSecond),
      `${(fast.perSecond / slow.perSecond).toFixed(1)}x`,
      setMs,
      parts,
      mismatches,
    ]);
    notes.push(
      `${size} rules: ${(fast.allowedShare * 100).toFixed(0)}% of flows allowed; ${compiled.inbound.sourceAddresses.v4.starts.length} inbound source-address intervals.`,
    );
  }
  return {
    columns: [
      "rules",
      "normalize ms",
      "compile ms",
      "compiled verdicts/s",
      "reference verdicts/s",
      "ratio",
      "set query ms",
      "set parts",
      "mismatches/5000",
    ],
    rows,
    notes: [
      ...notes,
      "Targets: at least 1,000,000 compiled verdicts/s and 50x the reference at 1,000 rules (one core).",
    ],
  };
}
