/**
 * @module ingest/terraform/avm/hub-networking
 * Ingest layer, Terraform: `Azure/avm-ptn-hubnetworking/azurerm` has no built-in description yet: the pattern
 * module composes the VNet, route table, firewall and public IP modules over 104 optional inputs, and its
 * routes come from for/flatten comprehensions over the hubs. Its source is read when it is on disk (a local
 * path, or `.terraform/modules` after `terraform init`), which is how the corpus copy is checked; the VNet and
 * route table modules it calls (0.12.0, 0.3.1) are built in.
 */
import type { BuiltinModule } from "./index.js";

export const hubNetworkingModule: BuiltinModule[] = [];
