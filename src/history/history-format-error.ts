/**
 * The one error every history reader throws for malformed input: a stable `code` a program can
 * branch on, the 1-based `line` of the source where it was found (0 when the problem is not tied
 * to a line), and a message in words that names the line and what is wrong.
 */

export type HistoryFormatErrorCode =
  /** A JSON-lines line that is not JSON. */
  | 'not-json'
  /** Malformed EDN text (unbalanced brackets, bad token, unknown escape...). */
  | 'bad-edn'
  /** A line of a Porcupine/Jepsen log that matches none of the known shapes. */
  | 'bad-log-line'
  /** An entry that is not an object/map. */
  | 'not-an-operation'
  | 'missing-field'
  | 'bad-field'
  /** `type` is not one of invoke, ok, fail, info. */
  | 'bad-type'
  /** An ok/fail/info of a process with no open invocation. */
  | 'completion-without-invoke'
  /** An invoke of a process that already has an open invocation. */
  | 'double-invoke'
  /** A completion whose `f` differs from its invocation's. */
  | 'completion-f-mismatch'
  /** `index` is not the entry's 0-based position. */
  | 'non-dense-index'
  /** `timeNs` smaller than the previous entry's. */
  | 'time-not-monotonic'
  /** The file could not be read, or its format could not be told. */
  | 'unreadable';

export class HistoryFormatError extends Error {
  override readonly name = 'HistoryFormatError';
  readonly code: HistoryFormatErrorCode;
  /** 1-based line in the source; 0 when not tied to a line. */
  readonly line: number;
  /** What is wrong, without the location. */
  readonly detail: string;
  /** The file, when read from one. */
  readonly source: string | undefined;

  constructor(
    code: HistoryFormatErrorCode,
    line: number,
    detail: string,
    options: { source?: string; cause?: unknown } = {},
  ) {
    const file = options.source === undefined ? '' : `${options.source}: `;
    const where = line > 0 ? `line ${line}: ` : '';
    super(`${file}${where}${detail} [${code}]`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.line = line;
    this.detail = detail;
    this.source = options.source;
  }

  /** The same error, naming the file it came from. */
  inSource(source: string): HistoryFormatError {
    return new HistoryFormatError(this.code, this.line, this.detail, { source, cause: this.cause });
  }
}
