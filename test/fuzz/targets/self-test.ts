/** Targets that misbehave on purpose, for the harness's own test (harness.test.ts). */
import fc from "fast-check";
import { InputError } from "../../../src/model/diagnostics.js";
import { allowOnly } from "./mutate.js";

export const targets = {
  "hangs on 7": {
    arbitrary: fc.constantFrom(1, 2, 7),
    check(value: number) {
      while (value === 7) {
        // never ends: the watchdog must stop the worker
      }
    },
  },
  "slow on 7": {
    arbitrary: fc.constantFrom(1, 2, 7),
    check(value: number) {
      const until = Date.now() + (value === 7 ? 300 : 0);
      while (Date.now() < until) {
        // busy: longer than the case limit
      }
    },
  },
  "typed errors only": {
    arbitrary: fc.integer({ min: 0, max: 3 }),
    check(value: number) {
      try {
        if (value === 1) throw new InputError("documented");
        if (value === 3) throw new TypeError("undocumented");
      } catch (error) {
        allowOnly(error, InputError);
      }
    },
  },
  "well behaved": {
    arbitrary: fc.string(),
    check(value: string) {
      try {
        if (value.length > 3) throw new InputError("too long");
      } catch (error) {
        allowOnly(error, InputError);
      }
    },
  },
};
