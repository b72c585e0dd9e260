/**
 * Assertions for broken invariants: a failure stops the process loudly (STYLE.md rule 5). Expected
 * failures are values, never assertions.
 */
export class AssertionError extends Error {
  constructor(message: string) {
    super(`assertion failed: ${message}`);
    this.name = 'AssertionError';
  }
}

export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

/**
 * An assertion of a rule that an invariant over the node events also judges (two leaders in one
 * epoch, a committed entry truncated, a vote changed). Normally it stops the node like `assert`.
 * Under the safety-assertions-off switch (bug-switches.ts) it only returns false, and the caller
 * goes on as a node without the assertion would: quorumcheck selftest uses that to show that the
 * invariant, not only this assertion, catches the bug.
 */
export function checkSafety(unsafeSwitches: ReadonlySet<string>, condition: boolean, message: string): boolean {
  if (!condition && !unsafeSwitches.has('safety-assertions-off')) throw new AssertionError(message);
  return condition;
}
