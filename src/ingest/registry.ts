/**
 * @module ingest/registry
 * The explicit, ordered list of ingesters. A format is added here and nowhere else; the first ingester whose
 * `detect` accepts an input loads it. Bicep comes first: its files are text, which no other ingester reads,
 * and a compiled template committed beside its `.bicep` source is read through the source (ingest/bicep/plan).
 * ARM templates and parameters files come next: their shapes are the most specific (a `$schema`), and no
 * export looks like them.
 */
import { armIngesters } from "./arm/ingester.js";
import { bicepIngesters } from "./bicep/ingester.js";
import { exportIngesters } from "./export/ingesters.js";
import { terraformIngesters } from "./terraform/ingester.js";
import type { Ingester } from "./types.js";

// Terraform before the JSON formats: a plan's resource_changes would otherwise look like a list export.
export const INGESTERS: Ingester[] = [...bicepIngesters, ...terraformIngesters, ...armIngesters, ...exportIngesters];
