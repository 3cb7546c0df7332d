/**
 * @module engine/whatif/copy
 * Engine layer: the deep copy the what-if transformations edit, so that the model they were given stays as it
 * was. Arrays and plain objects are copied; any other object is shared. That is what locations need: a
 * resource's `src` may be a lazy location (ingest/locator LazySource), an object whose fields are getters that
 * work the place out on first read. It never changes, so sharing it is safe, while `structuredClone` would
 * copy its own properties only (it has none) and lose the place.
 */

/** A copy of `value` in which every array and plain object is new and everything else is shared. */
export function copyModel<T>(value: T): T {
  return copy(value) as T;
}

function copy(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(copy);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  // Model objects come from object literals and JSON.parse: own enumerable string keys are all they hold.
  // `__proto__` (a key JSON.parse makes an ordinary one) is written as a data property, not a prototype.
  for (const key of Object.keys(value)) {
    const item = copy((value as Record<string, unknown>)[key]);
    if (key === "__proto__")
      Object.defineProperty(out, key, { value: item, writable: true, enumerable: true, configurable: true });
    else out[key] = item;
  }
  return out;
}
