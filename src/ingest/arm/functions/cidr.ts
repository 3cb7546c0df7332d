/**
 * @module ingest/arm/functions/cidr
 * ARM's CIDR functions, which network templates use to carve subnets out of a VNet range:
 * `parseCidr(range)`, `cidrSubnet(range, newLength, index)`, `cidrHost(range, index)`.
 * IPv4 ranges of /30 and wider keep the network and broadcast addresses out of the usable range.
 * UNCERTAIN: for IPv6 and for /31 and /32 we take the whole range as usable, and `cidrHost` counts hosts
 * from the address after the network address for both families.
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-cidr
 */
import { formatAddress, type ParsedPrefix, parsePrefix } from "../../../model/ip.js";
import { ArmEvalError, expectArgs, expectInt, expectString } from "../expression/values.js";
import type { FunctionTable } from "./types.js";

function range(fn: string, value: unknown): ParsedPrefix {
  const text = expectString(fn, value);
  const parsed = text.includes("/") ? parsePrefix(text) : undefined;
  if (!parsed) throw new ArmEvalError(`${fn}(): '${text}' is not a CIDR range`);
  return parsed;
}

function usable(p: ParsedPrefix): { first: bigint; last: bigint } {
  if (p.version === 4 && p.length <= 30) return { first: p.first + 1n, last: p.last - 1n };
  return { first: p.first, last: p.last };
}

function bitsOf(p: ParsedPrefix): number {
  return p.version === 4 ? 32 : 128;
}

export const CIDR_FUNCTIONS: FunctionTable = {
  parsecidr: {
    fn: (args) => {
      expectArgs("parseCidr", args, 1);
      const p = range("parseCidr", args[0]);
      const bits = bitsOf(p);
      const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - p.length)) - 1n);
      const { first, last } = usable(p);
      const out: Record<string, unknown> = {
        network: formatAddress(p.version, p.first),
        netmask: formatAddress(p.version, mask),
      };
      if (p.version === 4) out.broadcast = formatAddress(4, p.last);
      out.firstUsable = formatAddress(p.version, first);
      out.lastUsable = formatAddress(p.version, last);
      out.cidr = p.length;
      return out;
    },
  },
  cidrsubnet: {
    fn: (args) => {
      expectArgs("cidrSubnet", args, 3);
      const p = range("cidrSubnet", args[0]);
      const length = expectInt("cidrSubnet", args[1], 2);
      const index = expectInt("cidrSubnet", args[2], 3);
      if (length < p.length || length > bitsOf(p)) {
        throw new ArmEvalError(
          `cidrSubnet(): the new prefix length ${length} must be between ${p.length} and ${bitsOf(p)}`,
        );
      }
      const count = 1n << BigInt(length - p.length);
      if (index < 0 || BigInt(index) >= count) {
        throw new ArmEvalError(
          `cidrSubnet(): index ${index} is outside the ${count} subnets of /${length} in ${p.canonical}`,
        );
      }
      const first = p.first + BigInt(index) * (1n << BigInt(bitsOf(p) - length));
      return `${formatAddress(p.version, first)}/${length}`;
    },
  },
  cidrhost: {
    fn: (args) => {
      expectArgs("cidrHost", args, 2);
      const p = range("cidrHost", args[0]);
      const index = expectInt("cidrHost", args[1], 2);
      const host = p.first + 1n + BigInt(index);
      const { last } = usable(p);
      if (index < 0 || host > last) throw new ArmEvalError(`cidrHost(): host ${index} is outside ${p.canonical}`);
      return formatAddress(p.version, host);
    },
  },
};
