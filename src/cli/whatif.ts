/**
 * @module cli/whatif
 * CLI layer: the what-if options of `check` (issue "APIM check pack", Commands), applied to a loaded analysis
 * before the checks run, without touching Azure:
 * - `--with <file>` (repeatable): the file's resources, loaded through the same ingest as the inputs, added or
 *   replacing those of the same type and name (engine/whatif/overlay);
 * - `--without <name or id>` (repeatable): a resource taken out, with its associations (engine/whatif/without);
 *   a name that matches nothing or several resources is a usage error (exit 2);
 * - `--network-status <file>` (repeatable): an APIM network status export added to the inputs; it must be one.
 * Order: --network-status and --with first (in the order given), then --without, so a replaced resource can also
 * be removed. `--apim-subnet <vnet>/<subnet>[:External|Internal]` (repeatable) comes before them all: an API
 * Management instance taken to be in that subnet, for a network whose instance is deployed from elsewhere
 * (engine/whatif/apim-subnet). Every change is reported as a sentence among the run's assumptions.
 */
import { resolve } from "node:path";
import type { ServiceTagCatalog } from "../engine/servicetags/catalog.js";
import { type ApimSubnetMode, withApimInSubnet } from "../engine/whatif/apim-subnet.js";
import { overlay } from "../engine/whatif/overlay.js";
import { findTargets, withoutResource } from "../engine/whatif/without.js";
import { assertUsable, loadInputs } from "../ingest/load.js";
import { isMadeUpParent } from "../ingest/resources/to-model.js";
import { canonicalMember } from "../model/enums.js";
import type { NetworkModel } from "../model/network.js";
import { subnetByName } from "./commands/routes.js";
import { type Analysis, analysisOf, type CommonOptions, regionOption, unitFor, validateLoaded } from "./context.js";
import { UsageError } from "./main.js";

export interface WhatIfOptions {
  with?: string[];
  without?: string[];
  networkStatus?: string[];
  /** `<vnet>/<subnet>[:External|Internal]`: an API Management instance taken to be in that subnet. */
  apimSubnet?: string[];
}

/** `vnet/snet:Internal` as the subnet's name and the mode (any case); a mode that is none of the two is refused. */
export function parseApimSubnet(text: string): { subnet: string; mode?: ApimSubnetMode } {
  const colon = text.lastIndexOf(":");
  // An id holds no colon, so a colon always starts the mode.
  if (colon < 0) return { subnet: text };
  const mode = canonicalMember(["External", "Internal"] as const, text.slice(colon + 1));
  if (!mode) throw new UsageError(`--apim-subnet ${text}: the mode after ':' must be External or Internal`);
  return { subnet: text.slice(0, colon), mode };
}

/**
 * `analysis` with each `--apim-subnet` instance placed in its subnet, in the deployment unit that declares it
 * (a subnet no unit or several units declare is a usage error, as for `--subnet`).
 */
export function withApimSubnets(analysis: Analysis, specs: string[]): { analysis: Analysis; notes: string[] } {
  if (specs.length === 0) return { analysis, notes: [] };
  const notes: string[] = [];
  const models = analysis.units.map((u) => u.model);
  for (const spec of specs) {
    const { subnet: text, mode } = parseApimSubnet(spec);
    const unit = unitFor(analysis, `subnet ${text}`, (u) => u.topology.findSubnet(text) !== undefined);
    const subnet = subnetByName(unit.topology, text);
    const vnet = unit.topology.vnetOf(subnet);
    if (!vnet) throw new UsageError(`--apim-subnet ${spec}: the VNet of subnet ${text} is not in the inputs`);
    const at = analysis.units.indexOf(unit);
    const placed = withApimInSubnet(models[at]!, { text, subnet, vnet, mode });
    models[at] = placed.model;
    notes.push(placed.note);
  }
  // With several units the whole run's model (listings, diagnostics) stays as read; the checks run per unit.
  const whole = models.length === 1 ? models[0]! : analysis.model;
  return { analysis: analysisOf(whole, models, analysis.catalog), notes };
}

/** Loads `files` as an overlay model, validated as the inputs are (what Azure would refuse is reported, as for them). */
function loadOverlay(files: string[], options: CommonOptions, catalog: ServiceTagCatalog): NetworkModel {
  const loaded = loadInputs(files, { parameters: options.parameters, location: regionOption(options.location) });
  assertUsable(loaded);
  const { model } = loaded;
  validateLoaded(model, catalog);
  return model;
}

/** `analysis` changed by the what-if options, and one sentence per change (none when no option is given). */
export function applyWhatIf(
  loaded: Analysis,
  options: WhatIfOptions & CommonOptions,
): { analysis: Analysis; notes: string[] } {
  const placed = withApimSubnets(loaded, options.apimSubnet ?? []);
  const analysis = placed.analysis;
  const notes: string[] = [...placed.notes];
  const asked = (options.networkStatus?.length ?? 0) + (options.with?.length ?? 0) + (options.without?.length ?? 0);
  if (asked === 0) return { analysis, notes };
  // A change is to one network: with several deployment units it would be unclear which one it changes.
  if (analysis.units.length > 1)
    throw new UsageError(
      `--with, --without and --network-status change one network, but the inputs form ${analysis.units.length} deployment units (${analysis.units.map((u) => u.label).join("; ")}); give the inputs of one`,
    );
  let model = analysis.model;
  for (const file of options.networkStatus ?? []) {
    const extra = loadOverlay([file], options, analysis.catalog);
    // Already among the inputs (a directory that holds it): read once, or every failure would be told twice.
    if (extra.inputs.every((i) => model.inputs.some((m) => resolve(m.file) === resolve(i.file)))) {
      if (extra.observed.networkStatus.length > 0) notes.push(`network status ${file} is already among the inputs`);
      else
        throw new UsageError(
          `--network-status ${file}: not an API Management network status (networkstatus API output)`,
        );
      continue;
    }
    if (extra.observed.networkStatus.length === 0)
      throw new UsageError(`--network-status ${file}: not an API Management network status (networkstatus API output)`);
    model = overlay(model, extra, isMadeUpParent, file).model;
    notes.push(
      `network status of ${extra.observed.networkStatus.length} region(s) read from ${file} (--network-status)`,
    );
  }
  for (const file of options.with ?? []) {
    const result = overlay(model, loadOverlay([file], options, analysis.catalog), isMadeUpParent, file);
    model = result.model;
    notes.push(...result.notes);
  }
  for (const text of options.without ?? []) {
    const targets = findTargets(model, text);
    if (targets.length === 0) throw new UsageError(`--without ${text}: no resource of that name or id in the inputs`);
    if (targets.length > 1)
      throw new UsageError(
        `--without ${text} is ambiguous: ${targets.map((t) => `${t.type} ${t.display}`).join(", ")} (give parent/name or the id)`,
      );
    const result = withoutResource(model, targets[0]!);
    model = result.model;
    notes.push(...result.notes);
  }
  if (model === analysis.model) return { analysis, notes };
  return { analysis: analysisOf(model, [model], analysis.catalog), notes };
}
