/**
 * Benchmark: next hop lookups per second on a subnet whose route table holds 10,000 user routes (plus the
 * system rows), through the compiled engine in dist/ (run `npm run build` first). Also times building the
 * effective route table and the trie. Exports `run()` for the bench harness; runs on its own when executed
 * directly (`node bench/routes.bench.mjs`). Deterministic: fixed seed, fixed table.
 */
import { pathToFileURL } from "node:url";
import { effectiveRoutes, nextHop, nextHopV4 } from "../dist/engine/routes/index.js";
import { emptyModel } from "../dist/model/network.js";
import { Topology } from "../dist/model/topology.js";
import { prng } from "./random.mjs";

const ROUTES = 10_000;
const LOOKUPS = 1_000_000;
const ROUNDS = 5;
const TARGET_PER_SECOND = 2_000_000;
const SUB = "/subscriptions/0/resourceGroups/bench/providers/Microsoft.Network";

function src(pointer) {
  return { file: "bench", pointer, line: 0, column: 0 };
}

/** A VNet 10.0.0.0/16 with one subnet whose route table has ROUTES routes of lengths /8 to /32. */
function buildTopology() {
  const rand = prng(42);
  const model = emptyModel();
  const tableId = `${SUB}/routeTables/bench-rt`;
  const routes = [];
  for (let i = 0; i < ROUTES; i++) {
    const length = 8 + Math.floor(rand() * 25);
    const address = Math.floor(rand() * 0x100000000);
    const first = length === 0 ? 0 : (address & ~((1 << (32 - length)) - 1 || 0)) >>> 0;
    const text = `${first >>> 24}.${(first >>> 16) & 255}.${(first >>> 8) & 255}.${first & 255}/${length}`;
    const appliance = i % 3 !== 0;
    routes.push({
      id: `${tableId}/routes/r${i}`,
      name: `r${i}`,
      type: "Microsoft.Network/routeTables/routes",
      src: src(`/routes/${i}`),
      addressPrefix: text,
      nextHopType: appliance ? "VirtualAppliance" : "None",
      nextHopIpAddress: appliance ? `10.0.9.${(i % 250) + 1}` : undefined,
    });
  }
  model.routeTables.push({
    id: tableId,
    name: "bench-rt",
    type: "Microsoft.Network/routeTables",
    src: src(""),
    routes,
    disableBgpRoutePropagation: false,
  });
  const vnetId = `${SUB}/virtualNetworks/bench`;
  model.virtualNetworks.push({
    id: vnetId,
    name: "bench",
    type: "Microsoft.Network/virtualNetworks",
    src: src(""),
    addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
    subnets: [
      {
        id: `${vnetId}/subnets/apps`,
        name: "apps",
        type: "Microsoft.Network/virtualNetworks/subnets",
        src: src(""),
        virtualNetworkId: vnetId,
        addressPrefix: "10.0.1.0/24",
        routeTable: { id: tableId },
        serviceEndpoints: [],
        delegations: [],
      },
    ],
    virtualNetworkPeerings: [],
  });
  return new Topology(model);
}

const noTags = { get: () => undefined };

/** Runs the benchmark; returns the figures (and prints them when `print`). */
export function run({ print = true } = {}) {
  const topology = buildTopology();
  const subnet = topology.findSubnet("bench/apps");
  let t0 = process.hrtime.bigint();
  const table = effectiveRoutes(topology, subnet, noTags);
  const buildMs = Number(process.hrtime.bigint() - t0) / 1e6;
  t0 = process.hrtime.bigint();
  nextHopV4(table, 0); // builds the trie
  const trieMs = Number(process.hrtime.bigint() - t0) / 1e6;

  const rand = prng(7);
  const addresses = new Uint32Array(1 << 16);
  for (let i = 0; i < addresses.length; i++) addresses[i] = Math.floor(rand() * 0x100000000);
  const texts = Array.from(
    addresses.subarray(0, 4096),
    (a) => `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`,
  );

  let sink = 0;
  /** Median rate over ROUNDS rounds of LOOKUPS lookups (the machine may be shared; the median is steadier). */
  const rate = (lookup) => {
    for (let i = 0; i < 200_000; i++) sink += lookup(i).nextHopIpAddress.length; // warm-up
    const rates = [];
    for (let round = 0; round < ROUNDS; round++) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < LOOKUPS; i++) sink += lookup(i).nextHopIpAddress.length;
      rates.push(LOOKUPS / (Number(process.hrtime.bigint() - start) / 1e9));
    }
    return Math.round(rates.sort((a, b) => a - b)[ROUNDS >> 1]);
  };
  const numeric = rate((i) => nextHopV4(table, addresses[i & 0xffff]));
  const text = rate((i) => nextHop(table, texts[i & 4095]));

  const figures = {
    name: "routes: next hop on a 10,000-route table",
    rows: table.routes.length,
    buildTableMs: Math.round(buildMs * 10) / 10,
    buildTrieMs: Math.round(trieMs * 10) / 10,
    lookupsPerSecondNumeric: numeric,
    lookupsPerSecondText: text,
    target: TARGET_PER_SECOND,
    checksum: sink,
  };
  if (print) {
    const fmt = (n) => n.toLocaleString("en-US");
    console.log(
      `${figures.name}: ${figures.rows} rows; table ${figures.buildTableMs} ms, trie ${figures.buildTrieMs} ms; ` +
        `${fmt(figures.lookupsPerSecondText)} lookups/s (text address), ${fmt(figures.lookupsPerSecondNumeric)} lookups/s (numeric); ` +
        `target ${fmt(TARGET_PER_SECOND)}/s: ${figures.lookupsPerSecondText >= TARGET_PER_SECOND ? "met" : "MISSED"}`,
    );
  }
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) run();
