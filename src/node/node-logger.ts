/**
 * quorumd's human log: one line per happening, in Kafka's log layout
 * (`[2026-11-21 07:44:04,123] INFO [QuorumNode id=1] message`), info on stdout and warnings and
 * errors on stderr. The machine-readable record is the event log (event-log-file.ts).
 */
export interface NodeLogger {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

export function consoleNodeLogger(nodeId: number, component = 'QuorumNode'): NodeLogger {
  const write = (stream: NodeJS.WriteStream, level: string) => (line: string) => {
    stream.write(`[${kafkaTimestamp(new Date())}] ${level} [${component} id=${nodeId}] ${line}\n`);
  };
  return { info: write(process.stdout, 'INFO'), warn: write(process.stderr, 'WARN'), error: write(process.stderr, 'ERROR') };
}

/** Collects lines, for tests. */
export function memoryNodeLogger(lines: string[] = []): NodeLogger & { lines: string[] } {
  return {
    lines,
    info: (line) => lines.push(`INFO ${line}`),
    warn: (line) => lines.push(`WARN ${line}`),
    error: (line) => lines.push(`ERROR ${line}`),
  };
}

function kafkaTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '').replace('.', ',');
}
