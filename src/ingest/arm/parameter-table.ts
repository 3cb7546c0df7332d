/**
 * @module ingest/arm/parameter-table
 * A template's parameters: their values by precedence (a value given from outside, else the default, else
 * an Unknown placeholder with a warning), converted to the declared type (`name=value` text), checked
 * against the type and `allowedValues`, evaluated lazily and once, with a default that refers to itself
 * reported instead of followed.
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/parameters
 */
import { unknownValue } from "../../model/unknown.js";
import type { Sink, Site } from "./evaluator.js";
import { ArmEvalError, isPlainObject, isUnknownValue, type Json } from "./expression/values.js";
import { checkType, convertText, type ParameterOriginKind, type SuppliedParameter } from "./parameters.js";

export interface ParameterReport {
  name: string;
  type: string;
  value: unknown;
  origin: ParameterOriginKind;
  /** The parameters file, for `file`. */
  file?: string;
  site: Site;
  secure: boolean;
}

/** What the table needs from the evaluator. */
export interface ParameterHost {
  readonly sink: Sink;
  resolve(value: unknown, container: object, key: string | number): unknown;
  guard<T>(fn: () => T, site: Site, fallback: T): T;
  isolated<T>(label: string, fn: () => T): T;
}

export class ParameterTable {
  private readonly decls = new Map<string, { name: string; decl: Json }>();
  private readonly values = new Map<string, ParameterReport | "evaluating">();
  private readonly supplied = new Map<string, SuppliedParameter>();
  private readonly declared: Json;

  constructor(
    params: unknown,
    supplied: SuppliedParameter[],
    private readonly host: ParameterHost,
  ) {
    this.declared = isPlainObject(params) ? params : {};
    for (const [name, decl] of Object.entries(this.declared)) {
      if (isPlainObject(decl)) this.decls.set(name.toLowerCase(), { name, decl });
      else
        host.sink.report("error", "arm/invalid-template", `parameter '${name}' must be an object with a type`, {
          node: this.declared,
          key: name,
        });
    }
    for (const value of supplied) this.supplied.set(value.name.toLowerCase(), value);
  }

  /** The value of `parameters(name)`. */
  value(name: string): unknown {
    return this.resolveParameter(name).value;
  }

  /** Every declared parameter with its value and origin (evaluates those not yet used). */
  reports(): ParameterReport[] {
    return [...this.decls.values()].map(({ name }) => this.resolveParameter(name));
  }

  /** Names given from outside that the template does not declare. */
  unused(): SuppliedParameter[] {
    return [...this.supplied.values()].filter((s) => !this.decls.has(s.name.toLowerCase()));
  }

  private resolveParameter(name: string): ParameterReport {
    const key = name.toLowerCase();
    const declared = this.decls.get(key);
    if (!declared) throw new ArmEvalError(`the template declares no parameter '${name}'`, "arm/undeclared-parameter");
    const state = this.values.get(key);
    if (state === "evaluating") {
      throw new ArmEvalError(
        `parameter '${declared.name}' refers to itself through its default value`,
        "arm/circular-reference",
      );
    }
    if (state) return state;
    this.values.set(key, "evaluating");
    const report = this.host.isolated(`parameters('${declared.name}')`, () =>
      this.computeParameter(declared.name, declared.decl),
    );
    this.values.set(key, report);
    return report;
  }

  private computeParameter(name: string, decl: Json): ParameterReport {
    const type = typeof decl.type === "string" ? decl.type : "string";
    const secure = /^secure/i.test(type);
    const params = this.declared;
    const given = this.supplied.get(name.toLowerCase());
    let report: ParameterReport;
    if (given) {
      const site: Site = given.node ? { node: given.node, key: "value" } : { node: params, key: name };
      let value = given.value;
      if (given.text && typeof value === "string") {
        const text = value;
        value = this.host.guard(() => convertText(name, text, type), site, unknownValue(`parameters('${name}')`));
      }
      report = { name, type, value, origin: given.kind, file: given.file, site, secure };
    } else if (Object.hasOwn(decl, "defaultValue")) {
      report = {
        name,
        type,
        value: this.host.resolve(decl.defaultValue, decl, "defaultValue"),
        origin: "default",
        site: { node: decl },
        secure,
      };
    } else {
      const value = unknownValue(`parameters('${name}')`);
      this.host.sink.report(
        "warning",
        "arm/unknown-parameter",
        `parameter '${name}' has no value and no default; values that use it are Unknown (give it with --parameters ${name}=...)`,
        { node: params, key: name },
      );
      return { name, type, value, origin: "unknown", site: { node: decl }, secure };
    }
    if (!isUnknownValue(report.value)) {
      this.host.guard(() => checkType(name, report.value, type), report.site, undefined);
      const allowed = decl.allowedValues;
      if (Array.isArray(allowed) && !allowed.some((a) => JSON.stringify(a) === JSON.stringify(report.value))) {
        this.host.sink.report(
          "error",
          "arm/parameter-not-allowed",
          `parameter '${name}' is ${JSON.stringify(report.value)}, which is not one of its allowedValues ${JSON.stringify(allowed)}`,
          report.site,
        );
      }
    }
    return report;
  }
}
