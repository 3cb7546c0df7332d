/**
 * Fuzz target for the fix text itself, below main(): a change of every kind (create, restate, patch, delete) to
 * every resource type the fix engine writes (checks/fix/forms), with hostile names and values and Unknown parts,
 * rendered in every form (checks/fix/render renderFix). The same oracles as the CLI's fix target
 * (cli-oracles.ts): Bicep and Terraform parse back with each name a string literal and no interpolation but the
 * fix's variables, ARM is JSON, and the az form, executed with a stub `az` (one case in sixteen: bash is the
 * slow part), runs nothing else, creates nothing and passes each name as one exact argument. A case costs well under a
 * millisecond, where a run of main() costs 5-20, so this is where the fix quoting gets its thousands of cases.
 */
import fc from "fast-check";
import { FORMS } from "../../../src/checks/fix/forms.js";
import { renderFix } from "../../../src/checks/fix/render.js";
import type { Change, Value } from "../../../src/model/change.js";
import { HOSTILE } from "./cli-networks.js";
import { checkFixes, runAzFixes } from "./cli-oracles.js";

const SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";

/** A text from the inputs: plain, hostile, or with an Unknown part (a parameter with no value). */
const text = fc
  .tuple(
    fc.array(fc.oneof(fc.constantFrom(...HOSTILE), fc.constantFrom("a", "x-1", "10.0.0.0/24", "$", "%", "\\")), {
      maxLength: 3,
    }),
    fc.option(fc.constantFrom("p0", "workloadName", "env")),
    fc.array(fc.constantFrom(...HOSTILE, "b", "-z"), { maxLength: 2 }),
  )
  .map(([before, param, after]) => {
    const head = before.join("") || "n";
    return param ? `${head}<unknown: parameters('${param}')>${after.join("")}` : head + after.join("");
  });

const forms = Object.values(FORMS);

/** The id of a resource of `type` with `names` (in the given group, or the inputs' placeholder group). */
function idOf(type: string, names: string[], group: string): string {
  const [provider, ...segments] = type.split("/");
  const path = segments.map((s, i) => `${s}/${names[i] ?? "x"}`).join("/");
  return `/subscriptions/${SUBSCRIPTION}/resourceGroups/${group}/providers/${provider}/${path}`;
}

const changeArb: fc.Arbitrary<Change> = fc
  .record({
    form: fc.nat(forms.length - 1),
    op: fc.constantFrom("create", "restate", "patch", "delete"),
    names: fc.array(text, { minLength: 3, maxLength: 3 }),
    group: fc.oneof(fc.constant("resourceGroup"), fc.constantFrom("rg-1", "rg'$(x)"), text),
    values: fc.array(text, { minLength: 12, maxLength: 12 }),
    pick: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
    location: fc.option(text),
  })
  .map(({ form: at, op, names: all, group, values, pick, location }) => {
    const form = forms[at]!;
    const names = all.slice(0, form.type.split("/").length - 1);
    const id = idOf(form.type, names, group);
    const properties: Record<string, Value> = {};
    Object.entries(form.az.flags).forEach(([key, flag], i) => {
      if (!pick[i % pick.length]) return;
      const v = values[i % values.length]!;
      if (flag.as === "bool") properties[key] = v.length % 2 === 0;
      else if (flag.as === "refName" || flag.as === "refId") {
        const refType = "Microsoft.Network/networkSecurityGroups";
        properties[key] = { id: { $ref: { type: refType, names: [v], id: idOf(refType, [v], group) } } };
      } else if (flag.as === "endpoints") properties[key] = [{ service: v }];
      else if (flag.as === "delegations") properties[key] = [{ name: v, properties: { serviceName: v } }];
      else if (flag.as === "list") properties[key] = key.endsWith("s") ? [v, "x"] : v;
      else properties[key] = v;
    });
    const target = { type: form.type, names, id };
    if (op === "delete") return { op, target };
    if (op === "patch") return { op, target, set: properties };
    const resource = { ...target, properties, ...(location ? { location } : {}) };
    return op === "create" ? { op, resource } : { op, resource, changed: Object.keys(properties) };
  });

const fixCase = (minLength: number, maxLength: number) =>
  fc.record({ changes: fc.array(changeArb, { minLength, maxLength }), execute: fc.nat(15) });

function checkFixText(c: { changes: Change[]; execute: number }): void {
  const fix = renderFix(c.changes);
  const az = checkFixes({ findings: [{ id: "GENERATED", fix, changes: c.changes }] });
  if (c.execute === 0) runAzFixes(az);
}

export const targets = {
  "fix text: every change to every type, in every form": { arbitrary: fixCase(1, 2), check: checkFixText },
  // Several changes in one fix share its variables and its az script (the preamble, Bicep's `existing` parents).
  "fix text: several changes in one fix": { arbitrary: fixCase(3, 6), check: checkFixText },
};
