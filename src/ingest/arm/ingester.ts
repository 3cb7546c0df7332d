/**
 * @module ingest/arm/ingester
 * The ARM ingesters. A deployment template (`$schema` ending `deploymentTemplate.json#`, any scope) is
 * evaluated with the `--parameters` values and its defaults, and its resources are added to the model,
 * each located at its declaration. A parameters file given as an input (rather than with `--parameters`)
 * is recognised and reported, but not applied: which template it belongs to is the user's call, as with
 * `az deployment group create --parameters`.
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/syntax
 */
import { resolve } from "node:path";
import type { SourceRef } from "../../model/source.js";
import type { JsonDocument } from "../json/parse.js";
import { LazySource, type Locator } from "../locator.js";
import { markUndecided } from "../resources/conditions.js";
import type { IngestContext, Ingester, InputDocument } from "../types.js";
import type { Sink, Site } from "./evaluator.js";
import { isPlainObject, type Json } from "./expression/values.js";
import { isParametersDocument, type ParameterArgs, readParameterArgs } from "./parameters.js";
import { addArmReport } from "./report.js";
import { evaluateTemplate, undecidedConditionSite } from "./resources.js";
import { defaultScope } from "./scope.js";

/** True for an ARM deployment template (resource group, subscription, management group or tenant scope). */
export function isTemplate(value: unknown): value is Json {
  if (!isPlainObject(value)) return false;
  const schema = value.$schema;
  if (typeof schema === "string") return /deploymenttemplate\.json#?$/i.test(schema);
  return typeof value.contentVersion === "string" && (Array.isArray(value.resources) || isPlainObject(value.resources));
}

/** `--parameters` is read once per load, however many templates use it. */
const parameterArgs = new WeakMap<IngestContext, ParameterArgs>();

function parametersFor(ctx: IngestContext): ParameterArgs {
  let args = parameterArgs.get(ctx);
  if (!args) {
    args = readParameterArgs(ctx.options.parameters ?? []);
    parameterArgs.set(ctx, args);
    for (const doc of args.documents) ctx.sources.addLocator(doc);
    for (const p of args.problems) ctx.diags[p.severity](p.code, p.message, p.src);
  }
  return args;
}

function fileSrc(file: string): SourceRef {
  return { file, pointer: "", line: 1, column: 1 };
}

function placeOf(src: SourceRef): string {
  return `${src.file}:${src.line}:${src.column}`;
}

/** Turns evaluator sites into locations and diagnostics; repeats of the same message at one place are dropped. */
class IngestSink implements Sink {
  /**
   * Per code and message: the place of its one report so far (not resolved yet), or the places of its reports.
   * A message said once needs no place to be kept, so its location stays lazy; places are compared (and so
   * worked out) only when the same message comes again.
   */
  private readonly seen = new Map<string, SourceRef | Set<string>>();

  constructor(
    private readonly ctx: IngestContext,
    private readonly docs: JsonDocument[],
    private readonly file: string,
  ) {}

  report(severity: "error" | "warning" | "info", code: string, message: string, site: Site | undefined): void {
    const src = this.lazy(site);
    const key = `${code}\u0000${message}`;
    const earlier = this.seen.get(key);
    if (earlier === undefined) {
      this.seen.set(key, src);
    } else {
      const places = earlier instanceof Set ? earlier : new Set([placeOf(earlier)]);
      this.seen.set(key, places);
      if (places.has(placeOf(src))) return;
      places.add(placeOf(src));
    }
    this.ctx.diags[severity](code, message, src);
  }

  alias(built: object, origin: object): void {
    this.ctx.sources.alias(built, origin);
  }

  /** `locate(site)`, worked out on first read (a parameter's place is read by `inventory` only). */
  lazy(site: Site | undefined): SourceRef {
    if (!site) return fileSrc(this.file);
    return new LazySource(this.sites, site, fileSrc(this.file));
  }

  private readonly sites: Locator = { locate: (site) => this.locate(site as Site) };

  locate(site: Site | undefined): SourceRef {
    if (!site) return fileSrc(this.file);
    // Parameters files first: they are small, so asking them about a template node costs little, while a
    // large template asked about many foreign nodes would build its look-up map.
    for (let i = this.docs.length - 1; i >= 0; i--) {
      const doc = this.docs[i]!;
      if (!doc.owns(site.node)) continue;
      return (
        (site.key === undefined ? doc.locate(site.node) : doc.locateMember(site.node, site.key)) ?? fileSrc(doc.file)
      );
    }
    return this.ctx.sources.locate(site.node) ?? fileSrc(this.file);
  }
}

export const armTemplateIngester: Ingester = {
  format: "arm-template",
  detect(input) {
    return isTemplate(input.json?.value);
  },
  load(input, ctx) {
    const template = input.json!.value as Json;
    const args = parametersFor(ctx);
    const sink = new IngestSink(ctx, [input.json!, ...args.documents], input.file);
    const result = evaluateTemplate(template, defaultScope(input.file, ctx.options.location), sink, args.values, {
      outputs: false,
    });
    const evaluator = result.evaluator;
    addArmReport(ctx.model, {
      file: input.file,
      parameters: evaluator.parameterReports().map((p) => ({
        name: p.name,
        type: p.type,
        value: p.secure ? "(secure)" : p.value,
        origin: p.origin,
        file: p.file,
        src: sink.lazy(p.site),
        secure: p.secure,
      })),
      unusedParameters: evaluator.unusedSupplied().map((s) => s.name),
    });
    for (const unused of evaluator.unusedSupplied()) {
      ctx.diags.info(
        "arm/unused-parameter",
        `--parameters gives '${unused.name}', which ${input.file} does not declare`,
        unused.node ? sink.lazy({ node: unused.node }) : fileSrc(input.file),
      );
    }
    for (const node of result.resources) {
      const undecided = undecidedConditionSite(node);
      if (undecided) markUndecided(node, { reason: undecided.reason, src: sink.lazy(undecided.site) });
    }
    return ctx.addResources(result.resources, { fileSrc: fileSrc(input.file) });
  },
};

export const armParametersIngester: Ingester = {
  format: "arm-parameters",
  detect(input: InputDocument) {
    return isParametersDocument(input.json?.value);
  },
  load(input, ctx) {
    const args = parametersFor(ctx);
    const given = args.files.some((f) => resolve(f) === resolve(input.file));
    if (given) {
      ctx.diags.info("arm/parameters-file", "applied with --parameters", fileSrc(input.file));
    } else {
      ctx.diags.warning(
        "arm/parameters-not-applied",
        `a parameters file given as an input is not applied; pass it with --parameters ${input.file}`,
        fileSrc(input.file),
      );
    }
    return 0;
  },
};

/** The ARM ingesters, for the registry. */
export const armIngesters: Ingester[] = [armTemplateIngester, armParametersIngester];
