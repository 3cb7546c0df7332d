/**
 * @module ingest/terraform/host
 * Ingest layer, Terraform: reading what a configuration names beyond its inputs — the `.tf` files of a module
 * directory, `.terraform/modules/modules.json`, `.terraform.lock.hcl`, a `--var-file` — from disk. This is
 * the only I/O of the Terraform readers; tests give a host of their own.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { tryReadFile } from "../read-file.js";
import type { RunHost } from "./config/run.js";

/** At most this many bytes are read from one file named by a configuration (a module file, a var file). */
const MAX_FILE = 20 * 1024 * 1024;

export function nodeHost(): RunHost {
  return {
    tfFiles(dir) {
      let names: string[];
      try {
        names = readdirSync(dir)
          .filter((n) => n.endsWith(".tf"))
          .sort();
      } catch {
        return undefined;
      }
      const out: { path: string; text: string }[] = [];
      for (const name of names) {
        const path = join(dir, name);
        const text = readText(path);
        if (text !== undefined) out.push({ path, text });
      }
      return out;
    },
    readFile: readText,
  };
}

function readText(path: string): string | undefined {
  try {
    // Only a regular file, and never more than MAX_FILE read (a `.tf` that is a FIFO or /dev/zero).
    const read = tryReadFile(path, MAX_FILE);
    if (!read.ok) return undefined;
    return new TextDecoder("utf-8", { fatal: true }).decode(read.bytes);
  } catch {
    return undefined;
  }
}
