/**
 * @module checks/context
 * Checks layer: what a check is given (the model, the topology look-ups, the engine with its caches, the
 * service tags, and where each API Management instance sits) and the shape of a check module: one file per
 * check, one default export built with `defineCheck` (style.md, after typescript-eslint's rule modules).
 */
import type { EngineContext } from "../engine/reach/context.js";
import type { ServiceTagCatalog } from "../engine/servicetags/catalog.js";
import type { Change } from "../model/change.js";
import type { NetworkModel } from "../model/network.js";
import type { SourceRef } from "../model/source.js";
import type { Topology } from "../model/topology.js";
import { renderFix } from "./fix/render.js";
import { COMMON_MESSAGES, type MessageData, renderMessage } from "./messages.js";
import type { ApimPlacement } from "./placements.js";
import { type CheckMeta, type Evidence, type Finding, type Severity, toLocation } from "./types.js";
import type { PriorityBook } from "./util/fixes.js";

/** A backend the user names on the command line (`--backend host:port`), checked for every instance. */
export interface ExtraBackend {
  /** Host name or IP address. */
  host: string;
  port: number;
  /** As the user wrote it, for messages. */
  text: string;
}

export interface CheckContext {
  model: NetworkModel;
  topology: Topology;
  catalog: ServiceTagCatalog;
  engine: EngineContext;
  /** Every region of every APIM instance, in model order. */
  placements: ApimPlacement[];
  /** NSG priorities handed out to fixes in this run, so that two fixes for one NSG never take the same one. */
  priorities: PriorityBook;
  /** Backends given outside the inputs (`--backend`); absent or empty when none. */
  extraBackends?: ExtraBackend[];
  /**
   * The findings of other registered checks, by id, on this same context (each check run at most once per
   * context). For checks that explain what others found (APIM-NETWORK-STATUS); absent when the context was not
   * made by runChecks.
   */
  findingsOf?: (ids: readonly string[]) => Finding[];
}

export interface Check {
  meta: CheckMeta;
  run(ctx: CheckContext): Finding[];
}

const ID = /^[A-Z]+(-[A-Z0-9]+)+$/;
const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Declares a check; validates the metadata once, at load time, and adds the messages every check shares. */
export function defineCheck(check: Check): Check {
  if (!ID.test(check.meta.id)) throw new Error(`check id ${check.meta.id} is not of the form APIM-SOMETHING`);
  if (!NAME.test(check.meta.name)) throw new Error(`check name ${check.meta.name} is not kebab-case`);
  for (const [id, text] of Object.entries(COMMON_MESSAGES))
    if (Object.hasOwn(check.meta.messages, id) && check.meta.messages[id] !== text)
      throw new Error(`${check.meta.id}: message id ${id} is reserved`);
  Object.assign(check.meta.messages, COMMON_MESSAGES);
  return check;
}

export interface FindingInput {
  severity?: Severity;
  /** One of `meta.messages`: the finding's sentence is that template filled with `data`. */
  messageId: string;
  data?: MessageData;
  /** Resource id the finding is about. */
  resource: string;
  /** Where to point: the offending rule, route or resource. */
  src: SourceRef | undefined;
  evidence: Evidence[];
  /** The fix as changes; its text in every form is rendered from them. */
  changes?: Change[];
  instance?: string;
  /**
   * Set when the check could not evaluate (a value Unknown, a resource not in the inputs): what it could not
   * tell, as a clause ("whether TCP 3443 from ApiManagement reaches subnet snet-apim"). The title then says
   * "Cannot be checked: ..." instead of the check's title, which states a failure, and the severity is a
   * warning unless given: an Unknown verdict is never a pass, nor a proven failure.
   */
  cannotTell?: string;
}

/**
 * A finding of `meta`'s check, with the title, default severity and sentence filled in. An id the check does
 * not declare throws, as ESLint's context.report does: it is a mistake in the check, found by its tests.
 */
export function finding(meta: CheckMeta, input: FindingInput): Finding {
  const template = meta.messages[input.messageId];
  if (template === undefined) throw new Error(`${meta.id}: message id ${input.messageId} is not declared`);
  const data = input.data ?? {};
  return {
    id: meta.id,
    severity: input.severity ?? (input.cannotTell ? "warning" : meta.severity),
    title: input.cannotTell ? `Cannot be checked: ${input.cannotTell}` : meta.title,
    message: renderMessage(template, data),
    messageId: input.messageId,
    data,
    resource: input.resource,
    location: toLocation(input.src),
    evidence: input.evidence,
    fix: renderFix(input.changes ?? []),
    ...(input.changes?.length ? { changes: input.changes } : {}),
    ...(input.instance ? { instance: input.instance } : {}),
  };
}

/** Evidence that points at a place in the inputs. */
export function evidenceAt(
  kind: string,
  text: string,
  src: SourceRef | undefined,
  resource?: string,
  data?: unknown,
): Evidence {
  return {
    kind,
    text,
    ...(resource ? { resource } : {}),
    ...(src?.line ? { location: toLocation(src) } : {}),
    ...(data !== undefined ? { data } : {}),
  };
}
