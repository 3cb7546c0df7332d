/**
 * @module engine/nsg/place
 * Engine layer: the NSG layers of a place in the topology (a subnet, and the NIC when there is one), ready for
 * evaluateFlowLayers. Each subnet and NIC has zero or one NSG (reference §1.3.4). An association that names an
 * NSG the inputs do not declare (or an unresolved id) makes that layer Unknown instead of "no NSG".
 */
import type { NetworkInterface, NetworkSecurityGroup, ResourceRef, Subnet } from "../../model/resources.js";
import type { Topology } from "../../model/topology.js";
import { isUnknown } from "../../model/unknown.js";
import type { CompiledNsg } from "./compiled.js";
import type { LayerScope, NsgLayerInput, NsgLayers } from "./layers.js";

/** Compiles an NSG for one level of the place (the resolver differs per place: VirtualNetwork, Internet). */
export type CompileForPlace = (nsg: NetworkSecurityGroup, scope: LayerScope) => CompiledNsg;

function layerInput(
  topology: Topology,
  scopeId: string,
  ref: ResourceRef | undefined,
  scope: LayerScope,
  compile: CompileForPlace,
): NsgLayerInput {
  if (!ref?.id) return { scopeId, nsg: null };
  if (isUnknown(ref.id))
    return { scopeId, nsg: null, unknownReason: `the ${scope}'s NSG id is unresolved (${ref.id})` };
  const nsg = topology.nsgs.get(ref.id);
  if (!nsg) return { scopeId, nsg: null, unknownReason: `the ${scope}'s NSG ${ref.id} is not declared in the inputs` };
  return { scopeId, nsg: compile(nsg, scope) };
}

/** The subnet and NIC layers of a place; leave `nic` out when the place has no NIC in the model (e.g. APIM). */
export function nsgLayersFor(
  topology: Topology,
  place: { subnet?: Subnet; nic?: NetworkInterface },
  compile: CompileForPlace,
): NsgLayers {
  const layers: NsgLayers = {};
  if (place.subnet) {
    layers.subnet = layerInput(topology, place.subnet.id, place.subnet.networkSecurityGroup, "subnet", compile);
  }
  if (place.nic) layers.nic = layerInput(topology, place.nic.id, place.nic.networkSecurityGroup, "nic", compile);
  return layers;
}
