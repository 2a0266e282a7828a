// Keys that reach JavaScript's object machinery are refused in untrusted items. JSON.parse keeps
// "__proto__" as an ordinary own key, but a later Object.assign or deep merge of the item would set a
// prototype with it (prototype pollution); "constructor" and "prototype" lead the same way. No field
// of an event has these names, so the item carrying one is rejected, naming the key, and the others of
// its batch go on. docs/input.md
export const DANGEROUS_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** At most this many keys are named; the item is rejected either way. */
const MAX_REPORTED = 20;

interface Visit {
  value: unknown;
  key: string;
  parent?: Visit;
}
const pathOf = (v: Visit): string => {
  const keys: string[] = [];
  for (let at: Visit | undefined = v; at?.parent; at = at.parent) keys.push(at.key);
  return keys.reverse().join('.');
};

/**
 * The paths (e.g. "location.__proto__", "items.0.constructor") of every dangerous own key in a value
 * parsed from JSON. Iterative, and a path is only spelled out when found, so an item nested a
 * hundred thousand levels deep costs neither stack nor memory beyond its own size.
 */
export function dangerousKeyPaths(value: unknown): string[] {
  const found: string[] = [];
  const stack: Visit[] = [{ value, key: '' }];
  while (stack.length && found.length < MAX_REPORTED) {
    const visit = stack.pop()!;
    const v = visit.value;
    if (typeof v !== 'object' || v === null) continue;
    for (const key of Object.keys(v)) {
      const child: Visit = { value: (v as Record<string, unknown>)[key], key, parent: visit };
      if (DANGEROUS_KEYS.has(key)) found.push(pathOf(child));
      else stack.push(child);
    }
  }
  return found.sort();
}
