/**
 * Security admin layer speed (engine/nsg/admin): compile time and verdicts per second of the admin layer in
 * front of a level without NSG, for 10, 100 and 1,000 random admin rules (IP prefixes, the three accesses, port
 * ranges). Imports the built engine from dist/ (`npm run bench` builds
 * first).
 */
import { compileAdminLayer } from "../dist/engine/nsg/admin.js";
import { evaluateFlowLayers } from "../dist/engine/nsg/index.js";
import { prng } from "./random.mjs";

export const title = "Security admin layer: compile and verdicts";

const SRC = { file: "<bench>", pointer: "", line: 0, column: 0 };
const ACCESSES = ["Allow", "Deny", "AlwaysAllow"];

function entries(rand, size) {
  const base = {
    id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkManagers/nm",
    name: "nm",
    type: "t",
    src: SRC,
  };
  const manager = {
    ...base,
    networkManagerScopes: { managementGroups: [], subscriptions: [] },
    networkManagerScopeAccesses: [],
    networkGroups: [],
    securityAdminConfigurations: [],
  };
  const configuration = {
    ...base,
    id: `${base.id}/securityAdminConfigurations/c`,
    name: "c",
    networkManagerId: base.id,
    applyOnNetworkIntentPolicyBasedServices: [],
    ruleCollections: [],
  };
  const collection = {
    ...base,
    id: `${configuration.id}/ruleCollections/rc`,
    name: "rc",
    appliesToGroups: [],
    rules: [],
  };
  const cidr = () => `10.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.0/${16 + Math.floor(rand() * 9)}`;
  return Array.from({ length: size }, (_, i) => {
    const lo = Math.floor(rand() * 60000);
    const rule = {
      ...base,
      id: `${collection.id}/rules/r${i}`,
      name: `r${i}`,
      kind: "Custom",
      protocol: rand() < 0.5 ? "Tcp" : "Any",
      sources: [{ addressPrefix: rand() < 0.2 ? "*" : cidr(), addressPrefixType: "IPPrefix", src: SRC }],
      destinations: [{ addressPrefix: rand() < 0.5 ? "*" : cidr(), addressPrefixType: "IPPrefix", src: SRC }],
      sourcePortRanges: ["0-65535"],
      destinationPortRanges: [rand() < 0.5 ? String(lo) : `${lo}-${lo + 500}`],
      access: ACCESSES[Math.floor(rand() * 3)],
      // Unique priorities: ties are Unknown by design and would measure the uncertain path only.
      priority: i + 1,
      direction: rand() < 0.5 ? "Inbound" : "Outbound",
    };
    return { rule, collection, configuration, manager, applies: "yes", reasons: [], assumptions: [] };
  });
}

export async function run({ quick }) {
  const rows = [];
  const resolver = { resolve: () => ({ kind: "unknown", reason: "no tags in the bench" }) };
  for (const size of [10, 100, 1000]) {
    const rand = prng(size);
    let t = performance.now();
    const admin = compileAdminLayer(
      { entries: entries(rand, size) },
      { resolver, groupAddresses: () => ({ unknown: "none" }) },
    );
    admin.compiled.inbound;
    admin.compiled.outbound;
    const compileMs = performance.now() - t;
    const flows = Array.from({ length: quick ? 20000 : 200000 }, () => ({
      direction: rand() < 0.5 ? "Inbound" : "Outbound",
      protocol: "Tcp",
      source: (10 << 24) + Math.floor(rand() * 0xffffff),
      destination: (10 << 24) + Math.floor(rand() * 0xffffff),
      sourcePort: 40000,
      destinationPort: Math.floor(rand() * 65536),
    }));
    const layers = { subnet: { scopeId: "s", nsg: null }, admin };
    t = performance.now();
    for (const f of flows) evaluateFlowLayers(f, layers);
    const perSecond = flows.length / ((performance.now() - t) / 1000);
    const bare = { subnet: layers.subnet };
    t = performance.now();
    for (const f of flows) evaluateFlowLayers(f, bare);
    const barePerSecond = flows.length / ((performance.now() - t) / 1000);
    rows.push([size, compileMs, Math.round(perSecond), Math.round(barePerSecond)]);
  }
  return {
    columns: ["admin rules", "compile ms", "verdicts/s with the admin layer", "verdicts/s without it"],
    rows,
    notes: [
      "Both columns evaluate the same flows at a level without NSG; the difference is the admin layer's cost.",
      "No target yet: the figures are for comparing runs (the per-flow cost is object building, not the rule count).",
    ],
  };
}
