/**
 * Generated networks for the CLI fuzz targets (cli.ts): the API Management networks of the property tests
 * (test/properties/networks.ts: a VNet, an APIM subnet and others, an NSG, a route table, an instance) written as
 * an ARM template whose every name may carry hostile text (terminal controls, a newline that starts a forged
 * line, bidi overrides, shell, Bicep and HCL interpolation, markup), may be Unknown (a parameter with no default
 * inside the name), and whose values may be damaged (invalid, Unknown, duplicated). The names are kept as data,
 * so that an oracle can say what a fix must name.
 */
import fc from "fast-check";
import { type NetworkSpec, networkSpec, resourcesOf } from "../../properties/networks.js";

/** A line that must never start an output line: a newline in a name that reached the output as a line break. */
export const FORGED = "FORGED-LINE";

/** Pieces of hostile text: what a terminal, a shell, Bicep, HCL, Markdown, HTML or SVG would act on. */
// biome-ignore-start lint/suspicious/noTemplateCurlyInString: the pieces are shell, Bicep and HCL interpolations
export const HOSTILE = [
  "\u001b]0;owned\u0007",
  "\u001b]8;;https://evil.example/\u001b\\",
  "\u001b[2J",
  "\u0007",
  "\r",
  `\n${FORGED}`,
  `\r\n${FORGED}`,
  "\u202e",
  "\u2066",
  "\u0085",
  "\u009b31m",
  "\u2028",
  "\t",
  "\u0000",
  "'",
  '"',
  "\\",
  "$(touch${IFS}pwned)",
  "`touch pwned-bt`",
  "';touch pwned-sq;'",
  '";touch pwned-dq;"',
  "$HOME",
  "$",
  "%",
  "!",
  '${file("/etc/passwd")}',
  "${var.x}",
  "%{ if true }x%{ endif }",
  "</script><script>alert(31337)</script>",
  '<svg onload="alert(31337)">',
  "<img src=x onerror=alert(31337)>",
  "*/",
  "#",
  "|",
  "[",
  "]",
  "&amp;",
  "-->",
  "\ud83d\ude00",
];
// biome-ignore-end lint/suspicious/noTemplateCurlyInString: (end)

/** A piece of a name: literal text, or the value of a template parameter with no default (Unknown). */
export type NamePart = string | { param: string };
export type Name = NamePart[];

/** The names the property-test networks use, each replaced by a generated one. */
const CANONICAL = ["vnet-apim", "snet-apim", "snet-1", "snet-2", "nsg-apim", "rt-apim", "apim-gen"];

const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
  // Any code points but lone surrogates (no file or argument can hold one: they are written as U+FFFD).
  {
    weight: 1,
    arbitrary: fc
      .string({ maxLength: 3, unit: "binary" })
      .map((s) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "?")),
  },
  { weight: 1, arbitrary: fc.constantFrom("-", "_", ".", "x1", "/", " ") },
);

/** A name from `base`: unchanged, with hostile pieces around it, or with an Unknown part. */
function nameArb(base: string, param: string): fc.Arbitrary<Name> {
  const around = fc.tuple(fc.array(piece, { maxLength: 2 }), fc.array(piece, { maxLength: 3 }));
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant<Name>([base]) },
    { weight: 5, arbitrary: around.map(([a, b]): Name => [a.join("") + base + b.join("")]) },
    {
      weight: 2,
      // What stands just before an Unknown part matters: `$` + `${var.x}` reads as the escape `$${`.
      arbitrary: fc
        .tuple(around, fc.constantFrom("-", "$", "%", "\\", "'", '"', "$$", "`"))
        .map(([[a, b], glue]): Name => [`${a.join("")}${base}${glue}`, { param }, b.join("")].filter((p) => p !== "")),
    },
  );
}

/** A change made to the written template: a value set, turned Unknown, or an array item duplicated. */
export interface Damage {
  at: number;
  kind: "set" | "unknown" | "duplicate";
  value: unknown;
}

const weird = fc.constantFrom(
  null,
  42,
  -1,
  true,
  [],
  {},
  "",
  "banana",
  "10.1.0.0/33",
  "10.1.0.5/24",
  "99999",
  "*",
  "0.0.0.0/0",
  "VirtualAppliance",
  "Internet",
  "[concat(",
  "[[literal",
);

const damage: fc.Arbitrary<Damage> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom("set" as const, "unknown" as const, "duplicate" as const),
  value: weird,
});

export interface CliNetwork {
  spec: NetworkSpec;
  /** Generated name of each canonical one. */
  names: Record<string, Name>;
  /** Names given to the rules and routes (`rule-0` → name). */
  children: Record<string, Name>;
  damage: Damage[];
  /** Values given with `-p name=value` (some parameters are left without one: Unknown). */
  given: Record<string, string>;
}

export const cliNetwork: fc.Arbitrary<CliNetwork> = networkSpec.chain((spec) => {
  const childBases = [...spec.rules.map((r) => r.name), ...spec.routes.map((r) => r.name)];
  const named = (bases: string[], offset: number) =>
    fc.record(Object.fromEntries(bases.map((b, i) => [b, nameArb(b, `p${offset + i}`)]))) as fc.Arbitrary<
      Record<string, Name>
    >;
  return fc.record({
    spec: fc.constant(spec),
    names: named(CANONICAL, 0),
    children: named(childBases, CANONICAL.length),
    damage: fc.array(damage, { maxLength: 3 }),
    given: fc.dictionary(
      fc.constantFrom("p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "u0", "u1"),
      fc.oneof(fc.constantFrom(...HOSTILE), fc.constantFrom("x", "10.1.0.0/27", "")),
      { maxKeys: 3 },
    ),
  });
});

/** An ARM string literal inside an expression: `'` doubled. */
const armLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The name as an ARM expression (without brackets). */
function nameExpression(name: Name): string {
  const parts = name.map((p) => (typeof p === "string" ? armLiteral(p) : `parameters('${p.param}')`));
  return parts.length === 1 ? parts[0]! : `concat(${parts.join(", ")})`;
}

/** The name as a JSON value of the template: the text (a leading `[` doubled), or an expression. */
function nameValue(name: Name): string {
  if (name.length === 1 && typeof name[0] === "string") return name[0].startsWith("[") ? `[${name[0]}` : name[0];
  return `[${nameExpression(name)}]`;
}

/** Parameters a name or a damage uses (all declared without a default). */
function paramsOf(names: Name[]): string[] {
  return names.flatMap((n) => n.flatMap((p) => (typeof p === "string" ? [] : [p.param])));
}

/** Every [container, key] of a JSON tree, in a fixed order (what a damage's `at` picks from). */
function slots(root: unknown): [Record<string, unknown> | unknown[], string | number][] {
  const out: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v))
      v.forEach((item, i) => {
        out.push([v, i]);
        walk(item);
      });
    else if (v && typeof v === "object")
      for (const [k, item] of Object.entries(v)) {
        if (k === "type" || k === "apiVersion") continue;
        out.push([v as Record<string, unknown>, k]);
        walk(item);
      }
  };
  walk(root);
  return out;
}

function applyDamage(resources: unknown[], list: Damage[]): string[] {
  const params: string[] = [];
  list.forEach((d, i) => {
    const all = slots(resources);
    if (all.length === 0) return;
    const [container, key] = all[d.at % all.length]!;
    const current = (container as Record<string | number, unknown>)[key];
    if (d.kind === "set") (container as Record<string | number, unknown>)[key] = d.value;
    else if (d.kind === "unknown") {
      (container as Record<string | number, unknown>)[key] = `[parameters('u${i}')]`;
      params.push(`u${i}`);
    } else if (Array.isArray(container)) container.push(structuredClone(current));
    else (container as Record<string, unknown>)[key] = [current, structuredClone(current)];
  });
  return params;
}

/** Replaces every canonical name (as a value, and as a literal inside an expression) by its generated name. */
function rename(value: unknown, names: Record<string, Name>): unknown {
  if (Array.isArray(value)) return value.map((v) => rename(v, names));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rename(v, names)]));
  if (typeof value !== "string") return value;
  const exact = names[value];
  if (exact) return nameValue(exact);
  if (!value.startsWith("[")) return value;
  return value.replace(/'([^']*)'/g, (m, literal: string) => {
    const name = names[literal];
    return name ? nameExpression(name) : m;
  });
}

/** The network as the text of an ARM template. */
export function templateText(n: CliNetwork, extraDamage: Damage[] = []): string {
  const all = { ...n.names, ...n.children };
  const resources = rename(resourcesOf(n.spec), all) as unknown[];
  const damaged = applyDamage(resources, [...n.damage, ...extraDamage]);
  const params = [...new Set([...paramsOf(Object.values(all)), ...damaged])];
  return JSON.stringify(
    {
      $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      contentVersion: "1.0.0.0",
      parameters: Object.fromEntries(params.map((p) => [p, { type: "string" }])),
      resources,
    },
    null,
    2,
  );
}

/** The name's text when it has no Unknown part (and no value given for one), else undefined. */
export function literalName(name: Name, given: Record<string, string> = {}): string | undefined {
  let out = "";
  for (const p of name) {
    if (typeof p === "string") out += p;
    else if (p.param in given) out += given[p.param];
    else return undefined;
  }
  return out;
}

/** `vnet/subnet` of a generated subnet, as a user would type it (the literal parts, Unknown parts as `x`). */
export function subnetArg(n: CliNetwork, subnet: string): string {
  const text = (name: Name | undefined, base: string) =>
    name ? name.map((p) => (typeof p === "string" ? p : (n.given[p.param] ?? "x"))).join("") : base;
  return `${text(n.names["vnet-apim"], "vnet-apim")}/${text(n.names[subnet], subnet)}`;
}
