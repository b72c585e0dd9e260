/**
 * Kafka refuses a request that names the same topic twice with INVALID_REQUEST for each of
 * those entries ("Duplicate topic name."), and acts on the rest.
 */

/** What a request of fewer than two entries has: nothing named twice (one set for all of them). */
const NONE: ReadonlySet<string> = new Set<string>();

/** The names `nameOf` gives more than one of `entries`. */
export function duplicateNames<T>(entries: readonly T[], nameOf: (entry: T) => string): ReadonlySet<string> {
  if (entries.length < 2) return NONE;
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const entry of entries) {
    const name = nameOf(entry);
    if (seen.has(name)) duplicates.add(name);
    seen.add(name);
  }
  return duplicates;
}

/** `nameOf` for entries named by their `name` (topics in CreateTopics and CreatePartitions). */
export function entryName(entry: { name: string }): string {
  return entry.name;
}
