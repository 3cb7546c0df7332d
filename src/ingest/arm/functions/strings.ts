/**
 * @module ingest/arm/functions/strings
 * ARM's string functions. String building (`toLower`, `toUpper`, `format` through collections' `concat`)
 * keeps unknown placeholders inside the text, so that a name built from an unknown parameter still matches
 * the same name built elsewhere; functions whose result depends on the unknown text (`substring`,
 * `split`, `replace`, ...) give Unknown instead.
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-string
 */
import { isUnknown } from "../../../model/unknown.js";
import { deeperThan, MAX_DEPTH as MAX_JSON_DEPTH } from "../../json/parse.js";
import {
  ArmEvalError,
  boundedArray,
  boundedString,
  expectArgs,
  expectInt,
  expectString,
  findUnknown,
  MAX_STRING_LENGTH,
  toText,
  typeName,
} from "../expression/values.js";
import { armGuid, uniqueString } from "./hash.js";
import type { FunctionTable } from "./types.js";

const MARK = /<unknown:[^>]*>/g;

/**
 * .NET's composite formatting, which `format()` is, refuses an alignment of 1,000,000 or more either way
 * (StringBuilder.AppendFormat's WidthLimit); a narrower one still cannot exceed the longest string we build.
 */
const MAX_FORMAT_WIDTH = 999_999;
/** JavaScript formats at most 100 fraction digits (`toFixed`); a longer `F`/`N` precision is not evaluated. */
const MAX_FRACTION_DIGITS = 100;

/** Applies `change` to the text outside unknown placeholders (so that case changes keep them readable). */
function outsideMarkers(text: string, change: (s: string) => string): string {
  if (!isUnknown(text)) return change(text);
  let out = "";
  let last = 0;
  for (const match of text.matchAll(MARK)) {
    out += change(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + change(text.slice(last));
}

function strings(fn: string, args: unknown[]): string[] {
  return args.map((a, i) => {
    if (typeof a === "string") return a;
    throw new ArmEvalError(`${fn}() expects strings, found ${typeName(a)} as argument ${i + 1}`);
  });
}

/** .NET composite formatting as `format()` uses it: `{0}`, `{0,-10}`, `{0:D3}`, `{{` and `}}`. */
export function formatText(template: string, values: unknown[]): string {
  let out = "";
  let chunk = 0;
  for (let i = 0; i < template.length; i++) {
    const c = template.charCodeAt(i);
    if (c !== 123 /* { */ && c !== 125 /* } */) continue;
    out += template.slice(chunk, i);
    if (template.charCodeAt(i + 1) === c) {
      out += template[i];
      i++;
    } else if (c === 125) {
      throw new ArmEvalError(`format(): unmatched '}' in '${template}'`);
    } else {
      const end = template.indexOf("}", i);
      const spec = end < 0 ? undefined : /^(\d+)\s*(?:,\s*(-?\d+))?\s*(?::(.*))?$/s.exec(template.slice(i + 1, end));
      if (!spec) throw new ArmEvalError(`format(): invalid placeholder in '${template}'`);
      const index = Number(spec[1]);
      if (index >= values.length) throw new ArmEvalError(`format(): placeholder {${index}} has no argument`);
      const width = spec[2] ? Number(spec[2]) : 0;
      if (Math.abs(width) > MAX_FORMAT_WIDTH)
        throw new ArmEvalError(
          `format(): the alignment ${spec[2]} in '{${template.slice(i + 1, end)}}' is wider than .NET formats (at most ${MAX_FORMAT_WIDTH})`,
        );
      let text = formatOne(values[index], spec[3]);
      if (width > 0) text = text.padStart(width);
      else if (width < 0) text = text.padEnd(-width);
      out += text;
      i = end;
    }
    chunk = i + 1;
  }
  return boundedString(out + template.slice(chunk));
}

function formatOne(value: unknown, spec: string | undefined): string {
  if (!spec || typeof value !== "number") return toText(value);
  const kind = spec[0]!;
  const digits = spec.length > 1 ? Number(spec.slice(1)) : undefined;
  if (digits !== undefined && !Number.isInteger(digits))
    throw new ArmEvalError(`format(): the format string '${spec}' is not supported`);
  const fraction = /^[NF]$/i.test(kind);
  // A precision past what the result may hold (a string of 1,000,000 characters) is refused before padding.
  if (digits !== undefined && digits > (fraction ? MAX_FRACTION_DIGITS : MAX_STRING_LENGTH))
    throw new ArmEvalError(
      `format(): the precision ${digits} in '${spec}' is more than this reader evaluates (${fraction ? MAX_FRACTION_DIGITS : MAX_STRING_LENGTH})`,
      "arm/limit",
    );
  switch (kind.toUpperCase()) {
    case "D":
      return (value < 0 ? "-" : "") + String(Math.abs(Math.trunc(value))).padStart(digits ?? 0, "0");
    case "X": {
      const hex = (value >>> 0).toString(16).padStart(digits ?? 0, "0");
      return kind === "X" ? hex.toUpperCase() : hex;
    }
    case "N":
      return value.toLocaleString("en-US", { minimumFractionDigits: digits ?? 2, maximumFractionDigits: digits ?? 2 });
    case "F":
      return value.toFixed(digits ?? 2);
    default:
      throw new ArmEvalError(`format(): the format string '${spec}' is not supported`);
  }
}

/** Combines a base URI and a relative one as .NET's Uri does for `uri()`. */
function combineUri(base: string, relative: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(relative)) return relative;
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch {
    throw new ArmEvalError(`uri(): '${base}' is not an absolute URI`);
  }
  return new URL(relative, parsed).toString();
}

function decodeBase64(fn: string, text: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text.replace(/\s/g, "")))
    throw new ArmEvalError(`${fn}(): the text is not base64`);
  return Buffer.from(text, "base64").toString("utf8");
}

/** Parses JSON text for `json()` and friends; `__proto__` stays an own key (JSON.parse's behaviour). */
export function parseJsonText(fn: string, text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ArmEvalError(`${fn}(): the text is not valid JSON`);
  }
  // The same depth as a file's JSON (ingest/json): what the evaluator and the renderers walk stays in the stack.
  if (deeperThan(value, MAX_JSON_DEPTH))
    throw new ArmEvalError(
      `${fn}(): the JSON nests deeper than ${MAX_JSON_DEPTH} levels (a limit of this reader)`,
      "arm/limit",
    );
  return value;
}

export const STRING_FUNCTIONS: FunctionTable = {
  tolower: {
    unknownAware: true,
    fn: (args) => {
      expectArgs("toLower", args, 1);
      return outsideMarkers(expectString("toLower", args[0]), (s) => s.toLowerCase());
    },
  },
  toupper: {
    unknownAware: true,
    fn: (args) => {
      expectArgs("toUpper", args, 1);
      return outsideMarkers(expectString("toUpper", args[0]), (s) => s.toUpperCase());
    },
  },
  trim: {
    unknownAware: true,
    fn: (args) => {
      expectArgs("trim", args, 1);
      return expectString("trim", args[0]).trim();
    },
  },
  format: {
    unknownAware: true,
    fn: (args) => {
      expectArgs("format", args, 1, Number.POSITIVE_INFINITY);
      const template = expectString("format", args[0]);
      if (isUnknown(template)) return template;
      return formatText(template, args.slice(1));
    },
  },
  startswith: {
    fn: (args) => {
      expectArgs("startsWith", args, 2);
      const [s, p] = strings("startsWith", args);
      return s!.toLowerCase().startsWith(p!.toLowerCase());
    },
  },
  endswith: {
    fn: (args) => {
      expectArgs("endsWith", args, 2);
      const [s, p] = strings("endsWith", args);
      return s!.toLowerCase().endsWith(p!.toLowerCase());
    },
  },
  substring: {
    fn: (args) => {
      expectArgs("substring", args, 1, 3);
      const s = expectString("substring", args[0]);
      const start = args.length > 1 ? expectInt("substring", args[1], 2) : 0;
      const length = args.length > 2 ? expectInt("substring", args[2], 3) : s.length - start;
      if (start < 0 || length < 0 || start + length > s.length) {
        throw new ArmEvalError(
          `substring(): start ${start} and length ${length} fall outside the ${s.length} characters`,
        );
      }
      return s.substr(start, length);
    },
  },
  replace: {
    fn: (args) => {
      expectArgs("replace", args, 3);
      const [s, from, to] = strings("replace", args);
      if (from === "") throw new ArmEvalError("replace(): the text to replace is empty");
      return boundedString(s!.split(from!).join(to));
    },
  },
  split: {
    fn: (args) => {
      expectArgs("split", args, 2);
      const s = expectString("split", args[0]);
      const delimiters = Array.isArray(args[1]) ? strings("split", args[1]) : [expectString("split", args[1], 2)];
      let parts = [s];
      for (const d of delimiters) if (d !== "") parts = boundedArray(parts.flatMap((p) => p.split(d)));
      return parts;
    },
  },
  padleft: {
    fn: (args) => {
      expectArgs("padLeft", args, 2, 3);
      const value = typeof args[0] === "number" ? String(args[0]) : expectString("padLeft", args[0]);
      const width = expectInt("padLeft", args[1], 2);
      const pad = args.length > 2 ? expectString("padLeft", args[2], 3) : " ";
      if (pad.length !== 1) throw new ArmEvalError("padLeft(): the padding must be one character");
      if (width > 16_000) throw new ArmEvalError("padLeft(): the total length exceeds 16000", "arm/limit");
      return value.padStart(width, pad);
    },
  },
  string: {
    fn: (args) => {
      expectArgs("string", args, 1);
      return boundedString(toText(args[0]));
    },
  },
  base64: {
    fn: (args) => {
      expectArgs("base64", args, 1);
      return boundedString(Buffer.from(expectString("base64", args[0]), "utf8").toString("base64"));
    },
  },
  base64tostring: {
    fn: (args) => {
      expectArgs("base64ToString", args, 1);
      return decodeBase64("base64ToString", expectString("base64ToString", args[0]));
    },
  },
  base64tojson: {
    fn: (args) => {
      expectArgs("base64ToJson", args, 1);
      return parseJsonText("base64ToJson", decodeBase64("base64ToJson", expectString("base64ToJson", args[0])));
    },
  },
  datauri: {
    fn: (args) => {
      expectArgs("dataUri", args, 1);
      return boundedString(
        `data:text/plain;charset=utf8;base64,${Buffer.from(toText(args[0]), "utf8").toString("base64")}`,
      );
    },
  },
  datauritostring: {
    fn: (args) => {
      expectArgs("dataUriToString", args, 1);
      const match = /^data:[^,]*?(;base64)?,(.*)$/s.exec(expectString("dataUriToString", args[0]));
      if (!match) throw new ArmEvalError("dataUriToString(): the text is not a data URI");
      return match[1] ? decodeBase64("dataUriToString", match[2]!) : decodeURIComponent(match[2]!);
    },
  },
  uri: {
    fn: (args) => {
      expectArgs("uri", args, 2);
      const [base, relative] = strings("uri", args);
      return combineUri(base!, relative!);
    },
  },
  uricomponent: {
    fn: (args) => {
      expectArgs("uriComponent", args, 1);
      return boundedString(encodeURIComponent(expectString("uriComponent", args[0])));
    },
  },
  uricomponenttostring: {
    fn: (args) => {
      expectArgs("uriComponentToString", args, 1);
      try {
        return decodeURIComponent(expectString("uriComponentToString", args[0]));
      } catch {
        throw new ArmEvalError("uriComponentToString(): the text is not URI-encoded");
      }
    },
  },
  json: {
    fn: (args) => {
      expectArgs("json", args, 1);
      return parseJsonText("json", expectString("json", args[0]));
    },
  },
  uniquestring: {
    fn: (args) => {
      expectArgs("uniqueString", args, 1, Number.POSITIVE_INFINITY);
      return uniqueString(strings("uniqueString", args));
    },
  },
  guid: {
    fn: (args) => {
      expectArgs("guid", args, 1, Number.POSITIVE_INFINITY);
      return armGuid(strings("guid", args));
    },
  },
  newguid: {
    fn: (_args, ctx) => ctx.unsupported("newGuid()", "a new GUID is drawn at each deployment"),
  },
  utcnow: {
    fn: (_args, ctx) => ctx.unsupported("utcNow()", "the deployment time is not known offline"),
  },
  datetimeadd: {
    fn: (_args, ctx) => ctx.unsupported("dateTimeAdd()", "date arithmetic is not evaluated offline"),
  },
  datetimefromepoch: {
    fn: (args) => {
      expectArgs("dateTimeFromEpoch", args, 1);
      const seconds = expectInt("dateTimeFromEpoch", args[0]);
      const date = new Date(seconds * 1000);
      // A count of seconds beyond what a date can hold is refused like a wrong argument, not thrown as RangeError.
      if (Number.isNaN(date.getTime()))
        throw new ArmEvalError(`dateTimeFromEpoch(): ${seconds} is not a representable date`);
      return date.toISOString().replace(".000Z", "Z");
    },
  },
  datetimetoepoch: {
    fn: (args) => {
      expectArgs("dateTimeToEpoch", args, 1);
      const ms = Date.parse(expectString("dateTimeToEpoch", args[0]));
      if (Number.isNaN(ms)) throw new ArmEvalError("dateTimeToEpoch(): the text is not a date and time");
      return Math.floor(ms / 1000);
    },
  },
};

/** True when any argument is (or contains) an unknown placeholder; the helper the evaluator uses. */
export function anyUnknown(args: unknown[]): string | undefined {
  for (const a of args) {
    const found = findUnknown(a);
    if (found) return found;
  }
  return undefined;
}
