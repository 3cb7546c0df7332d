/**
 * @module checks/fix/values
 * Checks layer, fix engine: the values a change carries and how each form writes them, quoted by construction
 * (issue "Never a silent pass (II)": a fix is pasted into a shell or a template; whatever a name holds, it must
 * stay a name). A text from the input is split into literal parts and Unknown parts (model/unknown
 * placeholders); each form writes the literal parts escaped for its syntax and the Unknown parts as what the
 * user supplies there: a shell variable, the template's own parameter, a Terraform variable. The ARM form's
 * writers live in model/arm-values, which the ARM front end's edit writer shares.
 */
import { ACTIVE_IN_VALUE } from "../../model/active-characters.js";
import { parameterOf, SCOPE_REASONS, textParts, Unwritable } from "../../model/arm-values.js";

/** `WORKLOAD_NAME` from `workloadName` or any text: a shell or Terraform-safe identifier stem. */
function identifierWords(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .slice(0, 6);
}

/** The variable an Unknown becomes in a form, and the one line that says what to set it to. */
export interface Variable {
  /** `WORKLOAD_NAME` (az), `workload_name` (Terraform), `workloadName` (Bicep). */
  name: string;
  /** What the value is, for the line that asks for it (safe for a comment). */
  what: string;
}

/** The words of the variable each scope Unknown becomes in az and Terraform. */
const SCOPE_WORDS: Record<string, string[]> = {
  "resourceGroup().name": ["resource", "group"],
  "resourceGroup().location": ["location"],
  "subscription().subscriptionId": ["subscription", "id"],
};

/** What an Unknown that is not a parameter stands for, in words. */
function describeReason(reason: string): string {
  if (reason === "resourceGroup().name") return "the resource group (the inputs do not say it)";
  if (reason === "resourceGroup().location") return "the region (the inputs do not say it)";
  if (reason === "subscription().subscriptionId") return "the subscription id (the inputs do not say it)";
  return `Unknown offline: ${reason}`;
}

/** Text safe inside a one-line comment of any form: no control characters, no line breaks, no comment ends. */
export function commentSafe(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, " ")
    .replace(/\*\//g, "* /")
    .slice(0, 200);
}

/** Collects the variables a rendering needs, one per Unknown reason. */
export class Variables {
  private readonly byReason = new Map<string, Variable>();

  constructor(private readonly style: "az" | "terraform" | "bicep") {}

  of(reason: string): Variable {
    let v = this.byReason.get(reason);
    if (!v) {
      const param = parameterOf(reason);
      const words = SCOPE_WORDS[reason] ?? identifierWords(param ?? reason);
      const base = words.length > 0 ? words : ["value"];
      let name =
        this.style === "az"
          ? base.join("_").toUpperCase()
          : this.style === "terraform"
            ? base.join("_").toLowerCase()
            : (param ?? base.map((w, i) => (i ? w[0]!.toUpperCase() + w.slice(1) : w.toLowerCase())).join(""));
      if (/^[0-9]/.test(name)) name = `v_${name}`;
      const taken = new Set([...this.byReason.values()].map((x) => x.name));
      for (let i = 2; taken.has(name); i++) name = `${name}_${i}`;
      v = {
        name,
        what: commentSafe(param ? `the value of the template's parameter ${param}` : describeReason(reason)),
      };
      this.byReason.set(reason, v);
    }
    return v;
  }

  /** Variables a literal form needs that are not the template's own parameters. */
  all(): Variable[] {
    return [...this.byReason.values()];
  }

  /** The Unknown reasons used that are not template parameters (a template form cannot name those). */
  nonParameters(): string[] {
    return [...this.byReason.keys()].filter((r) => !parameterOf(r));
  }
}

// ---- quoting per form -----------------------------------------------------------------------------------

/** Whether a text holds a character a terminal acts on (model/active-characters). */
function hasActive(text: string): boolean {
  ACTIVE_IN_VALUE.lastIndex = 0;
  return ACTIVE_IN_VALUE.test(text.replace(/\t/g, " "));
}

/** A code unit as `\xHH` below U+0080, else `\uHHHH` (bash's $'...' and HCL read both forms of this width). */
function hexEscape(c: string, short: string, long: string): string {
  const code = c.charCodeAt(0);
  return code < 0x80 ? `${short}${code.toString(16).padStart(2, "0")}` : `${long}${code.toString(16).padStart(4, "0")}`;
}

/**
 * One shell word: bare when it is plain, otherwise single-quoted (nothing expands inside single quotes). A name
 * holding a control or bidi character is written in bash's ANSI-C quoting ($'...', with \xHH and \uHHHH), so the
 * command is one inert line that still names the resource exactly.
 */
export function shellWord(text: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(text)) return text;
  // A C string ends at NUL: bash would pass the name cut there, naming another resource (the form is left out).
  if (text.includes("\u0000")) throw new Unwritable("a NUL character, which no shell argument can hold");
  if (hasActive(text))
    return `$'${text.replace(/[\\']/g, "\\$&").replace(ACTIVE_IN_VALUE, (c) => (c === "\t" ? c : hexEscape(c, "\\x", "\\u")))}'`;
  return `'${text.replace(/'/g, "'\\''")}'`;
}

/** An az argument from a text that may hold Unknown parts (a variable, expanded inside double quotes). */
export function azText(text: string, vars: Variables): string {
  const parts = textParts(text);
  if (parts.every((p) => "literal" in p)) return shellWord(text);
  // Inside double quotes only $ ` \ " are special: escape them in the literal parts. A literal part holding an
  // active character is written beside them in ANSI-C quoting (adjacent quoted parts are one word).
  const body = parts
    .map((p) => {
      if (!("literal" in p)) return `\${${vars.of(p.unknown).name}}`;
      // So is one holding `!`: a backslash before it inside double quotes is kept (`"\\!"` is two characters).
      if (hasActive(p.literal) || p.literal.includes("!")) return `"${shellWord(p.literal)}"`;
      return p.literal.replace(/([$`\\"])/g, "\\$1");
    })
    .join("");
  return `"${body}"`;
}

/** A Bicep string literal: `'`, `\` and `${` escaped; Unknown parts interpolate the parameter they stand for. */
export function bicepText(text: string, vars: Variables): string {
  const body = textParts(text)
    .map((p) =>
      "literal" in p
        ? p.literal
            .replace(/\\/g, "\\\\")
            .replace(/'/g, "\\'")
            .replace(/\$\{/g, "\\${")
            .replace(/\n/g, "\\n")
            .replace(/\r/g, "\\r")
            .replace(/\t/g, "\\t")
            .replace(ACTIVE_IN_VALUE, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`)
        : `\${${SCOPE_REASONS.has(p.unknown) ? p.unknown : vars.of(p.unknown).name}}`,
    )
    .join("");
  return `'${body}'`;
}

/** An HCL string literal: `"`, `\`, `${` and `%{` escaped; Unknown parts interpolate a variable. */
export function hclText(text: string, vars: Variables): string {
  const parts = textParts(text);
  const body = parts
    .map((p, i) =>
      "literal" in p
        ? p.literal
            .replace(/\\/g, "\\\\")
            .replace(/"/g, '\\"')
            // A function, not "$${": in a replacement string `$$` is one `$`, which left `${` live.
            .replace(/\$\{/g, () => "$${")
            .replace(/%\{/g, "%%{")
            .replace(/\n/g, "\\n")
            .replace(/\r/g, "\\r")
            .replace(/\t/g, "\\t")
            .replace(ACTIVE_IN_VALUE, (c) => hexEscape(c, "\\u00", "\\u"))
            // A `$` just before an interpolation would make it the escape `$${`: written as its \u escape.
            .replace(/\$$/, () => (i + 1 < parts.length ? "\\u0024" : "$"))
        : `\${var.${vars.of(p.unknown).name}}`,
    )
    .join("");
  return `"${body}"`;
}
