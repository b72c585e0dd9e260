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
