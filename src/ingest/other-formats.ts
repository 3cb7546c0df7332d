/**
 * @module ingest/other-formats
 * Files a user will hand us that are not network inputs we read: Terraform state JSON (no ingester yet) and the
 * Service Tags file (an option's input, not a network). Bicep and .bicepparam files are read (ingest/bicep), so
 * they are no longer named here; Terraform configurations and plans are read (ingest/terraform, asked first), and
 * are still recognised here only for a run made without those ingesters. Recognising
 * them from their content turns "not a recognised Azure input" into a sentence that says what the file is and
 * what to give instead. When an ingester for one of these lands in the registry it wins, because the registry
 * is asked first.
 */
import type { InputDocument } from "./types.js";

export interface OtherFormat {
  /** Shown by `inventory` as the input's format (its status is `ignored`). */
  format: string;
  /** What the file is and what to give instead. */
  why: string;
}

// HCL: a block with one or two quoted labels, or an unlabelled terraform, locals, moved or import block.
const TERRAFORM =
  /^[ \t]*(?:(?:resource|data)\s+"[\w-]+"\s+"[\w-]+"|(?:provider|variable|module|output)\s+"[\w-]+"|terraform|locals|moved|import)\s*\{/m;

/** What `doc` is when it is a known format that no ingester reads yet; undefined otherwise. */
export function recogniseOtherFormat(doc: InputDocument): OtherFormat | undefined {
  if (doc.json) return otherJson(doc.json.value);
  if (TERRAFORM.test(doc.text) || /\.(tf|tfvars)$/i.test(doc.file))
    return {
      format: "terraform",
      why: "Terraform configuration, not read yet: give an export of what it deployed (`az network vnet list`, `az network nsg list`, ... or `az group export`)",
    };
  return undefined;
}

function otherJson(value: unknown): OtherFormat | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  if (typeof o.cloud === "string" && typeof o.changeNumber === "number" && Array.isArray(o.values))
    return {
      format: "service-tags",
      why: "a Service Tags file, not a network input: give it with --service-tags <file> to use it instead of the bundled snapshot",
    };
  if (typeof o.format_version === "string" && ("planned_values" in o || "resource_changes" in o))
    return {
      format: "terraform-plan",
      why: "a Terraform plan (`terraform show -json`), not read yet: give an export of the deployed resources (`az network ... list`, `az group export`) or an ARM template",
    };
  if (typeof o.terraform_version === "string" && Array.isArray(o.resources))
    return {
      format: "terraform-state",
      why: "a Terraform state file, not read yet: give an export of the deployed resources (`az network ... list`, `az group export`)",
    };
  return undefined;
}
