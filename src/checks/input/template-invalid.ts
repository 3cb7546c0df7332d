/**
 * @module checks/input/template-invalid
 * TEMPLATE-INVALID: what the readers refuse, as Azure would refuse to deploy it: a template expression that
 * fails (an unknown function, a wrong argument type, a variable that refers to itself), a parameter outside its
 * allowedValues or not declared, a copy count over the limit, a value of the wrong type, a file that is not valid
 * JSON. These are the error diagnostics of ingest, which the model carries; the analysis went on, with what they
 * decide Unknown.
 */
import { defineCheck } from "../context.js";
import type { CheckMeta } from "../types.js";
import { REFUSAL_MESSAGES, refusalFindings } from "../util/refusals.js";

const meta: CheckMeta = {
  id: "TEMPLATE-INVALID",
  name: "template-invalid",
  title: "An input is one Azure would refuse to deploy",
  severity: "error",
  category: "input",
  summary: "A template, parameters file or export has an error that makes Azure refuse the deployment.",
  references: [
    "https://learn.microsoft.com/azure/azure-resource-manager/templates/template-expressions",
    "https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors",
  ],
  messages: { ...REFUSAL_MESSAGES },
};

export default defineCheck({
  meta,
  run(ctx) {
    return refusalFindings(meta, ctx.model.diagnostics);
  },
});
