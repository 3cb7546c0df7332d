/**
 * @module ingest/registry
 * The explicit, ordered list of ingesters. A format is added here and nowhere else; the first ingester whose
 * `detect` accepts an input loads it.
 */
import { exportIngesters } from "./export/ingesters.js";
import type { Ingester } from "./types.js";

export const INGESTERS: Ingester[] = [...exportIngesters];
