/** A `--version` that quorumcheck does not know for a system; names what it does know. */
export class UnknownVersionError extends Error {
  readonly code = 'UNKNOWN_SYSTEM_VERSION';
  constructor(readonly system: string, readonly version: string, known: string) {
    super(`${system} version '${version}' is not one quorumcheck knows: ${known}`);
    this.name = 'UnknownVersionError';
  }
}
