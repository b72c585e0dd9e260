/**
 * Progress on a terminal: the run pipeline's progress events drawn by the report's TerminalStatus
 * (two status lines redrawn in place; faults applied and undone, phases and failing seeds as
 * lasting lines above them). The status is cleared when the run or the sweep is done, so the
 * summary that follows on standard output starts on a clean line. Wiring only.
 */
import type { ProgressEvent, ProgressSink } from '../run/progress.js';
import { formatProgress } from '../run/progress.js';
import { TerminalStatus } from '../report/progress/terminal-status.js';

/** Whether progress on `stream` can be redrawn in place. */
export function isTerminal(stream: NodeJS.WritableStream): stream is NodeJS.WriteStream {
  return (stream as NodeJS.WriteStream).isTTY === true;
}

export function terminalProgressSink(stream: NodeJS.WriteStream): ProgressSink {
  const status = new TerminalStatus({ write: (text) => { stream.write(text); }, get columns() { return stream.columns; } });
  return {
    emit: (event: ProgressEvent) => {
      switch (event.kind) {
        case 'tick':
          status.update({
            phase: 'faults', operations: event.operations, ok: event.ok, fail: event.fail, info: event.info,
            nemesis: event.nemesis, elapsedMs: event.elapsedMs, remainingMs: event.remainingMs,
          });
          return;
        case 'phase':
          if (event.phase === 'done') {
            status.finish();
            return;
          }
          status.line(formatProgress(event));
          status.update({ phase: event.phase });
          return;
        case 'seed':
          if (event.verdict !== 'valid') status.line(formatProgress(event));
          status.update({ phase: `seed ${event.done}/${event.total}` });
          if (event.done === event.total) status.finish();
          return;
        default:
          status.line(formatProgress(event));
      }
    },
  };
}
