/**
 * @module ingest/bicep/restore-cache
 * Ingest layer, Bicep evaluation: module references (`./x.bicep`, `br:registry/path:tag`, `br/public:path:tag`,
 * `ts:sub/rg/name:version`) and where `bicep restore` keeps the restored ones. Bicep's cache root is `~/.bicep`
 * (`%USERPROFILE%\.bicep`); a registry module is restored to
 * `br/{registry, lower case, ':' as '$'}/{repository, '/' as '$'}/{tag, encoded}/main.json` and a template spec
 * to `ts/{subscription}/{resource group}/{name}/{version}/main.json` (all lower case), each `main.json` the
 * module's compiled ARM template (Bicep's OciArtifactRegistry.GetArtifactDirectory, TagEncoder and
 * TemplateSpecModuleRegistry). The `public` alias is `mcr.microsoft.com` with module path `bicep`.
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/modules#path-to-a-module
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-config-modules
 */
import { dirname, isAbsolute, join, normalize, resolve } from "node:path";

export type ModulePath =
  | { kind: "local"; path: string; shown: string; json: boolean }
  | { kind: "registry"; reference: string; version: string; cache: string | undefined; why?: string }
  | { kind: "invalid"; reason: string };

/** Built-in registry aliases (bicepconfig.json can add others; those are not read). */
const BR_ALIASES: Record<string, { registry: string; modulePath: string }> = {
  public: { registry: "mcr.microsoft.com", modulePath: "bicep" },
};

/**
 * Classifies a module (or import) path written in `callerPath` (absolute) / `callerShown` (as displayed).
 * `cacheRoot` is the restore cache root (undefined when none).
 */
export function modulePath(
  text: string,
  callerPath: string,
  callerShown: string,
  cacheRoot: string | undefined,
): ModulePath {
  if (/^br[:/]/i.test(text)) return registryModule(text, cacheRoot);
  if (/^ts[:/]/i.test(text)) return templateSpec(text, cacheRoot);
  if (text.length === 0) return { kind: "invalid", reason: "the module path is empty" };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text))
    return { kind: "invalid", reason: `'${text}' is not a local path or a registry reference` };
  // Bicep paths use '/' on every platform and are relative to the file that names them.
  const path = isAbsolute(text) ? normalize(text) : resolve(dirname(callerPath), text);
  const shown = isAbsolute(text) ? path : normalize(join(dirname(callerShown), text));
  return { kind: "local", path, shown, json: /\.json$/i.test(text) };
}

function registryModule(text: string, cacheRoot: string | undefined): ModulePath {
  // br:<registry>/<repository>:<tag> | br:<registry>/<repository>@<digest> | br/<alias>:<repository>:<tag>
  let registry: string;
  let rest: string;
  const alias = /^br\/([^:]+):(.*)$/i.exec(text);
  if (alias) {
    const known = BR_ALIASES[alias[1]!.toLowerCase()];
    if (!known)
      return {
        kind: "registry",
        reference: text,
        version: versionOf(alias[2]!),
        cache: undefined,
        why: `the alias '${alias[1]}' is defined in a bicepconfig.json, which is not read`,
      };
    registry = known.registry;
    rest = `${known.modulePath}/${alias[2]}`;
  } else {
    const direct = /^br:([^/]+)\/(.+)$/i.exec(text);
    if (!direct)
      return { kind: "invalid", reason: `'${text}' is not a registry reference (br:<registry>/<path>:<tag>)` };
    registry = direct[1]!;
    rest = direct[2]!;
  }
  const digestAt = rest.indexOf("@");
  const tagAt = rest.lastIndexOf(":");
  let repository: string;
  let version: string;
  let folder: string;
  if (digestAt > 0) {
    repository = rest.slice(0, digestAt);
    version = rest.slice(digestAt + 1);
    folder = version.replace(":", "#");
  } else if (tagAt > 0) {
    repository = rest.slice(0, tagAt);
    version = rest.slice(tagAt + 1);
    folder = encodeTag(version);
  } else {
    return { kind: "invalid", reason: `'${text}' has no tag or digest` };
  }
  const cache = cacheRoot
    ? join(
        cacheRoot,
        "br",
        registry.replace(/:/g, "$").toLowerCase(),
        repository.replace(/\//g, "$"),
        folder,
        "main.json",
      )
    : undefined;
  return { kind: "registry", reference: text, version, cache };
}

function templateSpec(text: string, cacheRoot: string | undefined): ModulePath {
  const direct = /^ts:([^/]+)\/([^/]+)\/([^:]+):(.+)$/i.exec(text);
  if (!direct) {
    const version = /:([^:]+)$/.exec(text)?.[1] ?? "";
    return {
      kind: "registry",
      reference: text,
      version,
      cache: undefined,
      why: "template spec aliases are defined in a bicepconfig.json, which is not read",
    };
  }
  const [, sub = "", group = "", name = "", version = ""] = direct;
  const cache = cacheRoot
    ? join(
        cacheRoot,
        "ts",
        sub.toLowerCase(),
        group.toLowerCase(),
        name.toLowerCase(),
        version.toLowerCase(),
        "main.json",
      )
    : undefined;
  return { kind: "registry", reference: text, version, cache };
}

function versionOf(rest: string): string {
  const at = rest.indexOf("@");
  if (at > 0) return rest.slice(at + 1);
  const colon = rest.lastIndexOf(":");
  return colon > 0 ? rest.slice(colon + 1) : "";
}

/**
 * Bicep's TagEncoder: the tag, `$`, then (only when the tag has capitals) a hex mask of which characters are
 * capitals, so that tags differing in case get different folders on case-insensitive file systems.
 */
export function encodeTag(tag: string): string {
  const words: bigint[] = [];
  for (let i = 0; i < tag.length; i++) {
    const c = tag[i]!;
    if (c !== c.toLowerCase() && c === c.toUpperCase()) {
      const w = Math.floor(i / 64);
      while (words.length <= w) words.push(0n);
      words[w] = words[w]! | (1n << BigInt(i % 64));
    }
  }
  let out = `${tag}$`;
  let leading = false;
  for (let i = words.length - 1; i >= 0; i--) {
    const w = words[i]!;
    if (w !== 0n || leading) {
      out += leading ? w.toString(16).padStart(16, "0") : w.toString(16);
      leading = true;
    }
  }
  return out;
}
