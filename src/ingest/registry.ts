/**
 * @module ingest/registry
 * The explicit, ordered list of ingesters. A format is added here and nowhere else; the first ingester whose
 * `detect` accepts an input loads it. ARM templates and parameters files come first: their shapes are the
 * most specific (a `$schema`), and no export looks like them.
 */
import { armIngesters } from "./arm/ingester.js";
import { exportIngesters } from "./export/ingesters.js";
import type { Ingester } from "./types.js";

export const INGESTERS: Ingester[] = [...armIngesters, ...exportIngesters];
