/**
 * @module ingest/terraform/plan/ingester
 * Ingest layer, Terraform: the ingester of a plan JSON (`terraform show -json plan.out`; OpenTofu writes the
 * same). Its instances (read.ts) go through the same REST mapping as the `.tf` reader's, so a plan and the
 * configuration it came from give the same model. A plan carries no line numbers: each resource is located at
 * its entry in the plan file, and messages name its address. When the configuration's `.tf` files are beside
 * the plan (the same directory), they are evaluated with the plan's variables, and each resource and argument
 * found at the same address there is located on its `.tf` line instead.
 */
import { dirname, resolve } from "node:path";
import type { SourceRef } from "../../../model/source.js";
import type { IngestContext, Ingester } from "../../types.js";
import { toRest } from "../azurerm/rest.js";
import type { ConfigRun, Instance, RunHost } from "../config/run.js";
import { memberPlace, placeOf, setMemberPlace, setPlace, type Value } from "../eval/values.js";
import { drainSyntax, evaluateRoot } from "../ingester.js";
import { isPlanJson, type RootPlan } from "../roots.js";
import { readPlan } from "./read.js";

function fileSrc(file: string): SourceRef {
  return { file, pointer: "", line: 1, column: 1 };
}

/** Copies the `.tf` places of `from` (an evaluated instance's value) onto `to` (the plan's), member by member. */
function copyTfPlaces(from: Value, to: Value, depth = 0): void {
  if (depth > 16 || typeof from !== "object" || from === null || typeof to !== "object" || to === null) return;
  const own = placeOf(from);
  if (own) setPlace(to, own);
  const keys = Array.isArray(to) ? to.map((_, i) => i) : Object.keys(to);
  for (const k of keys) {
    const place = memberPlace(from, k);
    if (place) setMemberPlace(to, k, place);
    const a = (from as Record<string | number, Value>)[k];
    const b = (to as Record<string | number, Value>)[k];
    if (a !== undefined && b !== undefined) copyTfPlaces(a, b, depth + 1);
  }
}

export function planIngester(host: RunHost, prepare: (ctx: IngestContext, host: RunHost) => RootPlan): Ingester {
  return {
    format: "terraform-plan",
    detect: (input) => isPlanJson(input),
    load(input, ctx) {
      const plan = prepare(ctx, host);
      // "Reject any input which reports an unsupported major version" (the JSON output format's own rule).
      const version = String((input.json!.value as { format_version?: unknown }).format_version);
      if (!/^[01]\./.test(version)) {
        ctx.diags.error(
          "terraform/plan-version",
          `format_version ${version} is not a version of the plan format this reads (0.x and 1.x); not read`,
          fileSrc(input.file),
        );
        return 0;
      }
      const file = plan.files.addText(input.file, resolve(input.file), input.text);
      const read = readPlan(input.json!, file, plan.files);
      if (read.destroyed.length > 0)
        ctx.diags.info(
          "terraform/plan-destroyed",
          `${read.destroyed.length} resource(s) being destroyed are left out: ${read.destroyed.slice(0, 8).join(", ")}${read.destroyed.length > 8 ? ", ..." : ""}`,
          fileSrc(input.file),
        );
      if (read.other.length > 0)
        ctx.diags.info(
          "terraform/plan-other",
          `left out, as their change neither creates nor keeps them: ${read.other.slice(0, 8).join(", ")}`,
          fileSrc(input.file),
        );
      const dir = dirname(resolve(input.file));
      let run: ConfigRun | undefined;
      if (plan.dirs.has(dir)) {
        plan.loaded.add(dir);
        const evaluated = evaluateRoot(ctx, plan, dir, read.variables);
        run = evaluated.run;
        const byAddress = new Map<string, Instance>(evaluated.instances.map((i) => [i.address, i]));
        let matched = 0;
        for (const inst of read.instances) {
          const tf = byAddress.get(inst.address);
          if (!tf) continue;
          matched++;
          inst.place = tf.place;
          copyTfPlaces(tf.value, inst.value);
        }
        drainSyntax(ctx, plan.files);
        ctx.diags.info(
          "terraform/plan-with-configuration",
          `located through the configuration beside it: ${matched} of ${read.instances.length} resource(s) found at the same address in the .tf files`,
          fileSrc(input.file),
        );
      }
      const reports: { severity: "error" | "warning" | "info"; code: string; message: string; src: SourceRef }[] = [];
      const rest = toRest(read.instances, {
        report: (severity, code, message, place) =>
          reports.push({ severity, code, message, src: place ? plan.files.sourceOf(place) : fileSrc(input.file) }),
        azurermMajor: run?.options.azurermMajor,
      });
      for (const r of reports) ctx.diags[r.severity](r.code, r.message, r.src);
      return ctx.addResources(rest.nodes, { fileSrc: fileSrc(input.file) });
    },
  };
}
