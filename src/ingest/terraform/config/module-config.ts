/**
 * @module ingest/terraform/config/module-config
 * Ingest layer, Terraform: one module's configuration — every `.tf` file of one directory together, as
 * Terraform reads them (developer.hashicorp.com/terraform/language/files) — indexed by what it declares:
 * variables, locals, resources, data sources, module calls, outputs, and the azurerm provider version it
 * requires. Override files (`override.tf`, `*_override.tf`) are merged in as Terraform merges them: an
 * attribute replaces the same attribute of the block with the same type and labels, nested blocks replace the
 * nested blocks of that type. Two declarations of one name are an error Terraform would give; the first is kept.
 */
import { type Attribute, attributeOf, type Block, type Body, blocksOf, type Span } from "../hcl/ast.js";
import type { TfFile } from "./files.js";

export interface Declared<T> {
  node: T;
  file: TfFile;
}

export interface ModuleConfig {
  dir: string;
  files: TfFile[];
  variables: Map<string, Declared<Block>>;
  locals: Map<string, Declared<Attribute>>;
  /** `type.name` → the resource block. */
  resources: Map<string, Declared<Block>>;
  /** Resource types declared (a root name `azurerm_subnet` in an expression is a resource reference). */
  resourceTypes: Set<string>;
  data: Map<string, Declared<Block>>;
  modules: Map<string, Declared<Block>>;
  outputs: Map<string, Declared<Block>>;
  /** The azurerm version constraint of `required_providers`, when written. */
  azurermVersion?: string;
}

export interface ConfigProblem {
  file: TfFile;
  span: Span;
  message: string;
}

/** Builds a module's configuration from its files; duplicate declarations are reported in `problems`. */
export function moduleConfig(dir: string, files: TfFile[], problems: ConfigProblem[]): ModuleConfig {
  const config: ModuleConfig = {
    dir,
    files,
    variables: new Map(),
    locals: new Map(),
    resources: new Map(),
    resourceTypes: new Set(),
    data: new Map(),
    modules: new Map(),
    outputs: new Map(),
  };
  const ordered = [...files.filter((f) => !f.override), ...files.filter((f) => f.override)];
  for (const file of ordered) {
    for (const block of blocksOf(file.body)) add(config, block, file, problems);
  }
  return config;
}

function add(config: ModuleConfig, block: Block, file: TfFile, problems: ConfigProblem[]): void {
  const [l0, l1] = block.labels.map((l) => l.value);
  const put = (map: Map<string, Declared<Block>>, key: string | undefined, what: string) => {
    if (key === undefined) {
      problems.push({ file, span: block.typeSpan, message: `a ${block.type} block needs its label(s)` });
      return;
    }
    const known = map.get(key);
    if (known && file.override) {
      map.set(key, { node: mergeBlock(known.node, block, file), file: known.file });
      return;
    }
    if (known) {
      problems.push({
        file,
        span: block.typeSpan,
        message: `${what} "${key}" is declared twice (first in ${known.file.name})`,
      });
      return;
    }
    map.set(key, { node: block, file });
  };
  switch (block.type) {
    case "variable":
      put(config.variables, l0, "variable");
      break;
    case "output":
      put(config.outputs, l0, "output");
      break;
    case "module":
      put(config.modules, l0, "module");
      break;
    case "resource":
      put(config.resources, l0 !== undefined && l1 !== undefined ? `${l0}.${l1}` : undefined, "resource");
      if (l0 !== undefined) config.resourceTypes.add(l0);
      break;
    case "data":
      put(config.data, l0 !== undefined && l1 !== undefined ? `${l0}.${l1}` : undefined, "data source");
      break;
    case "locals":
      for (const item of block.body.items) {
        if (item.kind !== "Attribute") continue;
        const known = config.locals.get(item.name);
        if (known && !file.override)
          problems.push({
            file,
            span: item.nameSpan,
            message: `local value "${item.name}" is declared twice (first in ${known.file.name})`,
          });
        else config.locals.set(item.name, { node: item, file });
      }
      break;
    case "terraform": {
      for (const rp of blocksOf(block.body, "required_providers")) {
        const azurerm = attributeOf(rp.body, "azurerm");
        if (azurerm?.expr.kind !== "Object") continue;
        for (const item of azurerm.expr.items) {
          if (item.key.kind === "Literal" && item.key.value === "version" && item.value.kind === "Template") {
            const part = item.value.parts[0];
            if (part?.kind === "text") config.azurermVersion = part.value;
          }
        }
      }
      break;
    }
    default:
      break;
  }
}

/** The file of an item merged in from an override file (the other items are in their block's file). */
const overrideItemFile = new WeakMap<object, TfFile>();

/** The file an attribute or nested block of `declared` is written in. */
export function fileOfItem(item: object, declared: TfFile): TfFile {
  return overrideItemFile.get(item) ?? declared;
}

/** An override block merged into the block it overrides (a new block; the original stays as parsed). */
function mergeBlock(base: Block, override: Block, overrideFile: TfFile): Block {
  const items: Body["items"] = [];
  const replacedAttributes = new Set(
    override.body.items.filter((i) => i.kind === "Attribute").map((i) => (i as Attribute).name),
  );
  const replacedBlocks = new Set(override.body.items.filter((i) => i.kind === "Block").map((i) => (i as Block).type));
  for (const item of base.body.items) {
    if (item.kind === "Attribute" && replacedAttributes.has(item.name)) continue;
    if (item.kind === "Block" && replacedBlocks.has(item.type)) continue;
    items.push(item);
  }
  for (const item of override.body.items) {
    overrideItemFile.set(item, overrideFile);
    items.push(item);
  }
  return { ...base, body: { ...base.body, items } };
}
