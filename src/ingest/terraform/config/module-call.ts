/**
 * @module ingest/terraform/config/module-call
 * Ingest layer, Terraform: a `module` block called: its source resolved (a local path, `.terraform/modules`,
 * a built-in Azure Verified Module, or not read — then its outputs are Unknown and a warning names it), its
 * `count`/`for_each` expanded, and one module instance made per key, whose arguments are evaluated lazily in
 * the caller's context and whose resources inherit the call's undecided condition. Nesting is bounded.
 * https://developer.hashicorp.com/terraform/language/modules/syntax
 */

import { LIMITS } from "../eval/limits.js";
import {
  isObjectValue,
  markComputed,
  newObject,
  type Place,
  placeOf,
  unknown,
  type Value,
  type ValueObject,
} from "../eval/values.js";
import { attributeOf, type Block, type Expr } from "../hcl/ast.js";
import { expandBlock } from "./expand.js";
import { type Declared, fileOfItem } from "./module-config.js";
import { combine, type Input, ModuleRun } from "./module-run.js";

/** Arguments of a module call that are not inputs. */
const CALL_META = new Set(["source", "version", "count", "for_each", "providers", "depends_on"]);

export function callModule(run: ModuleRun, name: string, decl: Declared<Block>): { runs: ModuleRun[]; value: Value } {
  const block = decl.node;
  const callPlace = run.placeOfDecl(decl);
  const address = run.addressOf(`module.${name}`);
  if (run.init.depth + 1 > LIMITS.maxModuleDepth) {
    run.run.report(
      "error",
      "terraform/limit",
      `${address}: modules nested deeper than ${LIMITS.maxModuleDepth} levels are not read`,
      callPlace,
    );
    return { runs: [], value: unknown(`${address} (too deep)`) };
  }
  const sourceAttr = attributeOf(block.body, "source");
  const versionAttr = attributeOf(block.body, "version");
  const source = literalText(sourceAttr?.expr);
  const version = literalText(versionAttr?.expr);
  if (source === undefined) {
    run.run.report("error", "terraform/module-source", `${address}: the source must be a literal string`, callPlace);
    return { runs: [], value: unknown(`${address} (no source)`) };
  }
  const resolved = run.run.resolveModule(run.config.dir, source, version, [...run.init.keyPath, name]);
  const expansion = expandBlock(run, "module", decl);
  const runs: ModuleRun[] = [];
  const values = expansion.instanceKeys.map((k, i) => {
    const instanceAddress = k === undefined ? address : `${address}[${typeof k === "number" ? k : JSON.stringify(k)}]`;
    if (resolved.kind === "unresolved") {
      const out = newObject();
      markComputed(out, instanceAddress, "its module is not read");
      return out;
    }
    run.run.countModuleInstance();
    const scope = expansion.scopes[i]!;
    const inputs = new Map<string, Input>();
    for (const item of block.body.items) {
      if (item.kind !== "Attribute" || CALL_META.has(item.name)) continue;
      const attr = item;
      const file = fileOfItem(attr, decl.file);
      let cached: { value: Value; place: Place } | undefined;
      inputs.set(attr.name, {
        read: () => {
          if (!cached) cached = run.evalTop(attr.expr, file, scope, `${instanceAddress} argument "${attr.name}"`);
          return cached;
        },
      });
    }
    const anchorValue = scope.get("each") as ValueObject | undefined;
    const anchor = builtinAnchor(run, anchorValue, callPlace);
    const child = new ModuleRun(run.run, resolved.config, {
      address: instanceAddress,
      keyPath: [...run.init.keyPath, name],
      depth: run.init.depth + 1,
      inputs,
      anchor,
      undecided: combine(run.init.undecided, expansion.undecided),
      builtin: resolved.builtin,
      callPlace,
    });
    runs.push(child);
    return child.outputsObject();
  });
  if (resolved.kind === "unresolved") {
    run.run.report(
      "warning",
      "terraform/module-not-read",
      `${address}: the module ${source}${version ? ` ${version}` : ""} is not read (${resolved.why}); its resources are not in the model and its outputs are Unknown`,
      callPlace,
    );
  } else if (resolved.builtin) {
    run.run.report(
      "info",
      "terraform/builtin-module",
      `${address}: ${source} ${version ?? ""} is read through its built-in description (${resolved.builtin.label}); no download is needed`,
      callPlace,
    );
  }
  return { runs, value: expansion.collect(values) };
}

/** Where a built-in module's resources are located: the element of the call's `for_each`, or the call. */
function builtinAnchor(run: ModuleRun, each: ValueObject | undefined, callPlace: Place): Place {
  const element = each && isObjectValue(each) ? placeOf(each.value) : undefined;
  return element ? run.mapPlace(element) : (run.init.anchor ?? callPlace);
}

function literalText(expr: Expr | undefined): string | undefined {
  if (!expr) return undefined;
  if (expr.kind === "Template" && expr.parts.every((p) => p.kind === "text"))
    return expr.parts.map((p) => (p as { value: string }).value).join("");
  if (expr.kind === "Literal" && typeof expr.value === "string") return expr.value;
  return undefined;
}
