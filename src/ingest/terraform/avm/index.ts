/**
 * @module ingest/terraform/avm/index
 * Ingest layer, Terraform: Azure Verified Modules read without `terraform init`. For the AVM networking and API
 * Management modules, a short built-in description (written here, in HCL, from each module's documented
 * inputs and the resources it creates) stands for the module: the evaluator reads it like a module on disk,
 * so the module's inputs become the same azurerm/azapi resources the module would create, located where the
 * caller wrote the values. Each description covers the versions whose inputs it was checked against (listed
 * per module); a call whose version constraint allows none of them is not read, and says so.
 */
import { apimModule } from "./apim.js";
import { hubNetworkingModule } from "./hub-networking.js";
import { nsgModule } from "./nsg.js";
import { routeServerModule } from "./route-server.js";
import { routeTableModule } from "./route-table.js";
import { allows, newestAllowed } from "./versions.js";
import { peeringModule, subnetModule, vnetModule } from "./vnet.js";

/** A built-in description of one registry module (and subdirectory), for a range of versions. */
export interface BuiltinModule {
  /** `Azure/avm-res-network-networksecuritygroup/azurerm` (with `//modules/x` for a submodule). */
  source: string;
  /** The versions checked against the module's own variables and resources. */
  versions: string[];
  files: { name: string; text: string }[];
}

const MODULES: BuiltinModule[] = [
  ...vnetModule,
  ...subnetModule,
  ...peeringModule,
  ...nsgModule,
  ...routeTableModule,
  ...apimModule,
  ...routeServerModule,
  ...hubNetworkingModule,
];

export type BuiltinResult =
  | { kind: "module"; label: string; files: { name: string; text: string }[] }
  | { kind: "refused"; why: string }
  | { kind: "none" };

/** `registry.terraform.io/Azure/x/azurerm` and `Azure/x/azurerm` are the same; the case of the names is not. */
function normalise(source: string): string {
  return source
    .replace(/^registry\.terraform\.io\//i, "")
    .replace(/\/+$/, "")
    .toLowerCase();
}

/** The built-in description for a module call's source and version constraint, if any covers it. */
export function builtinModule(source: string, constraint: string | undefined): BuiltinResult {
  const key = normalise(source);
  const candidates = MODULES.filter((m) => normalise(m.source) === key);
  if (candidates.length === 0) return { kind: "none" };
  const unversioned = candidates.find((m) => m.versions.includes("*"));
  if (unversioned)
    return {
      kind: "module",
      label: `${unversioned.source} (from its source at the one commit described; the version ${constraint ?? "(none)"} is not checked)`,
      files: unversioned.files,
    };
  const covered = candidates.flatMap((m) => m.versions.map((v) => ({ m, v })));
  const chosen = newestAllowed(
    covered.map((c) => c.v),
    constraint,
  );
  if (chosen === undefined) {
    return {
      kind: "refused",
      why: `its built-in description covers versions ${covered.map((c) => c.v).join(", ")}, which ${constraint ? `the constraint "${constraint}"` : "no constraint"} does not allow`,
    };
  }
  const hit = covered.find((c) => c.v === chosen)!;
  const beyond =
    constraint !== undefined && allows(constraint, "999.0.0")
      ? " (the constraint also allows newer versions, which are not checked)"
      : "";
  return { kind: "module", label: `${hit.m.source} ${chosen}${beyond}`, files: hit.m.files };
}

/** Every built-in module and its versions (for docs and the closing note). */
export function builtinCoverage(): { source: string; versions: string[] }[] {
  return MODULES.map((m) => ({ source: m.source, versions: m.versions }));
}
