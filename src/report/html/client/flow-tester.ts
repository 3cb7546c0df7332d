/**
 * @module report/html/client/flow-tester
 * Report layer: the HTML report's flow tester assembled for Node callers (tests, scripts), from the same three
 * functions the page embeds: address tools, the NSG evaluator and the tester itself.
 */
import { createAddressTools } from "./addresses.js";
import { createFlowTester, type FlowTester } from "./evaluate.js";
import { createNsgEvaluator } from "./nsg-eval.js";
import type { ClientFlowData } from "./types.js";

/** The flow tester over `data`, as the page builds it. */
export function flowTesterFor(data: ClientFlowData): FlowTester {
  const tools = createAddressTools();
  return createFlowTester(data, tools, createNsgEvaluator(data, tools));
}
