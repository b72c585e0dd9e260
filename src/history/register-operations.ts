/**
 * The vocabulary of single-register operations as they appear in histories (Knossos'
 * cas-register, Porcupine's etcd logs), shared by the importers and the register models.
 *
 * - `read`: value null at invoke; at ok, the value read (null: the register holds nothing).
 * - `write`: the value at invoke; the ok echoes it.
 * - `cas`: `[expected, new]` at invoke. At ok, `[expected, new]` (or `true`) when it applied, and
 *   `false` when the compare failed: a definite answer the model checks (the register did not hold
 *   `expected`), rather than a `fail`, which would say nothing happened and check nothing.
 */

export const REGISTER_FUNCTIONS = ['read', 'write', 'cas'] as const;
export type RegisterFunction = (typeof REGISTER_FUNCTIONS)[number];

/** The ok value of a cas whose compare failed. */
export const CAS_COMPARE_FAILED = false;

export function isCasCompareFailed(output: unknown): boolean {
  return output === CAS_COMPARE_FAILED;
}
