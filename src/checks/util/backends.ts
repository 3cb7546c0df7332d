/**
 * @module checks/util/backends
 * Checks layer: the backends an instance calls, as the inputs name them (`service/backends` url, an API's
 * `serviceUrl`) or as the user gives them (`--backend host:port`), with their host resolved to an address: an IP
 * literal, or a name with an A record in a Private DNS zone of the inputs. Names nothing in the inputs resolves
 * stay unresolved (a public name, or DNS the inputs do not show), and are said to be unchecked.
 */
import { AddressSet } from "../../engine/ip/address-set.js";
import { vnetAddressSet } from "../../engine/peering/state.js";
import { parseAddress } from "../../model/ip.js";
import type { PrivateDnsZone } from "../../model/resources.js";
import type { SourceRef } from "../../model/source.js";
import { isUnknown, unknownReason } from "../../model/unknown.js";
import { type CheckContext, evidenceAt } from "../context.js";
import type { Evidence } from "../types.js";
import { lookupName } from "./dns.js";

/** Private and shared address space (RFC 1918, RFC 6598): where a backend is not on the Internet. */
const PRIVATE = AddressSet.parse("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10");

export interface BackendRef {
  /** `backend orders`, `API echo (serviceUrl)`, `--backend 10.2.1.10:8080`. */
  label: string;
  /** The URL or host:port as written. */
  text: string;
  host?: string;
  port?: number;
  /** Why host and port could not be read. */
  unreadable?: string;
  /** The instance the backend belongs to; undefined for `--backend` (every instance). */
  serviceId?: string;
  resource?: string;
  src?: SourceRef;
}

const DEFAULT_PORTS: Record<string, number> = { "http:": 80, "https:": 443, "ws:": 80, "wss:": 443 };

function fromUrl(url: string, base: Omit<BackendRef, "text" | "host" | "port">): BackendRef {
  if (isUnknown(url)) return { ...base, text: url, unreadable: `the URL is unresolved (${unknownReason(url)})` };
  try {
    const u = new URL(url);
    const port = u.port ? Number(u.port) : DEFAULT_PORTS[u.protocol];
    if (!port) return { ...base, text: url, unreadable: `no port for scheme ${u.protocol}` };
    return { ...base, text: url, host: u.hostname.replace(/^\[|\]$/g, ""), port };
  } catch {
    return { ...base, text: url, unreadable: "not an absolute URL (a named value or a relative path?)" };
  }
}

/** Every backend named in the inputs or on the command line. */
export function backendsOf(ctx: CheckContext): BackendRef[] {
  const out: BackendRef[] = [];
  for (const b of ctx.model.apimBackends) {
    if (!b.url) continue;
    out.push(fromUrl(b.url, { label: `backend ${b.name}`, serviceId: b.serviceId, resource: b.id, src: b.src }));
  }
  for (const api of ctx.model.apimApis) {
    if (!api.serviceUrl) continue;
    out.push(
      fromUrl(api.serviceUrl, {
        label: `API ${api.name} (serviceUrl)`,
        serviceId: api.serviceId,
        resource: api.id,
        src: api.src,
      }),
    );
  }
  for (const b of ctx.extraBackends ?? [])
    out.push({ label: `--backend ${b.text}`, text: b.text, host: b.host, port: b.port });
  return out;
}

export type Resolution =
  | { address: string; private: boolean; zone?: PrivateDnsZone; evidence: Evidence[] }
  | { unresolved: string; evidence: Evidence[] };

/** The backend's address: the IP itself, or the A record of the Private DNS zone of the inputs that holds the name. */
export function resolveBackend(ctx: CheckContext, host: string): Resolution {
  const isPrivate = (address: string) =>
    PRIVATE.has(address) || ctx.model.virtualNetworks.some((v) => vnetAddressSet(v).has(address));
  if (parseAddress(host)) return { address: host, private: isPrivate(host), evidence: [] };
  const found = lookupName(ctx.model.privateDnsZones, host);
  if (!found)
    return {
      unresolved: `${host} is in no Private DNS zone of the inputs (a public name, or DNS the inputs do not show)`,
      evidence: [],
    };
  const zoneEvidence = evidenceAt("dns-zone", `private DNS zone ${found.zone.name}`, found.zone.src, found.zone.id);
  const record = found.record;
  const value = record?.values.find((v) => v && !isUnknown(v));
  if (!record || record.recordType.toUpperCase() === "CNAME" || !value || !parseAddress(value)) {
    const why = !record
      ? `zone ${found.zone.name} has no record ${found.relative}`
      : record.recordType.toUpperCase() === "CNAME"
        ? `${host} is a CNAME to ${record.values[0]} (not followed)`
        : `the record ${found.relative} of ${found.zone.name} has no resolved address`;
    return { unresolved: why, evidence: [zoneEvidence] };
  }
  return {
    address: value,
    private: isPrivate(value),
    zone: found.zone,
    evidence: [
      evidenceAt(
        "dns-record",
        `${host} → ${value} (${record.recordType} record ${found.relative} in zone ${found.zone.name})`,
        record.src,
        found.zone.id,
      ),
    ],
  };
}
