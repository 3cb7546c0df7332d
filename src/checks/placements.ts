/**
 * @module checks/placements
 * Checks layer: where each API Management instance sits in the network, per region: the primary location and
 * each additional location, with the subnet, VNet, NSG and route table it uses, its tier and unit count, its
 * mode (External / Internal / None), the kind of network connection (classic injection, v2 injection, v2
 * integration) and its compute platform. The platform is read from `platformVersion` when an export carries it;
 * templates never do (it is read-only), so it is then assumed stv2, because stv1 was retired on 31 Aug 2024
 * (apim-requirements §0) — and every finding that depends on it says so.
 */

import { APIM_SKUS, canonicalMember, VIRTUAL_NETWORK_TYPES } from "../model/enums.js";
import type {
  ApiManagementService,
  NetworkSecurityGroup,
  RouteTable,
  Subnet,
  VirtualNetwork,
} from "../model/resources.js";
import type { SourceRef } from "../model/source.js";
import type { Topology } from "../model/topology.js";
import { isUnknown } from "../model/unknown.js";
import { type Platform, REQUIREMENTS } from "./requirements.js";

export type ConnectionKind = "classic-injection" | "v2-injection" | "v2-integration" | "none";

export interface ApimPlacement {
  service: ApiManagementService;
  /** Region as written (`westeurope`, `West Europe`). */
  location: string;
  isPrimary: boolean;
  /** `Developer`, `Premium`, `StandardV2`, ... as the sku name says. */
  tier: string;
  units: number;
  /** `External`, `Internal` or `None`. */
  mode: string;
  kind: ConnectionKind;
  /** The subnet id the instance names (may be unknown or not in the inputs). */
  subnetId?: string;
  subnet?: Subnet;
  vnet?: VirtualNetwork;
  nsg?: NetworkSecurityGroup;
  routeTable?: RouteTable;
  platform: Platform;
  /** How the platform was decided: read from the input, given on the command line, or assumed. */
  platformSource: "input" | "option" | "assumed";
  /** The instance has more than one region (Traffic Manager routes between them). */
  multiRegion: boolean;
  /** `apim-contoso (westeurope)`, for messages and grouping. */
  label: string;
  /** The primary instance's region (multi-region rules must allow the primary region too). */
  primaryLocation: string;
  src: SourceRef;
}

export interface PlacementOptions {
  /** `--platform stv1|stv2`: overrides what the inputs say or the assumption. */
  platform?: Platform;
}

function platformOf(
  service: ApiManagementService,
  options: PlacementOptions,
): Pick<ApimPlacement, "platform" | "platformSource"> {
  if (options.platform) return { platform: options.platform, platformSource: "option" };
  const declared = service.platformVersion?.toLowerCase();
  if (declared?.startsWith("stv1")) return { platform: "stv1", platformSource: "input" };
  if (declared?.startsWith("stv2")) return { platform: "stv2", platformSource: "input" };
  return { platform: "stv2", platformSource: "assumed" };
}

function kindOf(tier: string, mode: string): ConnectionKind {
  if (mode === "None" || mode === "") return "none";
  const t = REQUIREMENTS.tiers;
  const lower = tier.toLowerCase();
  const isV2 = [...t.v2Injection, ...t.v2Integration, "BasicV2"].some((x) => x.toLowerCase() === lower);
  if (!isV2) return "classic-injection";
  // On the v2 tiers, External is outbound VNet integration and Internal is VNet injection (Premium v2 only):
  // the API's Internal means "accessible only from within the virtual network" (injection gives the gateway a
  // private address: inject-vnet-v2), External "accessible from Internet" (integration keeps the gateway public;
  // integrate-vnet-outbound calls it "external virtual network integration"). See docs/checks/APIM-SKU-VNET.md.
  return mode === "Internal" ? "v2-injection" : "v2-integration";
}

/** Every region of every API Management instance in the model. */
export function apimPlacements(topology: Topology, options: PlacementOptions = {}): ApimPlacement[] {
  const out: ApimPlacement[] = [];
  for (const service of topology.model.apiManagementServices) {
    // ARM compares enum values without regard to case (`internal` is Internal); a value that is no member is
    // kept as written (validation refuses it).
    const written = service.virtualNetworkType || "None";
    const mode = canonicalMember(VIRTUAL_NETWORK_TYPES, written) ?? written;
    const platform = platformOf(service, options);
    const regions = [
      {
        location: service.location ?? "",
        isPrimary: true,
        units: service.sku.capacity,
        subnetId: service.virtualNetworkConfiguration?.subnetResourceId,
        src: service.src,
      },
      ...service.additionalLocations.map((l) => ({
        location: l.location,
        isPrimary: false,
        units: l.sku?.capacity ?? service.sku.capacity,
        subnetId: l.virtualNetworkConfiguration?.subnetResourceId,
        src: l.src,
      })),
    ];
    for (const region of regions) {
      const subnet = region.subnetId && !isUnknown(region.subnetId) ? topology.subnets.get(region.subnetId) : undefined;
      out.push({
        service,
        location: region.location,
        isPrimary: region.isPrimary,
        tier: canonicalMember(APIM_SKUS, service.sku.name) ?? service.sku.name,
        units: Number.isFinite(region.units) ? region.units : 1,
        mode,
        kind: kindOf(service.sku.name, mode),
        subnetId: region.subnetId,
        subnet,
        vnet: subnet ? topology.vnetOf(subnet) : undefined,
        nsg: topology.nsgs.get(subnet?.networkSecurityGroup?.id),
        routeTable: topology.routeTables.get(subnet?.routeTable?.id),
        ...platform,
        multiRegion: regions.length > 1,
        label: `${service.name} (${region.location || "location unknown"})`,
        primaryLocation: service.location ?? "",
        src: region.src,
      });
    }
  }
  return out;
}

/** The sentence that says how the platform was decided, for evidence. */
export function platformNote(p: ApimPlacement): string {
  if (p.platformSource === "input") return `platform ${p.platform} (platformVersion in the input)`;
  if (p.platformSource === "option") return `platform ${p.platform} (--platform)`;
  return "platform assumed stv2: templates do not carry platformVersion, and stv1 was retired on 31 Aug 2024 (use --platform stv1 for a legacy instance)";
}
