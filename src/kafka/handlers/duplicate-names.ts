/**
 * Kafka refuses a request that names the same topic twice with INVALID_REQUEST for each of
 * those entries ("Duplicate topic name."), and acts on the rest.
 */
export function duplicateNames(names: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) duplicates.add(name);
    seen.add(name);
  }
  return duplicates;
}
