/**
 * @module report/html/client/flow-tester
 * Report layer: the HTML report's flow tester assembled for Node callers (tests, scripts), from the same three
 * functions the page embeds: address tools, the NSG evaluator and the tester itself. The VNet parts come as
 * an array, or as a loader (a test can count which parts a question reads, as the page parses them).
 */
import { createAddressTools } from "./addresses.js";
import { createFlowTester, type FlowTester } from "./evaluate.js";
import { createNsgEvaluator } from "./nsg-eval.js";
import type { ClientFlowData, ClientVnetFlow } from "./types.js";

/** The flow tester over the index `data` and its VNet `parts`, as the page builds it. */
export function flowTesterFor(
  data: ClientFlowData,
  parts: readonly ClientVnetFlow[] | ((part: number) => ClientVnetFlow),
): FlowTester {
  const tools = createAddressTools();
  const load = typeof parts === "function" ? parts : (i: number) => parts[i]!;
  return createFlowTester(data, tools, (tables) => createNsgEvaluator(tables, tools), load);
}
